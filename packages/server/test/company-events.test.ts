// GET /api/companies/:companyId/events/stream over real HTTP: events committed through the REST API, through the
// domain services (as plugin host services call them) and by plugins (ctx.events.emit → outbox) arrive at once;
// Last-Event-ID resumes without loss or repeats; unknown companies are a JSON 404; a client that goes away
// leaves no subscriber and no commit listener behind.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { LOCAL_BOARD_ACTOR } from "../src/domain/actor.js";
import { createServices } from "../src/domain/services.js";
import { buildApp } from "../src/http/app.js";
import { CompanyEventHub } from "../src/http/company-event-hub.js";
import { parseLastEventId } from "../src/http/routes/company-events.js";
import { OutboxAppender } from "../src/plugins/events/plugin-event-writer.js";
import { startTestHost, type TestHost } from "./support/app.js";
import { ENGINES } from "./support/database.js";

interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

/** A minimal EventSource over node:http that records every event and comment. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private text = "";
  private waiters: (() => void)[] = [];
  ended = false;

  private constructor(
    private readonly request: http.ClientRequest,
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    readonly body: string,
  ) {}

  /** Resolves once the response started (headers and the first bytes of a stream, or a whole error body). */
  static open(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(`${baseUrl}${path}`, { headers }, (response) => {
        response.setEncoding("utf8");
        const status = response.statusCode ?? 0;
        if (status !== 200) {
          let body = "";
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () => resolve(new SseClient(request, status, response.headers, body)));
          return;
        }
        const client = new SseClient(request, status, response.headers, "");
        let opened = false;
        response.on("data", (chunk: string) => {
          client.feed(chunk);
          if (!opened) {
            opened = true;
            resolve(client);
          }
        });
        response.on("close", () => {
          client.ended = true;
          client.notify();
        });
      });
      request.on("error", (error) => {
        if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
      });
    });
  }

  private feed(chunk: string): void {
    this.text += chunk;
    for (;;) {
      const end = this.text.indexOf("\n\n");
      if (end < 0) break;
      const block = this.text.slice(0, end);
      this.text = this.text.slice(end + 2);
      let id: string | null = null;
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else if (line.startsWith("id: ")) id = line.slice(4);
        else if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join("\n")) });
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Wait until `check` holds (re-checked on every chunk), failing after `timeoutMs`. */
  async until<T>(check: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ofType(type: string): SseEvent[] {
    return this.events.filter((event) => event.data?.type === type);
  }

  close(): void {
    this.request.destroy();
  }
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function listenerCount(host: TestHost): number {
  return (host.services.notifier as unknown as { listeners: Set<unknown> }).listeners.size;
}

describe.each(ENGINES)("company event stream on %s", (engine) => {
  let host: TestHost;
  let companyId: string;
  let otherCompanyId: string;
  const streamPath = () => `/api/companies/${companyId}/events/stream`;

  beforeAll(async () => {
    host = await startTestHost(engine);
    companyId = (await host.request("POST", "/api/companies", { name: "Stream Co" })).body.id;
    otherCompanyId = (await host.request("POST", "/api/companies", { name: "Other Co" })).body.id;
  });
  afterAll(async () => host?.close());

  it("delivers an issue created through the API within a second of its commit", async () => {
    const stream = await SseClient.open(host.baseUrl, streamPath());
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers["content-type"]).toBe("text/event-stream");
      expect(stream.headers["cache-control"]).toBe("no-cache");
      const created = await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Live" });
      expect(created.status).toBe(201);
      const committed = Date.now();
      const [event] = await stream.until(() => {
        const found = stream.ofType("issue.created");
        return found.length > 0 && found;
      }, "issue.created");
      expect(Date.now() - committed).toBeLessThan(1_000);
      expect(event!.id).toMatch(/^\d+$/);
      expect(event!.event).toBe("message");
      expect(event!.data).toMatchObject({
        type: "issue.created",
        entityType: "issue",
        entityId: created.body.id,
        companyId,
        payload: expect.any(Object),
      });
      expect(new Date(event!.data.occurredAt).toISOString()).toBe(event!.data.occurredAt);
      // The activity row of the same mutation follows, with a higher id; ids only grow.
      await stream.until(() => stream.ofType("activity.logged").length > 0, "activity.logged");
      const ids = stream.events.map((e) => Number(e.id));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    } finally {
      stream.close();
    }
  });

  it("sends only the company's own events, including changes made by services and plugin events", async () => {
    const stream = await SseClient.open(host.baseUrl, streamPath());
    try {
      await host.request("POST", `/api/companies/${otherCompanyId}/issues`, { title: "Elsewhere" });
      // What a plugin's ctx.issues.create does: the domain service, with another actor.
      const direct = await host.services.issues.create(LOCAL_BOARD_ACTOR, companyId, { title: "By service" });
      // What a plugin's ctx.events.emit does: an event appended to the outbox.
      const appender = new OutboxAppender(host.database.db, host.services.notifier);
      const eventId = randomUUID();
      await appender.append({
        eventId,
        eventType: "plugin.acme.sync.done",
        occurredAt: new Date().toISOString(),
        actorType: "plugin",
        actorId: "acme.sync",
        entityType: "issue",
        entityId: direct.id,
        companyId,
        payload: { synced: 3 },
      });
      await stream.until(() => stream.ofType("plugin.acme.sync.done").length > 0, "the plugin event");
      expect(stream.ofType("issue.created").map((e) => e.data.entityId)).toEqual([direct.id]);
      expect(stream.ofType("plugin.acme.sync.done")[0]!.data).toMatchObject({
        eventId,
        companyId,
        entityId: direct.id,
        actorType: "plugin",
        payload: { synced: 3 },
      });
      expect(stream.events.every((e) => e.data.companyId === companyId)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it("resumes after Last-Event-ID with what was missed, nothing repeated", async () => {
    const first = await SseClient.open(host.baseUrl, streamPath());
    await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Seen" });
    const [seen] = await first.until(() => {
      const found = first.ofType("activity.logged");
      return found.length > 0 && found;
    }, "the first issue's events");
    const lastId = first.events.at(-1)!.id!;
    first.close();
    await eventually(() => host.app.companyEvents.size === 0, "the first stream gone");

    // While disconnected: two issues here, one elsewhere.
    const missedA = (await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Missed A" }))
      .body;
    await host.request("POST", `/api/companies/${otherCompanyId}/issues`, { title: "Not mine" });
    const missedB = (await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Missed B" }))
      .body;

    const resumed = await SseClient.open(host.baseUrl, streamPath(), { "last-event-id": lastId });
    try {
      await resumed.until(() => resumed.ofType("issue.created").length >= 2, "the missed issues");
      expect(resumed.ofType("issue.created").map((e) => e.data.entityId)).toEqual([missedA.id, missedB.id]);
      // Then live events follow the replay.
      const live = (await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Live" })).body;
      await resumed.until(() => resumed.ofType("issue.created").length >= 3, "the live issue");
      expect(resumed.ofType("issue.created").map((e) => e.data.entityId)).toEqual([
        missedA.id,
        missedB.id,
        live.id,
      ]);
      const ids = resumed.events.map((e) => Number(e.id));
      expect(ids.every((id) => id > Number(lastId))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(resumed.events.some((e) => e.data.eventId === seen!.data.eventId)).toBe(false);
      expect(resumed.events.every((e) => e.data.companyId === companyId)).toBe(true);
    } finally {
      resumed.close();
    }

    // The query parameter works too (for clients that cannot set headers).
    const byQuery = await SseClient.open(host.baseUrl, `${streamPath()}?lastEventId=${lastId}`);
    try {
      await byQuery.until(() => byQuery.ofType("issue.created").length >= 3, "the replay by query");
    } finally {
      byQuery.close();
    }
  });

  it("answers a resume position it cannot serve with a reset event", async () => {
    const head = await host.head();
    const stream = await SseClient.open(host.baseUrl, streamPath(), { "last-event-id": String(head + 1000) });
    try {
      const [reset] = await stream.until(() => {
        const found = stream.events.filter((e) => e.event === "reset");
        return found.length > 0 && found;
      }, "a reset");
      expect(reset!.data.reason).toMatch(/ahead/);
      // Live events still arrive afterwards.
      await host.request("POST", `/api/companies/${companyId}/issues`, { title: "After reset" });
      await stream.until(() => stream.ofType("issue.created").length > 0, "a live event after the reset");
    } finally {
      stream.close();
    }
  });

  it("is listed in the OpenAPI document", async () => {
    const doc = (await host.request("GET", "/api/openapi.json")).body;
    const route = doc.paths["/api/companies/{companyId}/events/stream"]?.get;
    expect(route).toMatchObject({ tags: ["events"] });
    expect(route.description).toContain("text/event-stream");
    expect(route.parameters.map((p: any) => p.name).sort()).toEqual(["companyId", "lastEventId"]);
  });

  it("answers 404 JSON for an unknown company", async () => {
    for (const id of [randomUUID(), "not-a-uuid"]) {
      const response = await SseClient.open(host.baseUrl, `/api/companies/${id}/events/stream`);
      expect(response.status).toBe(404);
      expect(response.headers["content-type"]).toMatch(/application\/json/);
      expect(JSON.parse(response.body)).toMatchObject({ error: "Company not found" });
    }
    expect(host.app.companyEvents.size).toBe(0);
  });

  it("removes the subscriber and its commit listener when the client disconnects", async () => {
    await eventually(() => host.app.companyEvents.size === 0, "no stream open");
    const baseline = listenerCount(host);
    expect(host.app.companyEvents.attached).toBe(false);
    const streams = await Promise.all(
      Array.from({ length: 5 }, () => SseClient.open(host.baseUrl, streamPath())),
    );
    expect(host.app.companyEvents.size).toBe(5);
    expect(host.app.companyEvents.attached).toBe(true);
    // One commit listener for the hub, however many streams.
    expect(listenerCount(host)).toBe(baseline + 1);
    for (const stream of streams.slice(0, 4)) stream.close();
    await eventually(() => host.app.companyEvents.size === 1, "four streams gone");
    expect(listenerCount(host)).toBe(baseline + 1);
    streams[4]!.close();
    await eventually(() => host.app.companyEvents.size === 0, "every stream gone");
    expect(host.app.companyEvents.attached).toBe(false);
    expect(listenerCount(host)).toBe(baseline);
    // Commits with nobody listening cost the hub nothing, and a new stream still works.
    await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Unheard" });
    const again = await SseClient.open(host.baseUrl, streamPath());
    try {
      await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Heard" });
      await again.until(() => again.ofType("issue.created").length === 1, "the new stream's event");
      expect(again.ofType("issue.created")[0]!.data.payload).toMatchObject({ title: "Heard" });
    } finally {
      again.close();
    }
  });

  it("loses and repeats nothing when commits race a resume", async () => {
    const lastId = String(await host.head());
    const before = (await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Before" }))
      .body;
    const writes = Array.from({ length: 20 }, (_, i) =>
      host.request("POST", `/api/companies/${companyId}/issues`, { title: `Race ${i}` }),
    );
    const stream = await SseClient.open(host.baseUrl, streamPath(), { "last-event-id": lastId });
    try {
      const created = (await Promise.all(writes)).map((response) => response.body.id as string);
      await stream.until(() => stream.ofType("issue.created").length >= 21, "all 21 issues");
      const seen = stream.ofType("issue.created").map((e) => e.data.entityId as string);
      expect(new Set(seen)).toEqual(new Set([before.id, ...created]));
      expect(seen).toHaveLength(21);
      const ids = stream.events.map((e) => Number(e.id));
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    } finally {
      stream.close();
    }
  });

  if (engine === "postgres") {
    it("delivers commits made by another host node (LISTEN)", async () => {
      const db = await openDatabase({ kind: "postgres", url: host.database.url!, poolMax: 3 });
      let other: FastifyInstance | null = null;
      try {
        other = await buildApp({
          db,
          config: { deploymentMode: "local_trusted", bodyLimitBytes: 64 * 1024 },
          logger: false,
          services: createServices(db),
        });
        await other.listen({ port: 0, host: "127.0.0.1" });
        const address = other.server.address();
        const otherUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
        const stream = await SseClient.open(otherUrl, streamPath());
        try {
          // The stream opened once the hub LISTENs, so the commit below cannot slip past it.
          const created = (
            await host.request("POST", `/api/companies/${companyId}/issues`, { title: "Node A" })
          ).body;
          await stream.until(() => stream.ofType("issue.created").length > 0, "the other node's commit");
          expect(stream.ofType("issue.created")[0]!.data.entityId).toBe(created.id);
        } finally {
          stream.close();
        }
      } finally {
        await other?.close();
        await db.close();
      }
    });
  }
});

describe("company event stream keep-alive", () => {
  let host: TestHost;
  const saved = process.env.PAPERCLIP_SSE_KEEPALIVE_MS;

  beforeAll(async () => {
    process.env.PAPERCLIP_SSE_KEEPALIVE_MS = "50";
    host = await startTestHost("pglite");
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.PAPERCLIP_SSE_KEEPALIVE_MS;
    else process.env.PAPERCLIP_SSE_KEEPALIVE_MS = saved;
    await host?.close();
  });

  it("sends a comment on every keep-alive interval, and ends open streams on shutdown", async () => {
    const companyId = (await host.request("POST", "/api/companies", { name: "Quiet Co" })).body.id;
    const stream = await SseClient.open(host.baseUrl, `/api/companies/${companyId}/events/stream`);
    await stream.until(
      () => stream.comments.filter((c) => c === "keep-alive").length >= 2,
      "two keep-alives",
    );
    expect(stream.comments[0]).toBe("ok");
    await host.app.close();
    await stream.until(() => stream.ended, "the stream ended by the server");
    expect(host.app.companyEvents.size).toBe(0);
  });
});

describe("company event hub", () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost("pglite");
  });
  afterAll(async () => host?.close());

  it("resets a resume that would replay more than maxReplay events", async () => {
    const companyId = (await host.request("POST", "/api/companies", { name: "Busy Co" })).body.id;
    const from = await host.head();
    for (let i = 0; i < 3; i++)
      await host.services.issues.create(LOCAL_BOARD_ACTOR, companyId, { title: `#${i}` });
    const { services } = host;
    const hub = new CompanyEventHub({
      db: services.db,
      notifier: services.notifier,
      outbox: services.outbox,
      logger: { warn: () => {} },
      maxReplay: 4,
      pageSize: 2,
    });
    const frames: string[] = [];
    const subscription = await hub.subscribe(companyId, { deliver: (frame) => frames.push(frame) }, from);
    await subscription.start();
    // 4 events replayed (issue.created + activity.logged of two issues), then a reset instead of the rest.
    expect(frames.filter((frame) => frame.startsWith("id: "))).toHaveLength(4);
    expect(frames.at(-1)).toMatch(/^event: reset\ndata: \{"reason":"more than 4 events/);
    // Live events continue after the reset.
    const live = await services.issues.create(LOCAL_BOARD_ACTOR, companyId, { title: "live" });
    await eventually(() => frames.some((frame) => frame.includes(live.id)), "the live event");
    subscription.unsubscribe();
    expect(hub.size).toBe(0);
    expect(hub.attached).toBe(false);
    hub.close();
  });
});

describe("Last-Event-ID parsing", () => {
  it("takes a sequence from the header, else the query, and ignores anything else", () => {
    expect(parseLastEventId("42", undefined)).toBe(42);
    expect(parseLastEventId(undefined, "7")).toBe(7);
    expect(parseLastEventId("42", "7")).toBe(42);
    expect(parseLastEventId("", "7")).toBe(7);
    expect(parseLastEventId("abc", undefined)).toBeNull();
    expect(parseLastEventId("-1", undefined)).toBeNull();
    expect(parseLastEventId("1e3", undefined)).toBeNull();
    expect(parseLastEventId(undefined, undefined)).toBeNull();
  });
});
