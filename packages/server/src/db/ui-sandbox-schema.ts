// The plugin UI isolation table (hand-written migration 0640): the instance admin's per-plugin choice between a
// same-origin mount and the sandboxed iframe. docs/plugin-ui-sandbox.md.
import { sql } from "drizzle-orm";
import { check, foreignKey, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { updatedAt } from "./schema-columns.js";

/** The modes, as the migration's CHECK lists them. */
export const PLUGIN_UI_ISOLATION_MODES = ["same-origin", "sandboxed"] as const;

export const pluginUiIsolation = pgTable(
  "plugin_ui_isolation",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    mode: text("mode").$type<(typeof PLUGIN_UI_ISOLATION_MODES)[number]>().notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "plugin_ui_isolation_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    check("plugin_ui_isolation_mode_check", sql`${t.mode} IN ('same-origin', 'sandboxed')`),
  ],
);
