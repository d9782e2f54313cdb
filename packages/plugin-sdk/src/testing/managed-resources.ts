/**
 * Plugin-managed agents, projects, routines and skills. This host does not reconcile
 * managed resources yet (out of scope until an issue asks), so the harness checks the
 * capability and the manifest declaration, reports `get` as "missing", and refuses the
 * mutating calls with a message that says so.
 */
import type { PluginCapability, PluginContext } from "../types/index.js";
import type { HarnessRuntime } from "./runtime.js";
import { requireNonEmptyString } from "./validate.js";

type ManagedKind = "agent" | "project" | "routine" | "skill";

const MANIFEST_FIELD: Record<ManagedKind, "agents" | "projects" | "routines" | "skills"> = {
  agent: "agents",
  project: "projects",
  routine: "routines",
  skill: "skills",
};
const CAPABILITY: Record<ManagedKind, PluginCapability> = {
  agent: "agents.managed",
  project: "projects.managed",
  routine: "routines.managed",
  skill: "skills.managed",
};

function managedLookup(
  runtime: HarnessRuntime,
  kind: ManagedKind,
  method: string,
  key: unknown,
  companyId: unknown,
) {
  runtime.gate.require(CAPABILITY[kind]);
  const keyField = `${kind}Key`;
  const where = `ctx.${kind === "agent" ? "agents" : MANIFEST_FIELD[kind]}.managed.${method}`;
  const resourceKey = requireNonEmptyString(key, `${where}: ${keyField}`);
  const company = requireNonEmptyString(companyId, `${where}: companyId`);
  const declarations = (runtime.manifest[MANIFEST_FIELD[kind]] ?? []) as unknown as Array<
    Record<string, unknown>
  >;
  if (!declarations.some((declaration) => declaration[keyField] === resourceKey)) {
    throw new Error(
      `${where}: no managed ${kind} with ${keyField} '${resourceKey}' is declared in manifest.${MANIFEST_FIELD[kind]}`,
    );
  }
  return { where, resourceKey, company };
}

/** The resolution the host returns for a declared resource that has not been created in this company. */
function missing(runtime: HarnessRuntime, kind: ManagedKind, resourceKey: string, companyId: string) {
  return {
    pluginKey: runtime.pluginId,
    resourceKind: kind,
    resourceKey,
    companyId,
    [`${kind}Id`]: null,
    [kind]: null,
    status: "missing" as const,
  };
}

function unsupported(where: string): never {
  throw new Error(
    `${where} is not supported by the test harness: managed resources are not reconciled by this host yet`,
  );
}

function managedClient(runtime: HarnessRuntime, kind: ManagedKind) {
  return {
    async get(key: string, companyId: string) {
      const { resourceKey, company } = managedLookup(runtime, kind, "get", key, companyId);
      return missing(runtime, kind, resourceKey, company);
    },
    async reconcile(key: string, companyId: string) {
      unsupported(managedLookup(runtime, kind, "reconcile", key, companyId).where);
    },
    async reset(key: string, companyId: string) {
      unsupported(managedLookup(runtime, kind, "reset", key, companyId).where);
    },
  };
}

export function buildManagedAgentsClient(runtime: HarnessRuntime): PluginContext["agents"]["managed"] {
  return managedClient(runtime, "agent") as unknown as PluginContext["agents"]["managed"];
}

export function buildManagedProjectsClient(runtime: HarnessRuntime): PluginContext["projects"]["managed"] {
  return managedClient(runtime, "project") as unknown as PluginContext["projects"]["managed"];
}

export function buildRoutinesClient(runtime: HarnessRuntime): PluginContext["routines"] {
  const base = managedClient(runtime, "routine");
  return {
    managed: {
      ...base,
      async get(key: string, companyId: string) {
        return { ...(await base.get(key, companyId)), missingRefs: [] };
      },
      async update(key: string, companyId: string) {
        unsupported(managedLookup(runtime, "routine", "update", key, companyId).where);
      },
      async run(key: string, companyId: string) {
        unsupported(managedLookup(runtime, "routine", "run", key, companyId).where);
      },
    },
  } as unknown as PluginContext["routines"];
}

export function buildSkillsClient(runtime: HarnessRuntime): PluginContext["skills"] {
  return { managed: managedClient(runtime, "skill") } as unknown as PluginContext["skills"];
}
