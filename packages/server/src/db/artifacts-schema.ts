// Plugin artifacts (hand-written migration 0720): the packed files of each installed plugin version, so every
// host node can materialize and run a plugin another node installed. docs/scale-out.md.
import { bigint, customType, foreignKey, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { createdAt } from "./schema-columns.js";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const pluginArtifacts = pgTable(
  "plugin_artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pluginId: uuid("plugin_id").notNull(),
    version: text("version").notNull(),
    packageDigest: text("package_digest").notNull(),
    integrity: text("integrity").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    packedByNode: text("packed_by_node").notNull(),
    content: bytea("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "plugin_artifacts_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    unique("plugin_artifacts_plugin_digest_key").on(t.pluginId, t.packageDigest),
    index("plugin_artifacts_plugin_created_idx").on(t.pluginId, t.createdAt),
  ],
);
