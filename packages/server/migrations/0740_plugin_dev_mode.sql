-- Dev mode for local-path plugins (issue 13, docs/authoring/dev-loop.md). A row means the plugin is in dev mode: the
-- instance admin (usually through `paperclip plugin dev <folder>`) trusts its folder as it changes, so a reload
-- re-records the package digest and applies the manifest as it now is, new capabilities included. No row: the
-- plugin is checked like any other install (docs/supply-chain.md).
CREATE TABLE plugin_dev_mode (
  plugin_id uuid PRIMARY KEY REFERENCES plugins (id) ON DELETE CASCADE,
  -- the folder being developed (the plugin's package folder when dev mode was turned on)
  source_dir text NOT NULL,
  -- the actor that turned it on (a board user's id)
  enabled_by text NOT NULL,
  enabled_at timestamptz NOT NULL DEFAULT now(),
  reload_count integer NOT NULL DEFAULT 0,
  last_reload_at timestamptz
);
--> statement-breakpoint
-- A digest recorded by a dev-mode reload (or a dev-mode worker start) says so.
ALTER TABLE plugin_package_digests DROP CONSTRAINT plugin_package_digests_recorded_reason_check;
--> statement-breakpoint
ALTER TABLE plugin_package_digests ADD CONSTRAINT plugin_package_digests_recorded_reason_check
  CHECK (recorded_reason IN ('install', 'upgrade', 'first_use', 'accepted', 'dev_mode'));
