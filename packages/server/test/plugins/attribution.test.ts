// Worker→host calls are attributed to the company of the request they belong to, even when requests overlap and
// the worker's SDK sends no invocation id (published 2026.318.0 and 2026.428.0). Company A has a saved config (so instance-level
// calls may touch it); bridge calls for company B whose handler lists A's agents must all be refused, and calls for
// a company's own data must all succeed — over real HTTP, with real workers, while 40 requests run at once.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  type BridgeHost,
  eventually,
  seedCompany,
  startBridgeHost,
  tempFolders,
} from "./fixtures/bridge/support.js";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "attribution");
const ROOT_MODULES = path.resolve(FIXTURE, "../../../../../../node_modules");
const SDK_DIR = path.resolve(FIXTURE, "../../../../../plugin-sdk");

const temp = tempFolders();
afterAll(() => temp.cleanup());

const SDKS = [
  { label: "published 2026.318.0 (no invocation ids)", worker: "worker-318.mjs", echoes: false },
  { label: "published 2026.428.0 (no invocation ids)", worker: "worker-428.mjs", echoes: false },
  { label: "published 2026.916.1", worker: "worker-916.mjs", echoes: true },
  { label: "our SDK", worker: "worker-ours.mjs", echoes: true },
] as const;

/** A package folder for the fixture with the chosen worker, its SDKs linked in (a temp copy sees no workspace). */
function attributionPackage(key: string, worker: string): string {
  const dir = path.join(temp.make("attribution"), key);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(modules, "@paperclipai"), { recursive: true });
  fs.symlinkSync(SDK_DIR, path.join(modules, "@paperclipai", "plugin-sdk"), "dir");
  for (const alias of ["published-plugin-sdk-318", "published-plugin-sdk-428", "published-plugin-sdk"]) {
    fs.symlinkSync(path.join(ROOT_MODULES, alias), path.join(modules, alias), "dir");
  }
  const manifest = {
    id: key,
    apiVersion: 1,
    version: "1.0.0",
    displayName: `Attribution ${key}`,
    description: "Lists a company's agents from data and action handlers.",
    author: "Paperclip tests",
    categories: ["automation"],
    capabilities: ["agents.read", "jobs.schedule", "webhooks.receive"],
    entrypoints: { worker: `./${worker}` },
    jobs: [{ jobKey: "probe", displayName: "Probe", schedule: "0 0 1 1 *" }],
    webhooks: [{ endpointKey: "probe", displayName: "Probe" }],
  };
  fs.writeFileSync(path.join(dir, "manifest.mjs"), `export default ${JSON.stringify(manifest)};\n`);
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: `paperclip-plugin-${key.replace(/\./g, "-")}`,
      version: "1.0.0",
      type: "module",
      paperclipPlugin: { manifest: "./manifest.mjs", worker: `./${worker}` },
    }),
  );
  return dir;
}

