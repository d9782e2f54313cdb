// Builds the host services once per host: the stores over the database, the secret cipher, the batched log
// writer and its retention job, the outbound HTTP client, the method tables — then one PluginServices per running
// plugin, wired to the sinks the features built on it passed in (stream bus, job-run logs).
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { type Clock, systemClock } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { PluginConfigStore } from "../config/store.js";
import { PluginDatabaseService } from "../database/index.js";
import { createEgress, type EgressOptions, type EgressService } from "../egress/index.js";
import { LogRetentionJob, type PluginLogLimits, PluginLogService } from "../logs/index.js";
import { ManagedResources } from "../managed/index.js";
import { loadSecretCipher } from "../secrets/crypto.js";
import type { RateLimitOptions } from "../secrets/rate-limit.js";
import { SecretResolver } from "../secrets/resolver.js";
import { CompanySecretsStore } from "../secrets/store.js";
import { PluginEntityStore } from "../state/entity-store.js";
import { PluginStateStore } from "../state/state-store.js";
import { AgentSessionStore } from "./agent-sessions.js";
import type { PluginIdentity } from "./call.js";
import { ConfiguredCompanies } from "./configured-companies.js";
import type { HostServiceDeps } from "./deps.js";
import { type EventSubscription, EventSubscriptionStore } from "./event-subscriptions.js";
import { buildMethodTable, buildNotificationTable } from "./methods/index.js";
import type { HostServicesObserver } from "./observer.js";
import { PluginEventFeed, type PluginEventSink } from "./plugin-events.js";
import { type PluginHostServices, PluginServices } from "./plugin-services.js";
import type { SessionRelay } from "./session-relay.js";
import { type PluginHostSinks, PluginSinks } from "./sinks.js";

export const ALLOWED_HOSTS_ENV = "PAPERCLIP_PLUGIN_ALLOWED_HOSTS";
export const LOG_RETENTION_ENV = "PAPERCLIP_PLUGIN_LOG_RETENTION_DAYS";

export interface HostServicesFactoryDeps {
  db: Database;
  services: DomainServices;
  logger: Logger;
  /** The instance folder (secrets key file); null keeps the key in memory (tests). */
  dataDir: string | null;
  clock?: Clock;
  /** Environment read for PAPERCLIP_SECRETS_KEY, PAPERCLIP_PLUGIN_ALLOWED_HOSTS and the retention. */
  env?: NodeJS.ProcessEnv;
  /** Nested calls still accepted this long after their invocation settled. Default 10 s. */
  invocationGraceMs?: number;
  /** Plugin logs are kept this many days. Default env PAPERCLIP_PLUGIN_LOG_RETENTION_DAYS, else 7. */
  logRetentionDays?: number;
  logRetentionIntervalMs?: number;
  /** Start the retention job (default true). */
  startLogRetention?: boolean;
  logBatchSize?: number;
  /** Log caps of every plugin (each plugin's own limits override them when it is activated). */
  logLimits?: Partial<PluginLogLimits>;
  logFlushIntervalMs?: number;
  secretRateLimit?: RateLimitOptions;
  /** Private addresses plugins may reach; default from PAPERCLIP_PLUGIN_ALLOWED_HOSTS (comma separated). */
  outboundAllowList?: string[];
  httpTimeoutMs?: number;
  /** Outbound HTTP client options (limits, the DNS step) and the outbound log's bounds (docs/egress.md). */
  egress?: EgressOptions;
  /** Where `events.emit` writes (the durable outbox writer of src/plugins/events); the feed is told afterwards. */
  pluginEventSink?: PluginEventSink;
  /** Where every plugin's worker output goes besides the host's records (the stream bus, job-run logs). */
  sinks?: readonly PluginHostSinks[];
  /** Streams agent-session runs to workers (session-relay.ts); its relays end with their worker and on dispose. */
  sessionRelay?: SessionRelay;
  /** The host's metrics and traces of worker→host calls (src/observability); none when absent. */
  observer?: HostServicesObserver;
}

/** The host services of one host (the one declaration; runtime/contract.ts re-exports it). */
export interface PluginHostServicesFactory {
  /** One plugin's services; `sinks` are this plugin's own, besides the factory's. */
  forPlugin(plugin: PluginIdentity, sinks?: PluginHostSinks): PluginHostServices;
  /** A worker's stderr line, kept in its plugin's logs (the runtime's onStderrLine). */
  appendStderr(pluginId: string, line: string): void;
  /** Mask the secret values this plugin resolved, in text the host keeps elsewhere (e.g. job run logs). */
  redact(pluginId: string, text: string): string;
  /** The plugin's recorded event subscriptions (for the event dispatcher). */
  listSubscriptions(pluginId: string): Promise<EventSubscription[]>;
  readonly configStore: PluginConfigStore;
  readonly secrets: CompanySecretsStore;
  readonly logs: PluginLogService;
  readonly logRetention: LogRetentionJob;
  readonly state: PluginStateStore;
  readonly entities: PluginEntityStore;
  /** Events plugins emit (`plugin.<key>.<name>`), for the event dispatcher. */
  readonly pluginEvents: PluginEventFeed;
  /** Plugin database namespaces: the lifecycle migrates at install/upgrade and drops on purge. */
  readonly database: PluginDatabaseService;
  readonly clock: Clock;
  /** Plugins' egress policies and outbound call logs (docs/egress.md). */
  readonly egress: EgressService;
  /** Flush logs and stop the retention job (host shutdown). */
  dispose(): Promise<void>;
}

function retentionDaysFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[LOG_RETENTION_ENV];
  if (raw === undefined || raw === "") return undefined;
  const days = Number(raw);
  if (!(days > 0)) throw new Error(`${LOG_RETENTION_ENV} must be a positive number of days (got "${raw}")`);
  return days;
}

export function createPluginHostServicesFactory(options: HostServicesFactoryDeps): PluginHostServicesFactory {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const { db, logger } = options;
  const secrets = new CompanySecretsStore(db, loadSecretCipher({ dataDir: options.dataDir, env }));
  const configStore = new PluginConfigStore(db, secrets, clock);
  const logs = new PluginLogService({
    db,
    clock,
    logger,
    batchSize: options.logBatchSize,
    flushIntervalMs: options.logFlushIntervalMs,
    limits: options.logLimits,
  });
  const logRetention = new LogRetentionJob(logs, {
    retentionDays: options.logRetentionDays ?? retentionDaysFrom(env),
    intervalMs: options.logRetentionIntervalMs,
    clock,
    logger,
  });
  const pluginEvents = new PluginEventFeed();
  const durableSink = options.pluginEventSink;
  const pluginEventSink: PluginEventSink = durableSink
    ? {
        async publish(event) {
          await durableSink.publish(event);
          pluginEvents.publish(event);
        },
      }
    : pluginEvents;
  const subscriptions = new EventSubscriptionStore(db, clock);
  const state = new PluginStateStore(db, clock);
  const entities = new PluginEntityStore(db, clock);
  const resolver = new SecretResolver(secrets, clock, options.secretRateLimit);
  const database = new PluginDatabaseService(db, logger);
  const outboundAllowList = options.outboundAllowList ?? (env[ALLOWED_HOSTS_ENV] ?? "").split(",");
  const { outbound, egress } = createEgress({
    db,
    services: options.services,
    logger,
    clock,
    env,
    instanceGrants: outboundAllowList,
    options: {
      http: { timeoutMs: options.httpTimeoutMs, ...options.egress?.http },
      log: options.egress?.log,
    },
  });
  const deps: HostServiceDeps = {
    services: options.services,
    clock,
    logger,
    config: configStore,
    state,
    entities,
    logs,
    secrets: resolver,
    subscriptions,
    pluginEvents: pluginEventSink,
    sessions: new AgentSessionStore(db, clock),
    sessionRelay: options.sessionRelay ?? null,
    outbound,
    egress,
    database,
    managed: new ManagedResources(db, options.services),
    observer: options.observer ?? null,
  };
  const methods = buildMethodTable(deps);
  const notifications = buildNotificationTable(deps);
  const relay = options.sessionRelay;
  const hostSinks = relay ? [...(options.sinks ?? []), relay.sinks] : (options.sinks ?? []);
  const configured = new ConfiguredCompanies(configStore);
  const running = new Map<string, PluginServices>();
  if (options.startLogRetention !== false) {
    logRetention.start();
    egress.log.start();
  }

  return {
    forPlugin(plugin, own) {
      const services = new PluginServices({
        plugin,
        deps,
        methods,
        notifications,
        sinks: new PluginSinks(plugin, own ? [...hostSinks, own] : hostSinks, logger),
        configured,
        invocationGraceMs: options.invocationGraceMs,
      });
      running.set(plugin.pluginId, services);
      return services;
    },
    appendStderr(pluginId, line) {
      const services = running.get(pluginId);
      if (services) {
        services.appendStderr(line);
        return;
      }
      logs.append(
        {
          pluginId,
          level: "warn",
          message: resolver.redactorFor(pluginId).redact(line),
          meta: { source: "stderr" },
        },
        { pluginKey: pluginId, stream: "stderr" },
      );
    },
    redact: (pluginId, text) => resolver.redactorFor(pluginId).redact(text),
    listSubscriptions: (pluginId) => subscriptions.list(pluginId),
    configStore,
    secrets,
    logs,
    logRetention,
    state,
    entities,
    pluginEvents,
    database,
    clock,
    egress,
    async dispose() {
      relay?.dispose();
      await logRetention.stop();
      await logs.dispose();
      await egress.log.dispose();
    },
  };
}
