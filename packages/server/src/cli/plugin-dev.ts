// `paperclip plugin dev <folder> [--no-build] [--build-command "..."]`: the plugin author's loop against a running
// host, no tunnel (docs/authoring/dev-loop.md). Builds the folder once, installs it by local path in dev mode (or
// switches an existing install of that folder to dev mode), then watches its sources: each change is rebuilt and
// reloaded into the host (POST /api/plugins/:id/dev/reload), one line per reload with the time it took. A failed
// build prints its errors and leaves the running worker alone. Ctrl-C stops watching; the plugin stays installed.
import { spawn } from "node:child_process";
import { existsSync, type FSWatcher, readdirSync, readFileSync, statSync, watch } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { HostRequestError, type PluginApiClient } from "./plugin-client.js";

/** Where the command writes (plugin.ts's CliIo): progress and errors to `err`, results to `out`. */
export interface DevIo {
  out(text: string): void;
  err(text: string): void;
}

/** Changes closer together than this are one rebuild (an editor's save is often several writes). */
export const DEBOUNCE_MS = 50;

/** Top-level folders never watched: dependencies, VCS, and test output. Build outputs are added from package.json. */
const IGNORED_DIRS = new Set(["node_modules", "dist", "coverage"]);

export interface PluginDevOptions {
  folder: string;
  /** Skip building: the folder's built files are used as they are (e.g. another watcher builds them). */
  noBuild: boolean;
  /** A shell command instead of the package's `build` script. */
  buildCommand: string | null;
  /** Stops the loop (Ctrl-C in the CLI; tests abort it). */
  signal: AbortSignal;
}

interface PluginSummary {
  id: string;
  pluginKey: string;
  status: string;
  version: string;
  lastError?: string | null;
  packagePath?: string | null;
  installSpec?: { packageName?: string; isLocalPath?: boolean };
}

interface ReloadReport {
  plugin: PluginSummary;
  reloadMs: number;
  pid: number | null;
  warnings: string[];
}

interface BuildResult {
  ok: boolean;
  ms: number;
  output: string;
}

class DevUsageError extends Error {}

/** The whole command; resolves with its exit code when the signal aborts (or at once on a setup failure). */
export async function runPluginDev(
  options: PluginDevOptions,
  client: PluginApiClient,
  io: DevIo,
): Promise<number> {
  let folder: string;
  let packageJson: PackageJson;
  try {
    folder = path.resolve(options.folder);
    packageJson = readPackageJson(folder);
  } catch (error) {
    io.err(`paperclip plugin dev: ${(error as Error).message}\n`);
    return 1;
  }
  const build = buildStep(folder, packageJson, options);
  io.err(`${build.description}\n`);
  const first = await build.run();
  if (!first.ok) {
    io.err(
      `Build failed in ${first.ms} ms:\n${indent(first.output)}\nFix it and run paperclip plugin dev again.\n`,
    );
    return 1;
  }
  let plugin: PluginSummary;
  try {
    plugin = await installInDevMode(folder, client, io);
  } catch (error) {
    if (error instanceof HostRequestError || error instanceof DevUsageError) {
      io.err(`paperclip plugin dev: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.out(
    `Watching ${folder} for ${plugin.pluginKey} (dev mode on ${client.baseUrl}); save a file to rebuild and ` +
      "reload. Ctrl-C to stop.\n",
  );

  const reload = async (): Promise<void> => {
    const started = performance.now();
    const built = await build.run();
    if (!built.ok) {
      io.err(
        `[${clock()}] build failed in ${built.ms} ms; ${plugin.pluginKey} keeps running its last good build:\n` +
          `${indent(built.output)}\n`,
      );
      return;
    }
    try {
      const report = await client.send<ReloadReport>(
        "POST",
        `/api/plugins/${encodeURIComponent(plugin.id)}/dev/reload`,
        {},
      );
      const total = Math.round(performance.now() - started);
      io.out(
        `[${clock()}] reloaded ${plugin.pluginKey} in ${total} ms (build ${built.ms} ms, restart ` +
          `${report.reloadMs} ms, pid ${report.pid ?? "?"})\n`,
      );
      for (const warning of report.warnings) io.err(`  warning: ${warning}\n`);
    } catch (error) {
      io.err(`[${clock()}] reload failed: ${(error as Error).message}\n`);
    }
  };

  const watcher = watchSources(folder, build.outputDirs, scheduled(reload), (error) =>
    io.err(`paperclip plugin dev: watching ${folder} failed: ${error.message}\n`),
  );
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  watcher.close();
  io.out(
    `\nStopped watching. ${plugin.pluginKey} stays installed on ${client.baseUrl}, in dev mode, running its last ` +
      `good build. Resume with paperclip plugin dev ${options.folder}; remove it with paperclip plugin uninstall ` +
      `${plugin.pluginKey}.\n`,
  );
  return 0;
}

// ── the folder ────────────────────────────────────────────────────────────────────────────────

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  paperclipPlugin?: Record<string, unknown>;
}

function readPackageJson(folder: string): PackageJson {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new DevUsageError(
      `${folder} is not a folder: name the plugin's folder (the one with its package.json)`,
    );
  }
  const file = path.join(folder, "package.json");
  if (!existsSync(file)) throw new DevUsageError(`${folder} has no package.json: is it a plugin's folder?`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  } catch (error) {
    throw new DevUsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

interface BuildStep {
  description: string;
  /** Top-level folders the build writes (never watched, or every build would trigger the next). */
  outputDirs: Set<string>;
  run(): Promise<BuildResult>;
}

function buildStep(folder: string, packageJson: PackageJson, options: PluginDevOptions): BuildStep {
  const outputDirs = new Set(IGNORED_DIRS);
  for (const entry of Object.values(packageJson.paperclipPlugin ?? {})) {
    if (typeof entry !== "string") continue;
    const [top] = path
      .normalize(entry)
      .split(path.sep)
      .filter((part) => part !== ".");
    if (top && top !== ".." && path.extname(top) === "") outputDirs.add(top);
  }
  const script = options.buildCommand ?? packageJson.scripts?.build ?? null;
  if (options.noBuild || script === null) {
    return {
      description: options.noBuild
        ? "Not building (--no-build): the folder's built files are reloaded as they are"
        : `No build script in ${path.join(folder, "package.json")}: the folder is reloaded as it is`,
      outputDirs,
      run: async () => ({ ok: true, ms: 0, output: "" }),
    };
  }
  return {
    description: `Building with: ${script}${/\btsc\b/.test(script) ? " (tsc is slow for a dev loop; esbuild rebuilds in ~100 ms)" : ""}`,
    outputDirs,
    run: () => runShell(script, folder),
  };
}

/** Run a build script the way npm runs it (a shell, the package's .bin on PATH), without npm's start-up time. */
function runShell(command: string, cwd: string): Promise<BuildResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd,
      shell: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PATH: [path.join(cwd, "node_modules", ".bin"), process.env.PATH ?? ""].join(path.delimiter),
      },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ ok: false, ms: elapsed(started), output: error.message }));
    child.on("close", (code, signal) =>
      resolve({
        ok: code === 0,
        ms: elapsed(started),
        output: output.trim() || `the build exited with ${signal ?? `code ${code}`}`,
      }),
    );
  });
}

