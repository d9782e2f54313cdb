// events.subscribe is recorded per plugin in plugin_event_subscriptions, once per (pattern, filter): a worker
// that subscribes again after a restart updates the row instead of adding a duplicate. A worker (re)start
// clears the plugin's rows first, so a new version's setup() leaves exactly the subscriptions it makes.
// The same transaction creates the plugin's delivery cursor (CursorStore, which owns plugin_event_cursors) at the
// outbox head when it has none: delivery starts with the first subscription, so no event committed after it is
// missed, and a dispatcher never sees the subscription without its cursor.
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import { CursorStore } from "../events/cursor-store.js";

export interface EventSubscription {
  id: string;
  pluginId: string;
  eventPattern: string;
  filter: Record<string, unknown> | null;
  createdAt: string;
  lastRegisteredAt: string;
}

export class EventSubscriptionStore {
  private readonly cursors: CursorStore;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.cursors = new CursorStore(db);
  }

  /** Record (or refresh) one subscription; an empty filter is stored as no filter. */
  async record(
    pluginId: string,
    eventPattern: string,
    filter: Record<string, unknown> | null,
  ): Promise<void> {
    const normalized = filter && Object.keys(filter).length > 0 ? JSON.stringify(filter) : null;
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await this.cursors.ensureAtHead(pluginId, tx);
      await tx.query(
        "plugin_event_subscribe",
        `INSERT INTO plugin_event_subscriptions (plugin_id, event_pattern, filter_json, created_at, last_registered_at)
         VALUES ($1, $2, $3::jsonb, $4, $4)
         ON CONFLICT ON CONSTRAINT plugin_event_subscriptions_key
         DO UPDATE SET last_registered_at = EXCLUDED.last_registered_at`,
        [pluginId, eventPattern, normalized, now],
      );
    });
  }

  async clear(pluginId: string): Promise<void> {
    await this.db.query("plugin_event_clear", "DELETE FROM plugin_event_subscriptions WHERE plugin_id = $1", [
      pluginId,
    ]);
  }

  async list(pluginId: string): Promise<EventSubscription[]> {
    const rows = await this.db.query(
      "plugin_event_list",
      `SELECT * FROM plugin_event_subscriptions WHERE plugin_id = $1 ORDER BY created_at, event_pattern, id`,
      [pluginId],
    );
    return rows.map((row) => ({
      id: String(row.id),
      pluginId: String(row.plugin_id),
      eventPattern: String(row.event_pattern),
      filter: (row.filter_json as Record<string, unknown> | null) ?? null,
      createdAt: (row.created_at as Date).toISOString(),
      lastRegisteredAt: (row.last_registered_at as Date).toISOString(),
    }));
  }
}
