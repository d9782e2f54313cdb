// Webhook bodies of any content type: the raw bytes are kept as received (signatures are computed over them);
// JSON is also parsed (`parsedBody`), form-encoded bodies become an object (Slack interactivity and the like),
// anything else is passed as raw text only.
import { badRequest } from "../../errors.js";
import {
  findJsonProblem,
  type JsonProblem,
  jsonProblemMessage,
  jsonTextNeedsCheck,
} from "../../json-values.js";

export const DEFAULT_WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const WEBHOOK_BODY_LIMIT_ENV = "PAPERCLIP_WEBHOOK_MAX_BODY_BYTES";

/** The media type without parameters, lower case ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  return type ? type : null;
}

export function isJsonMediaType(type: string | null): boolean {
  return type === "application/json" || type === "text/json" || (type?.endsWith("+json") ?? false);
}

/**
 * `parsedBody` for a raw body. Throws 400 naming the problem when a body that says it is JSON is not;
 * an empty body parses to undefined.
 */
export function parseWebhookBody(raw: Buffer, contentType: string | null): unknown {
  const type = mediaType(contentType);
  if (raw.length === 0) return undefined;
  if (isJsonMediaType(type)) {
    const text = raw.toString("utf8");
    if (text.trim() === "") return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw badRequest(`Webhook body is not valid JSON (Content-Type ${type}): ${(error as Error).message}`, {
        contentType,
      });
    }
    // The rules of every JSON body (docs/api.md): the payload is stored as jsonb and walked.
    if (jsonTextNeedsCheck(text)) refuseProblem(findJsonProblem(parsed));
    return parsed;
  }
  if (type === "application/x-www-form-urlencoded") {
    const form: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) {
      const existing = form[key];
      if (existing === undefined) form[key] = value;
      else form[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    refuseProblem(findJsonProblem(form));
    return form;
  }
  return undefined;
}

function refuseProblem(problem: JsonProblem | null): void {
  if (problem) throw badRequest(`Webhook body: ${jsonProblemMessage(problem, "$")}`, { path: problem.path });
}

export function bodyLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WEBHOOK_BODY_LIMIT_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_WEBHOOK_BODY_LIMIT_BYTES;
  const bytes = Number(raw);
  if (!Number.isInteger(bytes) || bytes < 1) {
    throw new Error(`${WEBHOOK_BODY_LIMIT_ENV} must be a positive whole number of bytes (got "${raw}")`);
  }
  return bytes;
}
