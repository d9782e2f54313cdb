// Egress tables (hand-written migration 0610): each plugin's outbound HTTP policy and its outbound call log.
import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { plugins } from "./plugin-schema.js";
import { createdAt, updatedAt } from "./schema-columns.js";

export const pluginEgressPolicies = pgTable(
  "plugin_egress_policies",
  {
    pluginId: uuid("plugin_id").primaryKey(),
    mode: text("mode").notNull().default("any-public"),
    allowEntries: jsonb("allow_entries").$type<string[]>().notNull().default([]),
    privateGrants: jsonb("private_grants").$type<string[]>().notNull().default([]),
    timeoutMs: integer("timeout_ms"),
    maxResponseBytes: integer("max_response_bytes"),
    updatedBy: text("updated_by"),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: "plugin_egress_policies_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    check("plugin_egress_policies_mode_check", sql`${t.mode} IN ('any-public', 'allow-list')`),
  ],
);

export const pluginOutboundCalls = pgTable(
  "plugin_outbound_calls",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    pluginId: uuid("plugin_id").notNull(),
    companyId: uuid("company_id"),
    method: text("method").notNull(),
    scheme: text("scheme").notNull(),
    host: text("host").notNull(),
    path: text("path").notNull(),
    address: text("address"),
    outcome: text("outcome").notNull(),
    status: integer("status"),
    reason: text("reason"),
    requestBytes: integer("request_bytes").notNull().default(0),
    responseBytes: integer("response_bytes").notNull().default(0),
    durationMs: integer("duration_ms").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "plugin_outbound_calls_plugin_id_fkey",
      columns: [t.pluginId],
      foreignColumns: [plugins.id],
    }).onDelete("cascade"),
    check("plugin_outbound_calls_outcome_check", sql`${t.outcome} IN ('completed', 'refused', 'failed')`),
    index("plugin_outbound_calls_plugin_idx").on(t.pluginId, t.seq.desc().nullsFirst()),
    index("plugin_outbound_calls_time_idx").on(t.createdAt),
  ],
);
