// ctx.execution: the execute.log notification belongs to environment drivers, which this host does not run
// (ignored with a debug line).
import { type NamespaceNotifications, notHosted } from "../call.js";

export const executionNotifications = {
  "execute.log": notHosted("environment drivers (the execute route) are not available on this host"),
} satisfies NamespaceNotifications<"execute">;
