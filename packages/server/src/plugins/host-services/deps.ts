// Everything the host methods use, built once per host by the factory (narrow pieces, so tests and later
// issues can swap one: a clock, the stores, the event sink).
import type { Logger } from "pino";
import type { Clock } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import type { PluginConfigStore } from "../config/store.js";
import type { PluginDatabaseService } from "../database/index.js";
import type { EgressService } from "../egress/index.js";
import type { PluginLogService } from "../logs/log-service.js";
import type { ManagedResources } from "../managed/index.js";
import type { SecretResolver } from "../secrets/resolver.js";
import type { PluginEntityStore } from "../state/entity-store.js";
import type { PluginStateStore } from "../state/state-store.js";
import type { AgentSessionStore } from "./agent-sessions.js";
import type { EventSubscriptionStore } from "./event-subscriptions.js";
import type { HostServicesObserver } from "./observer.js";
import type { OutboundHttp } from "./outbound-http.js";
import type { PluginEventSink } from "./plugin-events.js";
import type { SessionRelay } from "./session-relay.js";

export interface HostServiceDeps {
  services: DomainServices;
  clock: Clock;
  logger: Logger;
  config: PluginConfigStore;
  state: PluginStateStore;
  entities: PluginEntityStore;
  logs: PluginLogService;
  secrets: SecretResolver;
  subscriptions: EventSubscriptionStore;
  pluginEvents: PluginEventSink;
  sessions: AgentSessionStore;
  /** Streams session runs back to the worker (null: no agent run engine on this host; nothing is streamed). */
  sessionRelay: SessionRelay | null;
  outbound: OutboundHttp;
  /** Each plugin's egress policy (read per call) and its outbound call log. */
  egress: EgressService;
  /** manifest.database: migrations and confined ctx.db. */
  database: PluginDatabaseService;
  /** manifest.projects / manifest.agents, reconciled per company. */
  managed: ManagedResources;
  /** Metrics and traces of worker→host calls (null: observability off). */
  observer: HostServicesObserver | null;
}
