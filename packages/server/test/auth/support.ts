// A host in authenticated mode for the auth tests: the real app (better-auth on the test database, every domain
// route, and with `plugins: true` the host's whole plugin wiring with the bridge-kit fixture installable), listening on
// 127.0.0.1. Clients sign in over HTTP (session cookie + the board's Origin) or send an API key, like real callers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { createHostPlugins, type HostPlugins } from "../../src/composition/host-plugins.js";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { createServices, type DomainServices } from "../../src/domain/services.js";
import { buildApp } from "../../src/http/app.js";
import { registerObservabilityRoutes } from "../../src/http/observability-routes.js";
import { registerPluginRoutes } from "../../src/http/plugins/index.js";
import { HostMetrics } from "../../src/observability/metrics.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { type Engine, openTestDatabase, type TestDatabase } from "../support/database.js";

export const TEST_AUTH_SECRET = "test-secret-0123456789abcdef0123456789abcdef";
export const PASSWORD = "correct horse battery staple";

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface Caller {
  /** `Cookie: …` of a signed-in session, or an API key sent as Bearer */
  cookie?: string;
  token?: string;
  /** Origin header; default: the board's own origin for a cookie caller, none otherwise */
  origin?: string | null;
  headers?: Record<string, string>;
}

export interface AuthHost {
  engine: Engine;
  app: FastifyInstance;
  services: DomainServices;
  plugins: HostPlugins | null;
  baseUrl: string;
  request<T = any>(method: string, url: string, body?: unknown, caller?: Caller): Promise<Reply<T>>;
  /** A user who signs in with PASSWORD (the instance's first user is an instance admin). */
  createUser(email: string, name?: string, isInstanceAdmin?: boolean): Promise<{ id: string; email: string }>;
  /** Sign in over HTTP; the session cookie as a Caller. */
  signIn(email: string, password?: string): Promise<Caller>;
  install(folder: string): Promise<PluginRecord>;
  close(): Promise<void>;
}

export interface AuthHostOptions {
  /** the plugin runtime and every plugin route (slower to start) */
  plugins?: boolean;
  /** default: plenty, so tests that sign in several people are not rate limited */
  signInAttemptsPerMinute?: number;
  publicUrl?: string | null;
  /** Register more routes before the app listens (e.g. /metrics with its own metrics). */
  beforeListen?(app: FastifyInstance): void;
}

const FAST_WORKERS = {
  timeouts: { shutdownMs: 2_000, sigtermGraceMs: 1_000, healthIntervalMs: 0 },
  crashPolicy: { backoffBaseMs: 20, backoffMaxMs: 200, maxConsecutiveCrashes: 5 },
};

export async function startAuthHost(engine: Engine, options: AuthHostOptions = {}): Promise<AuthHost> {
  const database: TestDatabase = await openTestDatabase(engine);
  const services = createServices(database.db);
  const logger = pino({ level: process.env.PAPERCLIP_TEST_LOG_LEVEL ?? "silent" });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-auth-instance-"));
  const plugins = options.plugins
    ? await createHostPlugins({
        db: database.db,
        services,
        logger,
        dataDir,
        deploymentMode: "authenticated",
        installExamples: false,
        runtime: { examplesDir: null, workerDefaults: FAST_WORKERS },
      })
    : null;
  const app = await buildApp({
    db: database.db,
    config: {
      deploymentMode: "authenticated",
      bodyLimitBytes: 4 * 1024 * 1024,
      authSecret: TEST_AUTH_SECRET,
      publicUrl: options.publicUrl ?? null,
      host: "127.0.0.1",
    },
    logger: false,
    services,
    signInAttemptsPerMinute: options.signInAttemptsPerMinute ?? 1_000,
  });
  if (plugins) {
    registerPluginRoutes(app, plugins);
    // The board's per-plugin metrics route, as src/host.ts registers it (numbers empty: nothing is attached).
    registerObservabilityRoutes(app, { metrics: new HostMetrics(), plugins: plugins.runtime.registry });
  }
  options.beforeListen?.(app);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const auth = app.paperclip.auth!;

  async function request(method: string, url: string, body?: unknown, caller: Caller = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...caller.headers };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (caller.cookie) headers.cookie = caller.cookie;
    if (caller.token) headers.authorization = `Bearer ${caller.token}`;
    const origin = caller.origin === undefined ? (caller.cookie ? baseUrl : null) : caller.origin;
    if (origin) headers.origin = origin;
    const response = await fetch(baseUrl + url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(20_000),
    });
    if ((response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
      await response.body?.cancel();
      return { status: response.status, body: null, headers: response.headers, text: "" };
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, headers: response.headers, text };
  }

  let closing: Promise<void> | null = null;
  return {
    engine,
    app,
    services,
    plugins,
    baseUrl,
    request,
    async createUser(email, name = email.split("@")[0]!, isInstanceAdmin = false) {
      const user = await auth.createUser({ email, name, password: PASSWORD, isInstanceAdmin });
      return { id: user.id, email: user.email };
    },
    async signIn(email, password = PASSWORD) {
      const response = await request(
        "POST",
        "/api/auth/sign-in/email",
        { email, password },
        { origin: baseUrl },
      );
      if (response.status !== 200) {
        throw new Error(`sign-in of ${email} failed: ${response.status} ${response.text}`);
      }
      const cookie = response.headers
        .getSetCookie()
        .map((line) => line.split(";")[0]!)
        .find((pair) => pair.startsWith("paperclip.session_token="));
      if (!cookie) throw new Error(`sign-in of ${email} set no session cookie`);
      return { cookie };
    },
    async install(folder) {
      if (!plugins) throw new Error("started without plugins");
      const record = await plugins.runtime.lifecycle.install(
        { packageName: folder, isLocalPath: true },
        { actor: LOCAL_BOARD_ACTOR },
      );
      if (record.status !== "ready") throw new Error(`fixture plugin did not start: ${record.lastError}`);
      return record;
    },
    close() {
      closing ??= (async () => {
        await app.close();
        await plugins?.stop();
        await database.dispose();
        fs.rmSync(dataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** `expect`-friendly summary of a reply for failure messages. */
export function show(reply: Reply): string {
  return `${reply.status} ${reply.text.slice(0, 300)}`;
}
