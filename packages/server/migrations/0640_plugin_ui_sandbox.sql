-- The operator's choice of how the board mounts a plugin's UI (docs/plugin-ui-sandbox.md): `same-origin` (ESM
-- bundles imported into the board, full trust) or `sandboxed` (an opaque-origin iframe with a strict CSP that
-- reaches the host only through the board's checked postMessage bridge). No row: the plugin's own hint
-- (package.json paperclipPlugin["x-paperclip-ui-isolation"]) decides, else same-origin.
CREATE TABLE plugin_ui_isolation (
  plugin_id uuid PRIMARY KEY REFERENCES plugins (id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('same-origin', 'sandboxed')),
  -- the actor that chose it (a board user's id)
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
