// Issue rows → API records, and the lookups every issue module shares.
import { eq } from "drizzle-orm";
import type { Orm } from "../db/database.js";
import { issues } from "../db/schema.js";
import { notFound } from "../errors.js";
import { isUuid } from "./shared.js";
import type { Mutation } from "./unit-of-work.js";

export const ISSUE_STATUSES = [
  "backlog",
  "todo",
  "in_progress",
  "in_review",
  "done",
  "blocked",
  "cancelled",
] as const;
export const ISSUE_PRIORITIES = ["critical", "high", "medium", "low"] as const;
export const ISSUE_WORK_MODES = ["standard", "ask", "planning", "skill_test"] as const;
export const ISSUE_REVIEW_POLICIES = ["anyone", "not_creator", "human_only"] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
export type IssueRow = typeof issues.$inferSelect;

const IDENTIFIER_RE = /^[A-Z][A-Z0-9]*-\d+$/;
export function toIssue(row: IssueRow) {
  return {
    ...row,
    statusVersion: 0,
    executionWorkspaceId: null,
    executionWorkspacePreference: null,
    executionWorkspaceSettings: null,
    executionPolicy: null,
    executionState: null,
    labels: [] as unknown[],
    labelIds: [] as string[],
    watchdog: null,
  };
}
export type Issue = ReturnType<typeof toIssue>;

export interface IssueSummary {
  id: string;
  identifier: string;
  title: string;
  status: string;
  priority: string;
  assigneeAgentId: string | null;
  assigneeUserId: string | null;
}

export function toSummary(row: IssueRow): IssueSummary {
  return {
    id: row.id,
    identifier: row.identifier,
    title: row.title,
    status: row.status,
    priority: row.priority,
    assigneeAgentId: row.assigneeAgentId,
    assigneeUserId: row.assigneeUserId,
  };
}

/** By UUID or by identifier such as "ACM-12" (case-insensitive). */
export async function findIssue(orm: Orm, ref: string, lock = false): Promise<IssueRow> {
  let where: ReturnType<typeof eq>;
  if (isUuid(ref)) where = eq(issues.id, ref);
  else if (IDENTIFIER_RE.test(ref.toUpperCase())) where = eq(issues.identifier, ref.toUpperCase());
  else throw notFound("Issue not found");
  const query = orm.select().from(issues).where(where).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw notFound("Issue not found");
  return row;
}

export function lockIssue(m: Mutation, ref: string): Promise<IssueRow> {
  return findIssue(m.tx.orm, ref, true);
}

/** Timestamps that follow the status: started, completed, cancelled. */
export function statusStamps(status: string, current: Partial<IssueRow> | null, now: Date) {
  return {
    startedAt: status === "in_progress" ? (current?.startedAt ?? now) : (current?.startedAt ?? null),
    completedAt: status === "done" ? (current?.completedAt ?? now) : null,
    cancelledAt: status === "cancelled" ? (current?.cancelledAt ?? now) : null,
  };
}
