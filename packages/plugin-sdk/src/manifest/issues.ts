/**
 * Turns zod issues into `ManifestValidationIssue`s: a readable path, a rule code and a
 * message that names the field and the rule, so an author can fix the manifest without
 * reading the validator.
 */
import type { z } from "zod";
import { PLUGIN_CAPABILITIES } from "../constants.js";
import type { ManifestRule } from "./rules.js";

export interface ManifestValidationIssue {
  /** Where the problem is, e.g. `jobs[1].schedule`; `""` for the manifest itself. */
  path: string;
  /** Short machine code of the broken rule, e.g. `cron_five_fields`. */
  rule: ManifestRule;
  /** One sentence naming the field and the rule. */
  message: string;
}

/** Longer enum lists are summarised rather than printed in full. */
const MAX_LISTED_VALUES = 16;

/** `["jobs", 1, "schedule"]` → `jobs[1].schedule`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function article(typeName: string): string {
  return /^[aeiou]/.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
}

/** Long vocabularies are referred to by the constant that lists them. */
const NAMED_VOCABULARIES: ReadonlyArray<[readonly string[], string]> = [
  [PLUGIN_CAPABILITIES, "PLUGIN_CAPABILITIES"],
];

function listValues(values: readonly unknown[]): string {
  if (values.length > MAX_LISTED_VALUES) {
    const named = NAMED_VOCABULARIES.find(
      ([vocabulary]) =>
        vocabulary.length === values.length && vocabulary.every((value, i) => value === values[i]),
    );
    return named
      ? `one of the ${values.length} values of ${named[1]}`
      : `one of ${values.length} allowed values`;
  }
  return `one of: ${values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(", ")}`;
}

function classify(issue: z.core.$ZodIssue, input: unknown): { rule: ManifestRule; detail: string } {
  const received = valueAt(input, issue.path);
  switch (issue.code) {
    case "custom": {
      const rule = (issue.params as { rule?: ManifestRule } | undefined)?.rule ?? "type";
      return { rule, detail: issue.message };
    }
    case "invalid_type":
      if (received === undefined) return { rule: "required", detail: "is required" };
      if (issue.expected === "int") {
        return { rule: "integer", detail: `must be a whole number (got ${describeValue(received)})` };
      }
      return {
        rule: "type",
        detail: `must be ${article(issue.expected === "record" ? "object" : issue.expected)} (got ${describeValue(received)})`,
      };
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") {
        return {
          rule: "min_length",
          detail: min <= 1 ? "must not be empty" : `must be at least ${min} characters`,
        };
      }
      if (issue.origin === "array" || issue.origin === "set") {
        return { rule: "min_items", detail: `must list at least ${min} item${min === 1 ? "" : "s"}` };
      }
      return { rule: "min_value", detail: `must be ${issue.inclusive ? "at least" : "greater than"} ${min}` };
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string")
        return { rule: "max_length", detail: `must be at most ${max} characters` };
      if (issue.origin === "array" || issue.origin === "set") {
        return { rule: "max_items", detail: `must list at most ${max} items` };
      }
      return { rule: "max_value", detail: `must be ${issue.inclusive ? "at most" : "less than"} ${max}` };
    }
    case "invalid_value": {
      if (issue.values.length === 1) {
        return {
          rule: "literal",
          detail: `must be ${JSON.stringify(issue.values[0])} (got ${describeValue(received)})`,
        };
      }
      return { rule: "enum", detail: `must be ${listValues(issue.values)} (got ${describeValue(received)})` };
    }
    case "unrecognized_keys":
      return {
        rule: "unknown_key",
        detail: `has unknown key${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`,
      };
    case "invalid_union":
      // A discriminated union reports at its discriminator (e.g. `companyResolution.from`).
      if (issue.discriminator && "options" in issue && issue.options) {
        if (received === undefined)
          return { rule: "required", detail: `is required (${listValues(issue.options)})` };
        return {
          rule: "enum",
          detail: `must be ${listValues(issue.options)} (got ${describeValue(received)})`,
        };
      }
      return { rule: "union", detail: "does not match any allowed form" };
    case "invalid_format":
      return { rule: "type", detail: `must be a valid ${issue.format}` };
    default:
      return { rule: "type", detail: issue.message };
  }
}

/** Convert zod issues about `input` into manifest issues, one per problem. */
export function toManifestIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): ManifestValidationIssue[] {
  return issues.map((issue) => {
    const { rule, detail } = classify(issue, input);
    const path = formatIssuePath(issue.path);
    return { path, rule, message: `${path || "manifest"} ${detail}` };
  });
}

/** A readable multi-line report of every issue, for logs and CLI output. */
export function formatManifestErrors(errors: readonly ManifestValidationIssue[]): string {
  if (errors.length === 0) return "Plugin manifest is valid.";
  const heading = `Invalid plugin manifest (${errors.length} problem${errors.length === 1 ? "" : "s"}):`;
  return [heading, ...errors.map((error) => `  - ${error.message} [${error.rule}]`)].join("\n");
}
