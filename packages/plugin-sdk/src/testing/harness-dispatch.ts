/**
 * The host→worker half of the harness: what the host would call on the plugin (deliver an
 * event, run a job, answer getData / performAction / executeTool, push a session event),
 * applying the same routing rules the host and the worker runtime apply.
 */
import { randomUUID } from "node:crypto";
import { PLUGIN_JOB_RUN_TRIGGERS } from "../constants.js";
import type { PluginPerformActionActorContext, PluginPerformActionContext } from "../protocol/methods.js";
import type { AgentSessionEvent, PluginJobContext, ToolRunContext } from "../types/index.js";
import { buildTestEvent } from "./event-bus.js";
import type { TestHarness, TestHarnessPerformActionOptions } from "./harness-types.js";
import type { HarnessRuntime } from "./runtime.js";
import { optionalPlainObject, requireNonEmptyString, requireOneOf, requirePlainObject } from "./validate.js";

const ACTOR_TYPES = ["user", "agent", "system"] as const;

type Dispatch = Pick<
  TestHarness,
  "emit" | "runJob" | "getData" | "performAction" | "executeTool" | "getState" | "simulateSessionEvent"
>;

export function buildDispatch(runtime: HarnessRuntime): Dispatch {
  const { manifest, handlers, pluginId } = runtime;

  return {
    async emit(eventType, payload, base) {
      await runtime.events.deliver(buildTestEvent(eventType, payload, base));
    },

    async runJob(jobKey, partial) {
      const key = requireNonEmptyString(jobKey, "harness.runJob: jobKey");
      // The host schedules and triggers only jobs the manifest declares.
      if (!(manifest.jobs ?? []).some((job) => job.jobKey === key)) {
        throw new Error(
          `harness.runJob: job '${key}' is not declared in manifest.jobs, so the host would never run it`,
        );
      }
      const overrides = (optionalPlainObject(partial, "harness.runJob: partial") ??
        {}) as Partial<PluginJobContext>;
      if (overrides.trigger !== undefined) {
        requireOneOf(overrides.trigger, PLUGIN_JOB_RUN_TRIGGERS, "harness.runJob: partial.trigger");
      }
      const handler = handlers.jobs.resolve(key);
      const job: PluginJobContext = {
        runId: randomUUID(),
        trigger: "manual",
        scheduledAt: new Date().toISOString(),
        ...overrides,
        jobKey: key,
      };
      await handler(job);
    },

    async getData<T>(key: string, params?: Record<string, unknown>) {
      const handler = handlers.data.resolve(requireNonEmptyString(key, "harness.getData: key"));
      return (await handler(optionalPlainObject(params, "harness.getData: params") ?? {})) as T;
    },

    async performAction<T>(
      key: string,
      params?: Record<string, unknown>,
      options?: TestHarnessPerformActionOptions,
    ) {
      const handler = handlers.actions.resolve(requireNonEmptyString(key, "harness.performAction: key"));
      const input = { ...(optionalPlainObject(params, "harness.performAction: params") ?? {}) };
      const opts = (optionalPlainObject(options, "harness.performAction: options") ??
        {}) as TestHarnessPerformActionOptions;
      const requested = (optionalPlainObject(opts.actor, "harness.performAction: options.actor") ??
        {}) as Partial<PluginPerformActionActorContext>;
      const companyId = opts.companyId ?? requested.companyId ?? null;
      // The bridge injects the company it authorized, so params cannot spoof another one.
      if (opts.companyId != null) input.companyId = opts.companyId;
      const actor: PluginPerformActionActorContext = Object.freeze({
        // The worker coerces an unknown actor type to "system", never trusting it.
        type: (ACTOR_TYPES as readonly string[]).includes(requested.type as string)
          ? requested.type!
          : "system",
        userId: requested.userId ?? null,
        agentId: requested.agentId ?? null,
        runId: requested.runId ?? null,
        companyId,
      });
      const context: PluginPerformActionContext = Object.freeze({ actor, companyId });
      return (await handler(input, context)) as T;
    },

    async executeTool<T>(name: string, params: unknown, runCtx?: Partial<ToolRunContext>) {
      const requested = requireNonEmptyString(name, "harness.executeTool: name");
      // Agents see tools as "<pluginId>:<tool>"; the host strips the namespace before calling the worker.
      const toolName = requested.startsWith(`${pluginId}:`)
        ? requested.slice(pluginId.length + 1)
        : requested;
      if (!(manifest.tools ?? []).some((tool) => tool.name === toolName)) {
        throw new Error(
          `harness.executeTool: tool '${toolName}' is not declared in manifest.tools, so the host would never expose it to agents`,
        );
      }
      const handler = handlers.tools.resolve(toolName);
      const context: ToolRunContext = {
        agentId: "agent-test",
        runId: randomUUID(),
        companyId: "company-test",
        projectId: "project-test",
        ...(optionalPlainObject(runCtx, "harness.executeTool: runCtx") ?? {}),
      };
      return (await handler(params, context)) as T;
    },

    getState(input) {
      return runtime.state.peek(input);
    },

    simulateSessionEvent(sessionId, event) {
      const id = requireNonEmptyString(sessionId, "harness.simulateSessionEvent: sessionId");
      const fields = requirePlainObject(event, "harness.simulateSessionEvent: event");
      requireOneOf(
        fields.eventType,
        ["chunk", "status", "done", "error"] as const,
        "harness.simulateSessionEvent: event.eventType",
      );
      const callback = runtime.sessionCallbacks.get(id);
      if (!callback) throw new Error(`No active session event callback for session: ${id}`);
      callback({ ...(fields as Omit<AgentSessionEvent, "sessionId">), sessionId: id });
    },
  };
}
