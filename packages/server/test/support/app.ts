// A host app on a test database, listening on 127.0.0.1 (random port), with a small JSON client.
import type { FastifyInstance } from "fastify";
import type { Clock } from "../../src/domain/actor.js";
import type { StoredDomainEvent } from "../../src/domain/event-types.js";
import { createServices, type DomainServices } from "../../src/domain/services.js";
import { buildApp } from "../../src/http/app.js";
import { type Engine, openTestDatabase, type TestDatabase } from "./database.js";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestHost {
  engine: Engine;
  app: FastifyInstance;
  services: DomainServices;
  database: TestDatabase;
  baseUrl: string;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  /** send a raw body (malformed JSON, huge payloads) */
  raw(method: string, path: string, body: string, headers?: Record<string, string>): Promise<ApiResponse>;
  /** events committed after `afterSeq` */
  eventsSince(afterSeq: number): Promise<StoredDomainEvent[]>;
  head(): Promise<number>;
  close(): Promise<void>;
}

export const BODY_LIMIT = 256 * 1024;

export async function startTestHost(engine: Engine, options: { clock?: Clock } = {}): Promise<TestHost> {
  const database = await openTestDatabase(engine);
  const services = createServices(database.db, { clock: options.clock });
  const app = await buildApp({
    db: database.db,
    config: { deploymentMode: "local_trusted", bodyLimitBytes: BODY_LIMIT },
    logger: false,
    services,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const decode = async (response: Response): Promise<ApiResponse> => {
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  return {
    engine,
    app,
    services,
    database,
    baseUrl,
    async request(method, path, body, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return decode(response);
    },
    async raw(method, path, body, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      return decode(response);
    },
    eventsSince: (afterSeq) => services.outbox.read({ afterSeq, limit: 10_000 }),
    head: () => services.outbox.head(),
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}

/** Create a company with an agent, a goal and a project; return their records. */
export async function seedBoard(host: TestHost, name = "Test Co") {
  const company = (await host.request("POST", "/api/companies", { name })).body;
  const agent = (
    await host.request("POST", `/api/companies/${company.id}/agents`, {
      name: "Agent Smith",
      role: "engineer",
    })
  ).body;
  const goal = (
    await host.request("POST", `/api/companies/${company.id}/goals`, {
      title: "Win",
      level: "company",
      status: "active",
    })
  ).body;
  const project = (
    await host.request("POST", `/api/companies/${company.id}/projects`, { name: "Core", goalIds: [goal.id] })
  ).body;
  return { company, agent, goal, project };
}
