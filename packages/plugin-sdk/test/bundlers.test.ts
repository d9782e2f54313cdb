import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginBundlerPresets, PLUGIN_UI_EXTERNALS } from "../src/bundlers/index.js";
import { createPluginBundlerPresets as fromRoot } from "../src/index.js";

const UI_EXTERNALS = [
  "@paperclipai/plugin-sdk/ui",
  "@paperclipai/plugin-sdk/ui/hooks",
  "react",
  "react-dom",
  "react/jsx-runtime",
];

describe("createPluginBundlerPresets", () => {
  it("defaults to an ESM node worker and manifest in dist/, and no UI", () => {
    const presets = createPluginBundlerPresets();
    expect(presets.esbuild.worker).toEqual({
      entryPoints: ["src/worker.ts"],
      outdir: "dist",
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node24",
      sourcemap: true,
      minify: false,
      external: ["react", "react-dom"],
    });
    expect(presets.esbuild.manifest).toEqual({
      entryPoints: ["src/manifest.ts"],
      outdir: "dist",
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node24",
      sourcemap: true,
      external: ["@paperclipai/plugin-sdk"],
    });
    expect(presets.rollup.worker).toEqual({
      input: "src/worker.ts",
      output: { dir: "dist", format: "es", sourcemap: true, entryFileNames: "worker.js" },
      external: ["react", "react-dom"],
    });
    expect(presets.rollup.manifest).toEqual({
      input: "src/manifest.ts",
      output: { dir: "dist", format: "es", sourcemap: true, entryFileNames: "manifest.js" },
      external: ["@paperclipai/plugin-sdk"],
    });
    expect(presets.esbuild).not.toHaveProperty("ui");
    expect(presets.rollup).not.toHaveProperty("ui");
  });

  it("adds a browser UI bundle in <outdir>/ui that keeps React and the SDK UI external", () => {
    const presets = createPluginBundlerPresets({
      uiEntry: "src/ui/index.tsx",
      outdir: "build",
      sourcemap: false,
      minify: true,
    });
    expect(presets.esbuild.ui).toEqual({
      entryPoints: ["src/ui/index.tsx"],
      outdir: "build/ui",
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      sourcemap: false,
      minify: true,
      external: UI_EXTERNALS,
    });
    expect(presets.rollup.ui).toEqual({
      input: "src/ui/index.tsx",
      output: { dir: "build/ui", format: "es", sourcemap: false, entryFileNames: "index.js" },
      external: UI_EXTERNALS,
    });
    expect(presets.esbuild.worker).toMatchObject({ outdir: "build", minify: true, sourcemap: false });
    // The manifest is read by the host as data: never minified.
    expect(presets.esbuild.manifest).not.toHaveProperty("minify");
    expect([...PLUGIN_UI_EXTERNALS]).toEqual(UI_EXTERNALS);
  });

  it("resolves every path against pluginRoot when one is given", () => {
    const root = path.resolve("/plugins/acme");
    const presets = createPluginBundlerPresets({ pluginRoot: root, uiEntry: "src/ui/index.tsx" });
    expect(presets.esbuild.worker.entryPoints).toEqual([path.join(root, "src/worker.ts")]);
    expect(presets.esbuild.worker.outdir).toBe(path.join(root, "dist"));
    expect(presets.esbuild.ui?.outdir).toBe(path.join(root, "dist", "ui"));
    expect(presets.rollup.manifest.input).toBe(path.join(root, "src/manifest.ts"));
  });

  it("returns fresh objects, so a caller may edit one preset without touching another", () => {
    const presets = createPluginBundlerPresets({ uiEntry: "src/ui/index.tsx" });
    presets.esbuild.ui?.external?.push("lodash");
    presets.esbuild.worker.external?.push("pg");
    expect(presets.rollup.ui?.external).toEqual(UI_EXTERNALS);
    expect(createPluginBundlerPresets().esbuild.worker.external).toEqual(["react", "react-dom"]);
  });

  it("is exported from the SDK root too", () => {
    expect(fromRoot).toBe(createPluginBundlerPresets);
  });
});
