// Install and upgrade can take a while (npm). A client that sends `Accept: application/x-ndjson` gets the
// progress as it happens, one JSON object per line, ending with the result or the error:
//   {"type":"progress","line":"Fetching paperclip-plugin-x@latest"}
//   {"type":"result","status":200,"plugin":{…}}     or     {"type":"error","status":400,"error":"…","details":…}
// Everyone else gets the plain JSON response of reference §11 when the operation is done.
import type { FastifyReply, FastifyRequest } from "fastify";
import { toHttp } from "../../errors.js";

export const NDJSON = "application/x-ndjson";

export type ProgressEvent =
  | { type: "progress"; line: string }
  | { type: "result"; status: number; plugin: unknown }
  | { type: "error"; status: number; error: string; details?: unknown; code?: string };

export function wantsProgressStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === "string" && accept.includes(NDJSON);
}

/**
 * Run `operation` with a progress callback. Streaming: the response is taken over and every line written as
 * it comes; errors become the last line. Not streaming: progress is dropped and the result (or error) is the
 * response as usual.
 */
export async function withProgress<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  operation: (onProgress?: (line: string) => void) => Promise<T>,
): Promise<T | undefined> {
  if (!wantsProgressStream(request)) return operation();
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { "content-type": `${NDJSON}; charset=utf-8`, "cache-control": "no-store" });
  const send = (event: ProgressEvent) => {
    if (!raw.destroyed) raw.write(`${JSON.stringify(event)}\n`);
  };
  try {
    const result = await operation((line) => send({ type: "progress", line }));
    send({ type: "result", status: 200, plugin: result });
  } catch (error) {
    send(errorEvent(error, request));
  } finally {
    raw.end();
  }
  return undefined;
}

/** The failure as the last line: the status and `{error, details?}` the plain JSON response would have had. */
function errorEvent(error: unknown, request: FastifyRequest): ProgressEvent {
  const failure = toHttp(error);
  if (failure) return { type: "error", status: failure.status, ...failure.body };
  request.log.error({ err: error }, "plugin operation failed");
  return { type: "error", status: 500, error: "Internal server error" };
}
