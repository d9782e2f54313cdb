// The companies each plugin has a saved config for — the scope of calls made outside a company invocation.
// Cached briefly (other nodes may save configs too) and dropped at once when this node saves one.
import type { PluginConfigStore } from "../config/store.js";

interface Entry {
  value: ReadonlySet<string> | null;
  loadedAt: number;
  loading: Promise<ReadonlySet<string>> | null;
}

export class ConfiguredCompanies {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: PluginConfigStore,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {
    store.onChange((pluginId) => this.entries.delete(pluginId));
  }

  /** The cached set when it is fresh, else null (callers that cannot wait use this). */
  peek(pluginId: string): ReadonlySet<string> | null {
    const entry = this.entries.get(pluginId);
    return entry?.value && this.now() - entry.loadedAt < this.ttlMs ? entry.value : null;
  }

  get(pluginId: string): Promise<ReadonlySet<string>> {
    const fresh = this.peek(pluginId);
    if (fresh) return Promise.resolve(fresh);
    const entry = this.entries.get(pluginId) ?? { value: null, loadedAt: 0, loading: null };
    this.entries.set(pluginId, entry);
    entry.loading ??= this.store
      .configuredCompanyIds(pluginId)
      .then((ids) => {
        const value = new Set(ids);
        // A save during the load dropped the entry: keep the answer for this caller only.
        if (this.entries.get(pluginId) === entry) {
          entry.value = value;
          entry.loadedAt = this.now();
        }
        return value;
      })
      .finally(() => {
        entry.loading = null;
      });
    return entry.loading;
  }

  forget(pluginId: string): void {
    this.entries.delete(pluginId);
  }
}
