// No worker→host method takes a plugin's identity in its params: the host knows which plugin is calling from the
// worker's connection. A worker that puts `pluginId` or `pluginKey` in its params is trying to act as another
// plugin (or is confused); it is refused naming the field, instead of the field being silently ignored.
import { invalidParams } from "./errors.js";

const IDENTITY_FIELDS = ["pluginId", "pluginKey"] as const;

export function refuseForgedIdentity(method: string, params: unknown): void {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return;
  for (const field of IDENTITY_FIELDS) {
    if (Object.hasOwn(params, field)) {
      throw invalidParams(
        method,
        `params.${field} is not accepted: a plugin always acts as itself (the host knows the calling plugin ` +
          "from its worker connection, never from params)",
      );
    }
  }
}
