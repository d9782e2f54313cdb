// A gzipped POSIX tar (ustar, with pax headers for names longer than the ustar fields hold) of a plugin's files:
// enough of the format to pack a folder and unpack it again, with no dependency. The archives are ordinary
// `.tgz` files (`tar tzf` lists them). Packing is deterministic (sorted entries, mtime 0, uid/gid 0), so the same
// files always give the same bytes and the same sha512.
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

const BLOCK = 512;

export interface TarEntry {
  /** '/'-separated, relative, no `..` */
  path: string;
  kind: "file" | "symlink";
  /** file content (files only) */
  content?: Buffer;
  /** link target text (symlinks only) */
  target?: string;
  executable?: boolean;
}

/** Every file and symlink under `folder` (empty folders left out), as entries under `prefix`. */
export async function folderEntries(
  folder: string,
  prefix: string,
  skip: (relative: string, isDirectory: boolean) => boolean = () => false,
): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const walk = async (absolute: string, relative: string): Promise<void> => {
    for (const item of await readdir(absolute, { withFileTypes: true })) {
      const childRelative = relative === "" ? item.name : `${relative}/${item.name}`;
      const childAbsolute = path.join(absolute, item.name);
      if (skip(childRelative, item.isDirectory())) continue;
      const archived = prefix === "" ? childRelative : `${prefix}/${childRelative}`;
      if (item.isSymbolicLink()) {
        entries.push({ path: archived, kind: "symlink", target: await readlink(childAbsolute) });
      } else if (item.isDirectory()) {
        await walk(childAbsolute, childRelative);
      } else if (item.isFile()) {
        const info = await lstat(childAbsolute);
        entries.push({
          path: archived,
          kind: "file",
          content: await readFile(childAbsolute),
          executable: (info.mode & 0o111) !== 0,
        });
      }
    }
  };
  await walk(path.resolve(folder), "");
  return entries;
}

/** The entries as a gzipped tar, in path order. */
export function packTar(entries: readonly TarEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const blocks: Buffer[] = [];
  for (const entry of sorted) {
    assertSafePath(entry.path);
    const content = entry.kind === "file" ? (entry.content ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const target = entry.kind === "symlink" ? (entry.target ?? "") : "";
    const pax: string[] = [];
    if (Buffer.byteLength(entry.path) > 100) pax.push(paxRecord("path", entry.path));
    if (Buffer.byteLength(target) > 100) pax.push(paxRecord("linkpath", target));
    if (pax.length > 0) {
      const body = Buffer.from(pax.join(""));
      blocks.push(header({ name: "PaxHeader", size: body.length, type: "x", mode: 0o644 }), padded(body));
    }
    blocks.push(
      header({
        name: truncate(entry.path),
        size: content.length,
        type: entry.kind === "file" ? "0" : "2",
        mode: entry.kind === "symlink" ? 0o777 : entry.executable ? 0o755 : 0o644,
        linkname: truncate(target),
      }),
      padded(content),
    );
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

/** The entries of a gzipped tar; throws on a malformed archive or an unsafe path. */
export function readTar(gzipped: Buffer): TarEntry[] {
  const data = gunzipSync(gzipped);
  const entries: TarEntry[] = [];
  let offset = 0;
  let pending: Record<string, string> = {};
  while (offset + BLOCK <= data.length) {
    const block = data.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    if (!checksumMatches(block)) throw new Error(`malformed tar: bad header checksum at byte ${offset}`);
    const size = Number.parseInt(field(block, 124, 12) || "0", 8);
    const type = String.fromCharCode(block[156] ?? 0);
    const bodyStart = offset + BLOCK;
    const body = data.subarray(bodyStart, bodyStart + size);
    if (body.length !== size) throw new Error("malformed tar: truncated entry");
    offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      pending = parsePax(body);
      continue;
    }
    if (type === "g") continue;
    const prefix = field(block, 345, 155);
    const name = pending.path ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    const linkname = pending.linkpath ?? field(block, 157, 100);
    pending = {};
    if (type === "5") continue;
    const entryPath = name.replace(/^\.\//, "");
    assertSafePath(entryPath);
    if (type === "0" || type === "\0") {
      const mode = Number.parseInt(field(block, 100, 8) || "644", 8);
      entries.push({
        path: entryPath,
        kind: "file",
        content: Buffer.from(body),
        executable: (mode & 0o111) !== 0,
      });
    } else if (type === "2") {
      entries.push({ path: entryPath, kind: "symlink", target: linkname });
    } else {
      throw new Error(`unsupported tar entry type "${type}" for ${entryPath}`);
    }
  }
  return entries;
}

/**
 * Write the entries under `folder` (which must not exist yet or be empty). A file is never written through a
 * symlink the archive created: a link followed by files "inside" it is refused.
 */
export async function writeEntries(folder: string, entries: readonly TarEntry[]): Promise<void> {
  const root = path.resolve(folder);
  const links = new Set<string>();
  for (const entry of entries) {
    assertSafePath(entry.path);
    const parts = entry.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (links.has(parts.slice(0, i).join("/"))) {
        throw new Error(
          `unsafe archive: ${entry.path} lies behind the symlink ${parts.slice(0, i).join("/")}`,
        );
      }
    }
    const target = path.join(root, ...parts);
    await mkdir(path.dirname(target), { recursive: true });
    if (entry.kind === "symlink") {
      links.add(entry.path);
      await symlink(entry.target ?? "", target);
    } else {
      await writeFile(target, entry.content ?? Buffer.alloc(0), { mode: entry.executable ? 0o755 : 0o644 });
    }
  }
}

function assertSafePath(entryPath: string): void {
  const parts = entryPath.split("/");
  if (
    entryPath === "" ||
    entryPath.startsWith("/") ||
    entryPath.includes("\\") ||
    entryPath.includes("\0") ||
    parts.some((part) => part === "" || part === "." || part === "..")
  ) {
    throw new Error(`unsafe path in archive: ${JSON.stringify(entryPath)}`);
  }
}

function header(fields: {
  name: string;
  size: number;
  type: string;
  mode: number;
  linkname?: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, "utf8");
  block.write(octal(fields.mode, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(fields.size, 12), 124, "ascii");
  block.write(octal(0, 12), 136, "ascii");
  block.write(fields.type, 156, "ascii");
  block.write(fields.linkname ?? "", 157, 100, "utf8");
  block.write("ustar\u000000", 257, "ascii");
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, "ascii");
  return block;
}

function checksumMatches(block: Buffer): boolean {
  const stored = Number.parseInt(field(block, 148, 8).trim() || "0", 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return stored === sum;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString("utf8");
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\u0000`;
}

function padded(content: Buffer): Buffer {
  const rest = content.length % BLOCK;
  return rest === 0 ? content : Buffer.concat([content, Buffer.alloc(BLOCK - rest)]);
}

/** What fits a ustar name field (the pax header holds the whole name). */
function truncate(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 100 ? text : bytes.subarray(0, 100).toString("utf8");
}

/** "<length> key=value\n", the length counting itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (Buffer.byteLength(`${length}${rest}`) !== length) length++;
  return `${length}${rest}`;
}

function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(body.subarray(offset, space).toString("ascii"), 10);
    if (!Number.isFinite(length) || length <= 0) throw new Error("malformed tar: bad pax record");
    const record = body.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}
