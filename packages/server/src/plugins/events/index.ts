/**
 * Durable event delivery to plugins: the outbox → per-plugin streams (cursor, lease, retries, dead letters),
 * plugin-emitted events into the same outbox, and what the dead-letter and status routes
 * (the HTTP layer's event-routes.ts) call. See docs/plugin-events.md.
 */
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { EventNotifier } from "../../domain/notifier.js";
import {
  type RuntimeForDelivery,
  runtimeDeliveryTarget,
  type SubscriptionSource,
} from "./delivery-target.js";
import { EventDispatcher } from "./dispatcher.js";
import type { DeliveryOptions } from "./options.js";
import { DurablePluginEventSink, OutboxAppender } from "./plugin-event-writer.js";
import type { DeliveryObserver } from "./plugin-stream.js";

export { type ClaimedCursor, type CursorStatus, CursorStore } from "./cursor-store.js";
export {
  DEAD_LETTER_STATUSES,
  type DeadLetter,
  type DeadLetterCounts,
  type DeadLetterStatus,
  DeadLetterStore,
} from "./dead-letter-store.js";
export {
  DEFAULT_DEAD_LETTER_LIMIT,
  type DeliveryAdminDeps,
  MAX_DEAD_LETTER_LIMIT,
  PluginDeliveryAdmin,
  type PluginDeliveryStatus,
} from "./delivery-admin.js";
export {
  type DeliveryTarget,
  type RuntimeForDelivery,
  runtimeDeliveryTarget,
  type SubscriptionSource,
  type WorkerReadiness,
} from "./delivery-target.js";
export { EventDispatcher, type EventDispatcherDeps } from "./dispatcher.js";
export { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions, resolveDeliveryOptions } from "./options.js";
export { envelopeOf, type OutboxPage, OutboxPages } from "./outbox-pages.js";
export {
  DurablePluginEventSink,
  OutboxAppender,
  type OutboxAppenderOptions,
  PluginEventRejected,
} from "./plugin-event-writer.js";
export { type DeliveryObserver, PluginStream, type PluginStreamStatus } from "./plugin-stream.js";
export {
  type FilterableEvent,
  matchesEventPattern,
  passesFilter,
  SubscriptionMatcher,
  type SubscriptionRule,
} from "./subscription-matcher.js";
export { EVENT_STREAM_CHANNEL, WakeListener } from "./wake-listener.js";

export interface PluginEventDeliveryDeps {
  db: Database;
  notifier: EventNotifier;
  runtime: RuntimeForDelivery;
  subscriptions: SubscriptionSource;
  logger: Logger;
  options?: Partial<DeliveryOptions>;
  observer?: DeliveryObserver;
  nodeId?: string;
  /** The outbox writer the host services' sink already uses (created before the runtime); default a new one. */
  appender?: OutboxAppender;
}

export interface PluginEventDelivery {
  readonly dispatcher: EventDispatcher;
  /** Give to the host services as their plugin-event sink: `events.emit` answers once the event is durable. */
  readonly sink: DurablePluginEventSink;
  readonly appender: OutboxAppender;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wire delivery over a running plugin runtime (what src/host.ts does). */
export function createPluginEventDelivery(deps: PluginEventDeliveryDeps): PluginEventDelivery {
  const dispatcher = new EventDispatcher({
    db: deps.db,
    notifier: deps.notifier,
    target: runtimeDeliveryTarget(deps.runtime),
    subscriptions: deps.subscriptions,
    logger: deps.logger,
    options: deps.options,
    observer: deps.observer,
    nodeId: deps.nodeId,
  });
  const appender = deps.appender ?? new OutboxAppender(deps.db, deps.notifier);
  return {
    dispatcher,
    appender,
    sink: new DurablePluginEventSink(appender),
    async start() {
      await dispatcher.start();
    },
    async stop() {
      await dispatcher.stop();
      await appender.idle();
    },
  };
}
