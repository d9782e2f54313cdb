// One plugin's worker→host side: every request passes the gate — hosted method (else METHOD_NOT_FOUND),
// declared capability (else CAPABILITY_DENIED), well-formed params, company scope (else
// INVOCATION_SCOPE_DENIED) — and then its service. Notifications (ctx.logger, streams) are scoped the same way.
import { CapabilityDeniedError, getRequiredCapability } from "@paperclipai/plugin-sdk";
import type { PluginCapability } from "@paperclipai/plugin-sdk/types";
import { type Actor, pluginActor } from "../../domain/actor.js";
import { findJsonProblem, jsonProblemMessage } from "../../json-values.js";
import type { HostCall, InvocationScope, MethodTable, PluginIdentity } from "./call.js";
import type { ConfiguredCompanies } from "./configured-companies.js";
import type { HostServiceDeps } from "./deps.js";
import { fromServiceError, MethodNotHostedError } from "./errors.js";
import { type InvocationHandle, InvocationRegistry } from "./invocations.js";
import { notHostedReason } from "./methods/index.js";
import { WORKER_LOG_LEVELS, writePluginLog } from "./methods/outbound.js";
import { checkParams } from "./params.js";
import { enforceCompanyScope, requestedCompany } from "./scope.js";

export type StreamMethod = "streams.open" | "streams.emit" | "streams.close";

export interface PluginHostHooks {
  onStreamNotification?(method: StreamMethod, params: unknown): void;
}

export interface PluginHostServices {
  /** Call before each host→worker call: returns the invocation the envelope carries. */
  beginInvocation(companyId: string | null): InvocationHandle;
  /** True once the worker tagged a call with an invocation id: its calls attribute themselves exactly. */
  echoesInvocationIds(): boolean;
  /** Worker→host request: capability gate, company-scope gate, then the service. Throws errors with JSON-RPC codes. */
  handleRequest(
    method: string,
    params: unknown,
    message: { paperclipInvocationId?: string },
  ): Promise<unknown>;
  /** Worker→host notification (log, streams.*, execute.log …). */
  handleNotification(method: string, params: unknown, message: { paperclipInvocationId?: string }): void;
  /** The worker (re)started: forget per-process registrations such as event subscriptions. */
  resetWorkerRegistrations(): Promise<void>;
  /** One line of the worker's stderr, kept in the plugin's logs (redacted). */
  appendStderr(line: string): void;
  /** Flush batched logs; stop timers. */
  dispose(): Promise<void>;
}

