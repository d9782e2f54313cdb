// ctx.state: plugin-owned values, keyed by scope. A company-kind scope names its company in scopeId and goes
// through the company gate; the other kinds are the plugin's own business.

import { PLUGIN_STATE_SCOPE_KINDS as STATE_SCOPE_KINDS } from "@paperclipai/plugin-sdk/types";
import { LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { HostCall, NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import { MAX_STATE_VALUE_CHARS, paramEnum, scopeKindSchema } from "./shared.js";

const keyFields = {
  scopeKind: scopeKindSchema,
  scopeId: str(LIMITS.key),
  namespace: str(LIMITS.key),
  stateKey: nonEmpty(LIMITS.shortText),
};
const keySchema = paramsOf(keyFields, ["scopeKind", "stateKey"]);

type WireKey = { scopeKind: string; scopeId?: string; namespace?: string; stateKey: string };

function stateKey(call: HostCall, p: WireKey) {
  return { ...p, scopeKind: paramEnum(call, "scopeKind", p.scopeKind, STATE_SCOPE_KINDS) };
}

export function stateMethods(deps: HostServiceDeps) {
  return {
    "state.get": {
      params: keySchema,
      async handle(p, call) {
        return (await deps.state.get(call.plugin.pluginId, stateKey(call, p))).value;
      },
    },
    "state.set": {
      params: paramsOf({ ...keyFields, value: {} }, ["scopeKind", "stateKey"]),
      async handle(p, call) {
        const json = JSON.stringify(p.value ?? null);
        if (json.length > MAX_STATE_VALUE_CHARS) {
          throw invalidParams(
            call.method,
            `params.value is ${json.length} characters of JSON; the limit is ${MAX_STATE_VALUE_CHARS}`,
          );
        }
        // A missing value (undefined in the worker) is stored as null: JSON has no undefined.
        await deps.state.set(call.plugin.pluginId, stateKey(call, p), p.value ?? null);
      },
    },
    "state.delete": {
      params: keySchema,
      async handle(p, call) {
        await deps.state.delete(call.plugin.pluginId, stateKey(call, p));
      },
    },
  } satisfies NamespaceMethods<"state">;
}
