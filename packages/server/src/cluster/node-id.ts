// The name of this host node among those sharing one PostgreSQL (docs/scale-out.md).
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * `--node-id`/PAPERCLIP_NODE_ID when set; else `<hostname>:<port>`, the same after a restart. Port 0 (tests, a
 * port picked by the OS) gets a name of its own each time, since several such hosts may share one process.
 */
export function nodeIdOf(configured: string | null, port: number): string {
  if (configured) return configured;
  return `${hostname()}:${port === 0 ? `${process.pid}-${randomBytes(3).toString("hex")}` : port}`;
}
