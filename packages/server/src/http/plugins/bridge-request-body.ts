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

/** The same 400 the schema-checked routes give for a property the body does not declare. */
function unknownProperty(name: string) {
  const message = "is not a known property (unknown properties are refused)";
  return badRequest(`Validation error: body.${name} ${message}`, [
    { field: name, location: "body", rule: "additionalProperties", message },
  ]);
}

/**
 * Parse `{ key?, companyId?, params?, renderEnvironment? }` (any other property is a 400 naming it, as on every
 * route whose body schema says `additionalProperties: false`). `keyFromPath` is the `:key` of
 * `/data/:key` and `/actions/:key`; without it the body must carry `key`.
 */
export function parseBridgeBody(body: unknown, keyFromPath: string | null): BridgeCallInput {
  const input = body ?? {};
  if (!isObject(input)) throw badRequest("Request body must be a JSON object");
  for (const name in input) {
    // `key` is allowed on every bridge route; with a key in the path, the path's wins.
    if (name === "key" || name === "companyId" || name === "params" || name === "renderEnvironment") continue;
    throw unknownProperty(name);
  }
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
