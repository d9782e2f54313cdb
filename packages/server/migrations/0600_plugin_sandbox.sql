-- Worker sandbox (issue 14): what the operator granted one plugin beyond the sandbox's defaults. See docs/sandbox.md.
-- No row: nothing granted (permission model with read access to its code only, write access to its data folder
-- only, no child processes, worker threads, native addons or WASI, and its own empty network namespace).
CREATE TABLE plugin_sandbox (
  plugin_id uuid PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  allow_child_process boolean NOT NULL DEFAULT false,
  allow_worker_threads boolean NOT NULL DEFAULT false,
  allow_native_addons boolean NOT NULL DEFAULT false,
  allow_wasi boolean NOT NULL DEFAULT false,
  -- the last resort for a plugin that cannot run sandboxed: no permission model and no network namespace
  unsandboxed boolean NOT NULL DEFAULT false,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
