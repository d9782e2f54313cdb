// Before any spec: build what the e2e host runs (the workspace, and the board when it is missing or stale, the
// same check `npm start` makes) and start from an empty e2e/artifacts folder.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ARTIFACTS_DIR } from "./browser.js";
import { REPO_ROOT } from "./host.js";

export default function setup(): void {
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  if (process.env.PAPERCLIP_E2E_SKIP_BUILD === "1") return;
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/start.mjs"), "--build-only"], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0)
    throw new Error(`building for the e2e run failed (exit ${build.status ?? build.signal})`);
}
