// ctx.routines: not served here (METHOD_NOT_FOUND with the reason).
import { type NamespaceMethods, notHosted } from "../call.js";

const reason = notHosted(
  "managed routines are not available on this host (manifest.routines is refused at install)",
);

export const routineMethods = {
  "routines.managed.get": reason,
  "routines.managed.reconcile": reason,
  "routines.managed.reset": reason,
  "routines.managed.update": reason,
  "routines.managed.run": reason,
} satisfies NamespaceMethods<"routines">;
