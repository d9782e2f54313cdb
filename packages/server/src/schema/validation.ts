// Ajv for route schemas: bodies are validated strictly (no type coercion: "5" is not a number, and a property the
// schema does not declare is a 400 naming it), query strings and path params are coerced from text and unknown
// query parameters are dropped (cache busters, newer clients). Errors become `400 {error, details}` naming the field.
import { Ajv, type ErrorObject } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifySchemaValidationError } from "fastify";

// ajv-formats ships CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

function makeAjv(coerceTypes: boolean | "array", removeAdditional: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    removeAdditional,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false, false);
const textAjv = makeAjv("array", true);

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
    if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
      path = `${path}/${params.additionalProperty.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    }
    const field =
      path
        .replace(/^\//, "")
        .split("/")
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
        .join(".") || "(root)";
    let message = error.message ?? "is invalid";
    if (error.keyword === "required") message = "is required";
    if (error.keyword === "additionalProperties") {
      message = "is not a known property (unknown properties are refused)";
    }
    if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if (error.keyword === "format") message = `must be a valid ${String(params.format)}`;
    return { field, location, rule: error.keyword, message };
  });
}
