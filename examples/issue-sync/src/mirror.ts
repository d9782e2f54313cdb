// Mirrors tracker issues into Paperclip issues. A plugin entity per tracker issue (entity type `tracker-issue`,
// scoped to the company, external id = the tracker's id) remembers which Paperclip issue it became, so a second
// sync or a redelivered webhook updates that issue instead of creating another one.
import type { PluginContext } from "@paperclipai/plugin-sdk";
import type { Issue } from "@paperclipai/plugin-sdk/types";
import type { TrackerIssue } from "./tracker.js";

export const ENTITY_TYPE = "tracker-issue";

/** What the mapping entity stores. */
interface MappingData {
  issueId: string;
  trackerUpdatedAt: string;
}

export type MirrorOutcome = "created" | "updated" | "unchanged";

function statusOf(issue: TrackerIssue): Issue["status"] {
  return issue.state === "closed" ? "done" : "todo";
}

function mappingOf(data: Record<string, unknown>): MappingData | null {
  return typeof data.issueId === "string" && typeof data.trackerUpdatedAt === "string"
    ? { issueId: data.issueId, trackerUpdatedAt: data.trackerUpdatedAt }
    : null;
}

/** The Paperclip issue a tracker id maps to in this company, or null when it has none (yet). */
export async function findMapping(
  ctx: PluginContext,
  companyId: string,
  trackerId: string,
): Promise<MappingData | null> {
  const [entity] = await ctx.entities.list({
    entityType: ENTITY_TYPE,
    scopeKind: "company",
    scopeId: companyId,
    externalId: trackerId,
    limit: 1,
  });
  return entity ? mappingOf(entity.data) : null;
}

/** Creates or updates the company's Paperclip issue for one tracker issue. */
export async function mirrorIssue(
  ctx: PluginContext,
  companyId: string,
  issue: TrackerIssue,
): Promise<MirrorOutcome> {
  const mapping = await findMapping(ctx, companyId, issue.id);
  // A tracker change older than (or as old as) the one already applied is a redelivery: nothing to do.
  if (mapping && Date.parse(issue.updatedAt) <= Date.parse(mapping.trackerUpdatedAt)) return "unchanged";

  let issueId: string;
  let outcome: MirrorOutcome;
  const existing = mapping ? await ctx.issues.get(mapping.issueId, companyId) : null;
  if (existing) {
    await ctx.issues.update(
      existing.id,
      { title: issue.title, description: issue.description, status: statusOf(issue) },
      companyId,
    );
    issueId = existing.id;
    outcome = "updated";
  } else {
    // No mapping, or its issue was deleted in Paperclip: (re)create it.
    const created = await ctx.issues.create({
      companyId,
      title: issue.title,
      ...(issue.description ? { description: issue.description } : {}),
      status: statusOf(issue),
      originId: issue.id,
    });
    issueId = created.id;
    outcome = "created";
  }
  const data: MappingData = { issueId, trackerUpdatedAt: issue.updatedAt };
  await ctx.entities.upsert({
    entityType: ENTITY_TYPE,
    scopeKind: "company",
    scopeId: companyId,
    externalId: issue.id,
    title: issue.title,
    status: issue.state,
    data: { ...data },
  });
  return outcome;
}
