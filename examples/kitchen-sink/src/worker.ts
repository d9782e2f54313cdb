// The Kitchen Sink worker: data and actions for the UI, the `counter` stream, the `tick` job, the `ping`
// webhook and an issue.created counter, all kept in plugin state so the board can show them.
import {
  definePlugin,
  type PaperclipPlugin,
  type PluginContext,
  type PluginWebhookInput,
  runWorker,
} from "@paperclipai/plugin-sdk";
import { CompanyCounters, type CompanyCountersOptions } from "./counter.js";

/** A note added from the page through the `add-note` action. */
export interface Note {
  id: string;
  text: string;
  createdAt: string;
  actor: string;
}

export const MAX_NOTES = 50;
export const MAX_NOTE_LENGTH = 500;

const JOB_TICKS = { scopeKind: "instance", stateKey: "job-ticks" } as const;
const LAST_TICK = { scopeKind: "instance", stateKey: "last-tick" } as const;
const WEBHOOK_DELIVERIES = { scopeKind: "instance", stateKey: "webhook-deliveries" } as const;
const LAST_WEBHOOK = { scopeKind: "instance", stateKey: "last-webhook" } as const;

function companyKey(companyId: string, stateKey: string) {
  return { scopeKind: "company", scopeId: companyId, stateKey } as const;
}

function asCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function asNotes(value: unknown): Note[] {
  return Array.isArray(value) ? (value as Note[]) : [];
}

/** The company a bridge call was authorized for; data and actions of this plugin are all company-scoped. */
function requireCompany(params: Record<string, unknown>, what: string): string {
  const companyId = params.companyId;
  if (typeof companyId !== "string" || companyId === "") {
    throw new Error(`${what} needs a companyId (call it from a company page)`);
  }
  return companyId;
}

function optionalString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export interface KitchenSinkOptions {
  counter?: CompanyCountersOptions;
}

