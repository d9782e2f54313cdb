-- Messages between host nodes sharing one PostgreSQL (docs/scale-out.md). Nodes talk with LISTEN/NOTIFY on the
-- `paperclip_cluster` channel; a message too large for a NOTIFY payload (8,000 bytes) is written here and the
-- notification carries its id. Rows are read within seconds of being written and deleted after a minute.
CREATE TABLE cluster_messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX cluster_messages_created_at_idx ON cluster_messages (created_at);
