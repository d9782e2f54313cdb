-- Plugins across host nodes (issue 15). docs/scale-out.md, "Artifacts and plugin changes across nodes".
--
-- The packed files of each installed plugin version, so a node that did not install a plugin can materialize it
-- into its own plugins folder and start its own worker. `content` is a gzipped tar of the package folder (what
-- the worker reads); `integrity` is "sha512-<base64>" of `content`, checked before every unpack; `package_digest`
-- is the digest of the unpacked files (plugin_package_digests.digest), which names the artifact a plugin row's
-- recorded digest describes. The installing node keeps the current and the previous artifact per plugin.
CREATE TABLE plugin_artifacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  version text NOT NULL,
  package_digest text NOT NULL,
  integrity text NOT NULL,
  size_bytes bigint NOT NULL,
  -- the node that packed it from its own installed folder (it keeps running from that folder)
  packed_by_node text NOT NULL,
  content bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_artifacts_plugin_digest_key UNIQUE (plugin_id, package_digest)
);
--> statement-breakpoint
CREATE INDEX plugin_artifacts_plugin_created_idx ON plugin_artifacts (plugin_id, created_at);
--> statement-breakpoint
-- Each node's worker for each plugin, written by that node when its worker's state changes. A node that stops
-- marks its rows stopped; the nodes page and GET /api/plugins/:id/nodes read it.
CREATE TABLE plugin_node_workers (
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  node_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('starting', 'ready', 'error', 'stopped', 'crashed', 'restarting')),
  pid integer,
  version text,
  started_at timestamptz,
  last_error text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plugin_id, node_id)
);
--> statement-breakpoint
CREATE INDEX plugin_node_workers_node_idx ON plugin_node_workers (node_id);
