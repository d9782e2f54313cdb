// ctx.skills: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

const reason = notHosted(
  "managed skills are not available on this host (manifest.skills is refused at install)",
);

export const skillMethods = {
  "skills.managed.get": reason,
  "skills.managed.reconcile": reason,
  "skills.managed.reset": reason,
} satisfies NamespaceMethods<"skills">;
