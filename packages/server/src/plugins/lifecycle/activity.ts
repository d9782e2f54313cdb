// Plugin changes are instance-wide, so (as in the original) each one is written to the activity log of every
// company, in the same transaction as the registry change: both commit or neither does.
import type { DomainServices } from "../../domain/services.js";
import type { Mutation } from "../../domain/unit-of-work.js";
import type { PluginRecord } from "../registry/index.js";

/** Activity actions of the plugin lifecycle (entityType "plugin"). */
export type PluginActivityAction =
  | "plugin.installed"
  | "plugin.enabled"
  | "plugin.disabled"
  | "plugin.upgraded"
  | "plugin.uninstalled"
  | "plugin.error"
  | "plugin.settings.updated"
  | "plugin.package.accepted"
  // plugins/sandbox: grants changed; a running worker was killed or died (hung, out of memory, exit)
  | "plugin.sandbox.updated"
  | "plugin.worker.crashed"
  // lifecycle/dev-mode.ts: dev mode turned on or off; a dev-mode plugin reloaded from its folder
  | "plugin.dev_mode.enabled"
  | "plugin.dev_mode.disabled"
  | "plugin.dev.reloaded";

export interface PluginActivity {
  action: PluginActivityAction;
  details?: Record<string, unknown>;
}

const PAGE = 500;

export async function allCompanyIds(services: DomainServices): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await services.companies.list({ limit: PAGE, offset });
    ids.push(...page.map((company) => company.id));
    if (page.length < PAGE) return ids;
  }
}

export function writePluginActivity(
  m: Mutation,
  companyIds: readonly string[],
  plugin: Pick<PluginRecord, "id" | "pluginKey" | "version" | "status">,
  activity: PluginActivity,
): void {
  for (const companyId of companyIds) {
    m.activity({
      companyId,
      action: activity.action,
      entityType: "plugin",
      entityId: plugin.id,
      details: {
        pluginKey: plugin.pluginKey,
        version: plugin.version,
        status: plugin.status,
        ...activity.details,
      },
    });
  }
}
