-- Egress (issue 14): each plugin's outbound HTTP policy, set by the operator, and the log of its outbound calls.
-- See docs/egress.md.

-- No row: mode any-public with no allow entries, grants or own limits (what every plugin had before).
CREATE TABLE plugin_egress_policies (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'any-public',
  -- normalized "host[:port][/path-prefix]" strings ("*.example.com" for subdomains)
  allow_entries jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- normalized IP addresses, CIDR ranges, host names or host:port allowed although private
  private_grants jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- NULL: the host's default deadline / response size cap
  timeout_ms integer,
  max_response_bytes integer,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_egress_policies_mode_check CHECK (mode IN ('any-public', 'allow-list'))
);

-- One row per ctx.http.fetch, refused or not; seq orders them (newest first = highest seq). The query string is
-- never stored. Bounded per plugin by the outbound log's row cap and retention (plugins/egress/outbound-log.ts).
CREATE TABLE plugin_outbound_calls (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid,
  method text NOT NULL,
  scheme text NOT NULL,
  host text NOT NULL,
  path text NOT NULL,
  address text,
  outcome text NOT NULL,
  status integer,
  reason text,
  request_bytes integer NOT NULL DEFAULT 0,
  response_bytes integer NOT NULL DEFAULT 0,
  duration_ms integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_outbound_calls_outcome_check CHECK (outcome IN ('completed', 'refused', 'failed'))
);
CREATE INDEX plugin_outbound_calls_plugin_idx ON plugin_outbound_calls (plugin_id, seq DESC);
CREATE INDEX plugin_outbound_calls_time_idx ON plugin_outbound_calls (created_at);
