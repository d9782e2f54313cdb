// The bridge request bodies of reference §10.4, checked by hand: a few typeof checks cost less than a schema
// pass on the hottest route, and each failure names its field in the exact words of the original where it
// had any (`"key" is required and must be a string`).
import { badRequest } from "../../errors.js";

export interface BridgeCallInput {
  key: string;
  /** null: an instance-scoped call (instance admin only). */
  companyId: string | null;
  params: Record<string, unknown>;
  renderEnvironment: Record<string, unknown> | null;
}

export const KEY_REQUIRED = '"key" is required and must be a string';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parse `{ key?, companyId?, params?, renderEnvironment? }`. `keyFromPath` is the `:key` of
 * `/data/:key` and `/actions/:key`; without it the body must carry `key`.
 */
export function parseBridgeBody(body: unknown, keyFromPath: string | null): BridgeCallInput {
  const input = body ?? {};
  if (!isObject(input)) throw badRequest("Request body must be a JSON object");
  let key = keyFromPath;
  if (key === null) {
    const candidate = input.key;
    if (typeof candidate !== "string" || candidate.length === 0) throw badRequest(KEY_REQUIRED);
    key = candidate;
  }
  const companyId = input.companyId ?? null;
  if (companyId !== null && (typeof companyId !== "string" || companyId.length === 0)) {
    throw badRequest('"companyId" must be a non-empty string when present', { field: "companyId" });
  }
  const params = input.params ?? {};
  if (!isObject(params)) throw badRequest('"params" must be a JSON object', { field: "params" });
  const renderEnvironment = input.renderEnvironment ?? null;
  if (renderEnvironment !== null && !isObject(renderEnvironment)) {
    throw badRequest('"renderEnvironment" must be a JSON object or null', { field: "renderEnvironment" });
  }
  return { key, companyId, params, renderEnvironment };
}
