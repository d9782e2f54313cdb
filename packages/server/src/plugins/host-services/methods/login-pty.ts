// ctx.loginPty: login pseudo-terminals belong to environment drivers, which this host does not run (ignored with a
// debug line).
import { type NamespaceNotifications, notHosted } from "../call.js";

const reason = notHosted("login pseudo-terminals are not available on this host");

export const loginPtyNotifications = {
  "loginPty.output": reason,
  "loginPty.exit": reason,
} satisfies NamespaceNotifications<"loginPty">;
