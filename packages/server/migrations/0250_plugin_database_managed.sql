-- Plugin database namespaces (manifest.database) and plugin-managed resources (manifest.projects / manifest.agents).
-- All rows reference plugins(id) ON DELETE CASCADE: a purge removes them (the schema itself is dropped by the host
-- before the plugin row goes; managed projects and agents stay, released from the plugin).

-- One schema per plugin; role_name is the PostgreSQL role confining its SQL (null on PGlite, or when the host's
-- database user may not create roles).
CREATE TABLE plugin_database_namespaces (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  plugin_key text NOT NULL,
  namespace_name text NOT NULL UNIQUE,
  namespace_mode text NOT NULL DEFAULT 'schema' CHECK (namespace_mode IN ('schema')),
  role_name text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'migration_failed')),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The ledger: each migration file of a plugin runs once; the checksum catches a file edited after it ran.
CREATE TABLE plugin_migrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  plugin_key text NOT NULL,
  namespace_name text NOT NULL,
  migration_key text NOT NULL,
  checksum text NOT NULL,
  plugin_version text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plugin_id, migration_key)
);

-- A declared project or agent as it exists in one company: (plugin, kind, key, company) → the record, plus the
-- declared values last applied to it (reconcile compares them with the current declaration).
CREATE TABLE plugin_managed_resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  plugin_key text NOT NULL,
  resource_kind text NOT NULL CHECK (resource_kind IN ('agent', 'project', 'routine', 'skill')),
  resource_key text NOT NULL,
  resource_id uuid NOT NULL,
  defaults_json jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, plugin_id, resource_kind, resource_key)
);

CREATE INDEX plugin_managed_resources_plugin_idx ON plugin_managed_resources (plugin_id, resource_kind);
