// A host app with a started agent runtime on a test database, listening on 127.0.0.1, plus helpers to create
// agents, wake them and wait for their runs (by polling the REST API: no timed assertions).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { type AgentRuntime, createAgentRuntime } from "../../src/agents/index.js";
import type { RunExecutorOptions } from "../../src/agents/run-executor.js";
import { createServices, type DomainServices } from "../../src/domain/services.js";
import { buildApp } from "../../src/http/app.js";
import type { ApiResponse } from "../support/app.js";
import { type Engine, openTestDatabase, type TestDatabase } from "../support/database.js";

export const FIXTURES = join(import.meta.dirname, "fixtures");
export const AGENT_SCRIPT = join(FIXTURES, "agent.mjs");

export interface AgentTestHost {
  engine: Engine;
  app: FastifyInstance;
  services: DomainServices;
  runtime: AgentRuntime;
  database: TestDatabase;
  baseUrl: string;
  dataDir: string;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startAgentHost(
  engine: Engine,
  options: RunExecutorOptions & { database?: TestDatabase; start?: boolean } = {},
): Promise<AgentTestHost> {
  const database = options.database ?? (await openTestDatabase(engine));
  const services = createServices(database.db);
  const dataDir = mkdtempSync(join(tmpdir(), "paperclip-agents-"));
  const runtime = createAgentRuntime({
    db: database.db,
    services,
    logger: pino({ level: "silent" }),
    dataDir,
    pollMs: 200,
    ...options,
  });
  const app = await buildApp({
    db: database.db,
    config: { deploymentMode: "local_trusted", bodyLimitBytes: 1024 * 1024 },
    logger: false,
    services,
    agentRuntime: runtime,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  runtime.setApiUrl(baseUrl);
  if (options.start !== false) await runtime.start();
  return {
    engine,
    app,
    services,
    runtime,
    database,
    baseUrl,
    dataDir,
    async request(method, path, body, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    async close() {
      await runtime.stop();
      await app.close();
      if (!options.database) await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createCompany(host: AgentTestHost, name = "Agents Co"): Promise<{ id: string }> {
  const response = await host.request("POST", "/api/companies", { name });
  if (response.status !== 201)
    throw new Error(`company create: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createAgent(
  host: AgentTestHost,
  companyId: string,
  fields: {
    adapterType: string;
    adapterConfig?: Record<string, unknown>;
    runtimeConfig?: Record<string, unknown>;
    name?: string;
  },
): Promise<{ id: string; companyId: string }> {
  const response = await host.request("POST", `/api/companies/${companyId}/agents`, {
    name: fields.name ?? `agent-${Math.random().toString(36).slice(2, 8)}`,
    role: "engineer",
    adapterType: fields.adapterType,
    adapterConfig: fields.adapterConfig ?? {},
    runtimeConfig: fields.runtimeConfig ?? {},
  });
  if (response.status !== 201)
    throw new Error(`agent create: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A node-script agent: the fixture gets `mode` and the rest as its arguments' JSON. */
export function scriptAgent(mode: string, extra: Record<string, unknown> = {}, timeoutSec?: number) {
  return {
    adapterType: "process",
    adapterConfig: {
      command: process.execPath,
      args: [AGENT_SCRIPT, mode, JSON.stringify(extra)],
      ...(timeoutSec ? { timeoutSec } : {}),
    },
  };
}

export async function wake(
  host: AgentTestHost,
  agentId: string,
  payload: Record<string, unknown> = {},
  reason = "test",
) {
  const response = await host.request("POST", `/api/agents/${agentId}/wakeup`, { reason, payload });
  if (response.status !== 202) throw new Error(`wakeup: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; status: string };
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function runOf(host: AgentTestHost, runId: string) {
  return (await host.request("GET", `/api/heartbeat-runs/${runId}`)).body;
}

const TERMINAL = ["succeeded", "failed", "cancelled", "timed_out", "interrupted"];

/** The run once finished, and its events once the terminal status event is stored. */
export async function finished(host: AgentTestHost, runId: string) {
  const run = await until(`run ${runId} to finish`, async () => {
    const current = await runOf(host, runId);
    return TERMINAL.includes(current.status) ? current : null;
  });
  const events = await until(`run ${runId}'s terminal event`, async () => {
    const list = (await host.request("GET", `/api/heartbeat-runs/${runId}/events?limit=1000`)).body as any[];
    const last = list.at(-1);
    return last?.eventType === "status" && TERMINAL.includes(last.payload?.status) ? list : null;
  });
  return { run, events };
}

/** Whether the process runs; a zombie (dead, not yet reaped by whoever adopted it) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}
