/**
 * A host for the observability tests, wired like src/host.ts: the observability (metrics and/or traces, from the
 * given environment and span exporter) handed to the plugin system and the app, /metrics and the plugin metrics
 * route registered, listening on 127.0.0.1; the `metered` fixture plugin installable from a temp copy. Needs
 * `npx tsc -b` first (workers import the built SDK).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { createHostPlugins, type HostPlugins } from "../../src/composition/host-plugins.js";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { createServices } from "../../src/domain/services.js";
import { buildApp } from "../../src/http/app.js";
import { registerObservabilityRoutes } from "../../src/http/observability-routes.js";
import { registerPluginRoutes } from "../../src/http/plugins/index.js";
import { createHostObservability, type HostObservability } from "../../src/observability/index.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { FAST_WORKERS } from "../plugins/fixtures/bridge/support.js";
import { type Engine, openTestDatabase } from "../support/database.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SDK_DIR = path.resolve(HERE, "../../../plugin-sdk");
/** The performAction deadline of the observed host (the fixture's `slow` action takes longer). */
export const SLOW_ACTION_TIMEOUT_MS = 2_000;

export interface ObservedHost {
  app: FastifyInstance;
  plugins: HostPlugins;
  observability: HostObservability;
  baseUrl: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; text: string; body: any; headers: Headers }>;
  /** The Prometheus text of GET /metrics (fails the test unless it answers 200). */
  scrape(): Promise<string>;
  /** Install a copy of the `metered` fixture; fails unless it ends `ready`. */
  installMetered(): Promise<PluginRecord>;
  close(): Promise<void>;
}

export async function startObservedHost(
  engine: Engine,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): Promise<ObservedHost> {
  const database = await openTestDatabase(engine);
  const services = createServices(database.db);
  const logger = pino({ level: process.env.PAPERCLIP_TEST_LOG_LEVEL ?? "silent" });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-observed-"));
  const observability = createHostObservability({
    env: options.env ?? {},
    tracing: options.exporter ? { exporter: options.exporter } : {},
  });
  const plugins = await createHostPlugins({
    db: database.db,
    services,
    logger,
    dataDir,
    deploymentMode: "local_trusted",
    installExamples: false,
    observability,
    // performAction answers within 2 s here, so the fixture's `slow` action times out quickly.
    runtime: {
      examplesDir: null,
      workerDefaults: { ...FAST_WORKERS, methodTimeouts: { performAction: SLOW_ACTION_TIMEOUT_MS } },
    },
  });
  const app = await buildApp({
    db: database.db,
    config: { deploymentMode: "local_trusted", bodyLimitBytes: 4 * 1024 * 1024 },
    logger: false,
    services,
    observability,
  });
  registerPluginRoutes(app, plugins);
  observability.attach({
    db: database.db,
    workers: plugins.runtime.workers,
    registry: plugins.runtime.registry,
    streams: plugins.streams,
  });
  registerObservabilityRoutes(app, {
    metrics: observability.metrics,
    plugins: plugins.runtime.registry,
    env: options.env ?? {},
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const copies: string[] = [];
  let closing: Promise<void> | null = null;

  const request: ObservedHost["request"] = async (method, url, body, headers = {}) => {
    const response = await fetch(baseUrl + url, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: response.status, text, body: parsed, headers: response.headers };
  };

  return {
    app,
    plugins,
    observability,
    baseUrl,
    request,
    async scrape() {
      const reply = await request("GET", "/metrics");
      if (reply.status !== 200) throw new Error(`GET /metrics answered ${reply.status}: ${reply.text}`);
      return reply.text;
    },
    async installMetered() {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), "pc-metered-"));
      copies.push(parent);
      const target = path.join(parent, "metered");
      fs.cpSync(path.join(HERE, "fixtures", "metered"), target, { recursive: true });
      const scope = path.join(target, "node_modules", "@paperclipai");
      fs.mkdirSync(scope, { recursive: true });
      fs.symlinkSync(SDK_DIR, path.join(scope, "plugin-sdk"), "dir");
      const record = await plugins.runtime.lifecycle.install(
        { packageName: target, isLocalPath: true },
        { actor: LOCAL_BOARD_ACTOR },
      );
      if (record.status !== "ready") throw new Error(`fixture plugin did not start: ${record.lastError}`);
      return record;
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await plugins.stop();
        await observability.close();
        await database.dispose();
        fs.rmSync(dataDir, { recursive: true, force: true });
        for (const copy of copies) fs.rmSync(copy, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** The value of one series in Prometheus text (labels in any order), or null when absent. */
export function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const open = line.indexOf("{");
    const close = line.lastIndexOf("}");
    const labelText = open >= 0 && line.startsWith(`${name}{`) ? line.slice(open + 1, close) : "";
    const found = Object.fromEntries(
      [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(line.slice((close >= 0 && labelText ? close : name.length) + 1).trim());
    }
  }
  return null;
}

/** Poll until `check` returns a value (not undefined/false), or fail after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${last}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
