// Plugin streams end to end (reference §9): a real worker's ctx.streams.open/emit/close → stream bus → SSE.
// Headers and `:ok`, event ids, open/close frames, company isolation, Last-Event-ID resume from the channel
// buffer (header and query), keep-alive comments, the synthetic close when the worker is SIGKILLed, the
// access errors, malformed notifications, and open streams ended by host shutdown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEP_ALIVE_ENV, keepAliveFromEnv } from "../../src/http/sse-connection.js";
import { streamNotificationHandler } from "../../src/plugins/streams/index.js";
import { LocalStreamBus, type StreamListener } from "../../src/plugins/streams/stream-bus.js";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  copyBridgeKit,
  eventually,
  openSse,
  type SseClient,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin streams over SSE on %s", (engine) => {
  let host: BridgeHost;
  let pluginId: string;
  let acme: Awaited<ReturnType<typeof seedCompany>>;
  let globex: Awaited<ReturnType<typeof seedCompany>>;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    // The operator's setting for the keep-alive interval, short so the test sees a few.
    process.env[KEEP_ALIVE_ENV] = "50";
    host = await startBridgeHost(engine);
    acme = await seedCompany(host.services, "Acme");
    globex = await seedCompany(host.services, "Globex");
    pluginId = (await host.install(copyBridgeKit(temp.make("streams")))).id;
  });
  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await host?.close();
  });

  const streamUrl = (channel: string, companyId: string) =>
    `/api/plugins/${pluginId}/bridge/stream/${channel}?companyId=${companyId}`;
  async function subscribe(
    channel: string,
    companyId: string,
    headers: Record<string, string> = {},
    url?: string,
  ) {
    const client = await openSse(host.port, url ?? streamUrl(channel, companyId), headers);
    clients.push(client);
    return client;
  }
  const stream = (companyId: string, params: Record<string, unknown>) =>
    host.request("POST", `/api/plugins/${pluginId}/actions/stream`, { companyId, params });
  const messages = (client: SseClient) => client.frames.filter((frame) => frame.event === "message");

  it("streams open, events and close as SSE frames with ids, after the §9 headers and :ok", async () => {
    const client = await subscribe("progress", acme.company.id);
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("text/event-stream");
    expect(client.headers["cache-control"]).toBe("no-cache");
    expect(client.headers.connection).toBe("keep-alive");
    expect(client.headers["x-accel-buffering"]).toBe("no");
    expect((await stream(acme.company.id, { channel: "progress", count: 3, label: "a" })).body.data).toEqual({
      emitted: 3,
    });
    const frames = await client.waitForFrames(5);
    expect(client.raw.startsWith(":ok\n\n")).toBe(true);
    expect(frames.map((frame) => frame.event)).toEqual(["open", "message", "message", "message", "close"]);
    expect(frames.slice(1, 4).map((frame) => JSON.parse(frame.data))).toEqual([
      { n: 0, label: "a" },
      { n: 1, label: "a" },
      { n: 2, label: "a" },
    ]);
    expect(JSON.parse(frames[0]!.data)).toEqual({ channel: "progress", companyId: acme.company.id });
    const ids = frames.map((frame) => frame.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => /^[0-9a-f]+-\d+$/.test(id ?? ""))).toBe(true);
  });

  it("keeps companies apart: a subscriber of one company never sees another company's events", async () => {
    const acmeClient = await subscribe("shared", acme.company.id);
    const globexClient = await subscribe("shared", globex.company.id);
    await stream(globex.company.id, { channel: "shared", count: 2, label: "globex" });
    await stream(acme.company.id, { channel: "shared", count: 1, label: "acme" });
    await acmeClient.waitForFrames(3);
    await globexClient.waitForFrames(4);
    expect(messages(acmeClient).map((frame) => JSON.parse(frame.data).label)).toEqual(["acme"]);
    expect(messages(globexClient).map((frame) => JSON.parse(frame.data).label)).toEqual(["globex", "globex"]);
  });

  it("resumes after Last-Event-ID (header or ?lastEventId=) with exactly the missed events", async () => {
    const first = await subscribe("resume", acme.company.id);
    await stream(acme.company.id, { channel: "resume", count: 3, label: "before", keepOpen: true });
    await first.waitForFrames(4); // open + 3
    const lastSeen = first.frames[2]!; // open, n0, n1 seen; n2 will be "missed"
    first.close();
    await stream(acme.company.id, { channel: "resume", count: 2, label: "while-away" });

    const resumed = await subscribe("resume", acme.company.id, { "last-event-id": lastSeen.id! });
    // n2 of the first burst, then the second burst: open, 2 events, close.
    await resumed.waitForFrames(5);
    expect(
      resumed.frames.map((frame) => (frame.event === "message" ? JSON.parse(frame.data) : frame.event)),
    ).toEqual([
      { n: 2, label: "before" },
      "open",
      { n: 0, label: "while-away" },
      { n: 1, label: "while-away" },
      "close",
    ]);
    expect(resumed.comments.some((comment) => comment.includes("missed"))).toBe(false);

    const viaQuery = await subscribe(
      "resume",
      acme.company.id,
      {},
      `${streamUrl("resume", acme.company.id)}&lastEventId=${encodeURIComponent(resumed.frames[3]!.id!)}`,
    );
    await viaQuery.waitForFrames(1);
    expect(viaQuery.frames.map((frame) => frame.event)).toEqual(["close"]);

    // An id from another incarnation of the channel (say, before a host restart): everything kept, flagged.
    const foreign = await subscribe("resume", acme.company.id, { "last-event-id": "deadbeef-3" });
    await foreign.waitForFrames(8);
    expect(foreign.frames.map((frame) => frame.event)).toEqual([
      "open",
      "message",
      "message",
      "message",
      "open",
      "message",
      "message",
      "close",
    ]);
    expect(foreign.comments.some((comment) => comment.includes("missed"))).toBe(true);
  });

  it("sends keep-alive comments while the stream is quiet", async () => {
    const client = await subscribe("quiet", acme.company.id);
    await client.waitFor(
      (c) => c.comments.filter((comment) => comment === "keep-alive").length >= 2,
      "two keep-alives",
    );
    expect(client.frames).toEqual([]);
  });

  it("closes the worker's open channels with a synthetic close when the worker is SIGKILLed", async () => {
    const client = await subscribe("live", acme.company.id);
    await stream(acme.company.id, { channel: "live", count: 1, keepOpen: true });
    await client.waitForFrames(2);
    expect(host.bus.openChannels(pluginId)).toEqual([
      { pluginId, channel: "live", companyId: acme.company.id },
    ]);
    const { pid } = (await host.request("POST", `/api/plugins/${pluginId}/actions/pid`, {})).body.data;
    process.kill(pid, "SIGKILL");
    await client.waitForFrames(3);
    const close = client.frames[2]!;
    expect(close.event).toBe("close");
    expect(JSON.parse(close.data)).toMatchObject({
      channel: "live",
      companyId: acme.company.id,
      synthetic: true,
    });
    // Closed at the crash itself (the supervisor's crash report), not later when a new process starts.
    expect(JSON.parse(close.data).reason).toBe("worker exited: exited unexpectedly (signal SIGKILL)");
    expect(host.bus.openChannels(pluginId)).toEqual([]);
    // The supervisor restarts the worker; the next tests need it back.
    await eventually(async () => {
      const answer = await host.request("POST", `/api/plugins/${pluginId}/actions/pid`, {});
      return answer.status === 200 && answer.body.data.pid !== pid;
    }, "the restarted worker to answer");
  });

  it("delivers a 10,000-event burst completely and in order", async () => {
    const client = await subscribe("burst", acme.company.id);
    expect((await stream(acme.company.id, { channel: "burst", count: 10_000 })).status).toBe(200);
    await client.waitForFrames(10_002, 20_000);
    const numbers = messages(client).map((frame) => JSON.parse(frame.data).n);
    expect(numbers.length).toBe(10_000);
    expect(numbers.every((n, index) => n === index)).toBe(true);
    expect(client.frames.at(-1)!.event).toBe("close");
  });

  it("refuses bad subscriptions: no companyId (400), unknown plugin or company (404), agents (403), not ready (502)", async () => {
    const noCompany = await host.request("GET", `/api/plugins/${pluginId}/bridge/stream/x`);
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.error).toBe('"companyId" query parameter is required');
    const unknown = await host.request(
      "GET",
      `/api/plugins/no.such.plugin/bridge/stream/x?companyId=${acme.company.id}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: "Plugin not found" });
    const noSuchCompany = await host.request("GET", streamUrl("x", "00000000-0000-4000-8000-000000000009"));
    expect(noSuchCompany.status).toBe(404);
    expect(noSuchCompany.body.error).toBe("Company not found");
    const agent = await host.request("GET", streamUrl("x", acme.company.id), undefined, {
      "x-paperclip-run-id": acme.run.id,
    });
    expect(agent.status).toBe(403);
    const longChannel = await host.request("GET", streamUrl("c".repeat(201), acme.company.id));
    expect(longChannel.status).toBe(400);
    await host.request("POST", `/api/plugins/${pluginId}/disable`, {});
    try {
      const disabled = await host.request("GET", streamUrl("x", acme.company.id));
      expect(disabled.status).toBe(502);
      expect(disabled.body).toEqual({
        code: "WORKER_UNAVAILABLE",
        message: "Plugin is not ready (current status: disabled)",
      });
    } finally {
      await host.request("POST", `/api/plugins/${pluginId}/enable`);
    }
  });

  // Last: it closes the host.
  it("ends open SSE responses when the host shuts down, so it can stop", async () => {
    const client = await subscribe("to-the-end", acme.company.id);
    await client.waitFor((c) => c.raw.startsWith(":ok"), "the stream to open");
    await host.close();
    await client.waitFor((c) => c.ended, "the response to end");
    expect(client.raw.replace(/: keep-alive\n\n/g, "")).toBe(":ok\n\n");
  });
});

describe("stream bus and notifications (in memory)", () => {
  const collect = (): StreamListener & { frames: string[] } => {
    const frames: string[] = [];
    return { frames, deliver: (frame) => frames.push(frame) };
  };
  const ref = { pluginId: "p1", channel: "c", companyId: "co" };

  it("keeps a bounded buffer and flags a resume from before it as a gap", () => {
    const bus = new LocalStreamBus({ bufferFrames: 3 });
    const first = collect();
    const subscription = bus.subscribe(ref, first);
    for (let n = 0; n < 6; n++) bus.publish(ref, "message", { n });
    subscription.unsubscribe();
    const ids = first.frames.map((frame) => /^id: (\S+)/.exec(frame)![1]!);
    const late = bus.subscribe(ref, collect(), ids[0]);
    expect(late.gap).toBe(true);
    expect(late.replay.map((frame) => JSON.parse(frame.split("data: ")[1]!).n)).toEqual([3, 4, 5]);
    const recent = bus.subscribe(ref, collect(), ids[3]);
    expect(recent.gap).toBe(false);
    expect(recent.replay.length).toBe(2);
  });

  it("reads the keep-alive interval from the environment and refuses a bad value by name", () => {
    expect(keepAliveFromEnv({ [KEEP_ALIVE_ENV]: "2500" })).toBe(2500);
    expect(keepAliveFromEnv({ [KEEP_ALIVE_ENV]: "0" })).toBe(0);
    expect(keepAliveFromEnv({})).toBeUndefined();
    for (const bad of ["soon", "-1", "1.5"]) {
      expect(() => keepAliveFromEnv({ [KEEP_ALIVE_ENV]: bad })).toThrow(
        `PAPERCLIP_SSE_KEEPALIVE_MS must be a whole number of milliseconds ≥ 0 (got "${bad}")`,
      );
    }
  });

  it("drops malformed stream notifications with a warning that names the field", () => {
    const bus = new LocalStreamBus();
    const warnings: string[] = [];
    const logger = { warn: (_fields: unknown, message: string) => warnings.push(message) };
    const handle = streamNotificationHandler(bus, "p1", logger as never);
    const listener = collect();
    bus.subscribe(ref, listener);
    handle("streams.emit", { companyId: "co", event: 1 });
    handle("streams.emit", { channel: "c", event: 1 });
    handle("streams.open", "not an object");
    handle("streams.emit", { channel: "x".repeat(201), companyId: "co" });
    expect(warnings).toEqual([
      'Dropped streams.emit from plugin p1: "channel" must be a non-empty string',
      'Dropped streams.emit from plugin p1: "companyId" must be a non-empty string',
      "Dropped streams.open from plugin p1: params must be an object",
      'Dropped streams.emit from plugin p1: "channel" must be at most 200 characters',
    ]);
    handle("streams.emit", { channel: "c", companyId: "co", event: { ok: true } });
    expect(listener.frames).toHaveLength(1);
    expect(listener.frames[0]).toMatch(/^id: [0-9a-f]+-1\ndata: \{"ok":true\}\n\n$/);
  });
});
