// First start: a demo company with a goal, an agent, a project and a few issues, so the board is not empty.
import { eq } from "drizzle-orm";
import { instanceMeta } from "../db/schema.js";
import { SYSTEM_ACTOR } from "./actor.js";
import type { DomainServices } from "./services.js";

export interface SeedResult {
  seeded: boolean;
  companyId?: string;
  issuePrefix?: string;
}

const SEED_KEY = "demo_seeded_at";

/** Seeds once per database; later starts (and other nodes) find the marker and do nothing. */
export async function seedDemoCompany(services: DomainServices): Promise<SeedResult> {
  const db = services.db;
  const [marker] = await db.orm.select().from(instanceMeta).where(eq(instanceMeta.key, SEED_KEY)).limit(1);
  if (marker) return { seeded: false };
  // Claim the marker first so two nodes starting together do not both seed.
  const claimed = await db.orm
    .insert(instanceMeta)
    .values({ key: SEED_KEY, value: new Date().toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return { seeded: false };

  const actor = SYSTEM_ACTOR;
  const company = await services.companies.create(actor, {
    name: "Acme Robotics",
    description: "Demo company created on first start. Rename or delete it freely.",
  });
  const goal = await services.goals.create(actor, company.id, {
    title: "Ship the first release",
    level: "company",
    status: "active",
  });
  const agent = await services.agents.create(actor, company.id, {
    name: "Ada",
    role: "engineer",
    title: "Founding engineer",
    // The built-in echo adapter: a demo agent whose runs work out of the box (docs/agents.md shows real ones).
    adapterType: "echo",
  });
  const project = await services.projects.create(actor, company.id, {
    name: "Website",
    description: "The public website",
    status: "in_progress",
    goalIds: [goal.id],
    leadAgentId: agent.id,
  });
  const first = await services.issues.create(actor, company.id, {
    title: "Write the landing page copy",
    projectId: project.id,
    priority: "high",
  });
  await services.issues.create(actor, company.id, {
    title: "Set up continuous deployment",
    projectId: project.id,
    priority: "medium",
  });
  await services.issues.create(actor, company.id, {
    title: "Publish the landing page",
    projectId: project.id,
    blockedByIssueIds: [first.id],
  });
  return { seeded: true, companyId: company.id, issuePrefix: company.issuePrefix };
}