const STREAM_METHODS = new Set<string>(["streams.open", "streams.emit", "streams.close"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-string log message as text; a value too deep to stringify safely is named, not stringified. */
function logMessageText(message: unknown): string {
  const problem = findJsonProblem(message ?? "", { checkStrings: false });
  if (problem) return `[log message: ${jsonProblemMessage(problem, "message")}]`;
  return JSON.stringify(message ?? "") ?? "";
}

export interface PluginServicesOptions {
  plugin: PluginIdentity;
  hooks: PluginHostHooks;
  deps: HostServiceDeps;
  methods: MethodTable;
  configured: ConfiguredCompanies;
  invocationGraceMs?: number;
}

export class PluginServices implements PluginHostServices {
  private readonly plugin: PluginIdentity;
  private readonly deps: HostServiceDeps;
  private readonly methods: MethodTable;
  private readonly configured: ConfiguredCompanies;
  private readonly hooks: PluginHostHooks;
  private readonly capabilities: ReadonlySet<string>;
  private readonly actor: Actor;
  private readonly invocations: InvocationRegistry;
  /** Set once the worker echoed an invocation id: it is a current SDK, so a call without one is proactive. */
  private echoesIds = false;
  private registrationsReady: Promise<void> = Promise.resolve();
  /** Stream notifications waiting for the configured-companies check, in arrival order. */
  private streamQueue: Promise<void> = Promise.resolve();
  private queuedStreams = 0;

  constructor(options: PluginServicesOptions) {
    this.plugin = options.plugin;
    this.deps = options.deps;
    this.methods = options.methods;
    this.configured = options.configured;
    this.hooks = options.hooks;
    this.capabilities = new Set(options.plugin.manifest.capabilities ?? []);
    this.actor = pluginActor(options.plugin.pluginKey);
    this.invocations = new InvocationRegistry(options.invocationGraceMs);
  }

  beginInvocation(companyId: string | null): InvocationHandle {
    return this.invocations.begin(companyId);
  }

  echoesInvocationIds(): boolean {
    return this.echoesIds;
  }

  async handleRequest(
    method: string,
    params: unknown,
    message: { paperclipInvocationId?: string },
  ): Promise<unknown> {
    const definition = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!definition) throw new MethodNotHostedError(method, notHostedReason(method));
    const required = getRequiredCapability(method as never) as PluginCapability | null;
    if (required && !this.capabilities.has(required)) {
      throw new CapabilityDeniedError(this.plugin.pluginKey, method, required);
    }
    const checked = checkParams<Record<string, unknown>>(method, definition.params, params, {
      rawText: definition.rawText === true,
    });
    const call = this.callFor(method, message);
    await enforceCompanyScope(
      call,
      definition.company ? definition.company(checked) : requestedCompany(method, checked),
    );
    try {
      const result = await definition.handle(checked, call);
      return result === undefined ? null : result;
    } catch (error) {
      throw fromServiceError(method, error);
    }
  }

  handleNotification(method: string, params: unknown, message: { paperclipInvocationId?: string }): void {
    const scope = this.scopeOf(message.paperclipInvocationId);
    if (method === "log") {
      this.logNotification(params, scope);
      return;
    }
    if (STREAM_METHODS.has(method)) {
      this.streamNotification(method as StreamMethod, params, scope);
      return;
    }
    this.deps.logger.debug(
      { pluginKey: this.plugin.pluginKey, method },
      `Ignored worker notification "${method}"`,
    );
  }

  resetWorkerRegistrations(): Promise<void> {
    this.echoesIds = false;
    this.registrationsReady = this.deps.subscriptions.clear(this.plugin.pluginId).catch((error) => {
      this.deps.logger.warn(
        { pluginKey: this.plugin.pluginKey, err: error },
        `Could not clear the event subscriptions of plugin ${this.plugin.pluginKey} before its worker started`,
      );
    });
    return this.registrationsReady;
  }

  appendStderr(line: string): void {
    const redactor = this.deps.secrets.redactorFor(this.plugin.pluginId);
    this.deps.logs.append(
      {
        pluginId: this.plugin.pluginId,
        level: "warn",
        message: redactor.redact(line),
        meta: { source: "stderr" },
      },
      { pluginKey: this.plugin.pluginKey, stream: "stderr" },
    );
  }

  async dispose(): Promise<void> {
    this.invocations.clear();
    await this.streamQueue;
    await this.deps.logs.flush();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /**
   * The scope a worker message runs in. An echoed id names its invocation (unknown → invalid). Without one:
   * a worker that never echoes ids (SDKs 2026.4xx and earlier) gets its host→worker calls one at a time
   * (runtime/one-at-a-time.ts), so its call belongs to the single invocation in flight; with none in flight it
   * comes from setup() or a timer and runs at instance level (configured companies).
   */
  private scopeOf(invocationId: string | undefined): InvocationScope {
    if (typeof invocationId === "string" && invocationId !== "") {
      this.echoesIds = true;
      const record = this.invocations.lookup(invocationId);
      if (!record) return { kind: "invalid", invocationId };
      return record.companyId
        ? { kind: "company", companyId: record.companyId, invocationId }
        : { kind: "instance", invocationId };
    }
    if (!this.echoesIds && this.invocations.inFlightCount === 1) {
      const [record] = this.invocations.inFlight();
      if (record) {
        return record.companyId
          ? { kind: "company", companyId: record.companyId, invocationId: record.id }
          : { kind: "instance", invocationId: record.id };
      }
    }
    return { kind: "instance", invocationId: null };
  }

  private callFor(method: string, message: { paperclipInvocationId?: string }): HostCall {
    const pluginId = this.plugin.pluginId;
    return {
      method,
      plugin: this.plugin,
      actor: this.actor,
      scope: this.scopeOf(message.paperclipInvocationId),
      configuredCompanies: () => this.configured.get(pluginId),
      registrationsReady: this.registrationsReady,
    };
  }

  private logNotification(params: unknown, scope: InvocationScope): void {
    const p = isRecord(params) ? params : {};
    const level = WORKER_LOG_LEVELS.includes(p.level as never)
      ? (p.level as (typeof WORKER_LOG_LEVELS)[number])
      : "info";
    const meta = isRecord(p.meta) ? { ...p.meta } : null;
    writePluginLog(this.deps, this.plugin, {
      level,
      message: typeof p.message === "string" ? p.message : logMessageText(p.message),
      meta: level === p.level ? meta : { ...meta, invalidLevel: p.level ?? null },
      companyId: scope.kind === "company" ? scope.companyId : null,
    });
  }

  /** Forward stream notifications for the call's company only, keeping their order. */
  private streamNotification(method: StreamMethod, params: unknown, scope: InvocationScope): void {
    const forward = this.hooks.onStreamNotification;
    if (!forward) return;
    const companyId = isRecord(params) && typeof params.companyId === "string" ? params.companyId : null;
    const drop = (reason: string) =>
      this.deps.logger.debug(
        { pluginKey: this.plugin.pluginKey, method, companyId },
        `Dropped ${method}: ${reason}`,
      );
    if (scope.kind === "invalid") {
      drop("unknown invocation id");
      return;
    }
    if (!companyId) {
      drop("no companyId");
      return;
    }
    const deliver = (allowed: boolean) => {
      if (!allowed) {
        drop(`company "${companyId}" is outside the call's scope`);
        return;
      }
      try {
        forward(method, params);
      } catch (error) {
        this.deps.logger.warn(
          { pluginKey: this.plugin.pluginKey, method, err: error },
          `Stream hook failed for ${method}`,
        );
      }
    };
    if (this.queuedStreams === 0) {
      if (scope.kind === "company") {
        deliver(scope.companyId === companyId);
        return;
      }
      const cached = this.configured.peek(this.plugin.pluginId);
      if (cached) {
        deliver(cached.has(companyId));
        return;
      }
    }
    this.queuedStreams++;
    this.streamQueue = this.streamQueue
      .then(async () => {
        if (scope.kind === "company") deliver(scope.companyId === companyId);
        else deliver((await this.configured.get(this.plugin.pluginId)).has(companyId));
      })
      .catch((error) =>
        this.deps.logger.warn({ pluginKey: this.plugin.pluginKey, err: error }, "Stream scope check failed"),
      )
      .finally(() => {
        this.queuedStreams--;
      });
  }
}
