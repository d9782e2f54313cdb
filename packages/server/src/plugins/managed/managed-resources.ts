// Plugin-managed projects and agents (manifest.projects / manifest.agents; reference §1.3, §3.6): a declared
// resource becomes an ordinary project or agent of a company, tracked by (plugin, kind, key, company) in
// plugin_managed_resources with the declared values last applied to it.
// - get: the bound record, `resolved`; `missing` when there is none (never bound, or deleted/terminated).
// - reconcile: create it (`created`, or `relinked` when the bound record was deleted); when it exists, apply the
//   declared fields whose declaration changed since they were last applied (a plugin upgrade), keeping an
//   operator's edits to the others (`resolved`).
// - reset: write every declared field back onto the record (`reset`); create it when missing.
// Soft uninstall keeps the bindings (a reinstall resolves the same records); a purge deletes them by cascade —
// the projects and agents stay, released from the plugin.
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import type { Database } from "../../db/database.js";
import type { Actor } from "../../domain/actor.js";
import { AGENT_ICONS, AGENT_ROLES, type Agent, type UpdateAgentInput } from "../../domain/agents.js";
import { PROJECT_STATUSES, type Project, type ProjectInput } from "../../domain/projects.js";
import type { DomainServices } from "../../domain/services.js";
import { DomainError } from "../../errors.js";
import { KeyedLock } from "../lifecycle/keyed-lock.js";

export type ManagedKind = "project" | "agent";
export type ManagedStatus = "missing" | "resolved" | "created" | "relinked" | "reset";

export interface ManagedCaller {
  pluginId: string;
  pluginKey: string;
  manifest: PaperclipPluginManifestV1;
  actor: Actor;
}

export class ManagedDeclarationError extends Error {
  override readonly name = "ManagedDeclarationError";
}

type Json = Record<string, unknown>;

interface Binding {
  id: string;
  resourceId: string;
  defaults: Json;
}

