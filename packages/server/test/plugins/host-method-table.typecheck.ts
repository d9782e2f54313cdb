// Compile-time only (tsconfig.tests.json checks it; vitest never runs it): the host method table is held to the
// SDK's wire contract by `satisfies`. Each @ts-expect-error below must stay an error, or typechecking fails.

import { notHosted } from "../../src/plugins/host-services/call.js";
import type { HostMethodTable, NamespaceMethods } from "../../src/plugins/host-services/index.js";

const reason = notHosted("typecheck fixture");

// A misspelt method name is not a method of the contract.
export const misspelt = {
  "db.namespace": reason,
  "db.query": reason,
  "db.execute": reason,
  // @ts-expect-error "db.qeury" is not a worker→host method
  "db.qeury": reason,
} satisfies NamespaceMethods<"db">;

// A namespace file must decide on every method of its wire prefix.
// @ts-expect-error "db.execute" has no host decision
export const incomplete = { "db.namespace": reason, "db.query": reason } satisfies NamespaceMethods<"db">;

// A handler must answer with the contract's result type ("db.namespace" answers a string).
export const wrongResult = {
  "db.namespace": {
    params: {},
    // @ts-expect-error a number is not the contract's result of db.namespace
    handle: async () => 42,
  },
  "db.query": reason,
  "db.execute": reason,
} satisfies NamespaceMethods<"db">;

// The whole table has every method of the contract: one namespace alone is not a table.
// @ts-expect-error the other namespaces are missing
export const partial: HostMethodTable = { ...misspelt };
