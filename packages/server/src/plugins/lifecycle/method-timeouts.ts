// Per-plugin, per-method host→worker timeouts (e.g. a plugin whose imports take minutes raises `runJob` or
// `performAction`). Checked here so a bad value is refused with a message naming the method.
import { badRequest } from "../../errors.js";

/** setTimeout's ceiling (2^31−1 ms, about 24.8 days). */
export const MAX_METHOD_TIMEOUT_MS = 2_147_483_647;
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

export function validateMethodTimeouts(input: unknown): Record<string, number> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw badRequest("methodTimeouts must be an object mapping method names to milliseconds");
  }
  const checked: Record<string, number> = {};
  for (const [method, value] of Object.entries(input)) {
    if (!METHOD_NAME.test(method)) {
      throw badRequest(
        `methodTimeouts: "${method}" is not a method name (letters, digits, "_" and "." only)`,
      );
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_METHOD_TIMEOUT_MS) {
      throw badRequest(
        `methodTimeouts.${method} must be a whole number of milliseconds between 1 and ${MAX_METHOD_TIMEOUT_MS}`,
      );
    }
    checked[method] = value;
  }
  return checked;
}