/** Fields reconcile/reset write onto the record, per kind (the rest of the declaration is kept in defaults). */
const PROJECT_FIELDS = ["name", "description", "status", "color"] as const;
const AGENT_FIELDS = [
  "name",
  "role",
  "title",
  "icon",
  "capabilities",
  "adapterType",
  "adapterConfig",
  "runtimeConfig",
  "budgetMonthlyCents",
  "status",
] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class ManagedResources {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly db: Database,
    private readonly services: DomainServices,
  ) {}

  async get(caller: ManagedCaller, kind: ManagedKind, key: string, companyId: string) {
    this.declaration(caller, kind, key);
    await this.services.companies.get(companyId);
    const binding = await this.binding(caller.pluginId, kind, key, companyId);
    const record = binding ? await this.live(kind, binding.resourceId, companyId) : null;
    return this.resolution(caller, kind, key, companyId, record, record ? "resolved" : "missing");
  }

  reconcile(caller: ManagedCaller, kind: ManagedKind, key: string, companyId: string) {
    return this.apply(caller, kind, key, companyId, "reconcile");
  }

  reset(caller: ManagedCaller, kind: ManagedKind, key: string, companyId: string) {
    return this.apply(caller, kind, key, companyId, "reset");
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private apply(
    caller: ManagedCaller,
    kind: ManagedKind,
    key: string,
    companyId: string,
    mode: "reconcile" | "reset",
  ) {
    return this.lock.run(`${caller.pluginId}:${kind}:${key}:${companyId}`, async () => {
      const declaration = this.declaration(caller, kind, key);
      await this.services.companies.get(companyId);
      const defaults = await this.defaultsOf(kind, declaration, companyId);
      const binding = await this.binding(caller.pluginId, kind, key, companyId);
      const current = binding ? await this.live(kind, binding.resourceId, companyId) : null;
      // The preferred adapter depends on the company's other agents: it is chosen when the agent is created or
      // reset, and again by reconcile only when the declared adapter fields changed.
      if (
        kind === "agent" &&
        binding &&
        mode === "reconcile" &&
        same(defaults.adapterDeclared, binding.defaults.adapterDeclared)
      ) {
        defaults.adapterType = binding.defaults.adapterType;
      }
      if (binding && current) {
        const fields = kind === "project" ? PROJECT_FIELDS : AGENT_FIELDS;
        const changed = fields.filter((field) =>
          mode === "reset" ? true : !same(defaults[field], binding.defaults[field]),
        );
        const record =
          changed.length > 0 ? await this.update(caller.actor, kind, current, defaults, changed) : current;
        if (!same(defaults, binding.defaults)) await this.saveDefaults(binding.id, defaults);
        return this.resolution(caller, kind, key, companyId, record, mode === "reset" ? "reset" : "resolved");
      }
      const created = await this.create(caller, kind, key, companyId, defaults);
      const createdId = (created as { id: string }).id;
      if (binding) {
        await this.relink(binding.id, createdId, defaults);
        return this.resolution(caller, kind, key, companyId, created, "relinked");
      }
      const inserted = await this.insertBinding(caller, kind, key, companyId, createdId, defaults);
      if (!inserted) {
        // Another node bound this key first: keep its record, remove ours.
        await this.remove(caller.actor, kind, createdId);
        const winner = await this.binding(caller.pluginId, kind, key, companyId);
        const record = winner ? await this.live(kind, winner.resourceId, companyId) : null;
        return this.resolution(caller, kind, key, companyId, record, record ? "resolved" : "missing");
      }
      return this.resolution(caller, kind, key, companyId, created, "created");
    });
  }

  private declaration(caller: ManagedCaller, kind: ManagedKind, key: string): Json {
    const list = (kind === "project" ? caller.manifest.projects : caller.manifest.agents) ?? [];
    const keyField = kind === "project" ? "projectKey" : "agentKey";
    const found = (list as unknown as Json[]).find((entry) => entry[keyField] === key);
    if (!found) {
      const declared = (list as unknown as Json[]).map((entry) => String(entry[keyField]));
      throw new ManagedDeclarationError(
        `plugin ${caller.pluginKey} declares no managed ${kind} "${key}" in manifest.${kind}s` +
          (declared.length > 0 ? ` (declared: ${declared.join(", ")})` : ""),
      );
    }
    return found;
  }

  /** The values the declaration asks for, in domain terms. */
  private async defaultsOf(kind: ManagedKind, declaration: Json, companyId: string): Promise<Json> {
    if (kind === "project") {
      const status = declaration.status as string | undefined;
      return {
        name: declaration.displayName,
        description: declaration.description ?? null,
        status: status && (PROJECT_STATUSES as readonly string[]).includes(status) ? status : "in_progress",
        color: declaration.color ?? null,
        settings: declaration.settings ?? null,
      };
    }
    const role = declaration.role as string | undefined;
    const icon = declaration.icon as string | undefined;
    return {
      name: declaration.displayName,
      role: role && (AGENT_ROLES as readonly string[]).includes(role) ? role : "general",
      title: declaration.title ?? null,
      icon: icon && (AGENT_ICONS as readonly string[]).includes(icon) ? icon : null,
      capabilities: declaration.capabilities ?? null,
      adapterType: await this.adapterFor(declaration, companyId),
      adapterDeclared: {
        adapterType: declaration.adapterType ?? null,
        adapterPreference: declaration.adapterPreference ?? null,
      },
      adapterConfig: declaration.adapterConfig ?? {},
      runtimeConfig: declaration.runtimeConfig ?? {},
      budgetMonthlyCents: declaration.budgetMonthlyCents ?? 0,
      status: declaration.status === "paused" ? "paused" : "idle",
      permissions: declaration.permissions ?? null,
      instructions: declaration.instructions ?? null,
    };
  }

  /** adapterPreference: the most-used of the listed adapters among the company's agents, else adapterType. */
  private async adapterFor(declaration: Json, companyId: string): Promise<string> {
    const fallback = typeof declaration.adapterType === "string" ? declaration.adapterType : "process";
    const preference = Array.isArray(declaration.adapterPreference)
      ? (declaration.adapterPreference as unknown[]).filter(
          (value): value is string => typeof value === "string",
        )
      : [];
    if (preference.length === 0) return fallback;
    const agents = await this.services.agents.list(companyId, { limit: 1000 });
    let best: { adapter: string; uses: number } | null = null;
    for (const adapter of preference) {
      const uses = agents.filter((agent) => agent.adapterType === adapter).length;
      if (uses > 0 && (!best || uses > best.uses)) best = { adapter, uses };
    }
    return best?.adapter ?? fallback;
  }

  private async live(
    kind: ManagedKind,
    resourceId: string,
    companyId: string,
  ): Promise<Project | Agent | null> {
    try {
      const record =
        kind === "project"
          ? await this.services.projects.get(resourceId)
          : await this.services.agents.get(resourceId);
      if (record.companyId !== companyId) return null;
      if (kind === "agent" && (record as Agent).status === "terminated") return null;
      return record;
    } catch (error) {
      if (error instanceof DomainError && error.code === "not_found") return null;
      throw error;
    }
  }

  private async create(
    caller: ManagedCaller,
    kind: ManagedKind,
    key: string,
    companyId: string,
    defaults: Json,
  ) {
    if (kind === "project") {
      return this.services.projects.create(caller.actor, companyId, {
        name: defaults.name as string,
        description: defaults.description as string | null,
        status: defaults.status as (typeof PROJECT_STATUSES)[number],
        color: defaults.color as string | null,
      });
    }
    const agent = await this.services.agents.create(caller.actor, companyId, {
      name: defaults.name as string,
      role: defaults.role as (typeof AGENT_ROLES)[number],
      title: defaults.title as string | null,
      icon: defaults.icon as string | null,
      capabilities: defaults.capabilities as string | null,
      adapterType: defaults.adapterType as string,
      adapterConfig: defaults.adapterConfig as Json,
      runtimeConfig: defaults.runtimeConfig as Json,
      budgetMonthlyCents: defaults.budgetMonthlyCents as number,
      metadata: {
        paperclipManagedBy: { pluginKey: caller.pluginKey, resourceKind: "agent", resourceKey: key },
      },
    });
    if (defaults.status === "paused") {
      return this.services.agents.pause(caller.actor, agent.id, `plugin:${caller.pluginKey}`);
    }
    return agent;
  }

  private async update(
    actor: Actor,
    kind: ManagedKind,
    current: Project | Agent,
    defaults: Json,
    fields: readonly string[],
  ): Promise<Project | Agent> {
    const patch: Json = {};
    for (const field of fields) if (field !== "status" || kind === "project") patch[field] = defaults[field];
    if (kind === "project")
      return this.services.projects.update(actor, current.id, patch as Partial<ProjectInput>);
    let agent =
      Object.keys(patch).length > 0
        ? await this.services.agents.update(actor, current.id, {
            ...(patch as UpdateAgentInput),
            ...(patch.adapterConfig !== undefined ? { replaceAdapterConfig: true } : {}),
          })
        : (current as Agent);
    if (fields.includes("status")) {
      if (defaults.status === "paused" && agent.status !== "paused") {
        agent = await this.services.agents.pause(actor, agent.id, `plugin:${actor.id}`);
      } else if (defaults.status === "idle" && agent.status === "paused") {
        agent = await this.services.agents.resume(actor, agent.id);
      }
    }
    return agent;
  }

  private async remove(actor: Actor, kind: ManagedKind, resourceId: string): Promise<void> {
    if (kind === "project") await this.services.projects.delete(actor, resourceId);
    else await this.services.agents.delete(actor, resourceId);
  }

  private resolution(
    caller: ManagedCaller,
    kind: ManagedKind,
    key: string,
    companyId: string,
    record: Project | Agent | null,
    status: ManagedStatus,
  ) {
    const base = { pluginKey: caller.pluginKey, resourceKind: kind, resourceKey: key, companyId };
    if (kind === "project") return { ...base, projectId: record?.id ?? null, project: record, status };
    return {
      ...base,
      agentId: record?.id ?? null,
      agent: record,
      status,
      approvalId: null,
      defaultDrift: null,
    };
  }

  private async binding(
    pluginId: string,
    kind: ManagedKind,
    key: string,
    companyId: string,
  ): Promise<Binding | null> {
    const result = await this.db.pool.query<{ id: string; resource_id: string; defaults_json: Json }>(
      `SELECT id, resource_id, defaults_json FROM plugin_managed_resources
       WHERE plugin_id = $1 AND resource_kind = $2 AND resource_key = $3 AND company_id = $4`,
      [pluginId, kind, key, companyId],
    );
    const row = result.rows[0];
    return row ? { id: row.id, resourceId: row.resource_id, defaults: row.defaults_json ?? {} } : null;
  }

  private async insertBinding(
    caller: ManagedCaller,
    kind: ManagedKind,
    key: string,
    companyId: string,
    resourceId: string,
    defaults: Json,
  ): Promise<boolean> {
    const result = await this.db.pool.query(
      `INSERT INTO plugin_managed_resources
         (company_id, plugin_id, plugin_key, resource_kind, resource_key, resource_id, defaults_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (company_id, plugin_id, resource_kind, resource_key) DO NOTHING`,
      [companyId, caller.pluginId, caller.pluginKey, kind, key, resourceId, JSON.stringify(defaults)],
    );
    return (result.rowCount ?? 0) > 0;
  }

  private async relink(bindingId: string, resourceId: string, defaults: Json): Promise<void> {
    await this.db.pool.query(
      "UPDATE plugin_managed_resources SET resource_id = $2, defaults_json = $3, updated_at = now() WHERE id = $1",
      [bindingId, resourceId, JSON.stringify(defaults)],
    );
  }

  private async saveDefaults(bindingId: string, defaults: Json): Promise<void> {
    await this.db.pool.query(
      "UPDATE plugin_managed_resources SET defaults_json = $2, updated_at = now() WHERE id = $1",
      [bindingId, JSON.stringify(defaults)],
    );
  }
}
