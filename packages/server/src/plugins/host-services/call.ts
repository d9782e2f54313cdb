// The typed contract between the gate (plugin-services.ts) and the host methods (methods/*.ts): what every
// method gets besides its params — which plugin calls, as which actor, in which company scope — and the table
// types that make the compiler hold the host to the SDK's wire contract (protocol/methods.ts).
import type {
  WorkerToHostMethodName,
  WorkerToHostMethods,
  WorkerToHostNotificationName,
} from "@paperclipai/plugin-sdk/protocol";
import type { Actor } from "../../domain/actor.js";
import type { JsonSchema } from "../../schema/schema-helpers.js";
import type { PluginIdentity } from "./identity.js";
import type { PluginSinks } from "./sinks.js";

export type { PluginIdentity };

/**
 * - company: inside a host→worker call made for one company; the call may touch that company only.
 * - instance: inside an instance-scoped call (job, webhook, instance bridge call) or outside any call (setup(),
 *   timers); the call may touch the companies that have a saved config for the plugin.
 * - invalid: the worker echoed an invocation id the host does not know (or that expired).
 */
export type InvocationScope =
  | { kind: "company"; companyId: string; invocationId: string | null }
  | { kind: "instance"; invocationId: string | null }
  | { kind: "invalid"; invocationId: string };

/** What a worker message carries besides method and params. */
export interface WorkerMessageMeta {
  paperclipInvocationId?: string;
}

interface WorkerMessageCall {
  readonly plugin: PluginIdentity;
  readonly scope: InvocationScope;
  /** The invocation id the worker echoed on this message, if any (job-run logs are keyed on it). */
  readonly echoedInvocationId: string | null;
  /** Where this plugin's worker output goes besides the host's own records. */
  readonly sinks: PluginSinks;
}

export interface HostCall extends WorkerMessageCall {
  readonly method: WorkerToHostMethodName;
  /** The plugin acting (activity rows, created records). */
  readonly actor: Actor;
  /** Companies with a saved config for this plugin. */
  configuredCompanies(): Promise<ReadonlySet<string>>;
  /** Settles once per-process registrations of the previous worker are cleared (after a restart). */
  readonly registrationsReady: Promise<void>;
}

/** What company a call's params name. */
export type RequestedCompany = { kind: "none" } | { kind: "single"; companyId: string } | { kind: "all" };

export type MethodParams<M extends WorkerToHostMethodName> = WorkerToHostMethods[M][0];
export type MethodResult<M extends WorkerToHostMethodName> = WorkerToHostMethods[M][1];

/** One hosted worker→host method, typed by the wire contract. */
export interface HostMethod<M extends WorkerToHostMethodName> {
  /** JSON Schema of the params, checked before anything else runs (the contract's types are not trusted). */
  params: JsonSchema;
  /** Strings in the params are passed on, never stored: NUL and lone surrogates are allowed (http.fetch). */
  rawText?: boolean;
  /** The company the params name; default: `companyId`, a company state scope, or a subscription filter. */
  company?(params: MethodParams<M>): RequestedCompany;
  handle(params: MethodParams<M>, call: HostCall): Promise<MethodResult<M>>;
}

/** A published method (or notification) this host deliberately does not serve, and why. */
export interface NotHosted {
  readonly notHosted: string;
}

export const notHosted = (reason: string): NotHosted => ({ notHosted: reason });

export type HostDecision<M extends WorkerToHostMethodName> = HostMethod<M> | NotHosted;

/**
 * Every worker→host method of the contract with the host's decision. Assembled with `satisfies` (methods/index.ts):
 * a method added to the contract without a decision, or a name the contract does not have, fails to compile.
 */
export type HostMethodTable = { readonly [M in WorkerToHostMethodName]: HostDecision<M> };

/** The wire names of one ctx namespace: `<prefix>` itself and `<prefix>.*`. */
type InNamespace<Name extends string, P extends string> = Extract<Name, P | `${P}.${string}`>;

/** One namespace file's part of the table, complete for its wire prefix (checked with `satisfies`). */
export type NamespaceMethods<P extends string> = {
  readonly [M in InNamespace<WorkerToHostMethodName, P>]: HostDecision<M>;
};

// ── notifications ───────────────────────────────────────────────────────────────────────────────────────

/** Worker→host notifications (`log` is also a request of the contract; workers send it as a notification). */
export type HostNotificationName = WorkerToHostNotificationName | "log";

export interface NotificationCall<N extends HostNotificationName = HostNotificationName>
  extends WorkerMessageCall {
  readonly method: N;
  /**
   * Calls `deliver(allowed)` once it is known whether `companyId` is inside the call's scope — at once when it
   * can be — keeping the arrival order of every notification that waits.
   */
  inCompanyScope(companyId: string, deliver: (allowed: boolean) => void): void;
}

/** A notification has no reply: its params are untrusted, and the handler drops (and logs) what is unusable. */
export interface HostNotification<N extends HostNotificationName> {
  handle(params: unknown, call: NotificationCall<N>): void;
}

export type HostNotificationDecision<N extends HostNotificationName> = HostNotification<N> | NotHosted;

export type HostNotificationTable = {
  readonly [N in HostNotificationName]: HostNotificationDecision<N>;
};

export type NamespaceNotifications<P extends string> = {
  readonly [N in InNamespace<HostNotificationName, P>]: HostNotificationDecision<N>;
};

/** The company the call acts for when its params name none: the invocation's, else null. */
export function invocationCompany(call: HostCall): string | null {
  return call.scope.kind === "company" ? call.scope.companyId : null;
}
