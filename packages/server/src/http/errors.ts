// How failures leave the HTTP API: always `{error, details?}`, never a 500 for bad input.
import type { FastifyError, FastifyInstance } from "fastify";
import { DomainError, fromDatabaseError } from "../errors.js";
import { describeValidation } from "../schema/validation.js";

export interface ErrorBody {
  error: string;
  details?: unknown;
  code?: string;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const problems = describeValidation(error.validation, error.validationContext ?? "body");
      const first = problems[0];
      const summary = first ? `${first.location}.${first.field} ${first.message}` : "invalid request";
      return reply.status(400).send({ error: `Validation error: ${summary}`, details: problems });
    }
    const domain = error instanceof DomainError ? error : fromDatabaseError(error);
    if (domain) {
      const body: ErrorBody = { error: domain.message };
      if (domain.details !== undefined) body.details = domain.details;
      return reply.status(domain.httpStatus).send(body);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: clientMessage(error), code: error.code });
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send({ error: "Internal server error" });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/api" || path.startsWith("/api/")) {
      return reply
        .status(404)
        .send({ error: "API route not found", details: { method: request.method, path } });
    }
    return reply.status(404).send({ error: "Not found" });
  });
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "Request body is larger than the limit";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "Unsupported Content-Type: send application/json";
    default:
      return error.message;
  }
}
