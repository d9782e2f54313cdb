// Projects group issues; each has workspaces (folders or repositories) listed with it. Every write to the
// projects table is here.
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { goals, issues, projects, projectWorkspaces } from "../db/schema.js";
import { unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { findAgent } from "./agents.js";
import { findProject, type ProjectRow } from "./project-records.js";
import {
  type CreateWorkspaceInput,
  insertWorkspace,
  toWorkspace,
  type WorkspaceRow,
} from "./project-workspaces.js";
import { changedValues, diff, isUuid, type Page, pageOf, requireCompanyRow, urlKeyOf } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export const PROJECT_STATUSES = ["backlog", "planned", "in_progress", "completed", "cancelled"] as const;
export type { ProjectRow };

export interface ProjectInput {
  name: string;
  description?: string | null;
  status?: (typeof PROJECT_STATUSES)[number];
  goalIds?: string[];
  goalId?: string | null;
  leadAgentId?: string | null;
  targetDate?: string | null;
  color?: string | null;
  icon?: string | null;
  env?: Record<string, unknown> | null;
  executionWorkspacePolicy?: Record<string, unknown> | null;
  archivedAt?: string | null;
  /** create only: a first workspace */
  workspace?: CreateWorkspaceInput;
}

export interface ProjectFilter extends Page {
  includeArchived?: boolean;
}

type GoalRef = { id: string; title: string };

export function toProject(row: ProjectRow, workspaces: WorkspaceRow[], goalRefs: Map<string, GoalRef>) {
  const mapped = workspaces.map(toWorkspace);
  const primary = mapped.find((ws) => ws.isPrimary) ?? null;
  return {
    id: row.id,
    companyId: row.companyId,
    urlKey: row.urlKey,
    goalId: row.goalIds[0] ?? null,
    goalIds: row.goalIds,
    goals: row.goalIds.map((id) => goalRefs.get(id)).filter((ref): ref is GoalRef => ref !== undefined),
    name: row.name,
    description: row.description,
    status: row.status,
    leadAgentId: row.leadAgentId,
    targetDate: row.targetDate,
    color: row.color,
    icon: row.icon,
    env: row.env,
    pauseReason: row.pauseReason,
    pausedAt: row.pausedAt,
    executionWorkspacePolicy: row.executionWorkspacePolicy,
    codebase: {
      workspaceId: primary?.id ?? null,
      repoUrl: primary?.repoUrl ?? null,
      repoRef: primary?.repoRef ?? null,
      defaultRef: primary?.defaultRef ?? null,
      localFolder: primary?.cwd ?? null,
      origin: primary?.repoUrl && !primary.cwd ? "managed_checkout" : "local_folder",
    },
    workspaces: mapped,
    primaryWorkspace: primary,
    managedByPlugin: null,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type Project = ReturnType<typeof toProject> & { taskCount?: number; budget?: null };

export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(companyId: string, filter: ProjectFilter = {}): Promise<Project[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(projects.companyId, companyId)];
    if (!filter.includeArchived) where.push(isNull(projects.archivedAt));
    const rows = await this.db.orm
      .select()
      .from(projects)
      .where(and(...where))
      .orderBy(asc(projects.createdAt), asc(projects.id))
      .limit(limit)
      .offset(offset);
    const hydrated = await hydrate(this.db.orm, rows);
    const ids = rows.map((row) => row.id);
    const counts =
      ids.length === 0
        ? []
        : await this.db.orm
            .select({ projectId: issues.projectId, n: count() })
            .from(issues)
            .where(inArray(issues.projectId, ids))
            .groupBy(issues.projectId);
    const byProject = new Map(counts.map((row) => [row.projectId, row.n]));
    return hydrated.map((project) => ({
      ...project,
      taskCount: byProject.get(project.id) ?? 0,
      budget: null,
    }));
  }

  /** By id, or by url key when `companyId` is given. */
  async get(idOrKey: string, companyId?: string): Promise<Project> {
    const row = await findProject(this.db.orm, idOrKey, companyId);
    return (await hydrate(this.db.orm, [row]))[0]!;
  }

  create(actor: Actor, companyId: string, input: ProjectInput): Promise<Project> {
    return this.runner.run(actor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      const goalIds = input.goalIds ?? (input.goalId ? [input.goalId] : []);
      await checkReferences(m.tx.orm, companyId, { ...input, goalIds });
      const id = randomUUID();
      const [row] = await m.tx.orm
        .insert(projects)
        .values({
          id,
          companyId,
          name: input.name,
          urlKey: urlKeyOf(input.name, id),
          description: input.description ?? null,
          status: input.status ?? "backlog",
          goalIds,
          leadAgentId: input.leadAgentId ?? null,
          targetDate: input.targetDate ?? null,
          color: input.color ?? null,
          icon: input.icon ?? null,
          env: input.env ?? null,
          executionWorkspacePolicy: input.executionWorkspacePolicy ?? null,
          archivedAt: input.archivedAt ? new Date(input.archivedAt) : null,
          createdAt: m.now,
          updatedAt: m.now,
        })
        .returning();
      m.activity({
        companyId,
        action: "project.created",
        entityType: "project",
        entityId: id,
        details: { name: row!.name, status: row!.status, goalIds },
      });
      if (input.workspace) await insertWorkspace(m, row!, input.workspace);
      return (await hydrate(m.tx.orm, [row!]))[0]!;
    });
  }

  update(actor: Actor, id: string, input: Partial<ProjectInput>): Promise<Project> {
    return this.runner.run(actor, async (m) => {
      const current = await findProject(m.tx.orm, id, undefined, true);
      const { workspace: _ignored, goalId, ...fields } = input;
      const patch: Record<string, unknown> = { ...fields };
      if (patch.goalIds === undefined && goalId !== undefined) patch.goalIds = goalId ? [goalId] : [];
      if (fields.archivedAt !== undefined)
        patch.archivedAt = fields.archivedAt ? new Date(fields.archivedAt) : null;
      if (fields.name !== undefined) patch.urlKey = urlKeyOf(fields.name, current.id);
      await checkReferences(m.tx.orm, current.companyId, patch as Partial<ProjectInput>);
      const changes = diff(current, patch);
      if (Object.keys(changes).length === 0) return (await hydrate(m.tx.orm, [current]))[0]!;
      const [row] = await m.tx.orm
        .update(projects)
        .set({ ...changedValues(changes, patch), updatedAt: m.now })
        .where(eq(projects.id, current.id))
        .returning();
      m.activity({
        companyId: current.companyId,
        action: "project.updated",
        entityType: "project",
        entityId: current.id,
        details: { name: row!.name, changedKeys: Object.keys(changes), changes },
      });
      return (await hydrate(m.tx.orm, [row!]))[0]!;
    });
  }

  delete(actor: Actor, id: string): Promise<ProjectRow & { urlKey: string }> {
    return this.runner.run(actor, async (m) => {
      const current = await findProject(m.tx.orm, id, undefined, true);
      await m.tx.orm.delete(projects).where(eq(projects.id, current.id));
      m.activity({
        companyId: current.companyId,
        action: "project.deleted",
        entityType: "project",
        entityId: current.id,
        details: { name: current.name },
      });
      return current;
    });
  }
}

