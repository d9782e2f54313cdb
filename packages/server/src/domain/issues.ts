// Issues: create (with a per-company number), list, read, update, delete, children. Every write to the issues
// table is here, the execution lock that checkout and release take (issue-checkout.ts) included.
// Creating an issue is the hot path: one prepared statement takes the number and inserts the row.
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, ilike, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { agents, goals, issueDocuments, issues, projects, projectWorkspaces } from "../db/schema.js";
import { conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { type AgentRow, findAgent } from "./agents.js";
import { insertComment } from "./issue-comments.js";
import {
  findIssue,
  type Issue,
  type IssueRow,
  type IssueStatus,
  lockIssue,
  statusStamps,
  toIssue,
} from "./issue-records.js";
import { relationsOf, replaceBlockers, unresolvedBlockers } from "./issue-relations.js";
import type { RunsService } from "./runs.js";
import { changedValues, diff, isUuid, type Page, pageOf, requireCompanyRow } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export interface CreateIssueInput {
  title: string;
  description?: string | null;
  status?: IssueStatus;
  priority?: string;
  workMode?: string;
  projectId?: string | null;
  projectWorkspaceId?: string | null;
  goalId?: string | null;
  parentId?: string | null;
  assigneeAgentId?: string | null;
  assigneeUserId?: string | null;
  blockedByIssueIds?: string[];
  reviewPolicy?: string | null;
  requestDepth?: number;
  billingCode?: string | null;
  assigneeAdapterOverrides?: Record<string, unknown> | null;
  originKind?: string;
  originId?: string | null;
  originRunId?: string | null;
}

export interface UpdateIssueInput
  extends Partial<Omit<CreateIssueInput, "originKind" | "originId" | "originRunId">> {
  hiddenAt?: string | null;
  /** add a comment in the same change */
  comment?: string;
}

export interface IssueFilter extends Page {
  status?: string[];
  /** a UUID, or "null" for unassigned */
  assigneeAgentId?: string;
  assigneeUserId?: string;
  projectId?: string;
  parentId?: string;
  goalId?: string;
  originKind?: string;
  q?: string;
  /** comma-separated in the query string; any of these priorities */
  priority?: string[];
  /** `priority` (default: critical first, then most recently updated), `updated`, `created`, `identifier` */
  sortField?: IssueSortField;
  /** default `desc` for updated/created, `asc` for priority and identifier */
  sortDir?: "asc" | "desc";
}

export const ISSUE_SORT_FIELDS = ["priority", "updated", "created", "identifier"] as const;
export type IssueSortField = (typeof ISSUE_SORT_FIELDS)[number];

export type IssueDetail = Issue & Awaited<ReturnType<typeof relationsOf>> & { documentSummaries: unknown[] };

const LIST_DESCRIPTION_LIMIT = 1200;
const PRIORITY_RANK = sql`CASE ${issues.priority} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

// The company's counter and the new row in one statement. The goal falls back to the project's first goal,
// then to the company's oldest active top-level company goal.
const INSERT_ISSUE_SQL = `WITH company AS (
  UPDATE companies SET issue_counter = issue_counter + 1 WHERE id = $1 RETURNING issue_prefix, issue_counter
)
INSERT INTO issues (id, company_id, project_id, project_workspace_id, goal_id, parent_id, title, description, status,
  priority, work_mode, review_policy, assignee_agent_id, assignee_user_id, created_by_agent_id, created_by_user_id,
  responsible_user_id, issue_number, identifier, origin_kind, origin_id, origin_run_id, request_depth, billing_code,
  assignee_adapter_overrides, started_at, completed_at, cancelled_at, created_at, updated_at)
SELECT $2, $1, $3::uuid, $4, COALESCE($5::uuid,
    (SELECT p.goal_ids[1] FROM projects p WHERE p.id = $3::uuid),
    (SELECT g.id FROM goals g WHERE g.company_id = $1 AND g.level = 'company' AND g.status = 'active'
       AND g.parent_id IS NULL ORDER BY g.created_at, g.id LIMIT 1)),
  $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, company.issue_counter,
  company.issue_prefix || '-' || company.issue_counter, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $27
FROM company
RETURNING issue_number, identifier, goal_id`;

export class IssuesService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
    private readonly runs: RunsService,
  ) {}

  async list(
    companyId: string,
    filter: IssueFilter = {},
  ): Promise<Array<Issue & { descriptionTruncated: boolean }>> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 500, 1000);
    const where = listConditions(companyId, filter);
    if (!where) return [];
    const rows = await this.db.orm
      .select()
      .from(issues)
      .where(and(...where))
      .orderBy(...listOrder(filter))
      .limit(limit)
      .offset(offset);
    return rows.map((row) => {
      const truncated = (row.description?.length ?? 0) > LIST_DESCRIPTION_LIMIT;
      return {
        ...toIssue(row),
        description: truncated ? row.description!.slice(0, LIST_DESCRIPTION_LIMIT) : row.description,
        descriptionTruncated: truncated,
      };
    });
  }

  /** How many issues `list` would page through with this filter (limit and offset ignored). */
  async count(companyId: string, filter: IssueFilter = {}): Promise<number> {
    await requireCompanyRow(this.db.orm, companyId);
    const where = listConditions(companyId, filter);
    if (!where) return 0;
    const [row] = await this.db.orm
      .select({ n: count() })
      .from(issues)
      .where(and(...where));
    return Number(row?.n ?? 0);
  }

  async get(ref: string): Promise<IssueDetail> {
    const row = await findIssue(this.db.orm, ref);
    return this.detail(this.db.orm, row);
  }

  async detail(orm: Orm, row: IssueRow): Promise<IssueDetail> {
    const relations = await relationsOf(orm, row.id);
    const documentSummaries = await orm
      .select({
        id: issueDocuments.id,
        companyId: issueDocuments.companyId,
        issueId: issueDocuments.issueId,
        key: issueDocuments.key,
        title: issueDocuments.title,
        format: issueDocuments.format,
        latestRevisionId: issueDocuments.latestRevisionId,
        latestRevisionNumber: issueDocuments.latestRevisionNumber,
        createdAt: issueDocuments.createdAt,
        updatedAt: issueDocuments.updatedAt,
      })
      .from(issueDocuments)
      .where(eq(issueDocuments.issueId, row.id))
      .orderBy(issueDocuments.key);
    return { ...toIssue(row), ...relations, documentSummaries };
  }

  create(actor: Actor, companyId: string, input: CreateIssueInput): Promise<IssueDetail> {
    return this.runner.run(actor, async (m) => {
      if (!isUuid(companyId)) throw notFound("Company not found");
      return this.insert(m, companyId, input);
    });
  }

  /** A child issue: same company as the parent. Unlike the original it emits `issue.created` too. */
  createChild(actor: Actor, parentRef: string, input: CreateIssueInput): Promise<IssueDetail> {
    return this.runner.run(actor, async (m) => {
      const parent = await findIssue(m.tx.orm, parentRef).catch(() => {
        throw notFound("Parent issue not found");
      });
      return this.insert(m, parent.companyId, { ...input, parentId: parent.id });
    });
  }

  private async insert(m: Mutation, companyId: string, input: CreateIssueInput): Promise<IssueDetail> {
    if (input.assigneeAgentId && input.assigneeUserId) {
      throw unprocessable("assigneeAgentId: an issue has one assignee; do not set assigneeUserId too", {
        field: "assigneeAgentId",
      });
    }
    const status = input.status ?? (input.assigneeAgentId || input.assigneeUserId ? "todo" : "backlog");
    if (status === "in_progress" && !input.assigneeAgentId && !input.assigneeUserId) {
      throw unprocessable("status: in_progress needs an assignee", { field: "status" });
    }
    await checkReferences(m.tx.orm, companyId, input);
    const stamps = statusStamps(status, null, m.now);
    // Everything but the number, identifier and fallback goal is known here; the row is assembled in JS
    // rather than returned by the database (cheaper on the hot path).
    const draft: IssueRow = {
      id: randomUUID(),
      companyId,
      projectId: input.projectId ?? null,
      projectWorkspaceId: input.projectWorkspaceId ?? null,
      goalId: input.goalId ?? null,
      parentId: input.parentId ?? null,
      title: input.title,
      description: input.description ?? null,
      status,
      priority: input.priority ?? "medium",
      workMode: input.workMode ?? "standard",
      reviewPolicy: input.reviewPolicy ?? null,
      assigneeAgentId: input.assigneeAgentId ?? null,
      assigneeUserId: input.assigneeUserId ?? null,
      checkoutRunId: null,
      executionRunId: null,
      executionAgentNameKey: null,
      executionLockedAt: null,
      createdByAgentId: m.actor.agentId ?? null,
      createdByUserId: m.actor.type === "user" ? (m.actor.userId ?? null) : null,
      responsibleUserId: m.actor.userId ?? null,
      issueNumber: 0,
      identifier: "",
      originKind: input.originKind ?? "manual",
      originId: input.originId ?? null,
      originRunId: input.originRunId ?? m.actor.runId ?? null,
      requestDepth: input.requestDepth ?? 0,
      billingCode: input.billingCode ?? null,
      assigneeAdapterOverrides: input.assigneeAdapterOverrides ?? null,
      ...stamps,
      hiddenAt: null,
      createdAt: m.now,
      updatedAt: m.now,
    };
    const rows = await m.tx.query<{ issue_number: number; identifier: string; goal_id: string | null }>(
      "issue_insert",
      INSERT_ISSUE_SQL,
      [
        companyId,
        draft.id,
        draft.projectId,
        draft.projectWorkspaceId,
        draft.goalId,
        draft.parentId,
        draft.title,
        draft.description,
        draft.status,
        draft.priority,
        draft.workMode,
        draft.reviewPolicy,
        draft.assigneeAgentId,
        draft.assigneeUserId,
        draft.createdByAgentId,
        draft.createdByUserId,
        draft.responsibleUserId,
        draft.originKind,
        draft.originId,
        draft.originRunId,
        draft.requestDepth,
        draft.billingCode,
        draft.assigneeAdapterOverrides ? JSON.stringify(draft.assigneeAdapterOverrides) : null,
        draft.startedAt,
        draft.completedAt,
        draft.cancelledAt,
        m.now,
      ],
    );
    const returned = rows[0];
    if (!returned) throw notFound("Company not found");
    const row: IssueRow = {
      ...draft,
      issueNumber: returned.issue_number,
      identifier: returned.identifier,
      goalId: returned.goal_id,
    };
    m.activity({
      companyId,
      action: "issue.created",
      entityType: "issue",
      entityId: row.id,
      details: {
        identifier: row.identifier,
        title: row.title,
        status: row.status,
        priority: row.priority,
        projectId: row.projectId,
        goalId: row.goalId,
        parentId: row.parentId,
        assigneeAgentId: row.assigneeAgentId,
        assigneeUserId: row.assigneeUserId,
      },
    });
    let blockedBy: IssueDetail["blockedBy"] = [];
    if (input.blockedByIssueIds?.length) {
      await replaceBlockers(m, row, input.blockedByIssueIds);
      blockedBy = (await relationsOf(m.tx.orm, row.id)).blockedBy;
    }
    if (row.assigneeAgentId && wantsWake(row.status)) await this.requestAssignmentWakeup(m, row);
    return { ...toIssue(row), blockedBy, blocks: [], documentSummaries: [] };
  }

  update(
    actor: Actor,
    ref: string,
    input: UpdateIssueInput,
  ): Promise<IssueDetail & { changes: Record<string, unknown>; comment: unknown }> {
    return this.runner.run(actor, async (m) => {
      const current = await lockIssue(m, ref);
      const { comment, blockedByIssueIds, hiddenAt, ...fields } = input;
      const patch: Record<string, unknown> = { ...fields };
      if (hiddenAt !== undefined) patch.hiddenAt = hiddenAt ? new Date(hiddenAt) : null;
      if (input.assigneeAgentId && !isUuid(input.assigneeAgentId)) {
        // Like the original, PATCH accepts an agent shortname as assignee.
        patch.assigneeAgentId = (
          await findAgent(
            m.tx.orm,
            input.assigneeAgentId,
            current.companyId,
            current.companyId,
            "assigneeAgentId",
          )
        ).id;
      }
      // Setting one kind of assignee clears the other.
      if (patch.assigneeAgentId && input.assigneeUserId === undefined) patch.assigneeUserId = null;
      if (patch.assigneeUserId && input.assigneeAgentId === undefined) patch.assigneeAgentId = null;
      const next = { ...current, ...patch } as IssueRow;
      if (next.assigneeAgentId && next.assigneeUserId) {
        throw unprocessable("assigneeAgentId: an issue has one assignee; do not set assigneeUserId too", {
          field: "assigneeAgentId",
        });
      }
      if (input.parentId) {
        if (input.parentId === current.id) throw unprocessable("parentId: an issue cannot be its own parent");
        await assertNotDescendant(m.tx.orm, current.id, input.parentId);
      }
      await checkReferences(m.tx.orm, current.companyId, patch as Partial<CreateIssueInput>);
      if (next.status === "in_progress" && current.status !== "in_progress") {
        if (!next.assigneeAgentId && !next.assigneeUserId) {
          throw unprocessable("status: in_progress needs an assignee", { field: "status" });
        }
      }
      if (patch.status !== undefined) Object.assign(patch, statusStamps(next.status, current, m.now));
      let blockersChanged = false;
      if (blockedByIssueIds !== undefined)
        blockersChanged = await replaceBlockers(m, current, blockedByIssueIds);
      if (next.status === "in_progress" && current.status !== "in_progress") {
        const open = await unresolvedBlockers(m.tx.orm, current.id);
        if (open.length > 0) {
          throw unprocessable("Issue is blocked by unresolved blockers", {
            field: "status",
            unresolvedBlockerIssueIds: open.map((issue) => issue.id),
          });
        }
      }
      const changes = diff(current, patch);
      let row = current;
      if (Object.keys(changes).length > 0) {
        [row] = (await m.tx.orm
          .update(issues)
          .set({ ...changedValues(changes, patch), updatedAt: m.now })
          .where(eq(issues.id, current.id))
          .returning()) as [IssueRow];
      }
      const added = comment !== undefined ? await insertComment(m, row, { body: comment }) : null;
      m.activity({
        companyId: row.companyId,
        action: "issue.updated",
        entityType: "issue",
        entityId: row.id,
        details: {
          identifier: row.identifier,
          title: row.title,
          changes,
          blockersChanged,
          commentId: added?.id ?? null,
        },
      });
      const assigneeChanged = changes.assigneeAgentId !== undefined;
      const leftBacklog = changes.status !== undefined && current.status === "backlog";
      if (row.assigneeAgentId && wantsWake(row.status) && (assigneeChanged || leftBacklog)) {
        await this.requestAssignmentWakeup(m, row);
      }
      return { ...(await this.detail(m.tx.orm, row)), changes, comment: added };
    });
  }

  delete(actor: Actor, ref: string): Promise<IssueRow> {
    return this.runner.run(actor, async (m) => {
      const current = await lockIssue(m, ref);
      // Children outlive their parent as top-level issues.
      await m.tx.orm
        .update(issues)
        .set({ parentId: null, updatedAt: m.now })
        .where(eq(issues.parentId, current.id));
      await m.tx.orm.delete(issues).where(eq(issues.id, current.id));
      m.activity({
        companyId: current.companyId,
        action: "issue.deleted",
        entityType: "issue",
        entityId: current.id,
        details: { identifier: current.identifier, title: current.title },
      });
      return current;
    });
  }

  /** Queue a run for the assignee and emit `issue.assignment_wakeup_requested`. Paused agents are not woken. */
  async requestAssignmentWakeup(m: Mutation, issue: IssueRow): Promise<void> {
    const [agent] = await m.tx.orm
      .select()
      .from(agents)
      .where(eq(agents.id, issue.assigneeAgentId!))
      .for("update")
      .limit(1);
    if (!agent || agent.status === "paused") return;
    const run = await this.runs.queue(m, agent, {
      source: "assignment",
      triggerDetail: "system",
      reason: "issue_assigned",
      payload: { issueId: issue.id, taskKey: issue.identifier },
    });
    m.activity({
      companyId: issue.companyId,
      action: "issue.assignment_wakeup_requested",
      entityType: "issue",
      entityId: issue.id,
      details: {
        identifier: issue.identifier,
        agentId: agent.id,
        wakeRunId: run.id,
        reason: "issue_assigned",
      },
    });
  }
}

const wantsWake = (status: string) => status !== "backlog" && status !== "done" && status !== "cancelled";

async function checkReferences(orm: Orm, companyId: string, input: Partial<CreateIssueInput>): Promise<void> {
  const checks: Array<[string, string, Promise<Array<{ companyId: string }>>]> = [];
  const lookup = (
    field: keyof CreateIssueInput,
    what: string,
    query: (id: string) => Promise<Array<{ companyId: string }>>,
  ) => {
    const id = input[field];
    if (typeof id !== "string") return;
    checks.push([field, what, isUuid(id) ? query(id) : Promise.resolve([])]);
  };
  lookup("projectId", "Project", (id) =>
    orm.select({ companyId: projects.companyId }).from(projects).where(eq(projects.id, id)).limit(1),
  );
  lookup("goalId", "Goal", (id) =>
    orm.select({ companyId: goals.companyId }).from(goals).where(eq(goals.id, id)).limit(1),
  );
  lookup("parentId", "Parent issue", (id) =>
    orm.select({ companyId: issues.companyId }).from(issues).where(eq(issues.id, id)).limit(1),
  );
  lookup("projectWorkspaceId", "Project workspace", (id) =>
    orm
      .select({ companyId: projectWorkspaces.companyId })
      .from(projectWorkspaces)
      .where(eq(projectWorkspaces.id, id))
      .limit(1),
  );
  for (const [field, what, pending] of checks) {
    const [row] = await pending;
    if (!row) throw notFound(`${field}: ${what} not found`, { field });
    if (row.companyId !== companyId)
      throw unprocessable(`${field}: ${what} belongs to another company`, { field });
  }
  if (input.assigneeAgentId) {
    const agent = await findAgent(orm, input.assigneeAgentId, companyId, companyId, "assigneeAgentId");
    if (agent.status === "terminated" || agent.status === "pending_approval") {
      throw conflict(`assigneeAgentId: cannot assign work to an agent in status "${agent.status}"`, {
        field: "assigneeAgentId",
        status: agent.status,
      });
    }
  }
}

/** A new parent must not be the issue itself or one of its descendants. */
async function assertNotDescendant(orm: Orm, issueId: string, parentId: string): Promise<void> {
  if (!isUuid(parentId)) return;
  const found = await orm.execute(sql`WITH RECURSIVE down AS (
      SELECT id FROM issues WHERE parent_id = ${issueId}
      UNION SELECT i.id FROM issues i JOIN down ON i.parent_id = down.id)
    SELECT 1 FROM down WHERE id = ${parentId} LIMIT 1`);
  if (found.rows.length > 0)
    throw unprocessable("parentId: an issue cannot be moved under its own descendant");
}

/** The WHERE of a list query; null when a filter can match nothing (an id filter that is not a UUID). */
function listConditions(companyId: string, filter: IssueFilter): SQL[] | null {
  const where: SQL[] = [eq(issues.companyId, companyId), isNull(issues.hiddenAt)];
  if (filter.status?.length) where.push(inArray(issues.status, filter.status));
  if (filter.priority?.length) where.push(inArray(issues.priority, filter.priority));
  if (filter.assigneeAgentId === "null") where.push(isNull(issues.assigneeAgentId));
  else if (filter.assigneeAgentId) {
    if (!isUuid(filter.assigneeAgentId)) {
      throw unprocessable('assigneeAgentId: an agent id (UUID) or "null"', { field: "assigneeAgentId" });
    }
    where.push(eq(issues.assigneeAgentId, filter.assigneeAgentId));
  }
  if (filter.assigneeUserId) {
    where.push(
      eq(issues.assigneeUserId, filter.assigneeUserId === "me" ? "local-board" : filter.assigneeUserId),
    );
  }
  for (const [key, column] of [
    ["projectId", issues.projectId],
    ["parentId", issues.parentId],
    ["goalId", issues.goalId],
  ] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (value === "null") {
      where.push(isNull(column));
      continue;
    }
    if (!isUuid(value)) return null;
    where.push(eq(column, value));
  }
  if (filter.originKind) where.push(eq(issues.originKind, filter.originKind));
  if (filter.q) where.push(ilike(issues.title, `%${filter.q.replace(/[\\%_]/g, "\\$&")}%`));
  return where;
}

/** ORDER BY for a list query; always ends with the id so pages never overlap. */
function listOrder(filter: IssueFilter): SQL[] {
  const field = filter.sortField ?? "priority";
  const dir = filter.sortDir ?? (field === "updated" || field === "created" ? "desc" : "asc");
  const by = dir === "asc" ? asc : desc;
  switch (field) {
    case "updated":
      return [by(issues.updatedAt), by(issues.id)];
    case "created":
      return [by(issues.createdAt), by(issues.issueNumber)];
    case "identifier":
      return [by(issues.issueNumber), by(issues.id)];
    default:
      return dir === "asc"
        ? [PRIORITY_RANK, desc(issues.updatedAt), desc(issues.id)]
        : [sql`${PRIORITY_RANK} DESC`, desc(issues.updatedAt), desc(issues.id)];
  }
}

/** Checkout: the agent's run takes the issue's execution lock, the issue goes to in_progress, assigned to it. */
export async function takeExecutionLock(
  m: Mutation,
  issue: IssueRow,
  agent: AgentRow,
  runId: string | null,
): Promise<IssueRow> {
  const [row] = (await m.tx.orm
    .update(issues)
    .set({
      status: "in_progress",
      assigneeAgentId: agent.id,
      assigneeUserId: null,
      checkoutRunId: runId,
      executionRunId: runId,
      executionAgentNameKey: agent.urlKey,
      executionLockedAt: m.now,
      ...statusStamps("in_progress", issue, m.now),
      updatedAt: m.now,
    })
    .where(eq(issues.id, issue.id))
    .returning()) as [IssueRow];
  return row;
}

/** Release: the execution lock goes, the issue takes `status`; the assignee stays. */
export async function releaseExecutionLock(m: Mutation, issue: IssueRow, status: string): Promise<IssueRow> {
  const [row] = (await m.tx.orm
    .update(issues)
    .set({
      status,
      checkoutRunId: null,
      executionRunId: null,
      executionAgentNameKey: null,
      executionLockedAt: null,
      updatedAt: m.now,
    })
    .where(eq(issues.id, issue.id))
    .returning()) as [IssueRow];
  return row;
}
