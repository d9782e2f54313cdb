// Goals: company → team → agent → task levels, with an optional parent and owner agent.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Orm } from "../db/database.js";
import { agents, goals } from "../db/schema.js";
import { conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { removeGoalFromProjects } from "./projects.js";
import {
  assertSameCompany,
  changedValues,
  diff,
  isUuid,
  type Page,
  pageOf,
  requireCompanyRow,
} from "./shared.js";
import type { MutationRunner } from "./unit-of-work.js";

export const GOAL_LEVELS = ["company", "team", "agent", "task"] as const;
export const GOAL_STATUSES = ["planned", "active", "achieved", "cancelled"] as const;
export type Goal = typeof goals.$inferSelect;

export interface GoalInput {
  title: string;
  description?: string | null;
  level?: (typeof GOAL_LEVELS)[number];
  status?: (typeof GOAL_STATUSES)[number];
  parentId?: string | null;
  ownerAgentId?: string | null;
}

export interface GoalFilter extends Page {
  level?: string;
  status?: string;
}

export class GoalsService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(companyId: string, filter: GoalFilter = {}): Promise<Goal[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 1000);
    const where = [eq(goals.companyId, companyId)];
    if (filter.level) where.push(eq(goals.level, filter.level));
    if (filter.status) where.push(eq(goals.status, filter.status));
    return this.db.orm
      .select()
      .from(goals)
      .where(and(...where))
      .orderBy(asc(goals.createdAt), asc(goals.id))
      .limit(limit)
      .offset(offset);
  }

  async get(id: string): Promise<Goal> {
    return findGoal(this.db.orm, id);
  }

  create(actor: Actor, companyId: string, input: GoalInput): Promise<Goal> {
    return this.runner.run(actor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      await this.checkReferences(m.tx.orm, companyId, null, input);
      const [goal] = await m.tx.orm
        .insert(goals)
        .values({
          companyId,
          title: input.title,
          description: input.description ?? null,
          level: input.level ?? "task",
          status: input.status ?? "planned",
          parentId: input.parentId ?? null,
          ownerAgentId: input.ownerAgentId ?? null,
          createdAt: m.now,
          updatedAt: m.now,
        })
        .returning();
      m.activity({
        companyId,
        action: "goal.created",
        entityType: "goal",
        entityId: goal!.id,
        details: { title: goal!.title, level: goal!.level, status: goal!.status, parentId: goal!.parentId },
      });
      return goal!;
    });
  }

  update(actor: Actor, id: string, patch: Partial<GoalInput>): Promise<Goal> {
    return this.runner.run(actor, async (m) => {
      const current = await findGoal(m.tx.orm, id);
      await this.checkReferences(m.tx.orm, current.companyId, current.id, patch);
      const changes = diff(current, { ...patch });
      if (Object.keys(changes).length === 0) return current;
      const [goal] = await m.tx.orm
        .update(goals)
        .set({ ...changedValues(changes, { ...patch }), updatedAt: m.now })
        .where(eq(goals.id, id))
        .returning();
      m.activity({
        companyId: current.companyId,
        action: "goal.updated",
        entityType: "goal",
        entityId: id,
        details: { title: goal!.title, changes },
      });
      return goal!;
    });
  }

  delete(actor: Actor, id: string): Promise<Goal> {
    return this.runner.run(actor, async (m) => {
      const current = await findGoal(m.tx.orm, id);
      const [child] = await m.tx.orm
        .select({ id: goals.id })
        .from(goals)
        .where(eq(goals.parentId, id))
        .limit(1);
      if (child) throw conflict("Goal cannot be deleted while it has child goals", { childGoalId: child.id });
      // Issues lose the goal through their foreign key; projects list goals in an array.
      await removeGoalFromProjects(m, id);
      await m.tx.orm.delete(goals).where(eq(goals.id, id));
      m.activity({
        companyId: current.companyId,
        action: "goal.deleted",
        entityType: "goal",
        entityId: id,
        details: { title: current.title },
      });
      return current;
    });
  }

  private async checkReferences(
    orm: Orm,
    companyId: string,
    selfId: string | null,
    input: Partial<GoalInput>,
  ) {
    if (input.parentId) {
      if (input.parentId === selfId) throw unprocessable("parentId: a goal cannot be its own parent");
      const parent = isUuid(input.parentId)
        ? (await orm.select().from(goals).where(eq(goals.id, input.parentId)).limit(1))[0]
        : undefined;
      assertSameCompany(parent, companyId, "Parent goal", "parentId");
      if (selfId) {
        const cycle = await orm.execute(sql`WITH RECURSIVE up AS (
            SELECT id, parent_id FROM goals WHERE id = ${input.parentId}
            UNION SELECT g.id, g.parent_id FROM goals g JOIN up ON g.id = up.parent_id)
          SELECT 1 FROM up WHERE id = ${selfId} LIMIT 1`);
        if (cycle.rows.length > 0) throw unprocessable("parentId: goal parents cannot form a cycle");
      }
    }
    if (input.ownerAgentId) {
      const owner = isUuid(input.ownerAgentId)
        ? (await orm.select().from(agents).where(eq(agents.id, input.ownerAgentId)).limit(1))[0]
        : undefined;
      assertSameCompany(owner, companyId, "Owner agent", "ownerAgentId");
    }
  }
}

export async function findGoal(orm: Orm, id: string): Promise<Goal> {
  if (!isUuid(id)) throw notFound("Goal not found");
  const [row] = await orm.select().from(goals).where(eq(goals.id, id)).limit(1);
  if (!row) throw notFound("Goal not found");
  return row;
}
