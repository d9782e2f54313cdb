// The pieces of event delivery below the workers: subscription patterns and filters (reference §5.3), the
// outbox page reader and the shared tail, the plugin-event writer, and option checks.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredDomainEvent } from "../../src/domain/event-types.js";
import { EventNotifier } from "../../src/domain/notifier.js";
import {
  matchesEventPattern,
  OutboxAppender,
  OutboxPages,
  PluginEventRejected,
  passesFilter,
  resolveDeliveryOptions,
  SubscriptionMatcher,
} from "../../src/plugins/events/index.js";
import { OutboxTail } from "../../src/plugins/events/outbox-tail.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";

const COMPANY = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

function event(fields: Partial<StoredDomainEvent> & { eventType: string }): StoredDomainEvent {
  return {
    seq: 1,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    companyId: COMPANY,
    payload: {},
    ...fields,
  };
}

describe("subscription patterns and filters", () => {
  it("matches exact types and prefixes ending in .*", () => {
    expect(matchesEventPattern("issue.created", "issue.created")).toBe(true);
    expect(matchesEventPattern("issue.created", "issue.updated")).toBe(false);
    expect(matchesEventPattern("issue.*", "issue.comment.created")).toBe(true);
    expect(matchesEventPattern("issue.*", "issues.created")).toBe(false);
    expect(matchesEventPattern("issue.*", "issue")).toBe(false);
    expect(matchesEventPattern("plugin.*", "plugin.acme.linear.sync-done")).toBe(true);
    expect(matchesEventPattern("plugin.acme.linear.*", "plugin.acme.other.x")).toBe(false);
  });

  it("filters on the event's own company, never a payload field", () => {
    const spoofed = event({ eventType: "issue.created", companyId: OTHER, payload: { companyId: COMPANY } });
    expect(passesFilter({ companyId: COMPANY }, spoofed)).toBe(false);
    expect(passesFilter({ companyId: OTHER }, spoofed)).toBe(true);
  });

  it("reads projectId and agentId from the entity when it has that type, else from the payload", () => {
    const project = event({
      eventType: "project.updated",
      entityType: "project",
      entityId: "p1",
      payload: { projectId: "p2" },
    });
    expect(passesFilter({ projectId: "p1" }, project)).toBe(true);
    expect(passesFilter({ projectId: "p2" }, project)).toBe(false);
    const issue = event({
      eventType: "issue.created",
      entityType: "issue",
      entityId: "i1",
      payload: { projectId: "p2", agentId: "a1" },
    });
    expect(passesFilter({ projectId: "p2" }, issue)).toBe(true);
    expect(passesFilter({ agentId: "a1" }, issue)).toBe(true);
    const agent = event({
      eventType: "agent.updated",
      entityType: "agent",
      entityId: "a9",
      payload: { agentId: "a1" },
    });
    expect(passesFilter({ agentId: "a9" }, agent)).toBe(true);
    expect(passesFilter({ agentId: "a1" }, agent)).toBe(false);
  });

  it("ANDs the known keys, ignores unknown ones, and treats a null value as a constraint nothing meets", () => {
    const issue = event({
      eventType: "issue.created",
      entityType: "issue",
      entityId: "i1",
      payload: { projectId: "p2" },
    });
    expect(passesFilter({ companyId: COMPANY, projectId: "p2", color: "blue" }, issue)).toBe(true);
    expect(passesFilter({ companyId: COMPANY, projectId: "p3" }, issue)).toBe(false);
    expect(passesFilter({ projectId: null }, issue)).toBe(false);
    expect(passesFilter(null, issue)).toBe(true);
    expect(passesFilter({}, issue)).toBe(true);
  });

  it("delivers an event once when several subscriptions match, and builds SQL-safe type selections", () => {
    const matcher = new SubscriptionMatcher([
      { eventPattern: "issue.created", filter: { companyId: OTHER } },
      { eventPattern: "issue.*", filter: null },
      { eventPattern: "plugin.a_b%.*", filter: null },
    ]);
    expect(matcher.matches(event({ eventType: "issue.created" }))).toBe(true);
    expect(matcher.matches(event({ eventType: "goal.created" }))).toBe(false);
    expect(matcher.types).toEqual({ exact: ["issue.created"], prefixes: ["issue.%", "plugin.a\\_b\\%.%"] });
    expect(new SubscriptionMatcher([]).empty).toBe(true);
  });
});

describe("delivery options", () => {
  it("name the option that is wrong", () => {
    expect(() => resolveDeliveryOptions({ maxAttempts: 0 })).toThrow(
      /maxAttempts must be a positive number \(got 0\)/,
    );
    expect(() => resolveDeliveryOptions({ leaseRenewMs: 20_000 })).toThrow(
      /leaseTtlMs \(45000\) must be longer than leaseRenewMs \(20000\) \+ eventTimeoutMs \(30000\)/,
    );
    expect(resolveDeliveryOptions({ maxInFlight: 1 }).maxInFlight).toBe(1);
  });
});

