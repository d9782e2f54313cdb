// The one JSON body parser of the HTTP API. Every application/json body passes three checks here, before any
// route, schema or service sees it, so no route needs code of its own for them:
// - it is JSON (else 400 "Malformed JSON body");
// - it nests at most MAX_JSON_DEPTH levels (else 400 "JSON nested deeper than 64 levels at $.a.b…");
// - no string in it, value or key, holds what PostgreSQL refuses: NUL (\u0000) or a lone UTF-16 surrogate
//   (else 400 naming the JSON path of the first such string).
// The checks cost two indexOf scans and one regex test on ordinary bodies; only a body with more than 64 opening
// brackets or a `\u0000` / `\uD8xx` escape in its text is walked (iteratively, whatever its depth).
// See docs/api.md, "Bodies".
import type { FastifyInstance } from "fastify";
import { badRequest, type DomainError } from "../errors.js";
import {
  describeJsonProblem,
  dottedField,
  findJsonProblem,
  formatJsonPath,
  type JsonProblem,
  jsonProblemMessage,
  jsonTextNeedsCheck,
  MAX_JSON_DEPTH,
  stringProblem,
} from "../json-values.js";
import type { FieldProblem } from "../schema/validation.js";

/** The 400 for a body problem: `{error, details: [{field, location: "body", rule, message, path}]}`. */
export function bodyProblemError(problem: JsonProblem): DomainError {
  const where = problem.inKey ? problem.path.slice(0, -1) : problem.path;
  const field = dottedField(where);
  const rule = problem.kind === "depth" ? "maxDepth" : problem.kind === "nul" ? "noNul" : "wellFormedUnicode";
  const message =
    problem.kind === "depth"
      ? `is JSON nested deeper than ${MAX_JSON_DEPTH} levels`
      : describeJsonProblem(problem);
  const detail: FieldProblem & { path: string; limit?: number } = {
    field,
    location: "body",
    rule,
    message,
    path: formatJsonPath(where, "$"),
  };
  if (problem.kind === "depth") detail.limit = MAX_JSON_DEPTH;
  const error =
    problem.kind === "depth"
      ? `Validation error: ${jsonProblemMessage(problem, "$")}`
      : `Validation error: body.${field} ${message}`;
  return badRequest(error, [detail]);
}

/** Parse a JSON body and check it; throws the 400 DomainError. Empty text is "no body" (undefined). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`Malformed JSON body: ${(error as Error).message}`);
  }
  if (jsonTextNeedsCheck(text)) {
    const problem = findJsonProblem(value);
    if (problem) throw bodyProblemError(problem);
  }
  return value;
}

/** Replace Fastify's JSON parsers with parseJsonBody (text/plain is refused: 415). */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * Path parameters and query strings get the string check too (`GET /issues/%00` must be a 400, not a database
 * error): a preValidation hook over the decoded values, naming `params.<name>` or `querystring.<name>`.
 */
export function installUrlTextCheck(app: FastifyInstance): void {
  app.addHook("preValidation", (request, _reply, done) => {
    const refusal = textProblemIn(request.params, "params") ?? textProblemIn(request.query, "querystring");
    if (refusal) return done(refusal);
    done();
  });
}

function textProblemIn(values: unknown, location: "params" | "querystring"): DomainError | null {
  if (values === null || typeof values !== "object") return null;
  for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
    const texts = Array.isArray(value) ? value : [value];
    for (const text of [name, ...texts]) {
      if (typeof text !== "string") continue;
      const kind = stringProblem(text);
      if (!kind) continue;
      const field = dottedField([name]);
      const message =
        kind === "nul"
          ? "must not contain the NUL character (%00)"
          : "must be valid Unicode (it contains a lone UTF-16 surrogate)";
      return badRequest(`Validation error: ${location}.${field} ${message}`, [
        { field, location, rule: kind === "nul" ? "noNul" : "wellFormedUnicode", message },
      ]);
    }
  }
  return null;
}
