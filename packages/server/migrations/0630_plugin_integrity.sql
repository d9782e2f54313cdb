-- Supply chain (issue 14). docs/supply-chain.md.
--
-- The digest of each plugin's installed files, recorded at install/upgrade (or, for plugins installed before this
-- migration, at their first activation: trust on first use) and checked before every worker start. `files` maps
-- each file's path (relative to `root_dir`, '/'-separated) to "sha256:<hex>" or "symlink:<target>", so a mismatch
-- can name the first changed file. One row per plugin: it always describes the package the plugin row points at.
CREATE TABLE plugin_package_digests (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  package_dir text NOT NULL,
  root_dir text NOT NULL,
  digest text NOT NULL,
  files jsonb NOT NULL,
  file_count integer NOT NULL,
  total_bytes bigint NOT NULL,
  recorded_reason text NOT NULL CHECK (recorded_reason IN ('install', 'upgrade', 'first_use', 'accepted')),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- The capabilities an operator approved for each plugin: what its running version may use. An upgrade is compared
-- with this set, not with the manifest of a version still waiting for approval, so a second upgrade cannot slip an
-- unapproved capability through.
CREATE TABLE plugin_capability_approvals (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  capabilities jsonb NOT NULL,
  version text NOT NULL,
  approved_at timestamptz NOT NULL DEFAULT now()
);
