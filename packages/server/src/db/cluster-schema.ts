// The cluster message table (hand-written migration 0700): payloads too large for a NOTIFY between host nodes.
// docs/scale-out.md.
import { bigint, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ts } from "./schema-columns.js";

export const clusterMessages = pgTable(
  "cluster_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("cluster_messages_created_at_idx").on(t.createdAt)],
);
