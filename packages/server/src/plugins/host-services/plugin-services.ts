// One plugin's worker→host side: every request passes the gate — hosted method (else METHOD_NOT_FOUND),
// declared capability (else CAPABILITY_DENIED), well-formed params, company scope (else
// INVOCATION_SCOPE_DENIED) — and then its method (methods/*.ts). Notifications (ctx.logger, streams) are scoped
// the same way by their handlers. What the worker produces besides the host's records goes to the sinks.
import { CapabilityDeniedError, getRequiredCapability } from "@paperclipai/plugin-sdk";
import type { WorkerToHostMethodName } from "@paperclipai/plugin-sdk/protocol";
import { type Actor, pluginActor } from "../../domain/actor.js";
import type {
  HostCall,
  HostMethodTable,
  HostNotificationName,
  HostNotificationTable,
  InvocationScope,
  MethodParams,
  NotificationCall,
  PluginIdentity,
  WorkerMessageMeta,
} from "./call.js";
import type { ConfiguredCompanies } from "./configured-companies.js";
import type { HostServiceDeps } from "./deps.js";
import { MethodNotHostedError, prefixedWithMethod } from "./errors.js";
import { refuseForgedIdentity } from "./forged-identity.js";
import { type InvocationHandle, InvocationRegistry } from "./invocations.js";
import { NOT_IN_PROTOCOL } from "./methods/index.js";
import { checkParams } from "./params.js";
import { enforceCompanyScope, requestedCompany } from "./scope.js";
import type { PluginSinks } from "./sinks.js";

/** One plugin's worker→host side, as the runtime drives it (the one declaration; runtime/contract.ts re-exports). */
export interface PluginHostServices {
  /** Call before each host→worker call: returns the invocation the envelope carries. */
  beginInvocation(companyId: string | null): InvocationHandle;
  /** True once the worker tagged a call with an invocation id: its calls attribute themselves exactly. */
  echoesInvocationIds(): boolean;
  /** Worker→host request: capability gate, company-scope gate, then the method. Throws errors with codes. */
  handleRequest(method: string, params: unknown, message: WorkerMessageMeta): Promise<unknown>;
  /** Worker→host notification (log, streams.*, …). */
  handleNotification(method: string, params: unknown, message: WorkerMessageMeta): void;
  /** The worker (re)started: forget per-process registrations such as event subscriptions. */
  resetWorkerRegistrations(): Promise<void>;
  /** The worker process died (crash, kill, hang); a restart may follow. */
  workerExited(reason: string): void;
  /** One line of the worker's stderr, kept in the plugin's logs (redacted). */
  appendStderr(line: string): void;
  /** Flush batched logs; stop timers. */
  dispose(): Promise<void>;
}

export interface PluginServicesOptions {
  plugin: PluginIdentity;
  deps: HostServiceDeps;
  methods: HostMethodTable;
  notifications: HostNotificationTable;
  sinks: PluginSinks;
  configured: ConfiguredCompanies;
  invocationGraceMs?: number;
}

function isContractMethod(table: HostMethodTable, method: string): method is WorkerToHostMethodName {
  return Object.hasOwn(table, method);
}

function isContractNotification(
  table: HostNotificationTable,
  method: string,
): method is HostNotificationName {
  return Object.hasOwn(table, method);
}

export class PluginServices implements PluginHostServices {
  private readonly plugin: PluginIdentity;
  private readonly deps: HostServiceDeps;
  private readonly methods: HostMethodTable;
  private readonly notifications: HostNotificationTable;
  private readonly sinks: PluginSinks;
  private readonly configured: ConfiguredCompanies;
  private readonly capabilities: ReadonlySet<string>;
  private readonly actor: Actor;
  private readonly invocations: InvocationRegistry;
  /** Set once the worker echoed an invocation id: it is a current SDK, so a call without one is proactive. */
  private echoesIds = false;
  private registrationsReady: Promise<void> = Promise.resolve();
  /** Notifications waiting for the configured-companies check, in arrival order. */
  private scopeQueue: Promise<void> = Promise.resolve();
  private queuedScopeChecks = 0;

  constructor(options: PluginServicesOptions) {
    this.plugin = options.plugin;
    this.deps = options.deps;
    this.methods = options.methods;
    this.notifications = options.notifications;
    this.sinks = options.sinks;
    this.configured = options.configured;
    this.capabilities = new Set(options.plugin.manifest.capabilities ?? []);
    this.actor = pluginActor(options.plugin.pluginKey);
    this.invocations = new InvocationRegistry(options.invocationGraceMs);
  }

  beginInvocation(companyId: string | null): InvocationHandle {
    const handle = this.invocations.begin(companyId);
    const releases = this.sinks.invocation({ id: handle.id, companyId });
    if (releases.length === 0) return handle;
    return {
      ...handle,
      end: () => {
        for (const release of releases) release();
        handle.end();
      },
    };
  }

