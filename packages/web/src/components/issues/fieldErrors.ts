// Maps a host validation error (400/422 `{error, details}`) to messages per form field.
import { isApiError } from "@/api/client";

/**
 * The host names the field in `details`: an array of `{field, message}` (schema validation) or one
 * `{field}` (a domain rule, whose sentence is the error itself, often "field: reason").
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const details = error.details;
  const result: Record<string, string> = {};
  if (Array.isArray(details)) {
    for (const item of details) {
      if (item && typeof item === "object" && typeof item.field === "string") {
        result[item.field] ??= typeof item.message === "string" ? capitalize(item.message) : error.message;
      }
    }
  } else if (
    details &&
    typeof details === "object" &&
    typeof (details as { field?: unknown }).field === "string"
  ) {
    const field = (details as { field: string }).field;
    result[field] = capitalize(error.message.replace(new RegExp(`^${field}:\\s*`), ""));
  }
  return result;
}

const capitalize = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
