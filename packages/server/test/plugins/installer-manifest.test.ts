import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ManifestLoadError, readPluginManifest } from "../../src/plugins/installer/index.js";
import { MANIFEST_FIXTURES_DIR, PLAIN_PLUGIN_DIR, tempDirs } from "./fixtures/installer/helpers.js";

const temp = tempDirs();
afterAll(() => temp.cleanup());

const fixture = (name: string) => path.join(MANIFEST_FIXTURES_DIR, name);

async function loadFailure(packageDir: string, timeoutMs?: number): Promise<ManifestLoadError> {
  const error = await readPluginManifest(packageDir, timeoutMs === undefined ? {} : { timeoutMs }).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ManifestLoadError);
  return error as ManifestLoadError;
}

describe("readPluginManifest finds the manifest", () => {
  it("loads the module named by package.json paperclipPlugin.manifest", async () => {
    const loaded = await readPluginManifest(PLAIN_PLUGIN_DIR);
    expect(loaded.manifestPath).toBe(path.join(PLAIN_PLUGIN_DIR, "lib", "manifest.js"));
    expect(loaded.packageJson.name).toBe("paperclip-plugin-installer-fixture");
    expect(loaded.manifest).toMatchObject({
      id: "paperclip.installer-fixture",
      apiVersion: 1,
      entrypoints: { worker: "./lib/worker.js", ui: "./lib/ui" },
    });
  });

  it("prefers the declared path over manifest.js at the root", async () => {
    const loaded = await readPluginManifest(fixture("declared-path"));
    expect(loaded.manifest).toEqual({ id: "paperclip.declared-path" });
  });

  it("falls back to dist/manifest.js, then to manifest.js", async () => {
    const dir = await temp.make("dist-fallback");
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "paperclip-plugin-dist", type: "module" }),
    );
    await writeFile(path.join(dir, "manifest.js"), 'export default { id: "from-root" };');
    expect((await readPluginManifest(dir)).manifest).toEqual({ id: "from-root" });
    await mkdir(path.join(dir, "dist"));
    await writeFile(path.join(dir, "dist", "manifest.js"), 'export default { id: "from-dist" };');
    expect((await readPluginManifest(dir)).manifest).toEqual({ id: "from-dist" });
    expect((await readPluginManifest(fixture("root-fallback"))).manifest).toEqual({
      id: "paperclip.root-fallback",
    });
  });

  it("names the package and every path tried when there is no manifest", async () => {
    const error = await loadFailure(fixture("no-manifest"));
    expect(error.code).toBe("no_manifest");
    expect(error.message).toContain('Package "paperclip-plugin-no-manifest"');
    expect(error.message).toContain("does not appear to be a Paperclip plugin: no manifest at");
    expect(error.message).toContain(path.join(fixture("no-manifest"), "dist", "manifest.js"));
    expect(error.message).toContain(path.join(fixture("no-manifest"), "manifest.js"));
    expect(error.triedPaths).toHaveLength(2);
  });

  it("lists the declared path first when it is missing", async () => {
    const dir = await temp.make("declared-missing");
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "p", paperclipPlugin: { manifest: "./out/manifest.js" } }),
    );
    const error = await loadFailure(dir);
    expect(error.triedPaths[0]).toBe(path.join(dir, "out", "manifest.js"));
    expect(error.triedPaths).toHaveLength(3);
  });

  it("refuses a declared manifest path outside the package", async () => {
    const dir = await temp.make("escape");
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "p", paperclipPlugin: { manifest: "../../etc/manifest.js" } }),
    );
    const error = await loadFailure(dir);
    expect(error.code).toBe("manifest_outside_package");
    expect(error.message).toMatch(
      /paperclipPlugin\.manifest "\.\.\/\.\.\/etc\/manifest\.js" .* points outside/,
    );
  });

  it("reports a folder without package.json, and a package.json that is not JSON", async () => {
    expect((await loadFailure(path.join(PLAIN_PLUGIN_DIR, "lib"))).code).toBe("no_package_json");
    const dir = await temp.make("bad-json");
    await writeFile(path.join(dir, "package.json"), "{ name: oops");
    const error = await loadFailure(dir);
    expect(error.code).toBe("invalid_package_json");
    expect(error.message).toContain(path.join(dir, "package.json"));
  });
});

describe("readPluginManifest evaluates the module outside the host", () => {
  const savedSecret = process.env.PAPERCLIP_INSTALLER_TEST_SECRET;
  afterEach(() => {
    if (savedSecret === undefined) delete process.env.PAPERCLIP_INSTALLER_TEST_SECRET;
    else process.env.PAPERCLIP_INSTALLER_TEST_SECRET = savedSecret;
  });

  it("runs it in a child process with a clean environment", async () => {
    process.env.PAPERCLIP_INSTALLER_TEST_SECRET = "must-not-leak";
    const { manifest } = await readPluginManifest(fixture("env-peek"));
    const envKeys = (manifest as { envKeys: string[] }).envKeys;
    expect(envKeys).not.toContain("PAPERCLIP_INSTALLER_TEST_SECRET");
    expect(envKeys.every((key) => ["PATH", "NODE_ENV", "TZ"].includes(key))).toBe(true);
    // Nothing the module did ran here: the host's globals are untouched.
    expect((globalThis as Record<string, unknown>).paperclipManifestLoaded).toBeUndefined();
  });

  it("reports the error a throwing module raises", async () => {
    const error = await loadFailure(fixture("throwing"));
    expect(error.code).toBe("threw");
    expect(error.message).toContain(
      "threw while loading: manifest exploded: config file ./settings.json is missing",
    );
    expect(error.message).toContain(path.join(fixture("throwing"), "manifest.js"));
  });

  it("kills a module that never finishes loading at the timeout", async () => {
    const error = await loadFailure(fixture("hanging"), 400);
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/timed out after 400 ms/);
  });

  it("rejects values JSON cannot carry, naming the path", async () => {
    const fn = await loadFailure(fixture("non-serialisable"));
    expect(fn.code).toBe("not_serialisable");
    expect(fn.message).toContain("manifest.tools[0].handler is a function");

    const circular = await loadFailure(fixture("circular"));
    expect(circular.code).toBe("not_serialisable");
    expect(circular.message).toContain("manifest.self is a circular reference");
  });

  it("ignores what the module prints, even a forged result line", async () => {
    const { manifest } = await readPluginManifest(fixture("noisy"));
    expect(manifest).toEqual({ id: "paperclip.noisy", apiVersion: 1 });
  });

  it("takes the module namespace when there is no default export", async () => {
    const { manifest } = await readPluginManifest(fixture("no-default"));
    expect(manifest).toEqual({ id: "paperclip.no-default", apiVersion: 1 });
  });

  it("reports a module that exits the process while loading", async () => {
    const dir = await temp.make("exits");
    await cp(fixture("root-fallback"), dir, { recursive: true });
    await writeFile(
      path.join(dir, "manifest.js"),
      'console.error("bye from the manifest"); process.exit(3);',
    );
    const error = await loadFailure(dir);
    expect(error.code).toBe("probe_failed");
    expect(error.message).toMatch(/exited with code 3 without a result/);
    expect(error.message).toContain("bye from the manifest");
  });

  it("reports a syntax error in the module", async () => {
    const dir = await temp.make("syntax");
    await cp(fixture("root-fallback"), dir, { recursive: true });
    await writeFile(path.join(dir, "manifest.js"), "export default { id: ");
    const error = await loadFailure(dir);
    expect(error.code).toBe("threw");
    expect(error.message).toMatch(/SyntaxError/);
  });
});
