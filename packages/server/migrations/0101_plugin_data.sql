-- Plugin-owned data: per-company config, scoped state, entities, logs, event subscriptions, company
-- secrets (encrypted at rest) and their bindings to plugins, agent sessions. Every table hangs off
-- plugins(id) ON DELETE CASCADE, so uninstalling with ?purge=true removes all of a plugin's data.

CREATE TABLE plugin_config (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  config_json jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_config_plugin_company_key UNIQUE (plugin_id, company_id)
);
CREATE INDEX plugin_config_company_idx ON plugin_config (company_id);

-- value_json is never SQL NULL: a stored JSON null is the jsonb value 'null'.
CREATE TABLE plugin_state (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  scope_kind text NOT NULL CHECK (scope_kind IN
    ('instance', 'company', 'project', 'project_workspace', 'agent', 'issue', 'goal', 'run')),
  scope_id text,
  namespace text NOT NULL DEFAULT 'default',
  state_key text NOT NULL,
  value_json jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_state_key UNIQUE NULLS NOT DISTINCT (plugin_id, scope_kind, scope_id, namespace, state_key)
);
CREATE INDEX plugin_state_scope_idx ON plugin_state (plugin_id, scope_kind);

CREATE TABLE plugin_entities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  entity_type text NOT NULL,
  scope_kind text NOT NULL CHECK (scope_kind IN
    ('instance', 'company', 'project', 'project_workspace', 'agent', 'issue', 'goal', 'run')),
  scope_id text,
  external_id text,
  title text,
  status text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_entities_key UNIQUE NULLS NOT DISTINCT (plugin_id, entity_type, scope_kind, scope_id, external_id)
);
CREATE INDEX plugin_entities_list_idx ON plugin_entities (plugin_id, entity_type, created_at DESC);
CREATE INDEX plugin_entities_scope_idx ON plugin_entities (plugin_id, scope_kind, scope_id);

-- seq orders entries written in the same millisecond (newest first = highest seq).
CREATE TABLE plugin_logs (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid,
  level text NOT NULL DEFAULT 'info',
  message text NOT NULL,
  meta jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plugin_logs_plugin_time_idx ON plugin_logs (plugin_id, created_at DESC, seq DESC);
CREATE INDEX plugin_logs_time_idx ON plugin_logs (created_at);

-- One row per (plugin, pattern, filter): re-subscribing after a worker restart updates the row.
CREATE TABLE plugin_event_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  event_pattern text NOT NULL,
  filter_json jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_registered_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_event_subscriptions_key UNIQUE NULLS NOT DISTINCT (plugin_id, event_pattern, filter_json)
);

CREATE TABLE company_secrets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  name text NOT NULL,
  latest_version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT company_secrets_name_key UNIQUE (company_id, name)
);

-- AES-256-GCM: ciphertext, 12-byte IV and 16-byte tag; key_id names the key that sealed it.
CREATE TABLE company_secret_versions (
  secret_id uuid NOT NULL REFERENCES company_secrets(id) ON DELETE CASCADE,
  version integer NOT NULL,
  ciphertext bytea NOT NULL,
  iv bytea NOT NULL,
  auth_tag bytea NOT NULL,
  key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (secret_id, version)
);

-- Written on config save: the secrets a plugin's config for a company references (and may resolve).
CREATE TABLE plugin_secret_bindings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  secret_id uuid NOT NULL REFERENCES company_secrets(id) ON DELETE CASCADE,
  config_path text NOT NULL,
  version integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_secret_bindings_path_key UNIQUE (plugin_id, company_id, config_path)
);
CREATE INDEX plugin_secret_bindings_secret_idx ON plugin_secret_bindings (plugin_id, company_id, secret_id);

-- ctx.agents.sessions: a plugin's conversations with an agent; runs carry the session's task key.
CREATE TABLE plugin_agent_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  task_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plugin_agent_sessions_agent_idx ON plugin_agent_sessions (plugin_id, agent_id, created_at);
