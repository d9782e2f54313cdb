// Supply-chain tables (hand-written migration 0630): the installed package digest checked before every worker
// start, and the capabilities an operator approved for each plugin. docs/supply-chain.md.
import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { ts } from "./schema-columns.js";

export const pluginPackageDigests = pgTable(
  "plugin_package_digests",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    packageDir: text("package_dir").notNull(),
    rootDir: text("root_dir").notNull(),
    digest: text("digest").notNull(),
    files: jsonb("files").$type<Record<string, string>>().notNull(),
    fileCount: integer("file_count").notNull(),
    totalBytes: bigint("total_bytes", { mode: "number" }).notNull(),
    recordedReason: text("recorded_reason").notNull(),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "plugin_package_digests_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    check(
      "plugin_package_digests_recorded_reason_check",
      sql`${t.recordedReason} IN ('install', 'upgrade', 'first_use', 'accepted', 'dev_mode')`,
    ),
  ],
);

export const pluginCapabilityApprovals = pgTable(
  "plugin_capability_approvals",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    capabilities: jsonb("capabilities").$type<string[]>().notNull(),
    version: text("version").notNull(),
    approvedAt: ts("approved_at").notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "plugin_capability_approvals_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
  ],
);
