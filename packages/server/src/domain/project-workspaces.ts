// Project workspaces: where a project's code lives (a local folder, a git repository, a remote workspace).
// The first workspace of a project is primary; deleting the primary promotes the oldest remaining one.
import { and, asc, eq, ne } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { projectWorkspaces } from "../db/schema.js";
import { notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { findProject, type ProjectRow } from "./project-records.js";
import { changedValues, diff, isUuid } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export const WORKSPACE_SOURCE_TYPES = ["local_path", "git_repo", "remote_managed", "non_git_path"] as const;
export type WorkspaceRow = typeof projectWorkspaces.$inferSelect;

export interface CreateWorkspaceInput {
  name?: string;
  sourceType?: (typeof WORKSPACE_SOURCE_TYPES)[number];
  cwd?: string | null;
  repoUrl?: string | null;
  repoRef?: string | null;
  defaultRef?: string | null;
  visibility?: "default" | "advanced";
  setupCommand?: string | null;
  cleanupCommand?: string | null;
  remoteProvider?: string | null;
  remoteWorkspaceRef?: string | null;
  sharedWorkspaceKey?: string | null;
  metadata?: Record<string, unknown> | null;
  runtimeConfig?: Record<string, unknown> | null;
  isPrimary?: boolean;
}

export function toWorkspace(row: WorkspaceRow) {
  return { ...row, defaultRef: row.defaultRef ?? row.repoRef, runtimeServices: [] as unknown[] };
}
export type ProjectWorkspace = ReturnType<typeof toWorkspace>;

/** `cwd` or `repoUrl` is required; a remote workspace needs `remoteWorkspaceRef` or `repoUrl`. */
function checkShape(ws: CreateWorkspaceInput): void {
  if (ws.sourceType === "remote_managed") {
    if (!ws.remoteWorkspaceRef && !ws.repoUrl) {
      throw unprocessable(
        "remoteWorkspaceRef: a remote_managed workspace needs remoteWorkspaceRef or repoUrl",
        {
          field: "remoteWorkspaceRef",
        },
      );
    }
  } else if (!ws.cwd && !ws.repoUrl) {
    throw unprocessable("cwd: a workspace needs cwd or repoUrl", { field: "cwd" });
  }
}

function defaultName(ws: CreateWorkspaceInput): string {
  const fromCwd = ws.cwd?.split(/[\\/]/).filter(Boolean).pop();
  const fromRepo = ws.repoUrl
    ?.replace(/\.git$/, "")
    .split("/")
    .filter(Boolean)
    .pop();
  return fromCwd || fromRepo || "Workspace";
}

export async function insertWorkspace(m: Mutation, project: ProjectRow, input: CreateWorkspaceInput) {
  checkShape(input);
  const [first] = await m.tx.orm
    .select({ id: projectWorkspaces.id })
    .from(projectWorkspaces)
    .where(eq(projectWorkspaces.projectId, project.id))
    .limit(1);
  const isPrimary = !first || input.isPrimary === true;
  if (isPrimary && first) {
    await m.tx.orm
      .update(projectWorkspaces)
      .set({ isPrimary: false, updatedAt: m.now })
      .where(eq(projectWorkspaces.projectId, project.id));
  }
  const [row] = await m.tx.orm
    .insert(projectWorkspaces)
    .values({
      companyId: project.companyId,
      projectId: project.id,
      name: input.name?.trim() || defaultName(input),
      sourceType: input.sourceType ?? (input.cwd ? "local_path" : "git_repo"),
      cwd: input.cwd ?? null,
      repoUrl: input.repoUrl ?? null,
      repoRef: input.repoRef ?? null,
      defaultRef: input.defaultRef ?? null,
      visibility: input.visibility ?? "default",
      setupCommand: input.setupCommand ?? null,
      cleanupCommand: input.cleanupCommand ?? null,
      remoteProvider: input.remoteProvider ?? null,
      remoteWorkspaceRef: input.remoteWorkspaceRef ?? null,
      sharedWorkspaceKey: input.sharedWorkspaceKey ?? null,
      metadata: input.metadata ?? null,
      runtimeConfig: input.runtimeConfig ?? null,
      isPrimary,
      createdAt: m.now,
      updatedAt: m.now,
    })
    .returning();
  m.activity({
    companyId: project.companyId,
    action: "project.workspace_created",
    entityType: "project",
    entityId: project.id,
    details: { projectId: project.id, workspaceId: row!.id, name: row!.name, cwd: row!.cwd, isPrimary },
  });
  return toWorkspace(row!);
}

export class ProjectWorkspacesService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(projectId: string): Promise<ProjectWorkspace[]> {
    const project = await findProject(this.db.orm, projectId);
    const rows = await this.db.orm
      .select()
      .from(projectWorkspaces)
      .where(eq(projectWorkspaces.projectId, project.id))
      .orderBy(asc(projectWorkspaces.createdAt), asc(projectWorkspaces.id));
    return rows.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary)).map(toWorkspace);
  }

  async primary(projectId: string): Promise<ProjectWorkspace | null> {
    return (await this.list(projectId))[0] ?? null;
  }

  create(actor: Actor, projectId: string, input: CreateWorkspaceInput): Promise<ProjectWorkspace> {
    return this.runner.run(actor, async (m) =>
      insertWorkspace(m, await findProject(m.tx.orm, projectId, undefined, true), input),
    );
  }

  update(
    actor: Actor,
    projectId: string,
    workspaceId: string,
    input: CreateWorkspaceInput,
  ): Promise<ProjectWorkspace> {
    return this.runner.run(actor, async (m) => {
      const project = await findProject(m.tx.orm, projectId, undefined, true);
      const current = await this.find(m, project.id, workspaceId);
      const patch: Record<string, unknown> = { ...input };
      if (input.isPrimary === false && current.isPrimary) delete patch.isPrimary; // a project keeps one primary
      checkShape({ ...current, ...input } as CreateWorkspaceInput);
      const changes = diff(current, patch);
      if (Object.keys(changes).length === 0) return toWorkspace(current);
      if (changes.isPrimary && input.isPrimary) {
        await m.tx.orm
          .update(projectWorkspaces)
          .set({ isPrimary: false, updatedAt: m.now })
          .where(and(eq(projectWorkspaces.projectId, project.id), ne(projectWorkspaces.id, current.id)));
      }
      const [row] = await m.tx.orm
        .update(projectWorkspaces)
        .set({ ...changedValues(changes, patch), updatedAt: m.now })
        .where(eq(projectWorkspaces.id, current.id))
        .returning();
      m.activity({
        companyId: project.companyId,
        action: "project.workspace_updated",
        entityType: "project",
        entityId: project.id,
        details: {
          projectId: project.id,
          workspaceId: current.id,
          name: row!.name,
          changedKeys: Object.keys(changes),
        },
      });
      return toWorkspace(row!);
    });
  }

  delete(actor: Actor, projectId: string, workspaceId: string): Promise<ProjectWorkspace> {
    return this.runner.run(actor, async (m) => {
      const project = await findProject(m.tx.orm, projectId, undefined, true);
      const current = await this.find(m, project.id, workspaceId);
      await m.tx.orm.delete(projectWorkspaces).where(eq(projectWorkspaces.id, current.id));
      if (current.isPrimary) {
        const [oldest] = await m.tx.orm
          .select({ id: projectWorkspaces.id })
          .from(projectWorkspaces)
          .where(eq(projectWorkspaces.projectId, project.id))
          .orderBy(asc(projectWorkspaces.createdAt))
          .limit(1);
        if (oldest) {
          await m.tx.orm
            .update(projectWorkspaces)
            .set({ isPrimary: true, updatedAt: m.now })
            .where(eq(projectWorkspaces.id, oldest.id));
        }
      }
      m.activity({
        companyId: project.companyId,
        action: "project.workspace_deleted",
        entityType: "project",
        entityId: project.id,
        details: { projectId: project.id, workspaceId: current.id, name: current.name },
      });
      return toWorkspace(current);
    });
  }

  private async find(m: Mutation, projectId: string, workspaceId: string): Promise<WorkspaceRow> {
    if (!isUuid(workspaceId)) throw notFound("Project workspace not found");
    const [row] = await m.tx.orm
      .select()
      .from(projectWorkspaces)
      .where(and(eq(projectWorkspaces.id, workspaceId), eq(projectWorkspaces.projectId, projectId)))
      .limit(1);
    if (!row) throw notFound("Project workspace not found");
    return row;
  }
}
