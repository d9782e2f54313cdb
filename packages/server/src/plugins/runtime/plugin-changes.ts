// Committed changes to a plugin that every host node must apply to its own worker: lifecycle operations, settings,
// configs, sandbox grants. The node that made the change announces it here once it is done (committed, its own
// worker already matching); the cluster sync (cluster-sync.ts) publishes it to the other nodes as
// `plugin.lifecycle.changed`, and they reconcile that plugin from its row.
export type PluginChangeAction =
  | "installed"
  | "enabled"
  | "disabled"
  | "upgraded"
  | "uninstalled"
  | "error"
  | "settings"
  | "config"
  | "sandbox"
  | "package"
  | "reloaded";

export interface PluginChange {
  pluginId: string;
  pluginKey: string;
  action: PluginChangeAction;
  /** The company whose config changed (action `config`). */
  companyId?: string;
}

export class PluginChanges {
  private readonly listeners = new Set<(change: PluginChange) => void>();

  subscribe(listener: (change: PluginChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once the change committed; a listener's failure never fails the operation that made it. */
  announce(change: PluginChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // the change is committed already; the other nodes catch up at their next resync
      }
    }
  }
}
