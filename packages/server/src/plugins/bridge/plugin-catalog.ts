// In-memory copy of the plugin records the delivery routes (bridge, streams, UI, tools, scoped API) read on
// every request, so the hot path never queries the database. A record is fresh for `maxAgeMs` (default 1 s:
// the bound on how long a change made on another node can go unseen). Changes made through this node's
// lifecycle are seen at once, without hooks: a `ready` copy whose worker this node no longer runs is read
// again, the list of ready plugins is read again when the set of running workers changes, and the routes
// re-read a record whenever a call finds the worker gone. Records of plugins that are not `ready` are never
// served from the copy (such a plugin may be enabled any moment), and unknown ids are remembered for the same
// short time (no query storm on 404s). invalidate() drops copies at once, for callers that know of a change.
import type { PluginRecord } from "../registry/index.js";

/** Where the catalog reads records from (the plugin registry). */
export interface PluginRecordSource {
  find(idOrKey: string): Promise<PluginRecord | null>;
  /** Every plugin that is not uninstalled. */
  list(): Promise<PluginRecord[]>;
}

export interface PluginCatalogOptions {
  /** How long a record read from the database is used before it is read again. Default 1 000 ms. */
  maxAgeMs?: number;
  /** Lookups remembered at most (ids and keys, found or not). Default 10 000. */
  maxEntries?: number;
  /**
   * Whether this node runs the plugin's worker. A `ready` copy whose worker is gone (disabled, uninstalled or
   * failed through this node's lifecycle) is read again, so those changes are seen at once, without hooks.
   */
  isServed?: (pluginId: string) => boolean;
  /** The plugins this node runs; the list of ready plugins is read again whenever this set changes. */
  servedIds?: () => readonly string[];
  now?: () => number;
}

interface Entry {
  record: PluginRecord | null;
  loadedAt: number;
}

export class PluginCatalog {
  private readonly byRef = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<PluginRecord | null>>();
  private readyList: { records: PluginRecord[]; loadedAt: number; served: ReadonlySet<string> } | null = null;
  private readyLoad: Promise<PluginRecord[]> | null = null;
  private generation = 0;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly isServed: (pluginId: string) => boolean;
  private readonly servedIds: () => readonly string[];

  constructor(
    private readonly source: PluginRecordSource,
    options: PluginCatalogOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    this.isServed = options.isServed ?? (() => true);
    this.servedIds = options.servedIds ?? (() => []);
  }

  /** The record a `:pluginId` (uuid or plugin key) names, from memory while fresh. */
  peek(idOrKey: string): PluginRecord | null | undefined {
    const entry = this.byRef.get(idOrKey);
    if (!entry || this.now() - entry.loadedAt > this.maxAgeMs) return undefined;
    const record = entry.record;
    // A plugin that is not ready may be enabled any moment (and is off the hot path): always re-read it.
    if (record && (record.status !== "ready" || !this.isServed(record.id))) return undefined;
    return record;
  }

  /** The record a `:pluginId` names (null when unknown); one database read per ref and max age at most. */
  async find(idOrKey: string): Promise<PluginRecord | null> {
    const cached = this.peek(idOrKey);
    if (cached !== undefined) return cached;
    return this.load(idOrKey);
  }

  /** Read the record again now (a call found the worker gone, or the status matters exactly). */
  refresh(idOrKey: string): Promise<PluginRecord | null> {
    // Reads that started earlier may bring the old record: they must not overwrite this one.
    this.generation++;
    this.forget(idOrKey);
    return this.load(idOrKey);
  }

  /** Plugins in status `ready`, in install order. */
  async readyPlugins(): Promise<PluginRecord[]> {
    const list = this.readyList;
    if (list && this.now() - list.loadedAt <= this.maxAgeMs && sameSet(list.served, this.servedIds())) {
      return list.records;
    }
    if (this.readyLoad) return this.readyLoad;
    const generation = this.generation;
    const served = new Set(this.servedIds());
    const load = this.source
      .list()
      .then((records) => {
        const ready = records.filter((record) => record.status === "ready");
        if (generation === this.generation) this.readyList = { records: ready, loadedAt: this.now(), served };
        return ready;
      })
      .finally(() => {
        if (this.readyLoad === load) this.readyLoad = null;
      });
    this.readyLoad = load;
    return load;
  }

  /** A plugin changed (or, with no id, anything may have): drop what memory holds about it. */
  invalidate(pluginId?: string): void {
    this.generation++;
    this.readyList = null;
    this.readyLoad = null;
    if (pluginId === undefined) {
      this.byRef.clear();
      this.inFlight.clear();
    } else {
      this.forget(pluginId);
    }
  }

  private forget(idOrKey: string): void {
    const entry = this.byRef.get(idOrKey);
    this.byRef.delete(idOrKey);
    this.inFlight.delete(idOrKey);
    const record = entry?.record;
    if (record) {
      // The same plugin is cached under its id and its key.
      this.byRef.delete(record.id);
      this.byRef.delete(record.pluginKey);
      this.inFlight.delete(record.id);
      this.inFlight.delete(record.pluginKey);
    }
    for (const [ref, other] of this.byRef) {
      if (other.record && (other.record.id === idOrKey || other.record.pluginKey === idOrKey))
        this.byRef.delete(ref);
    }
    this.readyList = null;
  }

  private load(idOrKey: string): Promise<PluginRecord | null> {
    const pending = this.inFlight.get(idOrKey);
    if (pending) return pending;
    const generation = this.generation;
    const load = this.source
      .find(idOrKey)
      .then((record) => {
        if (generation === this.generation) this.store(idOrKey, record);
        return record;
      })
      .finally(() => {
        if (this.inFlight.get(idOrKey) === load) this.inFlight.delete(idOrKey);
      });
    this.inFlight.set(idOrKey, load);
    return load;
  }

  private store(idOrKey: string, record: PluginRecord | null): void {
    if (this.byRef.size >= this.maxEntries) this.byRef.clear();
    const entry: Entry = { record, loadedAt: this.now() };
    this.byRef.set(idOrKey, entry);
    if (record) {
      this.byRef.set(record.id, entry);
      this.byRef.set(record.pluginKey, entry);
    }
  }
}

function sameSet(known: ReadonlySet<string>, current: readonly string[]): boolean {
  if (known.size !== current.length) return false;
  for (const id of current) if (!known.has(id)) return false;
  return true;
}
