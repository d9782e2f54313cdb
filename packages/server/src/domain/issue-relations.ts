// Blocked-by relations between issues of one company. A row (blocker, blocked) means blocker blocks blocked.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Orm } from "../db/database.js";
import { issueRelations, issues } from "../db/schema.js";
import { unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import { findIssue, type IssueRow, type IssueSummary, lockIssue, toSummary } from "./issue-records.js";
import { isUuid } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

const RESOLVED = ["done", "cancelled"];

export interface IssueRelations {
  blockedBy: IssueSummary[];
  blocks: IssueSummary[];
}

export async function relationsOf(orm: Orm, issueId: string): Promise<IssueRelations> {
  const blockedBy = await orm
    .select({ issue: issues })
    .from(issueRelations)
    .innerJoin(issues, eq(issues.id, issueRelations.blockerIssueId))
    .where(eq(issueRelations.blockedIssueId, issueId));
  const blocks = await orm
    .select({ issue: issues })
    .from(issueRelations)
    .innerJoin(issues, eq(issues.id, issueRelations.blockedIssueId))
    .where(eq(issueRelations.blockerIssueId, issueId));
  const byTitle = (a: IssueSummary, b: IssueSummary) => a.title.localeCompare(b.title);
  return {
    blockedBy: blockedBy.map((row) => toSummary(row.issue)).sort(byTitle),
    blocks: blocks.map((row) => toSummary(row.issue)).sort(byTitle),
  };
}

export async function unresolvedBlockers(orm: Orm, issueId: string): Promise<IssueRow[]> {
  const rows = await orm
    .select({ issue: issues })
    .from(issueRelations)
    .innerJoin(issues, eq(issues.id, issueRelations.blockerIssueId))
    .where(eq(issueRelations.blockedIssueId, issueId));
  return rows.map((row) => row.issue).filter((issue) => !RESOLVED.includes(issue.status));
}

/**
 * Replace the blocker set of `issue`. Returns true when it changed. Rejects self-blocking, other companies'
 * issues, unknown ids and cycles (422, naming `field`).
 */
export async function replaceBlockers(
  m: Mutation,
  issue: IssueRow,
  blockerIds: string[],
  field = "blockedByIssueIds",
): Promise<boolean> {
  const wanted = [...new Set(blockerIds)];
  if (wanted.includes(issue.id))
    throw unprocessable(`${field}: Issue cannot be blocked by itself`, { field });
  if (!wanted.every(isUuid)) throw unprocessable(`${field}: every entry must be an issue id`, { field });
  if (wanted.length > 0) {
    const found = await m.tx.orm
      .select({ id: issues.id, companyId: issues.companyId })
      .from(issues)
      .where(inArray(issues.id, wanted));
    if (found.length !== wanted.length) {
      const known = new Set(found.map((row) => row.id));
      throw unprocessable(`${field}: unknown issue ids`, {
        field,
        missing: wanted.filter((id) => !known.has(id)),
      });
    }
    if (found.some((row) => row.companyId !== issue.companyId)) {
      throw unprocessable(`${field}: Blocked-by issues must belong to the same company`, { field });
    }
    // A cycle exists when this issue already (transitively) blocks one of its new blockers.
    const cycle = await m.tx.orm.execute(sql`WITH RECURSIVE down AS (
        SELECT blocked_issue_id AS id FROM issue_relations WHERE blocker_issue_id = ${issue.id}
        UNION SELECT r.blocked_issue_id FROM issue_relations r JOIN down ON r.blocker_issue_id = down.id)
      SELECT id FROM down WHERE id IN (${sql.join(
        wanted.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) LIMIT 1`);
    if (cycle.rows.length > 0)
      throw unprocessable(`${field}: Blocking relations cannot contain cycles`, { field });
  }
  const current = await m.tx.orm
    .select({ id: issueRelations.blockerIssueId })
    .from(issueRelations)
    .where(eq(issueRelations.blockedIssueId, issue.id));
  const before = new Set(current.map((row) => row.id));
  const removed = [...before].filter((id) => !wanted.includes(id));
  const added = wanted.filter((id) => !before.has(id));
  if (removed.length === 0 && added.length === 0) return false;
  if (removed.length > 0) {
    await m.tx.orm
      .delete(issueRelations)
      .where(
        and(eq(issueRelations.blockedIssueId, issue.id), inArray(issueRelations.blockerIssueId, removed)),
      );
  }
  if (added.length > 0) {
    await m.tx.orm.insert(issueRelations).values(
      added.map((blockerIssueId) => ({
        companyId: issue.companyId,
        blockerIssueId,
        blockedIssueId: issue.id,
        createdAt: m.now,
      })),
    );
  }
  m.activity({
    companyId: issue.companyId,
    action: "issue.blockers_updated",
    entityType: "issue",
    entityId: issue.id,
    details: { identifier: issue.identifier, blockedByIssueIds: wanted, added, removed },
  });
  return true;
}

/** The relation operations the plugin host exposes (`issues.relations.*`). */
export class IssueRelationsService {
  constructor(
    private readonly orm: Orm,
    private readonly runner: MutationRunner,
  ) {}

  async get(issueRef: string): Promise<IssueRelations> {
    const issue = await findIssue(this.orm, issueRef);
    return relationsOf(this.orm, issue.id);
  }

  setBlockedBy(actor: Actor, issueRef: string, blockerIds: string[]): Promise<IssueRelations> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      await replaceBlockers(m, issue, blockerIds);
      return relationsOf(m.tx.orm, issue.id);
    });
  }

  addBlockers(actor: Actor, issueRef: string, blockerIds: string[]): Promise<IssueRelations> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const current = (await relationsOf(m.tx.orm, issue.id)).blockedBy.map((b) => b.id);
      await replaceBlockers(m, issue, [...current, ...blockerIds], "blockerIssueIds");
      return relationsOf(m.tx.orm, issue.id);
    });
  }

  removeBlockers(actor: Actor, issueRef: string, blockerIds: string[]): Promise<IssueRelations> {
    return this.runner.run(actor, async (m) => {
      const issue = await lockIssue(m, issueRef);
      const current = (await relationsOf(m.tx.orm, issue.id)).blockedBy.map((b) => b.id);
      await replaceBlockers(
        m,
        issue,
        current.filter((id) => !blockerIds.includes(id)),
        "blockerIssueIds",
      );
      return relationsOf(m.tx.orm, issue.id);
    });
  }
}
