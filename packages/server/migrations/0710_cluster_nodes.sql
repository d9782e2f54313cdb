-- The host nodes sharing this database (docs/scale-out.md). Each node upserts its row at start and writes
-- `last_heartbeat_at` every few seconds; a reader calls a node unreachable when its heartbeat is older than three of
-- its own intervals. `incarnation` names the process that holds the row: a second live process claiming the same
-- node id is refused, a crashed node restarting under its id takes the row over. Rows of nodes stopped or gone for
-- seven days are deleted.
CREATE TABLE cluster_nodes (
  node_id text PRIMARY KEY,
  incarnation uuid NOT NULL,
  host_name text NOT NULL,
  pid integer NOT NULL,
  version text NOT NULL,
  url text,
  status text NOT NULL CHECK (status IN ('active', 'draining', 'stopped')),
  heartbeat_interval_ms integer NOT NULL CHECK (heartbeat_interval_ms > 0),
  started_at timestamptz NOT NULL DEFAULT now(),
  last_heartbeat_at timestamptz NOT NULL DEFAULT now(),
  stopped_at timestamptz
);
