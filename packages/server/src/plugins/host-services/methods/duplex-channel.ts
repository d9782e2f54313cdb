// ctx.duplexChannel: duplex channels belong to environment drivers, which this host does not run (ignored with a
// debug line).
import { type NamespaceNotifications, notHosted } from "../call.js";

const reason = notHosted("duplex channels are not available on this host");

export const duplexChannelNotifications = {
  "duplexChannel.data": reason,
  "duplexChannel.exit": reason,
} satisfies NamespaceNotifications<"duplexChannel">;
