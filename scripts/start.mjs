// `npm start`: build what is needed, then run `paperclip start` with the example plugins.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
console.log("Building the workspace (tsc -b)…");
const build = spawnSync("npx", ["tsc", "-b"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = join(root, "packages/server/dist/cli/main.js");
if (!existsSync(cli)) {
  console.log("host not built yet: packages/server has no CLI entry point (see the host-core issue).");
  process.exit(0);
}
const run = spawnSync(process.execPath, [cli, "start", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(run.status ?? 0);
