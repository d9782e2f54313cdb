// ctx.localFolders: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

const reason = notHosted("trusted local folders are not available on this host");

export const localFolderMethods = {
  "localFolders.declarations": reason,
  "localFolders.configure": reason,
  "localFolders.status": reason,
  "localFolders.list": reason,
  "localFolders.readText": reason,
  "localFolders.writeTextAtomic": reason,
  "localFolders.deleteFile": reason,
} satisfies NamespaceMethods<"localFolders">;
