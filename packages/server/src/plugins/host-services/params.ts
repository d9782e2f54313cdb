// Worker params are untrusted input: each hosted method declares a JSON Schema for them, checked before the
// service runs, so a malformed call gets `<method>: params.<field> <rule>` instead of a database error.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { findJsonProblem, jsonProblemMessage } from "../../json-values.js";
import type { JsonSchema } from "../../schema/schema-helpers.js";
import { describeValidation } from "../../schema/validation.js";
import { invalidParams } from "./errors.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

// No coercion and no removal: a worker gets told about "5" where a number belongs, and extra keys (newer SDKs
// send more) pass through untouched.
const ajv = addFormats(new Ajv({ allErrors: false, strict: false, coerceTypes: false }));
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Check a worker's params: nesting at most MAX_JSON_DEPTH levels and no string PostgreSQL refuses (NUL, lone
 * surrogates) — both before anything walks or stores them, with an iterative walk — then the method's schema.
 * Every failure is -32602 `<method>: params.<field> <rule>`. `rawText` skips the string check (http.fetch bodies
 * are sent, not stored).
 */
export function checkParams<T>(
  method: string,
  schema: JsonSchema,
  params: unknown,
  options: { rawText?: boolean } = {},
): T {
  const value = params === undefined || params === null ? {} : params;
  const problem = findJsonProblem(value, { checkStrings: options.rawText !== true });
  if (problem) throw invalidParams(method, jsonProblemMessage(problem, "params"));
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const [problem] = describeValidation((validate.errors ?? []) as ErrorObject[], "params");
    const field = problem && problem.field !== "(root)" ? `params.${problem.field}` : "params";
    throw invalidParams(method, `${field} ${problem?.message ?? "is invalid"}`);
  }
  return value as T;
}

/** An object schema whose unknown keys are allowed (workers built with newer SDKs send more). */
export function paramsOf(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: "object", properties, required };
}
