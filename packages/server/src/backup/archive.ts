// The backup file is a plain POSIX tar (ustar) archive, so an operator can look inside with `tar tf`. Only what
// backups need: regular files with short names, written and read whole in memory.
import { createHash } from "node:crypto";

const BLOCK = 512;

export interface ArchiveEntry {
  name: string;
  data: Buffer;
}

export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(entry: ArchiveEntry, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(entry.name) > 99)
    throw new ArchiveError(`archive entry name too long: ${entry.name}`);
  block.write(entry.name, 0, "utf8");
  block.write(octal(0o600, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(entry.data.length, 12), 124, "ascii");
  block.write(octal(mtime, 12), 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

export function writeArchive(entries: ArchiveEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime), entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readOctal(block: Buffer, offset: number, width: number): number {
  const text = block
    .subarray(offset, offset + width)
    .toString("ascii")
    .replace(/[\0 ]+$/g, "")
    .trim();
  if (!/^[0-7]+$/.test(text)) throw new ArchiveError("not a backup archive (unreadable tar header)");
  return Number.parseInt(text, 8);
}

/** Every entry of a tar archive; throws ArchiveError on a truncated or damaged header. */
export function readArchive(archive: Buffer): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return entries;
    const stored = readOctal(block, 148, 8);
    let sum = 0;
    for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : (block[index] ?? 0);
    if (sum !== stored) throw new ArchiveError("not a backup archive (tar header checksum mismatch)");
    const size = readOctal(block, 124, 12);
    const nameEnd = block.indexOf(0);
    const name = block.subarray(0, nameEnd === -1 || nameEnd > 100 ? 100 : nameEnd).toString("utf8");
    const start = offset + BLOCK;
    if (start + size > archive.length) throw new ArchiveError(`the archive is truncated (entry ${name})`);
    entries.push({ name, data: Buffer.from(archive.subarray(start, start + size)) });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new ArchiveError("the archive is truncated (no end marker)");
}
