// How the board mounts a plugin's UI (docs/plugin-ui-sandbox.md): `same-origin` (the bundle is imported into the
// board and runs with the user's session, as in Paperclip) or `sandboxed` (an opaque-origin iframe with a strict
// CSP that reaches the host only through the board's checked postMessage bridge).
//
// The effective mode is, in order: the instance admin's choice (table plugin_ui_isolation), else the plugin's own
// hint, else `same-origin` (compatibility). The published manifest has no field for this and its validator strips
// unknown keys, so the hint lives in the plugin's package.json, under Paperclip's own `paperclipPlugin` object
// with a vendor-extension name that no published field can take: `paperclipPlugin["x-paperclip-ui-isolation"]`.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { PLUGIN_UI_ISOLATION_MODES, pluginUiIsolation } from "../../db/schema.js";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { allCompanyIds } from "../lifecycle/activity.js";
import type { PluginRecord } from "../registry/index.js";

export type UiIsolationMode = (typeof PLUGIN_UI_ISOLATION_MODES)[number];
export const UI_ISOLATION_MODES: readonly UiIsolationMode[] = PLUGIN_UI_ISOLATION_MODES;
export const DEFAULT_UI_ISOLATION: UiIsolationMode = "same-origin";

/** The package.json key of the plugin's hint, inside `paperclipPlugin`. */
export const UI_ISOLATION_HINT_KEY = "x-paperclip-ui-isolation";

/** The activity action written (to every company, as plugin changes are) when an admin changes the mode. */
export const UI_ISOLATION_ACTIVITY = "plugin.ui_isolation.updated";

export interface UiIsolationHint {
  mode: UiIsolationMode | null;
  /** Why a declared hint is ignored (not one of the modes), or null. */
  problem: string | null;
}

export interface UiIsolationState {
  pluginId: string;
  pluginKey: string;
  /** What the board uses. */
  mode: UiIsolationMode;
  /** Where `mode` comes from. */
  source: "operator" | "plugin" | "default";
  /** The instance admin's choice, or null (then the hint or the default applies). */
  operatorMode: UiIsolationMode | null;
  pluginHint: UiIsolationMode | null;
  pluginHintProblem: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

type Plugin = Pick<PluginRecord, "id" | "pluginKey" | "packageDir" | "updatedAt" | "version" | "status">;

export function isUiIsolationMode(value: unknown): value is UiIsolationMode {
  return typeof value === "string" && (UI_ISOLATION_MODES as readonly string[]).includes(value);
}

/** The hint in a parsed package.json (pure: the tests and the service share it). */
export function hintOfPackageJson(packageJson: unknown): UiIsolationHint {
  const declared = (packageJson as { paperclipPlugin?: Record<string, unknown> } | null)?.paperclipPlugin;
  const value = declared && typeof declared === "object" ? declared[UI_ISOLATION_HINT_KEY] : undefined;
  if (value === undefined || value === null) return { mode: null, problem: null };
  if (isUiIsolationMode(value)) return { mode: value, problem: null };
  return {
    mode: null,
    problem:
      `package.json paperclipPlugin["${UI_ISOLATION_HINT_KEY}"] must be one of ${UI_ISOLATION_MODES.join(", ")} ` +
      `(got ${JSON.stringify(value)}); it is ignored`,
  };
}

function effective(
  operatorMode: UiIsolationMode | null,
  hint: UiIsolationHint,
): Pick<UiIsolationState, "mode" | "source"> {
  if (operatorMode) return { mode: operatorMode, source: "operator" };
  if (hint.mode) return { mode: hint.mode, source: "plugin" };
  return { mode: DEFAULT_UI_ISOLATION, source: "default" };
}

interface OperatorRow {
  mode: UiIsolationMode;
  updatedBy: string;
  updatedAt: Date;
}

export class UiIsolationService {
  /** Hints by plugin id, read again when the package changes (a new folder, version or record update). */
  private readonly hints = new Map<string, { key: string; hint: Promise<UiIsolationHint> }>();

  constructor(private readonly services: DomainServices) {}

