// What an operator sees of and does with a plugin's event delivery (the routes are the
// HTTP layer's event-routes.ts): its dead letters, a replay of one (queued, then handed to this node's
// stream at once), and the delivery status — cursor, outbox head and lag, lease, retry, subscriptions, counts.
import { conflict, notFound } from "../../errors.js";
import type { DeadLetter, DeadLetterCounts, DeadLetterStatus } from "./dead-letter-store.js";
import type { SubscriptionSource } from "./delivery-target.js";
import type { EventDispatcher } from "./dispatcher.js";
import type { PluginStreamStatus } from "./plugin-stream.js";

export const DEFAULT_DEAD_LETTER_LIMIT = 50;
export const MAX_DEAD_LETTER_LIMIT = 500;

export interface DeliveryAdminDeps {
  dispatcher: EventDispatcher;
  subscriptions: SubscriptionSource;
}

/** The plugin the caller named, resolved. */
export interface DeliveryPlugin {
  id: string;
  pluginKey: string;
}

export interface PluginDeliveryStatus {
  pluginId: string;
  pluginKey: string;
  outboxHead: number;
  cursor: number | null;
  lag: number | null;
  lease: { owner: string | null; expiresAt: string | null; heldByThisNode: boolean } | null;
  retry: { seq: number; attempts: number; lastError: string | null } | null;
  subscriptions: Array<{ eventPattern: string; filter: unknown }>;
  deadLetters: DeadLetterCounts;
  thisNode: PluginStreamStatus | null;
}

export class PluginDeliveryAdmin {
  constructor(private readonly deps: DeliveryAdminDeps) {}

  deadLetters(
    plugin: DeliveryPlugin,
    query: { status?: DeadLetterStatus; limit?: number },
  ): Promise<DeadLetter[]> {
    return this.deps.dispatcher.deadLetters.list(plugin.id, {
      status: query.status,
      limit: query.limit ?? DEFAULT_DEAD_LETTER_LIMIT,
    });
  }

  /** Queue a dead letter for replay and hand it to this node's stream; the dead letter, now replay_pending. */
  async replay(plugin: DeliveryPlugin, deadLetterId: string): Promise<DeadLetter> {
    const { dispatcher } = this.deps;
    const outcome = await dispatcher.deadLetters.requestReplay(plugin.id, deadLetterId);
    if (outcome.kind === "not_found")
      throw notFound(`Dead letter ${deadLetterId} not found for plugin ${plugin.pluginKey}`);
    if (outcome.kind === "already_pending")
      throw conflict(`Dead letter ${deadLetterId} is already queued for replay`);
    await dispatcher.replayQueued(plugin.id);
    return outcome.deadLetter;
  }

  async status(plugin: DeliveryPlugin): Promise<PluginDeliveryStatus> {
    const { dispatcher } = this.deps;
    const [cursor, head, subscriptions, deadLetters] = await Promise.all([
      dispatcher.cursors.get(plugin.id),
      dispatcher.pages.head(),
      this.deps.subscriptions.list(plugin.id),
      dispatcher.deadLetters.counts(plugin.id),
    ]);
    return {
      pluginId: plugin.id,
      pluginKey: plugin.pluginKey,
      outboxHead: head,
      cursor: cursor?.lastSeq ?? null,
      lag: cursor ? Math.max(0, head - cursor.lastSeq) : null,
      lease: cursor
        ? {
            owner: cursor.leaseOwner,
            expiresAt: cursor.leaseExpiresAt,
            heldByThisNode: cursor.leaseOwner === dispatcher.nodeId,
          }
        : null,
      retry: cursor?.retrySeq
        ? { seq: cursor.retrySeq, attempts: cursor.retryAttempts, lastError: cursor.retryError }
        : null,
      subscriptions: subscriptions.map((rule) => ({
        eventPattern: rule.eventPattern,
        filter: rule.filter,
      })),
      deadLetters,
      thisNode: dispatcher.streamStatus(plugin.id),
    };
  }
}
