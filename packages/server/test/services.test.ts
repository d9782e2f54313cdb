// The domain services used directly (as the plugin runtime will): injected clock, non-user actors,
// relation operations and the outbox reader, without the HTTP layer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, pluginActor, SYSTEM_ACTOR } from "../src/domain/actor.js";
import { seedDemoCompany } from "../src/domain/seed.js";
import { createServices, type DomainServices } from "../src/domain/services.js";
import { DomainError } from "../src/errors.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "./support/database.js";

describe.each(ENGINES)("domain services on %s", (engine) => {
  let database: TestDatabase;
  let services: DomainServices;
  let now = new Date("2031-05-17T10:00:00.000Z");
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    services = createServices(database.db, { clock });
  });
  afterAll(async () => database?.dispose());

  it("stamps every write and event with the injected clock and the acting plugin", async () => {
    const actor = pluginActor("acme.linear");
    const company = await services.companies.create(actor, { name: "Clockwork" });
    expect(company.createdAt.toISOString()).toBe("2031-05-17T10:00:00.000Z");
    const head = await services.outbox.head();
    now = new Date("2031-05-17T11:00:00.000Z");
    const issue = await services.issues.create(actor, company.id, { title: "From a plugin" });
    expect(issue).toMatchObject({ createdByUserId: null, createdByAgentId: null });
    const events = await services.outbox.read({ afterSeq: head });
    expect(events.map((e) => e.eventType)).toEqual(["issue.created", "activity.logged"]);
    expect(events[0]).toMatchObject({
      actorType: "plugin",
      actorId: "acme.linear",
      occurredAt: "2031-05-17T11:00:00.000Z",
    });
    const onlyIssues = await services.outbox.read({ afterSeq: head, eventTypes: ["issue.created"] });
    expect(onlyIssues).toHaveLength(1);
  });

  it("relations: add, remove and read blockers (issues.relations.* of the plugin host)", async () => {
    const company = await services.companies.create(SYSTEM_ACTOR, { name: "Relations" });
    const [a, b, c] = await Promise.all(
      ["A", "B", "C"].map((title) => services.issues.create(SYSTEM_ACTOR, company.id, { title })),
    );
    await services.relations.addBlockers(SYSTEM_ACTOR, c!.id, [a!.id, b!.id]);
    expect((await services.relations.get(c!.identifier)).blockedBy.map((x) => x.title)).toEqual(["A", "B"]);
    const after = await services.relations.removeBlockers(SYSTEM_ACTOR, c!.id, [a!.id]);
    expect(after.blockedBy.map((x) => x.title)).toEqual(["B"]);
    await expect(services.relations.setBlockedBy(SYSTEM_ACTOR, b!.id, [c!.id])).rejects.toThrow(/cycles/);
  });

  it("errors are DomainErrors with codes the HTTP and RPC layers map", async () => {
    const failure = await services.issues.get("ACM-404040").catch((error) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: "not_found", httpStatus: 404, message: "Issue not found" });
  });

  it("seeds the demo company exactly once per database", async () => {
    const first = await seedDemoCompany(services);
    expect(first.seeded).toBe(true);
    const company = await services.companies.get(first.companyId!);
    const [projects, issues, agents, goals] = await Promise.all([
      services.projects.list(company.id),
      services.issues.list(company.id),
      services.agents.list(company.id),
      services.goals.list(company.id),
    ]);
    expect([projects.length, issues.length, agents.length, goals.length]).toEqual([1, 3, 1, 1]);
    expect(issues.every((issue) => issue.goalId === goals[0]!.id)).toBe(true);
    expect((await seedDemoCompany(services)).seeded).toBe(false);
  });

  it("concurrent issue creation gives distinct, gap-free numbers and commit-ordered sequences", async () => {
    const company = await services.companies.create(SYSTEM_ACTOR, { name: "Race" });
    const head = await services.outbox.head();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        services.issues.create(SYSTEM_ACTOR, company.id, { title: `R${i}` }),
      ),
    );
    expect(created.map((issue) => issue.issueNumber).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const events = await services.outbox.read({ afterSeq: head, eventTypes: ["issue.created"] });
    expect(events).toHaveLength(20);
    // Sequence order equals commit order, so issue numbers (taken inside each transaction) ascend with seq.
    const numbers = events.map((event) => {
      const identifier = (event.payload as { identifier: string }).identifier;
      return Number(identifier.split("-")[1]);
    });
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
  });
});
