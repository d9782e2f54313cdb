/**
 * Building blocks of the manifest schema: each check carries a short machine-readable rule
 * code (in the issue's `params.rule`) so `validateManifest` can report which rule failed,
 * not just that something did.
 */
import { z } from "zod";

/** Machine codes of every manifest rule; stable, used by tools and tests. */
export type ManifestRule =
  // generic shape rules (mapped from zod's built-in issues)
  | "required"
  | "type"
  | "integer"
  | "enum"
  | "literal"
  | "min_length"
  | "max_length"
  | "min_items"
  | "max_items"
  | "min_value"
  | "max_value"
  | "unknown_key"
  | "union"
  // field formats
  | "id_format"
  | "key_format"
  | "semver"
  | "cron_five_fields"
  | "cron_range"
  | "json_schema"
  | "relative_path"
  | "route_path_format"
  | "api_route_path_format"
  | "api_route_path_namespace"
  | "namespace_slug_format"
  | "uuid"
  | "date_format"
  // cross-field rules
  | "capability_required"
  | "duplicate_key"
  | "ui_entrypoint_required"
  | "minimum_version_mismatch"
  | "entity_types_required"
  | "entity_types_must_include"
  | "route_path_not_allowed"
  | "route_path_required"
  | "route_path_reserved"
  | "launcher_action_target"
  | "launcher_render_forbidden"
  | "launcher_render_required"
  | "launcher_render_environment"
  | "launcher_bounds"
  | "webhook_endpoint_unknown"
  | "refresh_policy_order"
  | "alias_conflict"
  | "template_binding"
  | "skill_file_reserved"
  | "routine_variable_options"
  | "routine_variable_default";

/** Options of a custom issue: the rule code plus its message. */
export function ruleError(
  rule: ManifestRule,
  message: string,
): { error: string; params: { rule: ManifestRule } } {
  return { error: message, params: { rule } };
}

/** Add one rule violation to a refinement context. */
export function addRuleIssue(
  ctx: z.RefinementCtx,
  rule: ManifestRule,
  message: string,
  path: ReadonlyArray<string | number>,
): void {
  ctx.addIssue({ code: "custom", message, path: [...path], params: { rule } });
}

/** A string that must match `pattern`; failures report `rule` with `message`. */
export function patternString(pattern: RegExp, rule: ManifestRule, message: string) {
  return z.string().refine((value) => pattern.test(value), ruleError(rule, message));
}

/** A non-empty string of at most `max` characters (when given). */
export function text(max?: number) {
  const base = z.string().min(1);
  return max === undefined ? base : base.max(max);
}

// ---------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------

export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
/** Keys of folders, routes and managed resources also allow `:`. */
export const RESOURCE_KEY_PATTERN = /^[a-z0-9][a-z0-9._:-]*$/;
export const SEMVER_PATTERN =
  /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
export const ROUTE_PATH_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const API_ROUTE_PATH_PATTERN = /^\/[a-zA-Z0-9:_./-]*$/;
export const NAMESPACE_SLUG_PATTERN = /^[a-z0-9][a-z0-9_]*$/;
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const semverString = patternString(
  SEMVER_PATTERN,
  "semver",
  "must be a semantic version such as 1.0.0 or 1.0.0-beta.1",
);

/** Keys of local folders, API routes and managed resources (1–100 chars). */
export const resourceKey = text(100).pipe(
  patternString(
    RESOURCE_KEY_PATTERN,
    "key_format",
    "must start with a lowercase letter or digit and contain only lowercase letters, digits, dots, colons, underscores or hyphens",
  ),
);

export const uuidString = patternString(UUID_PATTERN, "uuid", "must be a UUID");

/** One cron field: `*`, `*\/N`, `N`, `N-M`, `N/S`, `N-M/S`, or a comma list of those. */
const CRON_FIELD_PATTERN = /^(\*(\/\d+)?|\d+(-\d+)?(\/\d+)?)(,(\*(\/\d+)?|\d+(-\d+)?(\/\d+)?))*$/;

/** True for a standard five-field cron expression using digits, `*`, `/`, `-` and `,` only. */
export function isFiveFieldCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 && fields.every((field) => CRON_FIELD_PATTERN.test(field));
}

/** The five cron fields in order, with the values each accepts (day of week: 0–7, both 0 and 7 are Sunday). */
const CRON_FIELDS: ReadonlyArray<{ name: string; min: number; max: number }> = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
];

/**
 * Why a five-field cron expression (already of the right shape, see isFiveFieldCron) can never be scheduled, or
 * null: a value outside its field's range (`61` minutes), a range running backwards (`30-10`) or a zero step.
 */
export function cronRangeProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  for (const [index, field] of fields.entries()) {
    const spec = CRON_FIELDS[index];
    if (!spec) return null;
    for (const part of field.split(",")) {
      const [range = "", step] = part.split("/");
      if (step !== undefined && Number(step) === 0) return `${spec.name} step "/${step}" must be at least 1`;
      if (range === "*") continue;
      const [from = "", to] = range.split("-");
      for (const value of to === undefined ? [from] : [from, to]) {
        const number = Number(value);
        if (!(number >= spec.min && number <= spec.max)) {
          return `${spec.name} value ${value} is out of range (${spec.min}-${spec.max})`;
        }
      }
      if (to !== undefined && Number(to) < Number(from)) {
        return `${spec.name} range ${range} runs backwards`;
      }
    }
  }
  return null;
}

/**
 * A package- or folder-relative path: no leading `/`, no `..`, no backslashes, and no
 * empty or `.` segments.
 */
export function isSafeRelativePath(value: string): boolean {
  return (
    !value.startsWith("/") &&
    !value.includes("..") &&
    !value.includes("\\") &&
    !value.split("/").some((segment) => segment === "" || segment === ".")
  );
}

/** True for a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A JSON Schema object: any record; a non-empty one must say what it describes with
 * `type`, `$ref` or a composition keyword.
 */
export const jsonSchemaSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (schema) =>
      Object.keys(schema).length === 0 ||
      typeof schema.type === "string" ||
      schema.$ref !== undefined ||
      schema.oneOf !== undefined ||
      schema.anyOf !== undefined ||
      schema.allOf !== undefined,
    ruleError(
      "json_schema",
      "must be a JSON Schema object with a 'type', '$ref', 'oneOf', 'anyOf' or 'allOf' keyword",
    ),
  );

// ---------------------------------------------------------------------------
// Uniqueness
// ---------------------------------------------------------------------------

/**
 * Report every entry whose `key` repeats an earlier one, at the repeating entry's path,
 * naming where the first occurrence is.
 */
export function reportDuplicates<T>(
  ctx: z.RefinementCtx,
  items: readonly T[] | undefined,
  keyOf: (item: T) => string | undefined,
  describe: { listPath: ReadonlyArray<string | number>; keyField?: string; label: string },
): void {
  if (!items) return;
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const earlier = firstIndex.get(key);
    if (earlier === undefined) {
      firstIndex.set(key, index);
      return;
    }
    const path = describe.keyField
      ? [...describe.listPath, index, describe.keyField]
      : [...describe.listPath, index];
    addRuleIssue(
      ctx,
      "duplicate_key",
      `must be unique: ${describe.label} "${key}" is already used at index ${earlier}`,
      path,
    );
  });
}
