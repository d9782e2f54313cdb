// ctx.tracer: span.record is not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

export const tracerMethods = {
  "span.record": notHosted("tracing spans are not recorded by this host"),
} satisfies NamespaceMethods<"span">;
