import type { PluginPerformActionContext } from "../protocol/methods.js";
import type {
  AgentSessionEvent,
  PaperclipPluginManifestV1,
  PluginJobContext,
  ToolResult,
  ToolRunContext,
} from "../types/index.js";
import type { CapabilityGate } from "./capability-gate.js";
import type { DomainStore } from "./domain-store.js";
import type { InMemoryEventBus } from "./event-bus.js";
import type { HandlerRegistry } from "./handler-registry.js";
import type {
  TestHarnessActivityEntry,
  TestHarnessLogEntry,
  TestHarnessMetricEntry,
  TestHarnessSqlEntry,
  TestHarnessTelemetryEntry,
} from "./harness-types.js";
import type { InMemoryStateStore } from "./state-store.js";

export type DataHandler = (params: Record<string, unknown>) => Promise<unknown>;
export type ActionHandler = (
  params: Record<string, unknown>,
  context: PluginPerformActionContext,
) => Promise<unknown>;
export type ToolHandler = (params: unknown, runCtx: ToolRunContext) => Promise<ToolResult>;
export type JobHandler = (job: PluginJobContext) => Promise<void>;
export type SessionEventCallback = (event: AgentSessionEvent) => void;

/** What the recorders capture, exposed unchanged on the TestHarness. */
export interface HarnessRecorders {
  logs: TestHarnessLogEntry[];
  activity: TestHarnessActivityEntry[];
  metrics: TestHarnessMetricEntry[];
  telemetry: TestHarnessTelemetryEntry[];
  dbQueries: TestHarnessSqlEntry[];
  dbExecutes: TestHarnessSqlEntry[];
}

/**
 * The in-memory host behind one harness: every ctx client factory receives this and
 * nothing else, so a client's behaviour is fully described by the state it touches.
 */
export interface HarnessRuntime {
  pluginId: string;
  manifest: PaperclipPluginManifestV1;
  gate: CapabilityGate;
  state: InMemoryStateStore;
  events: InMemoryEventBus;
  store: DomainStore;
  recorders: HarnessRecorders;
  handlers: {
    data: HandlerRegistry<DataHandler>;
    actions: HandlerRegistry<ActionHandler>;
    tools: HandlerRegistry<ToolHandler>;
    jobs: HandlerRegistry<JobHandler>;
  };
  /** `sessionId → onEvent` for sessions whose last sendMessage supplied a callback. */
  sessionCallbacks: Map<string, SessionEventCallback>;
  config: { current: Record<string, unknown> };
}
