// What every host method gets besides its params: which plugin calls, as which actor, and the company scope
// the call runs in (derived from the invocation id the worker echoed).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import type { Actor } from "../../domain/actor.js";
import type { JsonSchema } from "../../schema/schema-helpers.js";

export interface PluginIdentity {
  /** the plugin's database id (uuid) */
  pluginId: string;
  pluginKey: string;
  manifest: PaperclipPluginManifestV1;
}

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

export interface HostCall {
  readonly method: string;
  readonly plugin: PluginIdentity;
  /** The plugin acting (activity rows, created records). */
  readonly actor: Actor;
  readonly scope: InvocationScope;
  /** Companies with a saved config for this plugin. */
  configuredCompanies(): Promise<ReadonlySet<string>>;
  /** Settles once per-process registrations of the previous worker are cleared (after a restart). */
  readonly registrationsReady: Promise<void>;
}

/** What company a call's params name. */
export type RequestedCompany = { kind: "none" } | { kind: "single"; companyId: string } | { kind: "all" };

export interface HostMethod<P = any> {
  /** JSON Schema of the params, checked before anything else runs. */
  params: JsonSchema;
  /** Strings in the params are passed on, never stored: NUL and lone surrogates are allowed (http.fetch). */
  rawText?: boolean;
  /** The company the params name; default: `companyId`, a company state scope, or a subscription filter. */
  company?(params: P): RequestedCompany;
  handle(params: P, call: HostCall): Promise<unknown>;
}

export type MethodTable = Record<string, HostMethod>;

/** The company the call acts for when its params name none: the invocation's, else null. */
export function invocationCompany(call: HostCall): string | null {
  return call.scope.kind === "company" ? call.scope.companyId : null;
}
