// Dev mode (docs/authoring/dev-loop.md): a local-path plugin edited, rebuilt and reloaded into a running host. The
// new code answers, the old worker process is gone, and the new one holds exactly one event subscription (an event
// is delivered once), one job and one tool; a failed build leaves the old worker answering; capability growth is
// applied with a warning; dev mode is refused for an npm-installed package; the package integrity check trusts a
// rebuilt dev-mode folder and still refuses a changed folder that is not in dev mode. The last part runs the real
// `paperclip plugin dev` CLI against the host over HTTP and saves files under it.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import {
  breakSource,
  buildDevPlugin,
  DEV_PLUGIN_KEY,
  handledEvents,
  prepareDevPlugin,
  setAnswer,
  setCapabilities,
} from "./fixtures/dev-mode/support.js";
import {
  eventually,
  fixtureDataDir,
  pluginActivity,
  processAlive,
  REPO_ROOT,
  type RuntimeHost,
  startRuntimeHost,
  tempFolders,
} from "./fixtures/runtime/support.js";

const CLI = path.join(REPO_ROOT, "packages", "server", "dist", "cli", "main.js");
const execFileAsync = promisify(execFile);
const temp = tempFolders();
afterAll(() => temp.cleanup());

describe.each(ENGINES)("plugin dev mode on %s", (engine) => {
  let host: RuntimeHost;
  let companyId: string;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, {
      start: true,
      // Sandboxed workers write only their data folder: beside their package here, where handledEvents reads.
      runtime: { sandbox: { dataDirOf: (record) => fixtureDataDir(record.packageDir) } },
    });
    companyId = (await host.request("POST", "/api/companies", { name: "Dev Co" })).body.id;
  });
  afterAll(async () => host?.close());

  async function installDevPlugin(folder: string): Promise<string> {
    const installed = await host.request("POST", "/api/plugins/install", {
      packageName: folder,
      isLocalPath: true,
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    expect(installed.body.status).toBe("ready");
    const enabled = await host.request("POST", `/api/plugins/${installed.body.id}/dev`, { enabled: true });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body).toMatchObject({ enabled: true, localPath: true, sourceDir: folder });
    return installed.body.id as string;
  }

  async function answerOf(pluginId: string): Promise<{ answer: string; pid: number }> {
    return (await host.runtime.callPlugin(
      pluginId,
      "performAction",
      { key: "answer", companyId, params: {} },
      companyId,
    )) as { answer: string; pid: number };
  }

  async function uninstall(pluginId: string): Promise<void> {
    await host.request("DELETE", `/api/plugins/${pluginId}?purge=true`);
  }

  it("reloads an edited plugin: new answer, old process gone, one subscription, job and tool", async () => {
    const folder = prepareDevPlugin(temp.make("reload"));
    const pluginId = await installDevPlugin(folder);
    try {
      const first = await answerOf(pluginId);
      expect(first.answer).toBe("first answer");
      const buildBefore = (await host.request("GET", "/api/plugins/ui-contributions")).body[0].uiBuild;

      let previousPid = first.pid;
      for (const answer of ["second answer", "third answer"]) {
        setAnswer(folder, answer);
        buildDevPlugin(folder);
        const reloaded = await host.request("POST", `/api/plugins/${pluginId}/dev/reload`, {});
        expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(200);
        expect(reloaded.body).toMatchObject({
          previousPid,
          plugin: { status: "ready" },
          manifestChanged: false,
          addedCapabilities: [],
          warnings: [],
        });
        // The new code answers, from a new process; the old one has exited.
        const now = await eventually(async () => {
          const current = await answerOf(pluginId);
          return current.answer === answer ? current : null;
        }, `the worker answering "${answer}"`);
        expect(now.pid).toBe(reloaded.body.pid);
        expect(now.pid).not.toBe(previousPid);
        expect(processAlive(previousPid)).toBe(false);
        previousPid = now.pid;
      }

      // Exactly one subscription, job and tool after two reloads.
      const status = await eventually(async () => {
        const body = (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body;
        return body?.subscriptions?.length > 0 ? body : null;
      }, "the subscription of the reloaded worker");
      expect(status.subscriptions.map((s: { eventPattern: string }) => s.eventPattern)).toEqual([
        "issue.created",
      ]);
      const jobs = (await host.request("GET", `/api/plugins/${pluginId}/jobs`)).body;
      expect(jobs.map((job: { jobKey: string }) => job.jobKey)).toEqual(["tidy"]);
      const tools = (await host.request("GET", `/api/plugins/tools?pluginId=${pluginId}`)).body;
      expect(tools.map((tool: { name: string }) => tool.name)).toEqual([`${DEV_PLUGIN_KEY}:answer`]);

      // One event, delivered once, to the newest worker.
      const issue = (
        await host.request("POST", `/api/companies/${companyId}/issues`, { title: "after reload" })
      ).body;
      await eventually(
        () => handledEvents(folder).some((event) => event.entityId === issue.id),
        "the issue.created event handled",
      );
      await eventually(
        async () => (await host.request("GET", `/api/plugins/${pluginId}/events/status`)).body.lag === 0,
        "the plugin's event cursor at the head",
      );
      const deliveries = handledEvents(folder).filter((event) => event.entityId === issue.id);
      expect(deliveries).toEqual([expect.objectContaining({ pid: previousPid, answer: "third answer" })]);

      // The board loads the new UI build; the reload is in the activity log with its digest.
      const contribution = (await host.request("GET", "/api/plugins/ui-contributions")).body[0];
      expect(contribution.uiBuild).not.toBe(buildBefore);
      const activity = await pluginActivity(host.services, companyId, pluginId);
      expect(activity.filter((row) => row.action === "plugin.dev.reloaded")).toHaveLength(2);
      const devStatus = (await host.request("GET", `/api/plugins/${pluginId}/dev`)).body;
      expect(devStatus).toMatchObject({ enabled: true, reloadCount: 2 });
    } finally {
      await uninstall(pluginId);
    }
  });

  it("keeps the old worker answering when the folder is broken, and applies new capabilities with a warning", async () => {
    const folder = prepareDevPlugin(temp.make("broken"));
    const pluginId = await installDevPlugin(folder);
    try {
      const before = await answerOf(pluginId);
      breakSource(folder);
      expect(() => buildDevPlugin(folder)).toThrow(/Expected|Unexpected/);
      // The failed build wrote nothing; the old worker still answers.
      expect(await answerOf(pluginId)).toEqual(before);

      // A manifest that no longer validates fails the reload before the old worker is touched.
      fs.writeFileSync(
        path.join(folder, "dist", "manifest.js"),
        "export default { id: 'fixtures.dev-mode' };\n",
      );
      const refused = await host.request("POST", `/api/plugins/${pluginId}/dev/reload`, {});
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(
        /Reloading fixtures\.dev-mode refused, its worker keeps running: .*version is required/s,
      );
      expect(await answerOf(pluginId)).toEqual(before);

      setAnswer(folder, "grown");
      setCapabilities(folder, [
        "events.subscribe",
        "agent.tools.register",
        "jobs.schedule",
        "ui.dashboardWidget.register",
        "issues.read",
      ]);
      buildDevPlugin(folder);
      const reloaded = await host.request("POST", `/api/plugins/${pluginId}/dev/reload`, {});
      expect(reloaded.status, JSON.stringify(reloaded.body)).toBe(200);
      expect(reloaded.body).toMatchObject({ addedCapabilities: ["issues.read"], manifestChanged: true });
      expect(reloaded.body.warnings[0]).toMatch(
        /granted new capabilities without an approval step: issues\.read/,
      );
      expect((await answerOf(pluginId)).answer).toBe("grown");
      const logged = (await pluginActivity(host.services, companyId, pluginId)).find(
        (row) => row.action === "plugin.dev.reloaded",
      );
      expect(logged?.details).toMatchObject({
        addedCapabilities: ["issues.read"],
        warning: expect.any(String),
      });
      const capabilities = (await host.request("GET", `/api/plugins/${pluginId}/capabilities`)).body;
      expect(capabilities).toMatchObject({ added: [], awaitingApproval: false });
      expect(capabilities.approved).toContain("issues.read");
    } finally {
      await uninstall(pluginId);
    }
  });

  it("trusts a rebuilt dev-mode folder at start, and still refuses a changed folder out of dev mode", async () => {
    const folder = prepareDevPlugin(temp.make("integrity"));
    const pluginId = await installDevPlugin(folder);
    try {
      // Rebuilt without a reload, then restarted (disable + enable): the integrity check records it as trusted.
      setAnswer(folder, "restarted");
      buildDevPlugin(folder);
      expect((await host.request("POST", `/api/plugins/${pluginId}/disable`, {})).status).toBe(200);
      const enabled = await host.request("POST", `/api/plugins/${pluginId}/enable`, {});
      expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
      expect((await answerOf(pluginId)).answer).toBe("restarted");
      const verified = (await host.request("POST", `/api/plugins/${pluginId}/verify`, {})).body;
      expect(verified).toMatchObject({ state: "intact", recordedReason: "dev_mode" });

      // Out of dev mode the same kind of change is refused, naming the changed file.
      const off = await host.request("POST", `/api/plugins/${pluginId}/dev`, { enabled: false });
      expect(off.body).toMatchObject({ enabled: false, localPath: true });
      setAnswer(folder, "tampered");
      buildDevPlugin(folder);
      expect((await host.request("POST", `/api/plugins/${pluginId}/disable`, {})).status).toBe(200);
      const refused = await host.request("POST", `/api/plugins/${pluginId}/enable`, {});
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/package files changed since install: dist\/(ui\/index|worker)\.js/);
      const reload = await host.request("POST", `/api/plugins/${pluginId}/dev/reload`, {});
      expect(reload.status).toBe(400);
      expect(reload.body.error).toMatch(/not in dev mode/);
    } finally {
      await uninstall(pluginId);
    }
  });

  it("refuses dev mode for a plugin npm installed from a package, and for unknown plugins", async () => {
    const folder = prepareDevPlugin(temp.make("packed"));
    const packDir = temp.make("pack");
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
    const { stdout } = await execFileAsync(
      "npm",
      ["pack", folder, "--json", "--ignore-scripts", "--pack-destination", packDir],
      { env },
    );
    const tarball = path.join(packDir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
    const installed = await host.request("POST", "/api/plugins/install", { packageName: tarball });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    try {
      const refused = await host.request("POST", `/api/plugins/${installed.body.id}/dev`, { enabled: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/Dev mode applies to plugins installed from a local folder/);
      expect(refused.body.error).toMatch(/installed from a tarball/);
      const status = (await host.request("GET", `/api/plugins/${installed.body.id}/dev`)).body;
      expect(status).toMatchObject({ enabled: false, localPath: false });
    } finally {
      await uninstall(installed.body.id);
    }
    expect((await host.request("POST", "/api/plugins/no-such-plugin/dev/reload", {})).status).toBe(404);
    const badBody = await host.request("POST", "/api/plugins/no-such-plugin/dev", { enabled: "yes" });
    expect(badBody.status).toBe(400);
  });

  it("`paperclip plugin dev` builds, installs, and reloads the plugin on every save; Ctrl-C leaves it installed", async () => {
    const folder = prepareDevPlugin(temp.make("cli"));
    const cli = startCli(folder, host.baseUrl);
    let pluginId: string | null = null;
    try {
      await eventually(() => cli.output().includes("Watching"), `the CLI watching:\n${cli.output()}`, 20_000);
      const record = (await host.request("GET", `/api/plugins/${DEV_PLUGIN_KEY}`)).body;
      pluginId = record.id as string;
      expect((await host.request("GET", `/api/plugins/${pluginId}/dev`)).body.enabled).toBe(true);
      const id = pluginId;

      setAnswer(folder, "saved once");
      const saved = await eventually(async () => {
        const current = await answerOf(id).catch(() => null);
        return current?.answer === "saved once" ? current : null;
      }, `the saved answer served:\n${cli.output()}`);
      await eventually(() => /reloaded fixtures\.dev-mode in \d+ ms/.test(cli.output()), "the reload line");

      // A broken save: the build's error is printed, the last good worker keeps answering.
      breakSource(folder);
      await eventually(() => cli.output().includes("build failed"), `the build failure:\n${cli.output()}`);
      expect(cli.output()).toMatch(/keeps running its last good build/);
      expect(await answerOf(id)).toEqual(saved);

      setAnswer(folder, "fixed");
      await eventually(
        async () => (await answerOf(id).catch(() => null))?.answer === "fixed",
        `the fixed answer:\n${cli.output()}`,
      );
      const subscriptions = (await host.request("GET", `/api/plugins/${id}/events/status`)).body
        .subscriptions;
      expect(subscriptions).toHaveLength(1);

      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/stays installed/);
      expect((await host.request("GET", `/api/plugins/${id}`)).body.status).toBe("ready");
      expect((await answerOf(id)).answer).toBe("fixed");
    } finally {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
      if (pluginId) await uninstall(pluginId);
    }
  });
});

function startCli(
  folder: string,
  baseUrl: string,
): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("PAPERCLIP_")),
  );
  const child = spawn(process.execPath, [CLI, "plugin", "dev", folder, "--url", baseUrl], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
