// Validating a company's plugin config against the manifest's instanceConfigSchema (Ajv), and finding the
// secret references in it. A field marked `format: "secret-ref"` accepts both forms plugins use: a plain
// secret-id string and `{type: "secret_ref", secretId, version?}` — whatever `type` the schema gives it.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { mapJsonStrings } from "../../json-values.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

type Schema = Record<string, unknown>;

export interface FieldError {
  /** JSON pointer of the field ("/apiKey", "/channels/0"); "/" for the whole config. */
  field: string;
  message: string;
}

export type ConfigValidation = { valid: true } | { valid: false; fieldErrors: FieldError[] };

export interface SecretRefUse {
  /** Dotted path of the field in the config ("apiKey", "accounts.0.token"). */
  configPath: string;
  secretId: string;
  /** A pinned version, or null for the latest. */
  version: number | null;
}

const SECRET_REF_OBJECT: Schema = {
  type: "object",
  required: ["type", "secretId"],
  properties: {
    type: { const: "secret_ref" },
    secretId: { type: "string", minLength: 1 },
    version: { anyOf: [{ type: "integer", minimum: 1 }, { const: "latest" }] },
  },
};

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateSchema: true }));
const compiled = new Map<string, ValidateFunction>();

export class ConfigSchemaError extends Error {
  override readonly name = "ConfigSchemaError";
}

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a schema node (or one of its oneOf/anyOf/allOf branches, at any depth) has `format: "secret-ref"`. */
function hasSecretFormat(schema: unknown): boolean {
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isObject(node)) continue;
    if (node.format === "secret-ref") return true;
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      const branches = node[key];
      if (Array.isArray(branches)) pending.push(...branches);
    }
  }
  return false;
}

/**
 * Copy of `schema` where every `format: "secret-ref"` node accepts a secret-id string or a ref object. Built
 * without recursion (a copy first, then each object node patched), so no schema depth overflows the stack.
 */
function widenSecretRefs(schema: unknown): unknown {
  const copy = mapJsonStrings(schema, (text) => text);
  const pending: unknown[] = [copy];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (!isObject(node)) continue;
    for (const value of Object.values(node))
      if (value !== null && typeof value === "object") pending.push(value);
    if (node.format === "secret-ref") {
      delete node.format;
      delete node.type;
      delete node.minLength;
      delete node.pattern;
      const stringForm: Schema = { type: "string", minLength: 1 };
      node.anyOf = Array.isArray(node.anyOf)
        ? [...(node.anyOf as unknown[]), stringForm, SECRET_REF_OBJECT]
        : [stringForm, SECRET_REF_OBJECT];
    }
  }
  return copy;
}

function validatorFor(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(widenSecretRefs(schema) as Schema);
    } catch (error) {
      throw new ConfigSchemaError(
        `instanceConfigSchema is not a valid JSON Schema: ${(error as Error).message}`,
      );
    }
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

function describe(error: ErrorObject): FieldError {
  const params = error.params as Record<string, unknown>;
  let field = error.instancePath;
  let message = error.message ?? "is invalid";
  if (error.keyword === "required" && typeof params.missingProperty === "string") {
    field = `${field}/${params.missingProperty}`;
    message = "is required";
  } else if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
    field = `${field}/${params.additionalProperty}`;
    message = "is not allowed by the schema (no such field)";
  } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message = `must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return { field: field || "/", message };
}

/**
 * Check `config` against the plugin's schema. An absent or empty schema accepts any object. Throws
 * ConfigSchemaError when the schema itself cannot be compiled.
 */
export function validateConfig(
  schema: Schema | null | undefined,
  config: Record<string, unknown>,
): ConfigValidation {
  if (!schema || Object.keys(schema).length === 0) return { valid: true };
  const validate = validatorFor(schema);
  if (validate(config)) return { valid: true };
  const seen = new Set<string>();
  const fieldErrors: FieldError[] = [];
  for (const error of validate.errors ?? []) {
    // anyOf branches report each branch; keep one line per field and rule.
    if (error.keyword === "anyOf" || error.keyword === "oneOf") continue;
    const described = describe(error);
    const key = `${described.field} ${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fieldErrors.push(described);
  }
  if (fieldErrors.length === 0)
    fieldErrors.push({ field: "/", message: "does not match instanceConfigSchema" });
  return { valid: false, fieldErrors };
}

