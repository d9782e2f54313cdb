// The one interface between the run executor and whatever executes an agent. An adapter gets a prepared run
// context (prompt, working folder, API URL and run token, an abort signal) and callbacks for output; it returns
// how the agent ended. The executor owns everything else: claiming, leases, status transitions, timeouts (they
// abort the signal), run events, tokens and cost events. See docs/agents.md.
import type { Logger } from "pino";
import type { NewRunEvent } from "../run-events.js";

export interface AdapterUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  costCents?: number;
  model?: string;
  provider?: string;
}

/** Why the signal was aborted; the executor maps it to the run's final status. */
export type AbortCause = "cancelled" | "timed_out" | "host_stopping";

export interface AdapterRunContext {
  readonly run: {
    readonly id: string;
    readonly companyId: string;
    readonly agentId: string;
    readonly issueId: string | null;
    readonly wakeReason: string | null;
    /** The prompt / message of the wakeup ("" when there is none). */
    readonly prompt: string;
    /** The run's whole context snapshot. */
    readonly context: Record<string, unknown>;
  };
  readonly agent: {
    readonly id: string;
    readonly name: string;
    readonly adapterType: string;
    readonly adapterConfig: Record<string, unknown>;
    readonly runtimeConfig: Record<string, unknown>;
  };
  /** The folder the agent works in: the run's project workspace, else a per-agent folder (created). */
  readonly cwd: string;
  /** The host's base URL ("http://127.0.0.1:3100"; REST under /api) and the run token that authenticates there. */
  readonly apiUrl: string;
  readonly token: string;
  /** Aborted on cancel, timeout or host stop (`signal.reason` is an AbortCause); stop promptly, kill what you started. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** One output line (no trailing newline) → one `chunk` run event. */
  line(stream: "stdout" | "stderr", text: string): void;
  /** Any other run event (tool_call, system). Status events are the executor's. */
  event(event: NewRunEvent): void;
}

export interface AdapterResult {
  /** "failed" needs `error`. When the signal was aborted the executor decides the status itself. */
  status: "succeeded" | "failed";
  error?: string | null;
  errorCode?: string | null;
  exitCode?: number | null;
  finalText?: string | null;
  usage?: AdapterUsage | null;
}

export interface AgentAdapter {
  /** The `agents.adapterType` value this adapter executes. */
  readonly type: string;
  execute(context: AdapterRunContext): Promise<AdapterResult>;
}

/** Config values adapters read, named in their errors. */
export function configString(config: Record<string, unknown>, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new Error(`adapterConfig.${key} must be a string`);
  return value;
}

export function configStringRecord(config: Record<string, unknown>, key: string): Record<string, string> {
  const value = config[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new Error(`adapterConfig.${key} must be an object`);
  const out: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== "string") throw new Error(`adapterConfig.${key}.${name} must be a string`);
    out[name] = item;
  }
  return out;
}
