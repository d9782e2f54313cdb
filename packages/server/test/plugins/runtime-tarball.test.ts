// Install from an `npm pack` tarball of examples/hello-world, offline (the SDK it depends on is not on the
// registry, so its packed tarball is installed beside it; zod comes from npm's cache), run it, then purge it:
// the row, its data and its installed folder are all gone.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCompanies,
  HELLO_WORLD_DIR,
  type RuntimeHost,
  SDK_DIR,
  startRuntimeHost,
  tempFolders,
} from "./fixtures/runtime/support.js";

const execFileAsync = promisify(execFile);
const temp = tempFolders();

async function npmPack(folder: string, destination: string): Promise<string> {
  // Without what an enclosing `npm run` injected, so npm packs `folder` and nothing else.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
  const { stdout } = await execFileAsync(
    "npm",
    ["pack", folder, "--json", "--ignore-scripts", "--pack-destination", destination],
    { cwd: destination, env },
  );
  return path.join(destination, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
}

describe("installing a plugin from an npm pack tarball", () => {
  let host: RuntimeHost;
  let tarball: string;

  beforeAll(async () => {
    const tarballs = temp.make("tarballs");
    tarball = await npmPack(HELLO_WORLD_DIR, tarballs);
    const sdkTarball = await npmPack(SDK_DIR, tarballs);
    host = await startRuntimeHost("pglite", {
      runtime: { installer: { preferOffline: true, dependencyTarballs: [sdkTarball] } },
    });
    await createCompanies(host.services, ["Tarball Co"]);
  });
  afterAll(async () => {
    await host?.close();
    temp.cleanup();
  });

  it("installs into its own version folder with the tarball's integrity, runs, and purges completely", async () => {
    const response = await host.request("POST", "/api/plugins/install", { packageName: tarball });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const plugin = response.body;
    expect(plugin).toMatchObject({
      pluginKey: "paperclip.hello-world",
      status: "ready",
      source: "tarball",
      packagePath: null,
      installSpec: { packageName: tarball },
    });
    expect(plugin.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    const versionDir = path.join(host.pluginsDir, "paperclip-plugin-hello-world", "0.1.0");
    expect(plugin.packageDir).toBe(path.join(versionDir, "node_modules", "paperclip-plugin-hello-world"));
    expect(fs.existsSync(plugin.tarballPath)).toBe(true);
    expect(path.dirname(plugin.tarballPath)).toBe(versionDir);

    const tool = await host.runtime.callPlugin<{ content: string }>(
      plugin.id,
      "executeTool",
      { toolName: "calculator", parameters: { a: 2, b: 3 }, runContext: {} },
      null,
    );
    expect(tool).toMatchObject({ content: "Result: 5" });

    const purged = await host.request("DELETE", `/api/plugins/${plugin.id}?purge=true`);
    expect(purged.status).toBe(200);
    expect(fs.existsSync(path.join(host.pluginsDir, "paperclip-plugin-hello-world"))).toBe(false);
    expect((await host.request("GET", `/api/plugins/${plugin.id}`)).status).toBe(404);
  });

  it("removes the fresh version folder again when the package fails validation", async () => {
    const broken = temp.make("broken");
    fs.cpSync(HELLO_WORLD_DIR, broken, {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
    const packageJson = JSON.parse(fs.readFileSync(path.join(broken, "package.json"), "utf8"));
    packageJson.name = "paperclip-plugin-broken-worker";
    packageJson.version = "9.9.9";
    fs.writeFileSync(path.join(broken, "package.json"), JSON.stringify(packageJson));
    fs.rmSync(path.join(broken, "dist", "worker.js"));
    const brokenTarball = await npmPack(broken, temp.make("broken-tarball"));
    const response = await host.request("POST", "/api/plugins/install", { packageName: brokenTarball });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/entrypoints\.worker/);
    expect(fs.existsSync(path.join(host.pluginsDir, "paperclip-plugin-broken-worker"))).toBe(false);
  });
});
