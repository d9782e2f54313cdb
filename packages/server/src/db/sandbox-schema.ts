// Worker sandbox grants (hand-written migration 0600): what the operator granted one plugin beyond the sandbox's
// defaults. No row: nothing granted.
import { boolean, foreignKey, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { updatedAt } from "./schema-columns.js";

export const pluginSandbox = pgTable(
  "plugin_sandbox",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    allowChildProcess: boolean("allow_child_process").notNull().default(false),
    allowWorkerThreads: boolean("allow_worker_threads").notNull().default(false),
    allowNativeAddons: boolean("allow_native_addons").notNull().default(false),
    allowWasi: boolean("allow_wasi").notNull().default(false),
    unsandboxed: boolean("unsandboxed").notNull().default(false),
    updatedBy: text("updated_by"),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "plugin_sandbox_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
  ],
);
