// ctx.executionWorkspaces: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

export const executionWorkspaceMethods = {
  "executionWorkspaces.get": notHosted("this host has no execution workspaces"),
} satisfies NamespaceMethods<"executionWorkspaces">;
