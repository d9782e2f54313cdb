// The activity log: read it, and let callers write entries directly (which, unlike the original, also
// emits `activity.logged` so plugins see them).
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { activityLog } from "../db/schema.js";
import type { Actor, ActorType } from "./actor.js";
import { findIssue } from "./issue-records.js";
import { type Page, pageOf, requireCompanyRow } from "./shared.js";
import type { ActivityRecord, MutationRunner } from "./unit-of-work.js";

export type ActivityEvent = typeof activityLog.$inferSelect;

export interface ActivityFilter extends Page {
  agentId?: string;
  entityType?: string;
  entityId?: string;
}

export interface LogActivityInput {
  actorType?: ActorType;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  agentId?: string | null;
  details?: Record<string, unknown> | null;
}

export class ActivityService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  async list(companyId: string, filter: ActivityFilter = {}): Promise<ActivityEvent[]> {
    await requireCompanyRow(this.db.orm, companyId);
    const { limit, offset } = pageOf(filter, 100, 500);
    const where: SQL[] = [eq(activityLog.companyId, companyId)];
    if (filter.agentId) where.push(eq(activityLog.agentId, filter.agentId));
    if (filter.entityType) where.push(eq(activityLog.entityType, filter.entityType));
    if (filter.entityId) where.push(eq(activityLog.entityId, filter.entityId));
    return this.db.orm
      .select()
      .from(activityLog)
      .where(and(...where))
      .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
      .limit(limit)
      .offset(offset);
  }

  async listForIssue(issueRef: string, page?: Page): Promise<ActivityEvent[]> {
    const issue = await findIssue(this.db.orm, issueRef);
    const { limit, offset } = pageOf(page, 500, 1000);
    return this.db.orm
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.entityType, "issue"), eq(activityLog.entityId, issue.id)))
      .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
      .limit(limit)
      .offset(offset);
  }

  /** Write an entry on behalf of the named actor (board scripts, plugins' `activity.log`). */
  log(actor: Actor, companyId: string, input: LogActivityInput): Promise<ActivityRecord> {
    const entryActor: Actor = {
      type: input.actorType ?? "system",
      id: input.actorId,
      agentId: input.agentId ?? null,
      userId: input.actorType === "user" ? input.actorId : null,
      runId: null,
    };
    return this.runner.run(entryActor, async (m) => {
      await requireCompanyRow(m.tx.orm, companyId);
      return m.activity({
        companyId,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId,
        agentId: input.agentId ?? null,
        runId: null,
        details: { ...(input.details ?? {}), loggedBy: { type: actor.type, id: actor.id } },
      });
    });
  }
}