describe.each(ENGINES)("worker→host attribution under overlapping calls (%s)", (engine) => {
  let host: BridgeHost;
  let alpha: Awaited<ReturnType<typeof seedCompany>>;
  let beta: Awaited<ReturnType<typeof seedCompany>>;
  const pluginIds = new Map<string, string>();

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    // The job scheduler and event delivery run only once the host's plugin subsystems are started.
    await host.plugins.start();
    alpha = await seedCompany(host.services, "Alpha");
    beta = await seedCompany(host.services, "Beta");
    for (const [index, sdk] of SDKS.entries()) {
      const key = `fixture.attribution-${index}`;
      const record = await host.install(attributionPackage(key, sdk.worker));
      pluginIds.set(sdk.worker, record.id);
      // Only Alpha has a saved config: instance-level calls may touch Alpha, never Beta.
      const saved = await host.request("POST", `/api/plugins/${record.id}/config`, {
        companyId: alpha.company.id,
        configJson: { probe: [alpha.company.id, beta.company.id] },
      });
      expect(saved.status).toBe(200);
    }
  });
  afterAll(async () => {
    await host?.close();
  });

  describe.each(SDKS)("a worker built with $label", (sdk) => {
    const data = (body: Record<string, unknown>) =>
      host.request("POST", `/api/plugins/${pluginIds.get(sdk.worker)}/data/agents`, body);
    const action = (body: Record<string, unknown>) =>
      host.request("POST", `/api/plugins/${pluginIds.get(sdk.worker)}/actions/agents`, body);

    it("never lets a call for company B read company A, and never denies a company its own data", async () => {
      const A = alpha.company.id;
      const B = beta.company.id;
      type Case = { expect: "denied" | string; send: () => ReturnType<typeof data> };
      const cases: Case[] = [];
      for (let i = 0; i < 10; i++) {
        cases.push({ expect: "denied", send: () => data({ companyId: B, params: { listCompanyId: A } }) });
        cases.push({ expect: A, send: () => data({ companyId: A, params: { listCompanyId: A } }) });
        cases.push({ expect: B, send: () => data({ companyId: B, params: { listCompanyId: B } }) });
        // Instance scope (no company): may read the configured company A.
        cases.push({ expect: A, send: () => action({ params: { listCompanyId: A } }) });
      }
      const responses = await Promise.all(cases.map((item) => item.send()));
      const leaks: string[] = [];
      const wrongDenials: string[] = [];
      responses.forEach((response, index) => {
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        const wanted = cases[index]!.expect;
        const result = response.body.data as { agentCompanyIds?: string[]; denied?: string };
        if (wanted === "denied") {
          if (!result.denied) leaks.push(JSON.stringify(result));
          else expect(result.denied).toMatch(/scope|company/i);
        } else if (result.denied) {
          wrongDenials.push(result.denied);
        } else {
          expect(result.agentCompanyIds).toEqual([wanted]);
        }
      });
      expect(leaks).toEqual([]);
      expect(wrongDenials).toEqual([]);
    });

    it("scopes jobs and webhooks that overlap company calls to the configured company only", async () => {
      const id = pluginIds.get(sdk.worker)!;
      const A = alpha.company.id;
      const B = beta.company.id;
      const sends: Array<Promise<{ status: number }>> = [];
      for (let i = 0; i < 4; i++) {
        // One manual run at a time is all a job allows; it overlaps the rest.
        if (i === 0) sends.push(host.request("POST", `/api/plugins/${id}/jobs/probe/trigger`, {}));
        sends.push(host.request("POST", `/api/plugins/${id}/webhooks/probe`, { probe: [A, B] }));
        sends.push(data({ companyId: B, params: { listCompanyId: B } }));
        sends.push(data({ companyId: A, params: { listCompanyId: A } }));
      }
      const statuses = (await Promise.all(sends)).map((response) => response.status);
      expect(
        statuses.every((status) => status >= 200 && status < 300),
        JSON.stringify(statuses),
      ).toBe(true);
      type LogLine = { message: string; meta: { source: string; outcome: string } };
      const probes = await eventually(async () => {
        const logs = await host.request("GET", `/api/plugins/${id}/logs?limit=200`);
        const lines = (logs.body as LogLine[]).filter((line) => line.message.startsWith("probe "));
        return lines.length >= 5 ? lines : null;
      }, "5 probe log lines (1 job, 4 webhooks)");
      for (const line of probes) {
        // Instance scope reaches the company with a saved config (A), never B — whatever ran beside it.
        expect(JSON.parse(line.meta.outcome), line.meta.source).toEqual({ [A]: "ok", [B]: "denied" });
      }
      expect(new Set(probes.map((line) => line.meta.source))).toEqual(new Set(["job", "webhook"]));
    });

    it(
      sdk.echoes
        ? "keeps serving overlapping requests concurrently (it tags its calls itself)"
        : "runs its requests one at a time, the cost of exact attribution without invocation ids",
      async () => {
        await action({ params: {} }).then(() =>
          host.request("POST", `/api/plugins/${pluginIds.get(sdk.worker)}/actions/max-running`, {}),
        );
        await Promise.all(
          Array.from({ length: 12 }, () =>
            data({ companyId: alpha.company.id, params: { listCompanyId: alpha.company.id } }),
          ),
        );
        const seen = await host.request(
          "POST",
          `/api/plugins/${pluginIds.get(sdk.worker)}/actions/max-running`,
          {},
        );
        if (sdk.echoes) expect(seen.body.data.maxRunning).toBeGreaterThan(1);
        else expect(seen.body.data.maxRunning).toBe(1);
      },
    );
  });
});
