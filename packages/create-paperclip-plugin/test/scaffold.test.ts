// What `create-paperclip-plugin` promises: each template's project, created in a temp folder outside this
// repository (the SDK packed into it), installs from the real npm registry, builds, passes its own tests and
// type-checks, then installs into a real host by local path and becomes ready. Bad names, templates, categories
// and folders get errors that name the problem and the fix.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  REPO_ROOT,
  type RuntimeHost,
  startRuntimeHost,
} from "../../server/test/plugins/fixtures/runtime/support.js";
import { ENGINES } from "../../server/test/support/database.js";
import {
  runCreatePlugin,
  type ScaffoldResult,
  scaffoldPlugin,
  TEMPLATES,
  type TemplateName,
} from "../src/index.js";

const BIN = fileURLToPath(new URL("../bin/create-paperclip-plugin.js", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "pc-scaffold-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Step {
  code: number;
  output: string;
}

/** npm as an author runs it, without the npm_* variables of the `npm test` that may be running us. */
function npm(args: string[], cwd: string): Promise<Step> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
  return new Promise((resolve) => {
    execFile("npm", args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        code: error ? Number((error as { code?: number }).code ?? 1) : 0,
        output: `${stdout}${stderr}`,
      });
    });
  });
}

/**
 * A GET on its own connection, closed after the answer: a kept-alive socket that served a plugin UI file holds
 * the host's close on PostgreSQL (seen with fetch's pool), which is not what these tests are about.
 */
function getOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, headers: { connection: "close" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

interface Project {
  result: ScaffoldResult;
  install: Step;
  build: Step;
  test: Step;
  typecheck: Step;
}

const projects = new Map<TemplateName, Project>();
/** The ui template created inside this repository (under its git-ignored tmp/), where it links the SDK. */
let insideRepo: Project;
mkdirSync(path.join(REPO_ROOT, "tmp"), { recursive: true });
const repoTemp = mkdtempSync(path.join(REPO_ROOT, "tmp", "scaffold-"));
afterAll(() => rmSync(repoTemp, { recursive: true, force: true }));

beforeAll(async () => {
  const created = await Promise.all([
    ...TEMPLATES.map((template) =>
      scaffoldPlugin({
        name: `@acme/plugin-${template}`,
        template,
        outputDir: path.join(root, template),
        author: "Acme Test",
      }),
    ),
    scaffoldPlugin({ name: "acme-inside", template: "ui", outputDir: path.join(repoTemp, "acme-inside") }),
  ]);
  // Installs run at once (one shared npm cache); builds and tests after, each project on its own.
  const installs = await Promise.all(
    created.map((result) =>
      npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], result.projectDir),
    ),
  );
  await Promise.all(
    created.map(async (result, index) => {
      const dir = result.projectDir;
      const build = await npm(["run", "build"], dir);
      const test = await npm(["test"], dir);
      const typecheck = await npm(["run", "typecheck"], dir);
      const project = { result, install: installs[index]!, build, test, typecheck };
      if (result.packageName === "acme-inside") insideRepo = project;
      else projects.set(result.template, project);
    }),
  );
}, 240_000);