/** A fresh plugin with its own counters: the worker uses one, each test builds its own. */
export function createKitchenSinkPlugin(options: KitchenSinkOptions = {}): PaperclipPlugin {
  let context: PluginContext | null = null;
  const ctxOf = (): PluginContext => {
    if (!context) throw new Error("Kitchen Sink: setup() has not run");
    return context;
  };
  const counters = new CompanyCounters(() => ctxOf().streams, options.counter);

  async function overview(companyId: string) {
    const ctx = ctxOf();
    const [issuesCreated, lastIssue, notes, jobTicks, lastTick, webhookDeliveries, lastWebhook] =
      await Promise.all([
        ctx.state.get(companyKey(companyId, "issues-created")),
        ctx.state.get(companyKey(companyId, "last-issue")),
        ctx.state.get(companyKey(companyId, "notes")),
        ctx.state.get(JOB_TICKS),
        ctx.state.get(LAST_TICK),
        ctx.state.get(WEBHOOK_DELIVERIES),
        ctx.state.get(LAST_WEBHOOK),
      ]);
    return {
      companyId,
      issuesCreated: asCount(issuesCreated),
      lastIssue: lastIssue ?? null,
      notes: asNotes(notes).length,
      jobTicks: asCount(jobTicks),
      lastTick: lastTick ?? null,
      webhookDeliveries: asCount(webhookDeliveries),
      lastWebhook: lastWebhook ?? null,
      counter: { streaming: counters.valueOf(companyId) !== null, value: counters.valueOf(companyId) },
    };
  }

  return definePlugin({
    async setup(ctx) {
      context = ctx;

      ctx.events.on("issue.created", async (event) => {
        const key = companyKey(event.companyId, "issues-created");
        const count = asCount(await ctx.state.get(key)) + 1;
        await ctx.state.set(key, count);
        const payload = (event.payload ?? {}) as { title?: unknown };
        await ctx.state.set(companyKey(event.companyId, "last-issue"), {
          id: event.entityId ?? null,
          title: typeof payload.title === "string" ? payload.title : null,
          at: event.occurredAt,
        });
        ctx.logger.info("Kitchen Sink counted issue.created", { companyId: event.companyId, count });
      });

      ctx.jobs.register("tick", async (job) => {
        const ticks = asCount(await ctx.state.get(JOB_TICKS)) + 1;
        await ctx.state.set(JOB_TICKS, ticks);
        await ctx.state.set(LAST_TICK, {
          runId: job.runId,
          trigger: job.trigger,
          scheduledAt: job.scheduledAt,
          at: new Date().toISOString(),
        });
      });

      ctx.data.register("overview", async (params) => overview(requireCompany(params, "overview")));

      ctx.data.register("notes", async (params) => {
        const companyId = requireCompany(params, "notes");
        return { companyId, notes: asNotes(await ctx.state.get(companyKey(companyId, "notes"))) };
      });

      // Echoes what the bridge delivered, so a slot can show the context its data call carried.
      ctx.data.register("context", async (params) => ({
        companyId: optionalString(params.companyId),
        entityId: optionalString(params.entityId),
        entityType: optionalString(params.entityType),
        renderEnvironment: params.renderEnvironment ?? null,
      }));

      ctx.data.register("config", async (params) => {
        const companyId = optionalString(params.companyId);
        return { companyId, config: await ctx.config.get(companyId ?? undefined) };
      });

      ctx.actions.register("add-note", async (params, call) => {
        const companyId = call.companyId ?? requireCompany(params, "add-note");
        const text = typeof params.text === "string" ? params.text.trim() : "";
        if (text === "") throw new Error("add-note needs a non-empty 'text'");
        if (text.length > MAX_NOTE_LENGTH)
          throw new Error(`a note has at most ${MAX_NOTE_LENGTH} characters`);
        const key = companyKey(companyId, "notes");
        const notes = asNotes(await ctx.state.get(key));
        const note: Note = {
          id: `note-${Date.now().toString(36)}-${notes.length + 1}`,
          text,
          createdAt: new Date().toISOString(),
          actor: call.actor.userId ?? call.actor.agentId ?? call.actor.type,
        };
        await ctx.state.set(key, [...notes, note].slice(-MAX_NOTES));
        return note;
      });

      ctx.actions.register("launcher-ping", async (params, call) => ({
        ok: true,
        message: `Kitchen Sink pong (${optionalString(params.source) ?? "unknown source"})`,
        companyId: call.companyId,
        entityId: optionalString(params.entityId),
        entityType: optionalString(params.entityType),
        actor: call.actor.type,
        at: new Date().toISOString(),
      }));

      ctx.actions.register("counter.start", async (params, call) => {
        const companyId = call.companyId ?? requireCompany(params, "counter.start");
        return { companyId, value: counters.start(companyId) };
      });

      ctx.actions.register("counter.stop", async (params, call) => {
        const companyId = call.companyId ?? requireCompany(params, "counter.stop");
        const value = counters.valueOf(companyId);
        return { companyId, stopped: counters.stop(companyId), value };
      });
    },

    async onWebhook(input: PluginWebhookInput) {
      if (input.endpointKey !== "ping") throw new Error(`Unknown webhook endpoint "${input.endpointKey}"`);
      const ctx = ctxOf();
      const deliveries = asCount(await ctx.state.get(WEBHOOK_DELIVERIES)) + 1;
      await ctx.state.set(WEBHOOK_DELIVERIES, deliveries);
      await ctx.state.set(LAST_WEBHOOK, {
        requestId: input.requestId,
        body: input.parsedBody ?? input.rawBody,
        receivedAt: new Date().toISOString(),
      });
      ctx.logger.info("Kitchen Sink webhook received", { requestId: input.requestId, deliveries });
    },

    async onHealth() {
      return {
        status: "ok",
        message: "Kitchen Sink is running",
        details: { streamingCompanies: counters.companies().length },
      };
    },

    async onShutdown() {
      counters.stopAll();
    },
  });
}

const plugin = createKitchenSinkPlugin();
export default plugin;

// Starts the JSON-RPC host only when run as `node dist/worker.js`; importing this file (tests) does nothing.
runWorker(plugin, import.meta.url);
