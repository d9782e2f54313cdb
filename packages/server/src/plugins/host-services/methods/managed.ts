// projects.managed.* and agents.managed.*: the plugin's declared projects and agents, per company
// (src/plugins/managed). The company named by the params passes the usual company gate first.
import { LIMITS, nonEmpty } from "../../../schema/schema-helpers.js";
import { ManagedDeclarationError, type ManagedKind } from "../../managed/index.js";
import type { HostCall, MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed } from "../errors.js";
import { paramsOf } from "../params.js";
import { id } from "./shared.js";

const OPERATIONS = ["get", "reconcile", "reset"] as const;

export function managedMethods(deps: HostServiceDeps): MethodTable {
  const table: MethodTable = {};
  const kinds: Array<[ManagedKind, string, string]> = [
    ["project", "projects", "projectKey"],
    ["agent", "agents", "agentKey"],
  ];
  for (const [kind, prefix, keyField] of kinds) {
    for (const operation of OPERATIONS) {
      table[`${prefix}.managed.${operation}`] = {
        params: paramsOf({ [keyField]: nonEmpty(LIMITS.key), companyId: id }, [keyField, "companyId"]),
        async handle(p: Record<string, string>, call: HostCall) {
          const caller = {
            pluginId: call.plugin.pluginId,
            pluginKey: call.plugin.pluginKey,
            manifest: call.plugin.manifest,
            actor: call.actor,
          };
          const key = p[keyField]!;
          const companyId = p.companyId!;
          try {
            return await deps.managed[operation](caller, kind, key, companyId);
          } catch (error) {
            if (error instanceof ManagedDeclarationError) throw callFailed(call.method, error.message);
            throw error;
          }
        },
      };
    }
  }
  return table;
}
