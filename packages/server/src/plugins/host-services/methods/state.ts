// state.* and entities.*: plugin-owned data, keyed by scope. A company-kind scope names its company in
// scopeId and goes through the company gate; the other kinds are the plugin's own business.
import { enumOf, int, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import { STATE_SCOPE_KINDS, type StateScopeKind } from "../../state/scope-kinds.js";
import type { MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";

/** Stored values are JSON; a value this large belongs in an entity or the plugin's own storage. */
export const MAX_STATE_VALUE_CHARS = 4 * 1024 * 1024;

const scopeKind = enumOf(STATE_SCOPE_KINDS);
const keyFields = {
  scopeKind,
  scopeId: str(LIMITS.key),
  namespace: str(LIMITS.key),
  stateKey: nonEmpty(LIMITS.shortText),
};
const keySchema = paramsOf(keyFields, ["scopeKind", "stateKey"]);

type KeyParams = { scopeKind: StateScopeKind; scopeId?: string; namespace?: string; stateKey: string };

export function stateMethods(deps: HostServiceDeps): MethodTable {
  return {
    "state.get": {
      params: keySchema,
      async handle(p: KeyParams, call) {
        return (await deps.state.get(call.plugin.pluginId, p)).value;
      },
    },
    "state.set": {
      params: paramsOf({ ...keyFields, value: {} }, ["scopeKind", "stateKey"]),
      async handle(p: KeyParams & { value?: unknown }, call) {
        const json = JSON.stringify(p.value ?? null);
        if (json.length > MAX_STATE_VALUE_CHARS) {
          throw invalidParams(
            call.method,
            `params.value is ${json.length} characters of JSON; the limit is ${MAX_STATE_VALUE_CHARS}`,
          );
        }
        // A missing value (undefined in the worker) is stored as null: JSON has no undefined.
        await deps.state.set(call.plugin.pluginId, p, p.value ?? null);
        return null;
      },
    },
    "state.delete": {
      params: keySchema,
      async handle(p: KeyParams, call) {
        await deps.state.delete(call.plugin.pluginId, p);
        return null;
      },
    },
    "entities.upsert": {
      params: paramsOf(
        {
          entityType: nonEmpty(LIMITS.key),
          scopeKind,
          scopeId: str(LIMITS.key),
          externalId: str(LIMITS.key),
          title: { type: ["string", "null"], maxLength: LIMITS.title },
          status: { type: ["string", "null"], maxLength: LIMITS.key },
          data: { type: "object" },
        },
        ["entityType", "scopeKind", "data"],
      ),
      async handle(p, call) {
        const json = JSON.stringify(p.data);
        if (json.length > MAX_STATE_VALUE_CHARS) {
          throw invalidParams(
            call.method,
            `params.data is ${json.length} characters of JSON; the limit is ${MAX_STATE_VALUE_CHARS}`,
          );
        }
        return deps.entities.upsert(call.plugin.pluginId, p);
      },
    },
    "entities.list": {
      params: paramsOf({
        entityType: nonEmpty(LIMITS.key),
        scopeKind,
        scopeId: str(LIMITS.key),
        externalId: str(LIMITS.key),
        limit: int(1, 1000),
        offset: int(0, 10_000_000),
      }),
      async handle(p, call) {
        return deps.entities.list(call.plugin.pluginId, p);
      },
    },
  };
}
