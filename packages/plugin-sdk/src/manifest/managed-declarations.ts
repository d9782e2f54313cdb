/**
 * Schemas of host resources a plugin asks Paperclip to manage for it (agents, projects,
 * routines, skills). This host does not act on them yet, but manifests that declare them
 * are validated by the same rules as the original so they install unchanged later.
 */
import { z } from "zod";
import {
  addRuleIssue,
  isCalendarDate,
  isSafeRelativePath,
  reportDuplicates,
  resourceKey,
  ruleError,
  text,
  uuidString,
} from "./rules.js";

const ISSUE_PRIORITIES = ["critical", "high", "medium", "low"] as const;
const ROUTINE_STATUSES = ["active", "paused", "archived"] as const;
const ROUTINE_CONCURRENCY_POLICIES = ["coalesce_if_active", "always_enqueue", "skip_if_active"] as const;
const ROUTINE_CATCH_UP_POLICIES = ["skip_missed", "enqueue_missed_with_cap"] as const;
const ROUTINE_ACTIVITY_GATE_POLICIES = ["always", "require_external_activity"] as const;
const ROUTINE_ACTIVITY_GATE_SCOPES = ["company", "project"] as const;
const ROUTINE_TRIGGER_KINDS = ["schedule", "webhook", "api"] as const;
const ROUTINE_TRIGGER_SIGNING_MODES = ["bearer", "hmac_sha256", "github_hmac", "none"] as const;
const ROUTINE_VARIABLE_TYPES = ["text", "textarea", "number", "boolean", "select", "date"] as const;
const ISSUE_SURFACE_VISIBILITIES = ["default", "plugin_operation"] as const;

const MAX_DOCUMENT_CHARS = 200_000;

export const pluginManagedAgentDeclarationSchema = z.object({
  agentKey: resourceKey,
  displayName: text(100),
  role: text(100).optional(),
  title: z.string().max(200).nullable().optional(),
  icon: z.string().max(100).nullable().optional(),
  capabilities: z.string().max(2000).nullable().optional(),
  adapterType: text(100).optional(),
  adapterPreference: z.array(text(100)).max(10).optional(),
  adapterConfig: z.record(z.string(), z.unknown()).optional(),
  runtimeConfig: z.record(z.string(), z.unknown()).optional(),
  permissions: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(["idle", "paused"]).optional(),
  budgetMonthlyCents: z.number().int().min(0).optional(),
  instructions: z
    .object({
      entryFile: text(200).optional(),
      content: z.string().max(MAX_DOCUMENT_CHARS).optional(),
      files: z.record(z.string(), z.string().max(MAX_DOCUMENT_CHARS)).optional(),
      assetPath: text(500).optional(),
    })
    .optional(),
});

export const pluginManagedProjectDeclarationSchema = z.object({
  projectKey: resourceKey,
  displayName: text(120),
  description: z.string().max(2000).nullable().optional(),
  status: z.enum(["backlog", "planned", "in_progress", "completed", "cancelled"]).optional(),
  color: z.string().max(32).nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

function managedRefSchema<K extends "agent" | "project">(kind: K) {
  return z.object({
    pluginKey: text(100).optional(),
    resourceKind: z.literal(kind),
    resourceKey,
  });
}

const routineVariableSchema = z
  .object({
    name: z
      .string()
      .trim()
      .refine(
        (name) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name),
        ruleError("key_format", "must start with a letter and contain only letters, digits or underscores"),
      ),
    label: z.string().trim().max(120).nullable().optional(),
    type: z.enum(ROUTINE_VARIABLE_TYPES).default("text"),
    defaultValue: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
    required: z.boolean().default(true),
    options: z.array(z.string().trim().min(1).max(120)).max(50).default([]),
  })
  .superRefine((variable, ctx) => {
    const isSelect = variable.type === "select";
    if (isSelect && variable.options.length === 0) {
      addRuleIssue(ctx, "routine_variable_options", "must list at least one option for select variables", [
        "options",
      ]);
    }
    if (!isSelect && variable.options.length > 0) {
      addRuleIssue(ctx, "routine_variable_options", "must be empty unless the variable type is select", [
        "options",
      ]);
    }
    const value = variable.defaultValue;
    if (value === null || value === undefined) return;
    if (isSelect && (typeof value !== "string" || !variable.options.includes(value))) {
      addRuleIssue(ctx, "routine_variable_default", "must be one of the variable's options", [
        "defaultValue",
      ]);
    }
    if (variable.type === "date" && (typeof value !== "string" || !isCalendarDate(value))) {
      addRuleIssue(ctx, "routine_variable_default", "must be a real calendar date written YYYY-MM-DD", [
        "defaultValue",
      ]);
    }
  });

const routineTriggerSchema = z.object({
  kind: z.enum(ROUTINE_TRIGGER_KINDS),
  label: z.string().trim().max(120).nullable().optional(),
  enabled: z.boolean().optional(),
  cronExpression: z.string().trim().min(1).nullable().optional(),
  timezone: z.string().trim().min(1).nullable().optional(),
  signingMode: z.enum(ROUTINE_TRIGGER_SIGNING_MODES).nullable().optional(),
  replayWindowSec: z.number().int().min(30).max(86_400).nullable().optional(),
});

export const pluginManagedRoutineDeclarationSchema = z.object({
  routineKey: resourceKey,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).nullable().optional(),
  assigneeRef: managedRefSchema("agent").nullable().optional(),
  projectRef: managedRefSchema("project").nullable().optional(),
  goalId: uuidString.nullable().optional(),
  status: z.enum(ROUTINE_STATUSES).optional(),
  priority: z.enum(ISSUE_PRIORITIES).optional(),
  concurrencyPolicy: z.enum(ROUTINE_CONCURRENCY_POLICIES).optional(),
  catchUpPolicy: z.enum(ROUTINE_CATCH_UP_POLICIES).optional(),
  activityGatePolicy: z.enum(ROUTINE_ACTIVITY_GATE_POLICIES).optional(),
  activityGateScope: z.enum(ROUTINE_ACTIVITY_GATE_SCOPES).optional(),
  variables: z.array(routineVariableSchema).optional(),
  triggers: z.array(routineTriggerSchema).max(20).optional(),
  issueTemplate: z
    .object({
      surfaceVisibility: z.enum(ISSUE_SURFACE_VISIBILITIES).optional(),
      originId: z.string().trim().max(255).nullable().optional(),
      billingCode: z.string().trim().max(200).nullable().optional(),
    })
    .optional(),
});

const skillFileSchema = z.object({
  path: text(500).pipe(
    z
      .string()
      .refine(
        isSafeRelativePath,
        ruleError("relative_path", 'must be a relative path without "..", backslashes or empty segments'),
      )
      .refine(
        (path) => path.toLowerCase() !== "skill.md",
        ruleError("skill_file_reserved", "must not be SKILL.md; put the main skill text in markdown"),
      ),
  ),
  content: z.string().max(MAX_DOCUMENT_CHARS),
});

export const pluginManagedSkillDeclarationSchema = z
  .object({
    skillKey: resourceKey,
    displayName: text(100),
    slug: resourceKey.optional(),
    description: z.string().max(2000).nullable().optional(),
    markdown: z.string().max(MAX_DOCUMENT_CHARS).optional(),
    files: z.array(skillFileSchema).max(50).optional(),
  })
  .superRefine((skill, ctx) => {
    reportDuplicates(ctx, skill.files, (file) => file.path, {
      listPath: ["files"],
      keyField: "path",
      label: "path",
    });
  });
