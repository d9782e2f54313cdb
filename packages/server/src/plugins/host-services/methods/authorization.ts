// ctx.authorization: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

const reason = notHosted("authorization grants and policies are not available on this host");

export const authorizationMethods = {
  "authorization.grants.list": reason,
  "authorization.grants.set": reason,
  "authorization.policies.summary": reason,
  "authorization.policies.get": reason,
  "authorization.policies.update": reason,
  "authorization.policies.previewAssignment": reason,
  "authorization.policies.explainAssignment": reason,
  "authorization.audit.search": reason,
} satisfies NamespaceMethods<"authorization">;
