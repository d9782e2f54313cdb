// `paperclip plugin doctor` against a real host with real workers (a healthy example, a worker that exits before
// its handshake, one that logs errors and reports itself unwell), and `paperclip plugin init` creating a project.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPluginCommand } from "../src/cli/plugin.js";
import {
  fixturePackage,
  HELLO_WORLD_DIR,
  type RuntimeHost,
  SDK_DIR,
  startRuntimeHost,
  tempFolders,
} from "./plugins/fixtures/runtime/support.js";
import { ENGINES } from "./support/database.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

async function cli(args: string[], host?: RuntimeHost) {
  let out = "";
  let err = "";
  const code = await runPluginCommand(
    host ? [...args, "--url", host.baseUrl] : args,
    { out: (text) => (out += text), err: (text) => (err += text) },
    {},
  );
  return { code, out, err };
}

function writeManifest(dir: string, id: string, version: string, capabilities: string[]): void {
  fs.writeFileSync(
    path.join(dir, "manifest.js"),
    `export default ${JSON.stringify({
      id,
      apiVersion: 1,
      version,
      displayName: "Doctor fixture",
      description: "A plugin for paperclip plugin doctor tests.",
      author: "Paperclip tests",
      categories: ["automation"],
      capabilities,
      entrypoints: { worker: "./worker.mjs" },
    })};\n`,
  );
}

/** A plugin folder linked to our SDK; by default its setup logs an error and its health answer is "error". */
function fixturePlugin(
  id: string,
  worker = `import { definePlugin, runWorker } from "@paperclipai/plugin-sdk";
const plugin = definePlugin({
  async setup(ctx) { ctx.logger.error("Could not reach https://api.example.test: ECONNREFUSED"); },
  async onHealth() { return { status: "error", message: "upstream API unreachable" }; },
});
export default plugin;
runWorker(plugin, import.meta.url);
`,
): string {
  const dir = path.join(temp.make("doctor"), id);
  fs.mkdirSync(path.join(dir, "node_modules", "@paperclipai"), { recursive: true });
  fs.symlinkSync(SDK_DIR, path.join(dir, "node_modules", "@paperclipai", "plugin-sdk"), "dir");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: id.replace(".", "-"),
      version: "1.0.0",
      type: "module",
      paperclipPlugin: { manifest: "./manifest.js", worker: "./worker.mjs" },
    }),
  );
  writeManifest(dir, id, "1.0.0", ["plugin.state.read"]);
  fs.writeFileSync(path.join(dir, "worker.mjs"), worker);
  return dir;
}

