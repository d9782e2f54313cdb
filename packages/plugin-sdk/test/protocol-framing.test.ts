import { LineSplitter } from "@paperclipai/plugin-sdk/protocol";
import { describe, expect, it } from "vitest";

function collect(maxLineBytes?: number) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter({
    maxLineBytes,
    onLine: (line) => lines.push(line),
    onOversizeLine: (bytes) => oversize.push(bytes),
  });
  return { splitter, lines, oversize };
}

describe("NDJSON line splitter", () => {
  it("emits each complete line of a chunk", () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('{"a":1}\n{"b":2}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(splitter.bufferedBytes).toBe(0);
  });

  it("joins a line split across chunks, byte by byte", () => {
    const { splitter, lines } = collect();
    const text = '{"x":"héllo ✓"}\n{"y":2}\n';
    for (const byte of Buffer.from(text)) splitter.push(Buffer.from([byte]));
    expect(lines).toEqual(['{"x":"héllo ✓"}', '{"y":2}']);
  });

  it("holds a trailing partial line until its newline arrives", () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from('{"a":1}\n{"b"'));
    expect(lines).toEqual(['{"a":1}']);
    expect(splitter.bufferedBytes).toBe(4);
    splitter.push(Buffer.from(":2}\n"));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("copies held bytes so a reused chunk buffer cannot corrupt them", () => {
    const { splitter, lines } = collect();
    const chunk = Buffer.from('{"a"');
    splitter.push(chunk);
    chunk.fill(0x20);
    splitter.push(Buffer.from(":1}\n"));
    expect(lines).toEqual(['{"a":1}']);
  });

  it("drops an oversize line without buffering it whole, then keeps going", () => {
    const { splitter, lines, oversize } = collect(16);
    splitter.push(Buffer.from("x".repeat(10)));
    splitter.push(Buffer.from("y".repeat(10)));
    expect(splitter.bufferedBytes).toBe(0);
    splitter.push(Buffer.from("z".repeat(5) + '\n{"ok":1}\n'));
    expect(oversize).toEqual([25]);
    expect(lines).toEqual(['{"ok":1}']);
  });

  it("drops an oversize line that arrives in a single chunk", () => {
    const { splitter, lines, oversize } = collect(8);
    splitter.push(Buffer.from(`${"q".repeat(20)}\n{"a":1}\n`));
    expect(oversize).toEqual([20]);
    expect(lines).toEqual(['{"a":1}']);
  });
});