async function checkReferences(orm: Orm, companyId: string, input: Partial<ProjectInput>): Promise<void> {
  if (input.goalIds && input.goalIds.length > 0) {
    const unique = [...new Set(input.goalIds)];
    const found = unique.every(isUuid)
      ? await orm
          .select({ id: goals.id })
          .from(goals)
          .where(and(eq(goals.companyId, companyId), inArray(goals.id, unique)))
      : [];
    const known = new Set(found.map((row) => row.id));
    const missing = unique.filter((goalId) => !known.has(goalId));
    if (missing.length > 0) {
      throw unprocessable("goalIds: every goal must exist in this company", { field: "goalIds", missing });
    }
  }
  if (input.leadAgentId) await findAgent(orm, input.leadAgentId, undefined, companyId, "leadAgentId");
}

/** Attach workspaces and goal titles to project rows with two queries, whatever the number of rows. */
export async function hydrate(orm: Orm, rows: ProjectRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const workspaces = await orm
    .select()
    .from(projectWorkspaces)
    .where(inArray(projectWorkspaces.projectId, ids))
    .orderBy(asc(projectWorkspaces.createdAt), asc(projectWorkspaces.id));
  const goalIds = [...new Set(rows.flatMap((row) => row.goalIds))];
  const goalRows =
    goalIds.length === 0
      ? []
      : await orm.select({ id: goals.id, title: goals.title }).from(goals).where(inArray(goals.id, goalIds));
  const goalRefs = new Map(goalRows.map((goal) => [goal.id, goal]));
  return rows.map((row) =>
    toProject(
      row,
      workspaces
        .filter((ws) => ws.projectId === row.id)
        .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary)),
      goalRefs,
    ),
  );
}

/** A goal is being deleted: projects stop listing it (issues lose it through their foreign key). */
export async function removeGoalFromProjects(m: Mutation, goalId: string): Promise<void> {
  await m.tx.orm
    .update(projects)
    .set({ goalIds: sql`array_remove(${projects.goalIds}, ${goalId}::uuid)` })
    .where(sql`${goalId}::uuid = ANY(${projects.goalIds})`);
}
