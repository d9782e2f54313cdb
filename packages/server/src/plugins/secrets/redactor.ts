// Values a plugin resolved are masked wherever the host writes that plugin's text (plugin logs, host log
// lines, stderr), so a secret never lands in a log even when the plugin itself prints it.
import { mapJsonStrings } from "../../json-values.js";

export const REDACTED = "[REDACTED]";
/** Shorter values are too likely to match ordinary text to be masked usefully. */
const MIN_LENGTH = 4;
const MAX_TRACKED = 200;

export class SecretRedactor {
  private readonly values = new Set<string>();

  remember(value: string): void {
    if (value.length < MIN_LENGTH || this.values.has(value)) return;
    if (this.values.size >= MAX_TRACKED) {
      const oldest = this.values.values().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
    this.values.add(value);
  }

  get empty(): boolean {
    return this.values.size === 0;
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  }

  /** Mask inside any JSON value (strings and keys, at any depth: the copy is made without recursion). */
  redactValue<T>(value: T): T {
    if (this.values.size === 0) return value;
    return mapJsonStrings(value, (text) => this.redact(text)) as T;
  }
}
