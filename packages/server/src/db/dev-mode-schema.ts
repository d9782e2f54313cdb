// The dev-mode table (hand-written migration 0740): local-path plugins whose folder the instance admin trusts as it
// changes (`paperclip plugin dev`, lifecycle/dev-mode.ts). docs/authoring/dev-loop.md.
import { foreignKey, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { ts } from "./schema-columns.js";

export const pluginDevMode = pgTable(
  "plugin_dev_mode",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    sourceDir: text("source_dir").notNull(),
    enabledBy: text("enabled_by").notNull(),
    enabledAt: ts("enabled_at").notNull().defaultNow(),
    reloadCount: integer("reload_count").notNull().default(0),
    lastReloadAt: ts("last_reload_at"),
  },
  (t) => [
    foreignKey({
      name: "plugin_dev_mode_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
  ],
);
