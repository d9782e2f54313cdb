-- A company's saved plugin config that made the worker fail to start is held back: the row keeps what was saved
-- (and last_error says why it is not applied) while the worker gets the config that worked before it,
-- applied_config_json (NULL: none, the company counts as not configured). See docs/plugin-config-and-secrets.md.
ALTER TABLE plugin_config ADD COLUMN held_back boolean NOT NULL DEFAULT false;
ALTER TABLE plugin_config ADD COLUMN applied_config_json jsonb;

-- An operator's pause of a job (PATCH …/jobs/:jobId {status: "paused"}) survives manifest syncs; a job paused
-- because the manifest no longer declares it has operator_paused = false.
ALTER TABLE plugin_jobs ADD COLUMN operator_paused boolean NOT NULL DEFAULT false;