describe.each(TEMPLATES)("the %s template", (template) => {
  it("writes a complete project whose SDK is packed into it", () => {
    const { result } = projects.get(template)!;
    expect(result.pluginId).toBe(`acme.plugin-${template}`);
    expect(result.files).toEqual(
      expect.arrayContaining([
        ".gitignore",
        "README.md",
        "esbuild.config.mjs",
        "package.json",
        "src/manifest.ts",
        "src/worker.ts",
        "tests/plugin.spec.ts",
        "tsconfig.json",
        "vitest.config.ts",
        ...(template === "ui" ? ["src/ui/index.tsx"] : []),
      ]),
    );
    const pkg = JSON.parse(readFileSync(path.join(result.projectDir, "package.json"), "utf8"));
    // The SDK is bundled into the worker: a build-time dependency, so the packed plugin has nothing to resolve.
    expect(pkg.dependencies).toBeUndefined();
    const sdkSpec = pkg.devDependencies["@paperclipai/plugin-sdk"] as string;
    expect(sdkSpec).toMatch(/^file:\.paperclip-sdk\/paperclipai-plugin-sdk-.+\.tgz$/);
    expect(existsSync(path.join(result.projectDir, sdkSpec.slice(5)))).toBe(true);
    expect(Object.keys(pkg.scripts)).toEqual(["build", "dev", "test", "typecheck"]);
    expect(pkg.scripts.dev).toBe("paperclip plugin dev .");
    expect(pkg.paperclipPlugin).toEqual({
      manifest: "./dist/manifest.js",
      worker: "./dist/worker.js",
      ...(template === "ui" ? { ui: "./dist/ui/" } : {}),
    });
    for (const [name, version] of Object.entries(pkg.devDependencies)) {
      if (name !== "@paperclipai/plugin-sdk") expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it("installs, builds, passes its own tests and type-checks", () => {
    const project = projects.get(template)!;
    expect(project.install.code, project.install.output).toBe(0);
    expect(project.build.code, project.build.output).toBe(0);
    expect(project.test.code, project.test.output).toBe(0);
    expect(project.test.output).toMatch(/Tests\s+.*\d+ passed/);
    expect(project.typecheck.code, project.typecheck.output).toBe(0);
    const dist = path.join(project.result.projectDir, "dist");
    expect(existsSync(path.join(dist, "worker.js"))).toBe(true);
    expect(existsSync(path.join(dist, "manifest.js"))).toBe(true);
    expect(existsSync(path.join(dist, "ui", "index.js"))).toBe(template === "ui");
  });
});

describe("a project inside this repository", () => {
  it("links the repository's SDK instead of packing it, and installs, builds, tests and type-checks", () => {
    const { result, install, build, test, typecheck } = insideRepo;
    expect(result.sdk.spec).toBe(
      `file:${path.relative(result.projectDir, path.join(REPO_ROOT, "packages", "plugin-sdk"))}`,
    );
    expect(existsSync(path.join(result.projectDir, ".paperclip-sdk"))).toBe(false);
    for (const step of [install, build, test, typecheck]) expect(step.code, step.output).toBe(0);
    expect(existsSync(path.join(result.projectDir, "dist", "ui", "index.js"))).toBe(true);
  });
});

describe.each(ENGINES)("scaffolded plugins on a host (%s)", (engine) => {
  let host: RuntimeHost;
  const installed = new Map<TemplateName, { id: string; status: string; lastError: string | null }>();

  beforeAll(async () => {
    // Started like a booting host, so the job scheduler runs triggered jobs.
    host = await startRuntimeHost(engine, { start: true });
    for (const template of TEMPLATES) {
      const { body } = await host.request("POST", "/api/plugins/install", {
        packageName: projects.get(template)!.result.projectDir,
        isLocalPath: true,
      });
      installed.set(template, body);
    }
  }, 120_000);
  afterAll(() => host?.close());

  it.each(TEMPLATES)("installs the %s project by local path and it becomes ready", async (template) => {
    const plugin = installed.get(template)!;
    expect(plugin.status, plugin.lastError ?? "").toBe("ready");
    const health = await host.request("GET", `/api/plugins/${plugin.id}/health`);
    expect(health.body.healthy).toBe(true);
  });

  it("the connector refuses an unsigned webhook and runs its sync job", async () => {
    const plugin = installed.get("connector")!;
    const webhook = await host.raw("POST", `/api/plugins/${plugin.id}/webhooks/events`, '{"id":"evt-1"}');
    expect(webhook.status).toBe(502);
    expect(webhook.text).toContain("Rejected webhook: no signing secret configured");
    const jobs = (await host.request("GET", `/api/plugins/${plugin.id}/jobs`)).body as Array<{
      id: string;
      jobKey: string;
    }>;
    const sync = jobs.find((job) => job.jobKey === "sync")!;
    const started = await host.request("POST", `/api/plugins/${plugin.id}/jobs/${sync.id}/trigger`);
    expect(started.status).toBeLessThan(300);
    let run: { status: string; error?: string | null } = { status: "queued" };
    for (let attempt = 0; attempt < 100 && ["queued", "running", "pending"].includes(run.status); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = (
        await host.request("GET", `/api/plugins/${plugin.id}/jobs/${sync.id}/runs/${started.body.runId}`)
      ).body;
    }
    expect(run.status, run.error ?? "").toBe("succeeded");
  });

  it("the ui project's bundle is served to the board", async () => {
    const plugin = installed.get("ui")!;
    const response = await getOnce(`${host.baseUrl}/_plugins/${plugin.id}/ui/index.js`);
    expect(response.status).toBe(200);
    const bundle = response.body;
    expect(bundle).toContain("NotesPage");
    expect(bundle).toMatch(/from ["']@paperclipai\/plugin-sdk\/ui["']/);
  });
});

describe("a packed project", () => {
  let host: RuntimeHost;
  afterAll(() => host?.close());

  it("installs on a host from its npm pack tarball, as a published plugin would, and serves its UI", async () => {
    const { result } = projects.get("ui")!;
    const packed = await npm(["pack", "--json", "--pack-destination", root], result.projectDir);
    expect(packed.code, packed.output).toBe(0);
    const tarball = path.join(
      root,
      (JSON.parse(packed.output.slice(packed.output.indexOf("["))) as [{ filename: string }])[0].filename,
    );
    host = await startRuntimeHost(ENGINES[0]!);
    const installed = await host.request("POST", "/api/plugins/install", { packageName: tarball });
    expect(installed.body.status, installed.body.lastError ?? JSON.stringify(installed.body)).toBe("ready");
    const ui = await getOnce(`${host.baseUrl}/_plugins/${installed.body.id}/ui/index.js`);
    expect(ui.status).toBe(200);
    expect(ui.body).toContain("IssueNotesTab");
  }, 120_000);
});

describe("refusals", () => {
  async function create(args: string[], cwd = root) {
    let out = "";
    let err = "";
    const code = await runCreatePlugin(
      args,
      { out: (t) => (out += t), err: (t) => (err += t) },
      undefined,
      cwd,
    );
    return { code, out, err };
  }

  it.each([
    ["My Plugin", '"My Plugin" is not a valid plugin package name'],
    ["UPPER", '"UPPER" is not a valid plugin package name'],
    ["@acme/", '"@acme/" is not a valid plugin package name'],
    ["_private", 'starts with "_", which npm refuses'],
    ["-dash", 'gives the manifest id "-dash", which must start with a lowercase letter or digit'],
  ])("refuses the name %j", async (name, message) => {
    // After "--", so a name starting with "-" reaches the name check instead of the flag parser.
    const result = await create(["--output", path.join(root, "refused"), "--", name]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
    expect(result.err).toContain('e.g. "acme-sync"');
    expect(existsSync(path.join(root, "refused"))).toBe(false);
  });

  it("refuses an unknown template or category, listing the valid ones", async () => {
    const template = await create(["acme-x", "--template", "workspace", "--output", path.join(root, "x")]);
    expect(template).toMatchObject({ code: 1 });
    expect(template.err).toBe(
      'create-paperclip-plugin: unknown template "workspace": pass --template default, connector, ui\n',
    );
    const category = await create(["acme-x", "--category", "environment", "--output", path.join(root, "x")]);
    expect(category.err).toContain(
      'unknown category "environment": pass --category connector, workspace, automation, ui',
    );
    expect(existsSync(path.join(root, "x"))).toBe(false);
  });

  it("refuses a folder that already has files, and leaves them alone", async () => {
    const taken = path.join(root, "taken");
    mkdirSync(taken);
    writeFileSync(path.join(taken, "notes.txt"), "mine");
    const result = await create(["acme-taken", "--output", taken]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `create-paperclip-plugin: ${taken} already exists and is not empty: choose another --output, or empty it first\n`,
    );
    expect(readFileSync(path.join(taken, "notes.txt"), "utf8")).toBe("mine");
  });

  it("refuses unknown flags, a missing name and a bad --sdk-path through the real bin", async () => {
    const run = (args: string[]) =>
      new Promise<Step>((resolve) =>
        execFile(process.execPath, [BIN, ...args], { cwd: root }, (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as { code?: number }).code) : 0,
            output: `${stdout}${stderr}`,
          }),
        ),
      );
    const unknown = await run(["acme-y", "--tempalte", "ui"]);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("--tempalte");
    const missing = await run([]);
    expect(missing.output).toContain("name the plugin: create-paperclip-plugin <name>");
    const badSdk = await run(["acme-y", "--sdk-path", root, "--output", path.join(root, "y")]);
    expect(badSdk.code).toBe(1);
    expect(badSdk.output).toContain(`--sdk-path ${root} is neither a folder holding @paperclipai/plugin-sdk`);
    expect(existsSync(path.join(root, "y"))).toBe(false);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output).toContain("--template <t>");
  });
});
