import { definePlugin, type PluginContext, runWorker, type ToolResult } from "@paperclipai/plugin-sdk";

/** Instance-wide counter of the issues this plugin has seen; the `health` data reports it. */
const ISSUES_SEEN = { scopeKind: "instance", stateKey: "issues-seen" } as const;

/** Per-issue marker, so a plugin (or a test) can tell which issues were observed. */
function seenMarker(issueId: string) {
  return { scopeKind: "issue", scopeId: issueId, stateKey: "seen" } as const;
}

/**
 * Runs read-modify-write steps one after another. The host delivers up to 64 events to a plugin at once (each
 * `onEvent` is a request, and a handler that awaits overlaps the next one), so a handler that reads a counter
 * and writes it back must not interleave with another: without this queue two handlers read the same value and
 * one increment is lost (the count came out 217 for 2,383 issues). The host can also deliver strictly one event
 * at a time (`limits.eventMaxInFlight: 1`, docs/plugin-events.md); this keeps the plugin correct on any host.
 */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const counting = new SerialQueue();

/**
 * Count an issue once: the per-issue marker makes a redelivered event (delivery is at least once) a no-op, and
 * the queue makes the check-then-increment atomic within this worker (the only one receiving this plugin's
 * events: one host node delivers a plugin's stream at a time).
 */
function countIssue(ctx: PluginContext, issueId: string): Promise<number | null> {
  return counting.run(async () => {
    if ((await ctx.state.get(seenMarker(issueId))) === true) return null;
    const previous = await ctx.state.get(ISSUES_SEEN);
    const seen = (typeof previous === "number" ? previous : 0) + 1;
    await ctx.state.set(ISSUES_SEEN, seen);
    await ctx.state.set(seenMarker(issueId), true);
    return seen;
  });
}

async function onIssueCreated(ctx: PluginContext, event: { entityId?: string; companyId: string }) {
  const issueId = event.entityId ?? "unknown";
  const seen = await countIssue(ctx, issueId);
  if (seen === null) return; // already counted: this is a redelivery
  await ctx.activity.log({
    companyId: event.companyId,
    message: `Hello World saw issue ${issueId}`,
    entityType: "issue",
    entityId: issueId,
  });
  ctx.logger.info("Observed issue.created", { issueId, seen });
}

/** Agents may send anything; answer bad input with a tool error instead of throwing. */
function add(params: unknown): ToolResult {
  const { a, b } = (params ?? {}) as { a?: unknown; b?: unknown };
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) {
    return { error: "calculator needs finite numbers in both 'a' and 'b'" };
  }
  return { content: `Result: ${a + b}`, data: { result: a + b } };
}

const plugin = definePlugin({
  async setup(ctx) {
    ctx.events.on("issue.created", async (event) => onIssueCreated(ctx, event));

    ctx.data.register("health", async () => {
      const seen = await ctx.state.get(ISSUES_SEEN);
      return {
        status: "ok",
        issuesSeen: typeof seen === "number" ? seen : 0,
        checkedAt: new Date().toISOString(),
      };
    });

    ctx.actions.register("ping", async (params, context) => {
      ctx.logger.info("Ping action invoked", { actor: context.actor.type });
      return {
        pong: true,
        echo: params.message ?? null,
        companyId: context.companyId,
        at: new Date().toISOString(),
      };
    });

    ctx.tools.register(
      "calculator",
      {
        displayName: "Calculator",
        description: "Adds two numbers and returns the sum.",
        parametersSchema: {
          type: "object",
          properties: { a: { type: "number" }, b: { type: "number" } },
          required: ["a", "b"],
        },
      },
      async (params) => add(params),
    );
  },

  async onHealth() {
    return { status: "ok", message: "Hello World is running" };
  },
});

export default plugin;

// Starts the JSON-RPC host only when run as `node dist/worker.js`; importing this file (tests) does nothing.
runWorker(plugin, import.meta.url);