describe.each(ENGINES)("outbox reading and plugin-event writing on %s", (engine) => {
  let database: TestDatabase;
  let appender: OutboxAppender;
  let pages: OutboxPages;
  const notifier = new EventNotifier();
  const committed: number[] = [];
  const notified: unknown[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    appender = new OutboxAppender(database.db, notifier, { maxBatch: 50 });
    pages = new OutboxPages(database.db);
    notifier.subscribe((commit) => {
      committed.push(commit.lastSeq);
      notified.push(...commit.events);
    });
  });
  afterAll(async () => database?.dispose());

  const append = (eventType: string, companyId = COMPANY) =>
    appender.append({
      eventId: randomUUID(),
      eventType,
      occurredAt: new Date().toISOString(),
      actorType: "plugin",
      actorId: "test",
      companyId,
      payload: { eventType },
    });

  it("group-commits concurrent emits in call order and notifies after each commit", async () => {
    const types = Array.from({ length: 120 }, (_, i) => `plugin.order.e${i}`);
    await Promise.all(types.map((type) => append(type)));
    const page = await pages.readAll(0, 1_000);
    expect(page.events.map((e) => e.eventType)).toEqual(types);
    expect(page.head).toBe(page.events.at(-1)?.seq);
    // 120 events in batches of at most 50: at least three commits, the last one at the head.
    expect(committed.length).toBeGreaterThanOrEqual(3);
    expect(committed.at(-1)).toBe(page.head);
    // Each commit hands in-process consumers its events exactly as a read of the outbox returns them.
    expect(notified).toEqual(page.events);
  });

  it("refuses an event whose companyId is not a company id, naming the field", async () => {
    await expect(append("plugin.x.y", "acme")).rejects.toThrow(PluginEventRejected);
    await expect(append("plugin.x.y", "acme")).rejects.toThrow(
      /params\.companyId must be a company id \(a UUID\), got "acme"/,
    );
  });

  it("reads pages by exact type and escaped prefix, bounded by the head it saw", async () => {
    const head = await pages.head();
    await append("plugin.a_b.hit");
    await append("plugin.axb.miss");
    await append("issue.created");
    const matcher = new SubscriptionMatcher([
      { eventPattern: "plugin.a_b.*", filter: null },
      { eventPattern: "issue.created", filter: null },
    ]);
    const page = await pages.read(head, 10, matcher.types);
    expect(page.events.map((e) => e.eventType)).toEqual(["plugin.a_b.hit", "issue.created"]);
    expect(page.head).toBe(head + 3);
    const limited = await pages.read(head, 1, matcher.types);
    expect(limited.events.map((e) => e.eventType)).toEqual(["plugin.a_b.hit"]);
    expect(limited.events[0]).toMatchObject({ actorType: "plugin", actorId: "test", companyId: COMPANY });
    expect(limited.events[0]?.entityId).toBeUndefined();
  });

  it("shares the newest events through a bounded tail that never claims a range it has not read", async () => {
    const tail = new OutboxTail(pages, 4, 2);
    const everything = new SubscriptionMatcher([{ eventPattern: "plugin.*", filter: null }]);
    expect(tail.slice(0, 10, everything)).toBeNull();
    await tail.refresh();
    const start = tail.coveredTo;
    expect(tail.slice(start, 10, everything)).toEqual({ events: [], readTo: start });
    expect(tail.slice(start - 1, 10, everything)).toBeNull();

    for (let i = 0; i < 3; i++) await append(`plugin.tail.e${i}`);
    await tail.refresh();
    const slice = tail.slice(start, 2, everything);
    expect(slice?.events.map((e) => e.eventType)).toEqual(["plugin.tail.e0", "plugin.tail.e1"]);
    expect(slice?.readTo).toBe(start + 2);
    expect(tail.slice(start + 2, 10, everything)?.events.map((e) => e.eventType)).toEqual(["plugin.tail.e2"]);

    // Events offered right after the range are taken; one after a gap waits (until the gap fills or a refresh).
    const next = tail.coveredTo + 1;
    expect(tail.offer([event({ seq: next + 1, eventType: "plugin.tail.gap" })])).toBe(false);
    expect(tail.coveredTo).toBe(next - 1);
    tail.offer([
      event({ seq: next, eventType: "plugin.tail.offered" }),
      event({ seq: next + 1, eventType: "plugin.tail.offered2" }),
    ]);
    expect(tail.coveredTo).toBe(next + 1);
    // Five events: within the bound of 4 plus the quarter it may run over before trimming.
    expect(tail.slice(start, 10, everything)?.events).toHaveLength(5);
    tail.offer([event({ seq: next + 2, eventType: "plugin.tail.offered3" })]);
    // Six: trimmed back to 4, the oldest dropped; positions before them fall back to the database.
    expect(tail.slice(start, 10, everything)).toBeNull();
    expect(tail.slice(start + 1, 10, everything)).toBeNull();
    expect(tail.slice(next - 2, 10, everything)?.events.map((e) => e.eventType)).toEqual([
      "plugin.tail.e2",
      "plugin.tail.offered",
      "plugin.tail.offered2",
      "plugin.tail.offered3",
    ]);

    // A commit reported before an earlier one (concurrent transactions) waits for it; both are then taken in
    // sequence order, and what was already covered is not taken twice.
    expect(tail.offer([event({ seq: next + 4, eventType: "plugin.tail.late" })])).toBe(false);
    expect(tail.coveredTo).toBe(next + 2);
    expect(tail.offer([event({ seq: next + 3, eventType: "plugin.tail.early" })])).toBe(true);
    expect(tail.coveredTo).toBe(next + 4);
    expect(tail.offer([event({ seq: next + 4, eventType: "plugin.tail.late" })])).toBe(true);
    expect(tail.slice(next + 2, 10, everything)?.events.map((e) => e.eventType)).toEqual([
      "plugin.tail.early",
      "plugin.tail.late",
    ]);
  });
});
