// How failures leave the HTTP API: always `{error, details?}`, never a 500 for bad input. The mapping itself is
// src/errors.ts (toHttp); this file installs it in Fastify and adds what only Fastify produces (schema
// validation failures, and clearer words for two of its client errors).
import type { FastifyError, FastifyInstance } from "fastify";
import { toHttp } from "../errors.js";
import { describeValidation } from "../schema/validation.js";

/** Fastify's own client errors whose message a client cannot act on, in words it can. */
const FASTIFY_CLIENT_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "Request body is larger than the limit",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "Unsupported Content-Type: send application/json",
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const problems = describeValidation(error.validation, error.validationContext ?? "body");
      const first = problems[0];
      const summary = first ? `${first.location}.${first.field} ${first.message}` : "invalid request";
      return reply.status(400).send({ error: `Validation error: ${summary}`, details: problems });
    }
    const failure = toHttp(error);
    if (!failure) {
      request.log.error({ err: error }, "request failed");
      return reply.status(500).send({ error: "Internal server error" });
    }
    const clientMessage = typeof error.code === "string" ? FASTIFY_CLIENT_MESSAGES[error.code] : undefined;
    return reply
      .status(failure.status)
      .send(clientMessage === undefined ? failure.body : { ...failure.body, error: clientMessage });
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
