// Validating a company's plugin config against the manifest's instanceConfigSchema (Ajv), and finding the
// secret references in it. A field marked `format: "secret-ref"` accepts both forms plugins use: a plain
// secret-id string and `{type: "secret_ref", secretId, version?}` — whatever `type` the schema gives it.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

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

function hasSecretFormat(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  if (schema.format === "secret-ref") return true;
  return ["oneOf", "anyOf", "allOf"].some(
    (key) => Array.isArray(schema[key]) && (schema[key] as unknown[]).some(hasSecretFormat),
  );
}

/** Copy of `schema` where every `format: "secret-ref"` node accepts a secret-id string or a ref object. */
function widenSecretRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(widenSecretRefs);
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = widenSecretRefs(value);
  if (schema.format === "secret-ref") {
    delete out.format;
    delete out.type;
    delete out.minLength;
    delete out.pattern;
    const stringForm: Schema = { type: "string", minLength: 1 };
    out.anyOf = Array.isArray(out.anyOf)
      ? [...(out.anyOf as unknown[]), stringForm, SECRET_REF_OBJECT]
      : [stringForm, SECRET_REF_OBJECT];
  }
  return out;
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
  const walk = (node: unknown, value: unknown, path: string[]): void => {
    const ref = asSecretRefObject(value);
    if (ref) {
      found.push({ configPath: path.join("."), ...ref });
      return;
    }
    if (typeof value === "string" && hasSecretFormat(node)) {
      found.push({ configPath: path.join("."), secretId: value, version: null });
      return;
    }
    const schemaNode = isObject(node) ? node : {};
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(schemaNode.items, item, [...path, String(index)]);
      return;
    }
    if (isObject(value)) {
      const properties = isObject(schemaNode.properties) ? schemaNode.properties : {};
      for (const [key, child] of Object.entries(value)) {
        const childSchema =
          properties[key] ??
          (isObject(schemaNode.additionalProperties) ? schemaNode.additionalProperties : undefined);
        walk(childSchema, child, [...path, key]);
      }
    }
  };
  walk(schema, config, []);
  return found;
}
