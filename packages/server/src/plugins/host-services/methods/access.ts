// ctx.access: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

const reason = notHosted("company access management is not available on this host");

export const accessMethods = {
  "access.members.list": reason,
  "access.members.get": reason,
  "access.members.update": reason,
  "access.invites.list": reason,
  "access.invites.create": reason,
  "access.invites.revoke": reason,
} satisfies NamespaceMethods<"access">;
