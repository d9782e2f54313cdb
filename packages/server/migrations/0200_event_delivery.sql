-- Durable event delivery to plugins (docs/plugin-events.md).
--
-- plugin_event_cursors: one row per plugin that has ever subscribed. `last_seq` is the outbox position up to
-- which every event was acknowledged by the plugin's worker, dead-lettered, or did not match its
-- subscriptions. It starts at the outbox head when the plugin first subscribes. The lease columns make one
-- host node the only deliverer of the plugin's stream; the retry columns keep the attempts of the event at
-- the head of the stream across restarts, so a poison event still reaches the dead-letter list.
CREATE TABLE plugin_event_cursors (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  last_seq bigint NOT NULL CHECK (last_seq >= 0),
  lease_owner text,
  lease_expires_at timestamptz,
  retry_seq bigint,
  retry_attempts integer NOT NULL DEFAULT 0,
  retry_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Events a plugin failed to handle after the configured number of attempts. A copy of the envelope is kept so
-- a replay does not depend on the outbox still holding it. Replays are queued here (status replay_pending)
-- and delivered by whichever node holds the plugin's lease.
CREATE TABLE plugin_event_dead_letters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plugin_id uuid NOT NULL REFERENCES plugins(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  company_id uuid NOT NULL,
  event jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('dead', 'replay_pending', 'replayed')),
  attempts integer NOT NULL CHECK (attempts >= 1),
  error text NOT NULL,
  error_code integer,
  replay_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz,
  CONSTRAINT plugin_event_dead_letters_event_key UNIQUE (plugin_id, seq)
);

CREATE INDEX plugin_event_dead_letters_status_idx ON plugin_event_dead_letters (plugin_id, status, created_at);