  echoesInvocationIds(): boolean {
    return this.echoesIds;
  }

  async handleRequest(method: string, params: unknown, message: WorkerMessageMeta): Promise<unknown> {
    if (!isContractMethod(this.methods, method)) throw new MethodNotHostedError(method, NOT_IN_PROTOCOL);
    const observer = this.deps.observer;
    if (!observer) return this.dispatch(method, params, message);
    return observer.workerRequest(this.plugin.pluginKey, message.paperclipInvocationId, method, () =>
      this.dispatch(method, params, message),
    );
  }

  handleNotification(method: string, params: unknown, message: WorkerMessageMeta): void {
    const scope = this.scopeOf(message.paperclipInvocationId);
    if (isContractNotification(this.notifications, method)) this.notify(method, params, scope, message);
    else this.ignoreNotification(method);
  }

  resetWorkerRegistrations(): Promise<void> {
    this.sinks.workerExit("a new worker process started");
    this.echoesIds = false;
    this.registrationsReady = this.deps.subscriptions.clear(this.plugin.pluginId).catch((error) => {
      this.deps.logger.warn(
        { pluginKey: this.plugin.pluginKey, err: error },
        `Could not clear the event subscriptions of plugin ${this.plugin.pluginKey} before its worker started`,
      );
    });
    return this.registrationsReady;
  }

  workerExited(reason: string): void {
    this.sinks.workerExit(reason);
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
    await this.scopeQueue;
    await this.deps.logs.flush();
    this.sinks.workerExit("the worker stopped");
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /** The gate, then the method: typed by the contract from the table lookup on. */
  private async dispatch<M extends WorkerToHostMethodName>(
    method: M,
    params: unknown,
    message: WorkerMessageMeta,
  ): Promise<unknown> {
    const decision = this.methods[method];
    if ("notHosted" in decision) throw new MethodNotHostedError(method, decision.notHosted);
    const required = getRequiredCapability(method);
    if (required && !this.capabilities.has(required)) {
      throw new CapabilityDeniedError(this.plugin.pluginKey, method, required);
    }
    refuseForgedIdentity(method, params);
    // The schema is what makes the worker's params the contract's type.
    const checked = checkParams<MethodParams<M>>(method, decision.params, params, {
      rawText: decision.rawText === true,
    });
    const call = this.callFor(method, message);
    await enforceCompanyScope(
      call,
      decision.company ? decision.company(checked) : requestedCompany(method, checked),
    );
    try {
      const result = await decision.handle(checked, call);
      return result === undefined ? null : result;
    } catch (error) {
      throw prefixedWithMethod(method, error);
    }
  }

  private notify<N extends HostNotificationName>(
    method: N,
    params: unknown,
    scope: InvocationScope,
    message: WorkerMessageMeta,
  ): void {
    const decision = this.notifications[method];
    if ("notHosted" in decision) {
      this.ignoreNotification(method);
      return;
    }
    const call: NotificationCall<N> = {
      method,
      plugin: this.plugin,
      scope,
      echoedInvocationId: echoedId(message),
      sinks: this.sinks,
      inCompanyScope: (companyId, deliver) => this.inCompanyScope(scope, companyId, deliver),
    };
    decision.handle(params, call);
  }

  private ignoreNotification(method: string): void {
    this.deps.logger.debug(
      { pluginKey: this.plugin.pluginKey, method },
      `Ignored worker notification "${method}"`,
    );
  }

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

  private callFor(method: WorkerToHostMethodName, message: WorkerMessageMeta): HostCall {
    const pluginId = this.plugin.pluginId;
    return {
      method,
      plugin: this.plugin,
      actor: this.actor,
      scope: this.scopeOf(message.paperclipInvocationId),
      echoedInvocationId: echoedId(message),
      sinks: this.sinks,
      configuredCompanies: () => this.configured.get(pluginId),
      registrationsReady: this.registrationsReady,
    };
  }

  /** Answer at once when the scope allows it (or the cache knows); otherwise queue, keeping arrival order. */
  private inCompanyScope(
    scope: InvocationScope,
    companyId: string,
    deliver: (allowed: boolean) => void,
  ): void {
    if (this.queuedScopeChecks === 0) {
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
    this.queuedScopeChecks++;
    this.scopeQueue = this.scopeQueue
      .then(async () => {
        if (scope.kind === "company") deliver(scope.companyId === companyId);
        else deliver((await this.configured.get(this.plugin.pluginId)).has(companyId));
      })
      .catch((error) =>
        this.deps.logger.warn({ pluginKey: this.plugin.pluginKey, err: error }, "Stream scope check failed"),
      )
      .finally(() => {
        this.queuedScopeChecks--;
      });
  }
}

function echoedId(message: WorkerMessageMeta): string | null {
  const id = message.paperclipInvocationId;
  return typeof id === "string" && id !== "" ? id : null;
}