/** A value in ref-object form, or null. */
export function asSecretRefObject(value: unknown): { secretId: string; version: number | null } | null {
  if (!isObject(value) || value.type !== "secret_ref" || typeof value.secretId !== "string") return null;
  const version = typeof value.version === "number" && Number.isInteger(value.version) ? value.version : null;
  return { secretId: value.secretId, version };
}

/**
 * Every secret reference in `config`: ref objects anywhere, and strings in fields whose schema says
 * `format: "secret-ref"`.
 */
export function findSecretRefs(schema: Schema | null | undefined, config: unknown): SecretRefUse[] {
  const found: SecretRefUse[] = [];
  // Iterative (an explicit stack, children pushed last-first to keep document order), and a path is only built
  // for a reference found: a config nested thousands of levels deep neither overflows nor goes quadratic.
  interface Frame {
    node: unknown;
    value: unknown;
    parent: Frame | null;
    key: string;
  }
  const pathOf = (frame: Frame): string => {
    const keys: string[] = [];
    for (let at: Frame | null = frame; at?.parent; at = at.parent) keys.push(at.key);
    return keys.reverse().join(".");
  };
  const pending: Frame[] = [{ node: schema, value: config, parent: null, key: "" }];
  while (pending.length > 0) {
    const frame = pending.pop()!;
    const { node, value } = frame;
    const ref = asSecretRefObject(value);
    if (ref) {
      found.push({ configPath: pathOf(frame), ...ref });
      continue;
    }
    if (typeof value === "string" && hasSecretFormat(node)) {
      found.push({ configPath: pathOf(frame), secretId: value, version: null });
      continue;
    }
    const schemaNode = isObject(node) ? node : {};
    const children: Frame[] = [];
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        children.push({ node: schemaNode.items, value: item, parent: frame, key: String(index) });
      }
    } else if (isObject(value)) {
      const properties = isObject(schemaNode.properties) ? schemaNode.properties : {};
      for (const [key, child] of Object.entries(value)) {
        const childSchema =
          (Object.hasOwn(properties, key) ? properties[key] : undefined) ??
          (isObject(schemaNode.additionalProperties) ? schemaNode.additionalProperties : undefined);
        children.push({ node: childSchema, value: child, parent: frame, key });
      }
    }
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every UUID-shaped string in `config` with its dotted path (candidates for plain secret-id references). */
export function findUuidStrings(config: unknown): Array<{ configPath: string; value: string }> {
  const found: Array<{ configPath: string; value: string }> = [];
  // Iterative, in document order, paths built only for hits (configs can be nested deep: see findSecretRefs).
  interface Frame {
    value: unknown;
    parent: Frame | null;
    key: string;
  }
  const pathOf = (frame: Frame): string => {
    const keys: string[] = [];
    for (let at: Frame | null = frame; at?.parent; at = at.parent) keys.push(at.key);
    return keys.reverse().join(".");
  };
  const pending: Frame[] = [{ value: config, parent: null, key: "" }];
  while (pending.length > 0) {
    const frame = pending.pop()!;
    const { value } = frame;
    if (typeof value === "string") {
      const trimmed = value.trim();
      if (UUID.test(trimmed)) found.push({ configPath: pathOf(frame), value: trimmed.toLowerCase() });
      continue;
    }
    const children: Frame[] = [];
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries())
        children.push({ value: item, parent: frame, key: String(index) });
    } else if (isObject(value)) {
      if (asSecretRefObject(value)) continue;
      for (const [key, child] of Object.entries(value)) children.push({ value: child, parent: frame, key });
    }
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index]!);
  }
  return found;
}
