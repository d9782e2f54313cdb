// The adapter edit form as data: an agent's `adapterType` + `adapterConfig` → form values, validation with
// messages that name the field, and form values → the config to PATCH (with `replaceAdapterConfig`). Pure, so
// it is unit-tested. Fields per type: process {command, args[], cwd, timeoutSec}, http {url, headers{}},
// echo {delayMs}; every type has `env` (name → value). Keys the form does not manage are kept when the type
// stays the same.

export const ADAPTER_TYPES = ["process", "http", "echo"] as const;
export type AdapterType = (typeof ADAPTER_TYPES)[number];

export const ADAPTER_DESCRIPTIONS: Record<AdapterType, string> = {
  process: "Runs a command on the host; its stdout and stderr become the run's output.",
  http: "Posts the run to a URL and streams the answer back.",
  echo: "Echoes the prompt back line by line. For trying runs out.",
};

/** What the host sends instead of a secret env value. */
export const REDACTED = "***REDACTED***";

const MANAGED_KEYS = ["command", "args", "cwd", "timeoutSec", "url", "headers", "delayMs", "env"] as const;

export interface KeyValueRow {
  /** Stable React key. */
  id: string;
  key: string;
  value: string;
  /** A non-string value from the config (a structured binding), kept as is while `value` is unchanged. */
  raw?: unknown;
  /** The host redacted the value: it must be entered again to be kept. */
  redacted?: boolean;
}

export interface AdapterForm {
  type: string;
  command: string;
  /** One entry per argument (an argument may contain spaces or newlines). */
  args: string[];
  cwd: string;
  timeoutSec: string;
  url: string;
  headers: KeyValueRow[];
  delayMs: string;
  env: KeyValueRow[];
}

export type AdapterField =
  | "type"
  | "command"
  | "args"
  | "cwd"
  | "timeoutSec"
  | "url"
  | "headers"
  | "delayMs"
  | "env";
export type AdapterFormErrors = Partial<Record<AdapterField, string>>;

let rowCounter = 0;
export const newRow = (key = "", value = ""): KeyValueRow => ({ id: `row-${++rowCounter}`, key, value });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : "";

function rowsOf(value: unknown): KeyValueRow[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([key, item]) => {
    if (item === REDACTED) return { ...newRow(key, ""), redacted: true };
    if (typeof item === "string") return newRow(key, item);
    const shown = JSON.stringify(item) ?? "";
    return { ...newRow(key, shown), raw: item };
  });
}

export function isKnownAdapterType(type: string): type is AdapterType {
  return (ADAPTER_TYPES as readonly string[]).includes(type);
}

/** The form for an agent's current adapter. */
export function formFromConfig(
  type: string,
  config: Record<string, unknown> | null | undefined,
): AdapterForm {
  const c = config ?? {};
  return {
    type,
    command: text(c.command),
    args: Array.isArray(c.args)
      ? c.args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg)))
      : [],
    cwd: text(c.cwd),
    timeoutSec: text(c.timeoutSec),
    url: text(c.url),
    headers: rowsOf(c.headers),
    delayMs: text(c.delayMs),
    env: rowsOf(c.env),
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const filled = (rows: KeyValueRow[]) =>
  rows.filter((row) => row.key.trim() || row.value.trim() || row.redacted);

function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const parsed = Number(value.trim());
  return parsed >= min && parsed <= max ? parsed : null;
}

function checkRows(
  rows: KeyValueRow[],
  what: { list: string; item: string; pattern: RegExp; rule: string; caseInsensitive?: boolean },
): string | undefined {
  const seen = new Set<string>();
  for (const [index, row] of filled(rows).entries()) {
    const key = row.key.trim();
    const label = key ? `${what.item} ${key}` : `${what.item} ${index + 1}`;
    if (!key) return `${what.list}: ${label} needs a name`;
    if (!what.pattern.test(key)) return `${what.list}: ${label} — ${what.rule}`;
    const normalized = what.caseInsensitive ? key.toLowerCase() : key;
    if (seen.has(normalized)) return `${what.list}: ${key} is given twice`;
    seen.add(normalized);
    if (row.redacted && row.value === "") {
      return `${what.list}: ${key} is a secret the host does not send back — enter its value again or remove it`;
    }
  }
  return undefined;
}

/** Messages keyed by field; empty when the form can be saved. */
export function validateAdapterForm(form: AdapterForm): AdapterFormErrors {
  const errors: AdapterFormErrors = {};
  if (!/^[a-z][a-z0-9_]*$/.test(form.type))
    errors.type = "Adapter type must be lowercase letters, digits or _";
  if (form.type === "process") {
    if (!form.command.trim()) errors.command = "Command is required";
    if (/[\0\n]/.test(form.cwd)) errors.cwd = "Working directory must be a single-line path";
    if (form.timeoutSec.trim() && wholeNumber(form.timeoutSec, 1, 86_400) === null) {
      errors.timeoutSec = "Timeout must be a whole number of seconds from 1 to 86400";
    }
  }
  if (form.type === "http") {
    const url = form.url.trim();
    if (!url) errors.url = "URL is required";
    else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.url = "URL must start with http:// or https://";
    const headers = checkRows(form.headers, {
      list: "Headers",
      item: "header",
      pattern: HEADER_NAME,
      rule: "a header name has no spaces or separators",
      caseInsensitive: true,
    });
    if (headers) errors.headers = headers;
  }
  if (form.type === "echo" && form.delayMs.trim() && wholeNumber(form.delayMs, 0, 60_000) === null) {
    errors.delayMs = "Delay must be a whole number of milliseconds from 0 to 60000";
  }
  const env = checkRows(form.env, {
    list: "Environment",
    item: "variable",
    pattern: ENV_NAME,
    rule: "use letters, digits and _, not starting with a digit",
  });
  if (env) errors.env = env;
  return errors;
}

function recordOf(rows: KeyValueRow[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const row of filled(rows)) {
    const original = row.raw !== undefined ? JSON.stringify(row.raw) : undefined;
    result[row.key.trim()] = row.raw !== undefined && row.value === original ? row.raw : row.value;
  }
  return result;
}

/**
 * The adapter config to save with `replaceAdapterConfig: true`. Keys of the previous config the form does not
 * manage are kept when the type is unchanged (another adapter's settings would mean nothing to the new one).
 */
export function configFromForm(
  form: AdapterForm,
  previous: { type: string; config: Record<string, unknown> | null | undefined },
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (form.type === previous.type) {
    for (const [key, value] of Object.entries(previous.config ?? {})) {
      if (!(MANAGED_KEYS as readonly string[]).includes(key)) config[key] = value;
    }
    // An unknown type's own settings are not in the form: keep them all (except env, which the form edits).
    if (!isKnownAdapterType(form.type)) {
      for (const [key, value] of Object.entries(previous.config ?? {}))
        if (key !== "env") config[key] = value;
    }
  }
  if (form.type === "process") {
    config.command = form.command.trim();
    const args = form.args.filter((arg) => arg !== "");
    if (args.length > 0) config.args = args;
    if (form.cwd.trim()) config.cwd = form.cwd.trim();
    if (form.timeoutSec.trim()) config.timeoutSec = Number(form.timeoutSec.trim());
  }
  if (form.type === "http") {
    config.url = form.url.trim();
    const headers = recordOf(form.headers);
    if (Object.keys(headers).length > 0) config.headers = headers;
  }
  if (form.type === "echo" && form.delayMs.trim()) config.delayMs = Number(form.delayMs.trim());
  const env = recordOf(form.env);
  if (Object.keys(env).length > 0) config.env = env;
  return config;
}
