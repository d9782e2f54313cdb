// The agent runtime of a host: run events (store + in-process hub), agent keys and run tokens, the adapters and
// the run executor. Created where the host is assembled, started once the API listens (setApiUrl first), stopped
// before the database closes. Routes use `events`, `hub` and `keys`; a host that does not start it still serves them.
import type { Logger } from "pino";
import type { Database } from "../db/database.js";
import { RunLeases } from "../domain/run-leases.js";
import type { DomainServices } from "../domain/services.js";
import { AdapterRegistry } from "./adapters/registry.js";
import type { AgentAdapter } from "./adapters/types.js";
import { AgentKeys } from "./agent-keys.js";
import { RunEventStore } from "./run-events.js";
import { RunExecutor, type RunExecutorOptions } from "./run-executor.js";
import { RunHub } from "./run-hub.js";

export type {
  AbortCause,
  AdapterResult,
  AdapterRunContext,
  AdapterUsage,
  AgentAdapter,
} from "./adapters/types.js";
export type { AgentCredential, AgentKeySummary } from "./agent-keys.js";
export { AgentKeys } from "./agent-keys.js";
export { executorOptionsFromEnv } from "./options.js";
export type { NewRunEvent, RunEvent, RunEventType, RunLogPage } from "./run-events.js";
export { isTerminalStatusEvent, RunEventStore } from "./run-events.js";
export { HOST_LOST_REASON } from "./run-execution.js";
export { RunHub } from "./run-hub.js";

export interface AgentRuntime {
  readonly events: RunEventStore;
  readonly hub: RunHub;
  readonly keys: AgentKeys;
  /** The registered adapter types (process, http, echo, …). */
  readonly adapterTypes: readonly string[];
  /** The host's base URL ("http://127.0.0.1:3100"), given to agents as PAPERCLIP_API_URL (routes are under /api). */
  setApiUrl(url: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AgentRuntimeOptions extends RunExecutorOptions {
  db: Database;
  services: DomainServices;
  logger: Logger;
  /** The instance folder (per-agent working folders go under `agents/`); null: the system temp folder. */
  dataDir: string | null;
  /** Adapters besides the built-ins (same type replaces a built-in). */
  adapters?: AgentAdapter[];
}

export function createAgentRuntime(options: AgentRuntimeOptions): AgentRuntime {
  const hub = new RunHub();
  const events = new RunEventStore(options.db, hub);
  const keys = new AgentKeys(options.db, options.services.runner);
  const registry = new AdapterRegistry(options.adapters);
  let apiUrl = "";
  const executor = new RunExecutor(
    {
      services: options.services,
      leases: new RunLeases(options.db, options.services.runner, options.services.runs),
      events,
      keys,
      adapters: registry,
      logger: options.logger,
      dataDir: options.dataDir,
      apiUrl: () => apiUrl,
    },
    options,
  );
  return {
    events,
    hub,
    keys,
    adapterTypes: registry.types(),
    setApiUrl(url) {
      apiUrl = url.replace(/\/+$/, "");
    },
    start: () => executor.start(),
    stop: () => executor.stop(),
  };
}