  /** The plugin's hint, from its package.json (a missing or unreadable file is no hint). */
  hintOf(plugin: Plugin): Promise<UiIsolationHint> {
    const key = `${plugin.packageDir}\u0000${plugin.version}\u0000${plugin.updatedAt}`;
    const cached = this.hints.get(plugin.id);
    if (cached && cached.key === key) return cached.hint;
    const hint = readFile(path.join(plugin.packageDir, "package.json"), "utf8").then(
      (text) => {
        try {
          return hintOfPackageJson(JSON.parse(text));
        } catch {
          return { mode: null, problem: null };
        }
      },
      () => ({ mode: null, problem: null }),
    );
    this.hints.set(plugin.id, { key, hint });
    return hint;
  }

  /** The effective mode of each plugin, with one query for the operators' choices. */
  async modesOf(plugins: readonly Plugin[]): Promise<Map<string, UiIsolationMode>> {
    const rows = await this.operatorRows(plugins.map((plugin) => plugin.id));
    const modes = new Map<string, UiIsolationMode>();
    for (const plugin of plugins) {
      modes.set(plugin.id, effective(rows.get(plugin.id)?.mode ?? null, await this.hintOf(plugin)).mode);
    }
    return modes;
  }

  async stateOf(plugin: Plugin): Promise<UiIsolationState> {
    const row = (await this.operatorRows([plugin.id])).get(plugin.id) ?? null;
    return this.describe(plugin, row, await this.hintOf(plugin));
  }

  /**
   * Store the admin's choice (`null`: forget it, so the hint or the default applies again) and write
   * `plugin.ui_isolation.updated` to every company's activity log, in one transaction.
   */
  async set(actor: Actor, plugin: Plugin, mode: UiIsolationMode | null): Promise<UiIsolationState> {
    const hint = await this.hintOf(plugin);
    const before = await this.stateOf(plugin);
    const companyIds = await allCompanyIds(this.services);
    const row = await this.services.runner.run(actor, async (m) => {
      const table = pluginUiIsolation;
      let written: OperatorRow | null = null;
      if (mode === null) {
        await m.tx.orm.delete(table).where(eq(table.pluginId, plugin.id));
      } else {
        const values = { pluginId: plugin.id, mode, updatedBy: actor.id, updatedAt: m.now };
        await m.tx.orm
          .insert(table)
          .values(values)
          .onConflictDoUpdate({
            target: table.pluginId,
            set: { mode, updatedBy: actor.id, updatedAt: m.now },
          });
        written = { mode, updatedBy: actor.id, updatedAt: m.now };
      }
      const after = effective(mode, hint);
      for (const companyId of companyIds) {
        m.activity({
          companyId,
          action: UI_ISOLATION_ACTIVITY,
          entityType: "plugin",
          entityId: plugin.id,
          details: {
            pluginKey: plugin.pluginKey,
            mode: after.mode,
            source: after.source,
            operatorMode: mode,
            previousMode: before.mode,
          },
        });
      }
      return written;
    });
    return this.describe(plugin, row, hint);
  }

  private describe(plugin: Plugin, row: OperatorRow | null, hint: UiIsolationHint): UiIsolationState {
    return {
      pluginId: plugin.id,
      pluginKey: plugin.pluginKey,
      ...effective(row?.mode ?? null, hint),
      operatorMode: row?.mode ?? null,
      pluginHint: hint.mode,
      pluginHintProblem: hint.problem,
      updatedAt: row ? row.updatedAt.toISOString() : null,
      updatedBy: row?.updatedBy ?? null,
    };
  }

  private async operatorRows(pluginIds: readonly string[]): Promise<Map<string, OperatorRow>> {
    const found = new Map<string, OperatorRow>();
    if (pluginIds.length === 0) return found;
    const table = pluginUiIsolation;
    const rows = await this.services.db.orm
      .select()
      .from(table)
      .where(inArray(table.pluginId, [...pluginIds]));
    for (const row of rows) {
      if (!isUiIsolationMode(row.mode)) continue;
      found.set(row.pluginId, { mode: row.mode, updatedBy: row.updatedBy, updatedAt: row.updatedAt });
    }
    return found;
  }
}
