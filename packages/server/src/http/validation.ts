// Ajv for route schemas: bodies are validated strictly (no type coercion: "5" is not a number), query
// strings and path params are coerced from text. Errors become `400 {error, details}` naming the field.
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifySchemaValidationError } from "fastify";

// ajv-formats ships CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

function makeAjv(coerceTypes: boolean | "array"): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    removeAdditional: true,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const textAjv = makeAjv("array");

export function compileValidator({ schema, httpPart }: { schema: object; httpPart?: string }) {
  return (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
}

export interface FieldProblem {
  field: string;
  location: string;
  rule: string;
  message: string;
}

/** "body.title must NOT have more than 500 characters" style problems from Ajv errors. */
export function describeValidation(
  errors: Array<FastifySchemaValidationError | ErrorObject>,
  location: string,
): FieldProblem[] {
  return errors.map((error) => {
    const params = error.params as Record<string, unknown>;
    let path = (error as ErrorObject).instancePath ?? "";
    if (error.keyword === "required" && typeof params.missingProperty === "string") {
      path = `${path}/${params.missingProperty}`;
    }
    const field = path.replace(/^\//, "").replace(/\//g, ".") || "(root)";
    let message = error.message ?? "is invalid";
    if (error.keyword === "required") message = "is required";
    if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if (error.keyword === "format") message = `must be a valid ${String(params.format)}`;
    return { field, location, rule: error.keyword, message };
  });
}
