// What an operator does with a plugin's egress (the routes are http/plugins/egress-routes.ts), and the rules one
// http.fetch runs under (host-services/methods/http.ts). A policy change is written with an activity row in
// every company's log in one transaction (plugin changes are instance-wide, as in plugins/lifecycle/activity.ts)
// and applies from the next call on: the rules are read per call.
import type { Database } from "../../db/database.js";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { instanceAllowEntries } from "../host-services/network-policy.js";
import type { OutboundHttp } from "../host-services/outbound-http.js";
import { allCompanyIds } from "../lifecycle/activity.js";
import type { OutboundCallLog } from "./outbound-log.js";
import { EgressRules, validateEgressPolicy } from "./policy.js";
import { EgressPolicyStore, type StoredEgressPolicy } from "./policy-store.js";

/** The plugin an egress operation is about. */
export interface EgressPlugin {
  id: string;
  pluginKey: string;
}

/** GET/PUT …/egress: the stored policy with what else applies to the plugin. */
export interface EgressView extends StoredEgressPolicy {
  pluginId: string;
  pluginKey: string;
  /** Private grants of PAPERCLIP_PLUGIN_ALLOWED_HOSTS that apply to this plugin (set in the host's environment). */
  instanceGrants: string[];
  /** The host's limits where the policy leaves them null. */
  defaults: { timeoutMs: number; maxResponseBytes: number };
  /** How much of the outbound log is kept. */
  log: { maxRowsPerPlugin: number; retentionDays: number };
}

export interface EgressServiceDeps {
  db: Database;
  services: DomainServices;
  log: OutboundCallLog;
  /** Raw PAPERCLIP_PLUGIN_ALLOWED_HOSTS entries (may be "<pluginKey>=<entry>"). */
  instanceGrants: readonly string[];
  /** The outbound client (its defaults apply where a policy sets no limit). */
  outbound: OutboundHttp;
}

export class EgressService {
  readonly store: EgressPolicyStore;
  readonly log: OutboundCallLog;
  readonly outbound: OutboundHttp;

  constructor(private readonly deps: EgressServiceDeps) {
    this.store = new EgressPolicyStore(deps.db);
    this.log = deps.log;
    this.outbound = deps.outbound;
  }

  async view(plugin: EgressPlugin): Promise<EgressView> {
    return this.toView(plugin, await this.store.get(plugin.id));
  }

  /** Validate and store a new policy (400 naming the entry when it is not valid); applies from the next call. */
  async update(actor: Actor, plugin: EgressPlugin, input: Record<string, unknown>): Promise<EgressView> {
    const policy = validateEgressPolicy(input);
    const companyIds = await allCompanyIds(this.deps.services);
    const stored = await this.deps.services.runner.run(actor, async (m) => {
      const { stored, previous } = await this.store.put(m.tx, plugin.id, policy, actor.id, m.now);
      for (const companyId of companyIds) {
        m.activity({
          companyId,
          action: "plugin.egress.updated",
          entityType: "plugin",
          entityId: plugin.id,
          // Counts, not entries: activity.logged reaches every subscribed plugin, and the grants map the network.
          details: {
            pluginKey: plugin.pluginKey,
            mode: policy.mode,
            previousMode: previous.mode,
            allowEntries: policy.allow.length,
            privateGrants: policy.privateGrants.length,
            timeoutMs: policy.timeoutMs,
            maxResponseBytes: policy.maxResponseBytes,
          },
        });
      }
      return stored;
    });
    return this.toView(plugin, stored);
  }

  /** The rules of one call: the plugin's policy, the instance's grants for it and the company config's. */
  async rulesFor(plugin: EgressPlugin, companyGrants: readonly string[]): Promise<EgressRules> {
    const policy = await this.store.get(plugin.id);
    return new EgressRules(policy, [
      ...instanceAllowEntries(plugin.pluginKey, this.deps.instanceGrants),
      ...companyGrants,
    ]);
  }

  private toView(plugin: EgressPlugin, policy: StoredEgressPolicy): EgressView {
    return {
      pluginId: plugin.id,
      pluginKey: plugin.pluginKey,
      ...policy,
      instanceGrants: instanceAllowEntries(plugin.pluginKey, this.deps.instanceGrants),
      defaults: { timeoutMs: this.outbound.timeoutMs, maxResponseBytes: this.outbound.maxResponseBytes },
      log: { maxRowsPerPlugin: this.log.maxRowsPerPlugin, retentionDays: this.log.retentionDays },
    };
  }
}
