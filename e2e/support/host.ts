// A real Paperclip host for browser tests: `paperclip start` as a child process on a fresh instance folder and a
// free port, exactly as `npm start` runs it (demo company seeded, bundled example plugins installed on first
// start, the board served from packages/web/dist). Resolves once the API answers and the example plugins have
// settled; stop() ends the process and removes the instance folder.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HOST_CLI = path.join(REPO_ROOT, "packages/server/dist/cli/main.js");
export const WEB_DIST = path.join(REPO_ROOT, "packages/web/dist");

export interface E2eHost {
  /** http://127.0.0.1:<port>, no trailing slash */
  readonly baseUrl: string;
  /** The instance folder (removed by stop()). */
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** Everything the host printed so far (JSON log lines). */
  output(): string;
  /** GET/POST/… a JSON API path; throws on a non-2xx answer unless `allowError`. */
  api<T = any>(method: string, apiPath: string, body?: unknown, allowError?: boolean): Promise<T>;
  stop(): Promise<void>;
}

export interface StartHostOptions {
  /** Extra environment (e.g. PAPERCLIP_WEB_DIR); DATABASE_URL is not inherited unless given here. */
  env?: Record<string, string | undefined>;
  /** Extra `paperclip start` flags (e.g. ["--no-seed"]). */
  args?: string[];
  /** Wait for the example plugins installed on first start to settle. Default true (unless --no-seed). */
  waitForPlugins?: boolean;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** Hosts still running, stopped if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const SETTLED = new Set(["ready", "error", "disabled"]);

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startHost(options: StartHostOptions = {}): Promise<E2eHost> {
  if (!existsSync(HOST_CLI)) {
    throw new Error(`The host is not built (${HOST_CLI} is missing): run \`npm run build\` first`);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const dataDir = mkdtempSync(path.join(tmpdir(), "paperclip-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PAPERCLIP_LOG_FORMAT: "json",
    PAPERCLIP_LOG_LEVEL: "info",
  };
  for (const name of [
    "DATABASE_URL",
    "PAPERCLIP_PORT",
    "PORT",
    "PAPERCLIP_BIND",
    "HOST",
    "PAPERCLIP_WEB_DIR",
  ]) {
    delete env[name];
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const args = options.args ?? [];
  const child = spawn(
    process.execPath,
    [HOST_CLI, "start", "--data-dir", dataDir, "--port", "0", "--host", "127.0.0.1", ...args],
    { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let output = "";
  let exited: string | null = null;
  let announced: string | null = null;
  let partial = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    output += chunk;
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (announced) break;
      try {
        const record = JSON.parse(line) as { url?: unknown; msg?: unknown };
        if (typeof record.url === "string" && String(record.msg).includes("listening on"))
          announced = record.url;
      } catch {
        // Not a log line.
      }
    }
  });
  child.stderr?.on("data", (chunk: string) => {
    output += chunk;
  });
  const exitedPromise = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      running.delete(child);
      resolve();
    });
  });

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new Error(`The e2e host ${why}.\n--- host output ---\n${output.slice(-8_000)}`);
  };

  while (!announced) {
    if (exited) return fail(exited);
    if (Date.now() > deadline) return fail(`did not announce its address within ${timeoutMs} ms`);
    await sleep(50);
  }
  const baseUrl = (announced as string).replace(/\/$/, "");

  const api = async <T>(method: string, apiPath: string, body?: unknown, allowError = false): Promise<T> => {
    const response = await fetch(baseUrl + apiPath, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (!response.ok && !allowError) {
      throw new Error(`${method} ${apiPath} answered ${response.status}: ${text.slice(0, 500)}`);
    }
    return parsed as T;
  };

  for (;;) {
    if (exited) return fail(exited);
    if (Date.now() > deadline) return fail(`did not answer /api/health within ${timeoutMs} ms`);
    const health = await fetch(`${baseUrl}/api/health`).catch(() => null);
    if (health?.ok) break;
    await sleep(100);
  }

  const seeded = !args.includes("--no-seed");
  if (options.waitForPlugins ?? seeded) {
    // `paperclip start` installs the bundled examples after it starts listening; wait until each has settled.
    const examples = (
      await api<{ pluginKey: string; hasBuiltEntrypoints: boolean }[]>("GET", "/api/plugins/examples")
    )
      .filter((example) => example.hasBuiltEntrypoints)
      .map((example) => example.pluginKey);
    for (;;) {
      if (exited) return fail(exited);
      const plugins = await api<{ pluginKey: string; status: string }[]>("GET", "/api/plugins");
      const settled = examples.every((key) =>
        plugins.some((p) => p.pluginKey === key && SETTLED.has(p.status)),
      );
      if (settled) break;
      if (Date.now() > deadline) return fail(`did not settle its example plugins within ${timeoutMs} ms`);
      await sleep(200);
    }
  }

  return { baseUrl, dataDir, process: child, output: () => output, api, stop };
}
