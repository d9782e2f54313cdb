/**
 * Everything a plugin registers from setup(): event handlers, jobs, launchers, data/action/tool
 * handlers, and the per-session callbacks of agent sessions. Context methods fill it; the
 * host→worker dispatch reads it. Nothing here talks to the host.
 */
import type { PluginPerformActionContext } from "../protocol/index.js";
import type {
  AgentSessionEvent,
  EventFilter,
  PluginEvent,
  PluginJobContext,
  PluginLauncherRegistration,
  PluginToolDeclaration,
  ToolResult,
  ToolRunContext,
} from "../types/index.js";

export interface EventRegistration {
  /** Exact event type, or a prefix pattern ending in `.*`. */
  name: string;
  filter?: EventFilter;
  fn: (event: PluginEvent) => Promise<void>;
}

export type DataHandler = (params: Record<string, unknown>) => Promise<unknown>;
export type ActionHandler = (
  params: Record<string, unknown>,
  context: PluginPerformActionContext,
) => Promise<unknown>;
export type JobHandler = (job: PluginJobContext) => Promise<void>;

export interface ToolRegistration {
  declaration: Pick<PluginToolDeclaration, "displayName" | "description" | "parametersSchema">;
  fn: (params: unknown, runContext: ToolRunContext) => Promise<ToolResult>;
}

export type SessionEventCallback = (event: AgentSessionEvent) => void;

export class HandlerRegistry {
  /** In registration order: handlers for one event run in this order. */
  readonly events: EventRegistration[] = [];
  readonly jobs = new Map<string, JobHandler>();
  readonly launchers = new Map<string, PluginLauncherRegistration>();
  readonly data = new Map<string, DataHandler>();
  readonly actions = new Map<string, ActionHandler>();
  readonly tools = new Map<string, ToolRegistration>();
  /** Set by sessions.sendMessage, removed by sessions.close or a failed send. */
  readonly sessionCallbacks = new Map<string, SessionEventCallback>();

  addEventHandler(registration: EventRegistration): () => void {
    this.events.push(registration);
    return () => {
      const index = this.events.indexOf(registration);
      if (index !== -1) this.events.splice(index, 1);
    };
  }
}
