// `npm start`: build what is needed, then run `paperclip start` with the example plugins.
// The TypeScript build is incremental (tsc -b); the board (packages/web, Vite) is rebuilt only when its
// packages/web/dist/index.html is missing or older than any of its sources, so an unchanged tree starts at once.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "packages/web");
/** What the board's build reads: a change to any of these makes dist stale. */
const WEB_SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json", "tsconfig.json"];

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The newest file under `path` (a file or a folder), as [mtimeMs, path]; [0, null] when nothing is there. */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return [0, null];
  }
  if (!stats.isDirectory()) return [stats.mtimeMs, path];
  let best = [0, null];
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry === "dist") continue;
    const candidate = newest(join(path, entry));
    if (candidate[0] > best[0]) best = candidate;
  }
  return best;
}

/** Why the board needs a build, or null when dist is up to date (or there is no board to build). */
function boardBuildReason() {
  if (!existsSync(join(web, "package.json")) || !existsSync(join(web, "index.html"))) return null;
  const index = join(web, "dist/index.html");
  if (!existsSync(index)) return "packages/web/dist/index.html is missing";
  const built = statSync(index).mtimeMs;
  for (const source of WEB_SOURCES) {
    const [mtime, file] = newest(join(web, source));
    if (mtime > built) return `${relative(root, file)} changed since the last build`;
  }
  return null;
}

// `--build-only`: build, do not start (the e2e run's global setup).
const buildOnly = process.argv.includes("--build-only");
const hostArgs = process.argv.slice(2).filter((arg) => arg !== "--build-only");

console.log("Building the workspace (tsc -b)…");
run("npx", ["tsc", "-b"]);
// Example plugins with a browser UI bundle it after tsc (examples/kitchen-sink: esbuild → dist/ui/index.js).
console.log("Bundling the example plugin UIs (npm run build:ui)…");
run("npm", ["run", "build:ui", "--workspaces", "--if-present"]);

const reason = boardBuildReason();
if (reason) {
  console.log(`Building the board (npm run build -w packages/web): ${reason}…`);
  // Always a production build: under a test runner NODE_ENV is "test", which would bundle React's development build.
  run("npm", ["run", "build", "-w", "packages/web"], { ...process.env, NODE_ENV: "production" });
} else if (existsSync(join(web, "dist/index.html"))) {
  console.log("The board is up to date (packages/web/dist).");
} else {
  console.log("No board sources in packages/web yet: the host will say so at /.");
}

if (buildOnly) process.exit(0);

const cli = join(root, "packages/server/dist/cli/main.js");
if (!existsSync(cli)) {
  console.log("host not built yet: packages/server has no CLI entry point (see the host-core issue).");
  process.exit(0);
}
const host = spawnSync(process.execPath, [cli, "start", ...hostArgs], {
  cwd: root,
  stdio: "inherit",
});
process.exit(host.status ?? 0);
