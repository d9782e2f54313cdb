-- Plugin jobs (reference §6) and webhook deliveries (reference §7), made durable for several host nodes on one
-- PostgreSQL: every run and every delivery is claimed in these tables before anything runs, so nothing happens
-- twice and nothing is lost when a host stops. Both hang off plugins(id) ON DELETE CASCADE.

-- One row per (plugin, jobKey), synced from the manifest on activation. The settings columns are operator
-- overrides (NULL = the instance default): time zone, misfire policy, timeout and retry policy.
CREATE TABLE plugin_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  job_key text NOT NULL,
  display_name text NOT NULL,
  description text,
  -- 5-field cron; '' when the manifest declares no schedule (manual trigger only)
  schedule text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'failed')),
  time_zone text,
  misfire_policy text CHECK (misfire_policy IN ('skip', 'run_once')),
  timeout_ms integer CHECK (timeout_ms > 0),
  -- {maxAttempts, backoffMs, multiplier, maxBackoffMs}; NULL = no automatic retry
  retry_policy jsonb,
  -- why the job is 'failed' (its schedule or time zone cannot be evaluated)
  last_error text,
  last_run_at timestamptz,
  next_run_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plugin_jobs_plugin_key UNIQUE (plugin_id, job_key)
);
CREATE INDEX plugin_jobs_due_idx ON plugin_jobs (next_run_at) WHERE status = 'active';

-- queued (claimed, waiting to start: run_after is when it may) → running (a node holds its lease and renews
-- it while the worker works) → succeeded | failed | cancelled.
CREATE TABLE plugin_job_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id uuid NOT NULL REFERENCES plugin_jobs(id) ON DELETE CASCADE,
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'retry')),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('pending', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
  scheduled_at timestamptz NOT NULL,
  run_after timestamptz NOT NULL,
  attempt integer NOT NULL DEFAULT 1,
  retry_of uuid REFERENCES plugin_job_runs(id) ON DELETE SET NULL,
  node_id text,
  lease_expires_at timestamptz,
  duration_ms integer,
  error text,
  logs jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A cron tick is claimed once across every node.
CREATE UNIQUE INDEX plugin_job_runs_tick_key ON plugin_job_runs (job_id, scheduled_at) WHERE trigger = 'schedule';
-- No overlap: at most one queued or running run per job.
CREATE UNIQUE INDEX plugin_job_runs_active_key ON plugin_job_runs (job_id) WHERE status IN ('queued', 'running');
CREATE INDEX plugin_job_runs_job_idx ON plugin_job_runs (job_id, created_at DESC);
CREATE INDEX plugin_job_runs_plugin_idx ON plugin_job_runs (plugin_id, created_at DESC);
CREATE INDEX plugin_job_runs_queued_idx ON plugin_job_runs (run_after) WHERE status = 'queued';
CREATE INDEX plugin_job_runs_lease_idx ON plugin_job_runs (lease_expires_at) WHERE status = 'running';

-- Stored before the worker sees it. headers: the request headers with secret-looking values redacted (what the
-- API shows); sealed_headers: those secret values, AES-256-GCM sealed, so a queued delivery or a replay still
-- gives the worker what the sender sent. raw_body: the exact bytes received.
-- pending (being handled now; lease_expires_at bounds it) | queued (worker unavailable; retried from
-- next_attempt_at) | success | failed.
CREATE TABLE plugin_webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  company_id uuid,
  webhook_key text NOT NULL,
  external_id text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'queued', 'success', 'failed')),
  content_type text,
  raw_body bytea NOT NULL,
  payload jsonb,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  sealed_headers jsonb,
  request_id uuid NOT NULL,
  replay_of uuid REFERENCES plugin_webhook_deliveries(id) ON DELETE SET NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_expires_at timestamptz,
  node_id text,
  duration_ms integer,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plugin_webhook_deliveries_plugin_idx ON plugin_webhook_deliveries (plugin_id, created_at DESC);
CREATE INDEX plugin_webhook_deliveries_retry_idx ON plugin_webhook_deliveries (next_attempt_at)
  WHERE status = 'queued';
CREATE INDEX plugin_webhook_deliveries_lease_idx ON plugin_webhook_deliveries (lease_expires_at)
  WHERE status = 'pending';