describe.each(ENGINES)("paperclip plugin doctor (%s)", (engine) => {
  let host: RuntimeHost;
  const ids: Record<string, string> = {};
  const folders: Record<string, string> = {};

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    for (const [name, dir] of [
      ["hello", HELLO_WORLD_DIR],
      ["crash", fixturePackage("crash-on-start")],
      ["unwell", fixturePlugin("doctor.unwell")],
      [
        "growing",
        fixturePlugin(
          "doctor.growing",
          `import { definePlugin, runWorker } from "@paperclipai/plugin-sdk";
const plugin = definePlugin({ async setup() {} });
export default plugin;
runWorker(plugin, import.meta.url);
`,
        ),
      ],
    ] as const) {
      const installed = await host.request("POST", "/api/plugins/install", {
        packageName: dir,
        isLocalPath: true,
      });
      ids[name] = installed.body.id;
      folders[name] = dir;
    }
  }, 60_000);
  afterAll(() => host?.close());

  it("finds nothing wrong with a healthy plugin and exits 0", async () => {
    const result = await cli(["doctor", "paperclip.hello-world"], host);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Doctor: paperclip.hello-world@0.1.0 (status ready, id ${ids.hello})`);
    for (const check of ["manifest", "capabilities", "worker", "health", "recent errors"]) {
      expect(result.out).toMatch(new RegExp(`ok {4}${check}`));
    }
    expect(result.out).toContain("paperclip.hello-world@0.1.0 is valid (5 capabilities)");
    expect(result.out).toContain("every requested capability is approved");
    expect(result.out).toMatch(/health ping: health answered in \d+ ms: ok \(Hello World is running\)/);
    expect(result.out).toContain("No problems found.");
  });

  it("explains a worker that exits before its handshake, with what to do, and exits 1", async () => {
    const result = await cli(["doctor", "runtime.crash-on-start"], host);
    expect(result.code).toBe(1);
    expect(result.out).toContain("status error");
    expect(result.out).toMatch(/FAIL {2}worker +failed to start: .+/);
    expect(result.out).toContain("fix: ");
    expect(result.out).toContain("fatal: cannot open ./settings.toml (ENOENT)");
    expect(result.out).toContain(
      "fix: run its worker by hand (node <worker entry>) to see why it exits, fix setup(), then paperclip plugin enable runtime.crash-on-start",
    );
    expect(result.out).toMatch(/\d+ problems? found\./);
  });

  it("reports a failing health answer and recent errors, each with a fix", async () => {
    const result = await cli(["doctor", ids.unwell!, "--json"], host);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as {
      ok: boolean;
      findings: Array<{ check: string; ok: boolean; message: string; fix?: string }>;
    };
    expect(report.ok).toBe(false);
    const byCheck = Object.fromEntries(report.findings.map((finding) => [finding.check, finding]));
    expect(byCheck.manifest).toMatchObject({ ok: true });
    expect(byCheck.worker).toMatchObject({ ok: true });
    expect(byCheck.health).toMatchObject({ ok: false });
    expect(byCheck.health!.message).toContain("upstream API unreachable");
    expect(byCheck.health!.fix).toContain("onHealth()");
    expect(byCheck["recent errors"]).toMatchObject({ ok: false });
    expect(byCheck["recent errors"]!.message).toContain(
      "Could not reach https://api.example.test: ECONNREFUSED",
    );
    expect(byCheck["recent errors"]!.fix).toBe(
      "paperclip plugin logs doctor.unwell --level error shows them with their details; the handler named in each threw",
    );
  });

  it("reports capabilities an upgrade added until an operator approves them", async () => {
    writeManifest(folders.growing!, "doctor.growing", "1.1.0", ["plugin.state.read", "issues.read"]);
    const upgraded = await host.request("POST", `/api/plugins/${ids.growing}/upgrade`, {});
    expect(upgraded.body.status).toBe("upgrade_pending");
    const result = await cli(["doctor", "doctor.growing"], host);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /FAIL {2}capabilities +requests capabilities an operator has not approved: issues\.read/,
    );
    expect(result.out).toContain(
      "fix: review them, then paperclip plugin enable doctor.growing approves them (or remove them from the manifest)",
    );
    expect(result.out).toMatch(/FAIL {2}worker +status upgrade_pending: no worker runs/);
    const enabled = await cli(["enable", "doctor.growing"], host);
    expect(enabled.code).toBe(0);
    expect((await cli(["doctor", "doctor.growing"], host)).code).toBe(0);
  });

  it("names an unknown plugin and a missing argument", async () => {
    const unknown = await cli(["doctor", "nobody.here"], host);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(
      `paperclip plugin doctor: no plugin "nobody.here" on ${host.baseUrl}: paperclip plugin list shows the installed ones\n`,
    );
    const missing = await cli(["doctor"], host);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("name the plugin: paperclip plugin doctor <plugin key or id>");
  });
});

describe("paperclip plugin init", () => {
  it("creates a project with the scaffolder, in-process", async () => {
    const output = path.join(temp.make("init"), "acme-notes");
    const result = await cli([
      "init",
      "@acme/notes",
      "--template",
      "ui",
      "--output",
      output,
      "--author",
      "Acme",
    ]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Created @acme/notes (plugin id acme.notes, template ui) in ${output}`);
    const manifest = fs.readFileSync(path.join(output, "src", "manifest.ts"), "utf8");
    expect(manifest).toContain('id: "acme.notes"');
    expect(fs.existsSync(path.join(output, "src", "ui", "index.tsx"))).toBe(true);
  });

  it("refuses a bad name under its own command name", async () => {
    const result = await cli(["init", "Bad Name", "--output", path.join(temp.make("init"), "x")]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('paperclip plugin init: "Bad Name" is not a valid plugin package name');
    const help = await cli(["init", "--help"]);
    expect(help.out).toContain("Usage: paperclip plugin init <name> [options]");
  });
});
