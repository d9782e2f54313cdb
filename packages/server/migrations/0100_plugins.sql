-- The plugin registry: one row per installed plugin (reference §1.4 PluginRecord) plus what the host needs to
-- run it again (where the package is, how it was installed, its artifact's integrity) and a row version for
-- optimistic concurrency. Plugin-owned data tables reference plugins(id) ON DELETE CASCADE, so deleting a row
-- (uninstall with ?purge=true) removes all of its data.
CREATE SEQUENCE plugin_install_order_seq AS integer START WITH 1;

CREATE TABLE plugins (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_key text NOT NULL UNIQUE,
  package_name text NOT NULL,
  version text NOT NULL,
  api_version integer NOT NULL DEFAULT 1,
  categories jsonb NOT NULL DEFAULT '[]'::jsonb,
  manifest_json jsonb NOT NULL,
  status text NOT NULL DEFAULT 'installed'
    CHECK (status IN ('installed', 'ready', 'disabled', 'error', 'upgrade_pending', 'uninstalled')),
  install_order integer,
  -- local-path installs only: the folder used in place (the published record's meaning)
  package_path text,
  -- the folder the manifest and worker are loaded from, for every source
  package_dir text NOT NULL,
  source text NOT NULL CHECK (source IN ('registry', 'tarball', 'local')),
  -- the install request, replayed by upgrade: {packageName, version?, isLocalPath?}
  install_spec jsonb NOT NULL,
  -- sha512 integrity and path of the installed tarball (npm installs; null for local paths)
  integrity text,
  tarball_path text,
  last_error text,
  -- per-method host→worker call timeouts in ms, e.g. {"runJob": 600000}
  method_timeouts jsonb NOT NULL DEFAULT '{}'::jsonb,
  row_version integer NOT NULL DEFAULT 1,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX plugins_status_idx ON plugins (status);

-- Once-per-instance markers of the plugin runtime: this instance's id, "bundled examples installed".
CREATE TABLE plugin_runtime_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
