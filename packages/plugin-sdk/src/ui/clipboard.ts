// `copyTextToClipboard`: forwards to the host's HTTP-safe clipboard helper (the Clipboard API is missing on
// plain-HTTP origins, so the host falls back to a hidden textarea and `execCommand("copy")`).
import { getSdkUiRuntimeValue } from "./runtime.js";

/** Copy `text` through the host; use this instead of `navigator.clipboard` so copying works over plain HTTP. */
export function copyTextToClipboard(text: string): Promise<void> {
  return getSdkUiRuntimeValue<(text: string) => Promise<void>>("copyTextToClipboard")(text);
}
