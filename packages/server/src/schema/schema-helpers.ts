// Small builders for the JSON Schemas on every route (validation and the OpenAPI document share them).

export type JsonSchema = Record<string, unknown>;

/** Longest accepted value per kind of text field. */
export const LIMITS = {
  name: 200,
  title: 500,
  shortText: 2_000,
  text: 100_000,
  key: 200,
  url: 2_048,
} as const;

export const str = (maxLength: number, extra: JsonSchema = {}): JsonSchema => ({
  type: "string",
  maxLength,
  ...extra,
});
export const nonEmpty = (maxLength: number, extra: JsonSchema = {}): JsonSchema =>
  str(maxLength, { minLength: 1, ...extra });
export const nullable = (schema: JsonSchema): JsonSchema => {
  const type = schema.type;
  if (schema.enum) return { ...schema, type: [type, "null"], enum: [...(schema.enum as unknown[]), null] };
  return { ...schema, type: [type, "null"] };
};
export const uuid: JsonSchema = { type: "string", format: "uuid" };
export const nullableUuid: JsonSchema = nullable(uuid);
export const enumOf = (values: readonly string[]): JsonSchema => ({ type: "string", enum: [...values] });
export const int = (minimum = 0, maximum = 2_147_483_647): JsonSchema => ({
  type: "integer",
  minimum,
  maximum,
});
export const bool: JsonSchema = { type: "boolean" };
export const record: JsonSchema = { type: "object", additionalProperties: true };
export const nullableRecord: JsonSchema = { type: ["object", "null"], additionalProperties: true };
export const dateTime: JsonSchema = { type: "string", format: "date-time" };
export const uuidList = (maxItems = 100): JsonSchema => ({ type: "array", items: uuid, maxItems });

/**
 * An object schema. In a body an unknown key is a 400 naming it (the original drops them silently: see
 * docs/conformance.md); in a query string it is dropped.
 */
export function obj(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", properties, required, additionalProperties: false };
}

/** The same object with every field optional (PATCH bodies). */
export function partial(schema: JsonSchema): JsonSchema {
  return { ...schema, required: [] };
}

export const pageQuery = (maxLimit: number): Record<string, JsonSchema> => ({
  limit: { type: "integer", minimum: 1, description: `page size; larger values are clamped to ${maxLimit}` },
  offset: { type: "integer", minimum: 0, maximum: 10_000_000 },
});

export const idParam = (...names: string[]): JsonSchema =>
  obj(Object.fromEntries(names.map((name) => [name, str(LIMITS.key)])), names);