// ── the host ──────────────────────────────────────────────────────────────────────────────────

/** The plugin installed from `folder`, in dev mode: installed now, or an existing install switched and reloaded. */
async function installInDevMode(folder: string, client: PluginApiClient, io: DevIo): Promise<PluginSummary> {
  const plugins = await client.get<PluginSummary[]>("/api/plugins");
  const existing = plugins.find(
    (plugin) =>
      plugin.installSpec?.isLocalPath === true &&
      path.resolve(plugin.installSpec.packageName ?? "") === folder,
  );
  if (existing) {
    await client.send("POST", `/api/plugins/${encodeURIComponent(existing.id)}/dev`, { enabled: true });
    const report = await client.send<ReloadReport>(
      "POST",
      `/api/plugins/${encodeURIComponent(existing.id)}/dev/reload`,
      {},
    );
    io.out(
      `${existing.pluginKey} was installed from this folder: dev mode on, reloaded in ${report.reloadMs} ms\n`,
    );
    return report.plugin;
  }
  io.err(`Installing ${folder} on ${client.baseUrl}\n`);
  const installed = await client.stream<PluginSummary>(
    "/api/plugins/install",
    { packageName: folder, isLocalPath: true },
    (line) => io.err(`  ${line}\n`),
  );
  await client.send("POST", `/api/plugins/${encodeURIComponent(installed.id)}/dev`, { enabled: true });
  if (installed.status !== "ready") {
    io.err(
      `${installed.pluginKey} is installed (in dev mode) but not running: ${installed.lastError ?? installed.status}. ` +
        "Fix it and save: the next reload starts it.\n",
    );
  } else {
    io.out(`Installed ${installed.pluginKey} ${installed.version} in dev mode\n`);
  }
  return installed;
}

// ── watching ──────────────────────────────────────────────────────────────────────────────────

/** `task` at most once at a time; changes while it runs schedule one more run after it. */
function scheduled(task: () => Promise<void>): () => void {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const start = () => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = task().finally(() => {
      running = null;
      if (again) {
        again = false;
        start();
      }
    });
  };
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(start, DEBOUNCE_MS);
  };
}

/**
 * The package's own files (package.json, a manifest or config at the top) and every top-level source folder,
 * recursively; never node_modules, dot-folders or what the build writes.
 */
function watchSources(
  folder: string,
  ignoredDirs: ReadonlySet<string>,
  onChange: () => void,
  onError: (error: Error) => void,
): { close(): void } {
  const watchers: FSWatcher[] = [];
  const ignored = (name: string) => name.startsWith(".") || ignoredDirs.has(name);
  const top = watch(folder, (_event, name) => {
    if (name && !ignored(name.toString()) && !isDirectory(path.join(folder, name.toString()))) onChange();
  });
  watchers.push(top);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || ignored(entry.name)) continue;
    watchers.push(watch(path.join(folder, entry.name), { recursive: true }, () => onChange()));
  }
  for (const watcher of watchers) watcher.on("error", onError);
  return {
    close() {
      for (const watcher of watchers) watcher.close();
    },
  };
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
