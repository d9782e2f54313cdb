/**
 * `@paperclipai/plugin-sdk/bundlers` — build settings that match what the host loads: an ESM worker for Node,
 * an ESM manifest module, and (optionally) a browser ESM UI bundle whose React and SDK UI imports stay external
 * (the board rewrites exactly those specifiers to its shared copies).
 *
 * The presets are plain objects: this module imports neither esbuild nor rollup, so a plugin picks its bundler.
 *
 * ```js
 * // esbuild.config.mjs
 * import { build } from "esbuild";
 * import { createPluginBundlerPresets } from "@paperclipai/plugin-sdk/bundlers";
 *
 * const presets = createPluginBundlerPresets({ uiEntry: "src/ui/index.tsx" });
 * await Promise.all([build(presets.esbuild.worker), build(presets.esbuild.manifest), build(presets.esbuild.ui)]);
 * ```
 */
import path from "node:path";

export interface PluginBundlerPresetInput {
  /** Folder the other paths are relative to. Without it they stay relative (to the bundler's working dir). */
  pluginRoot?: string;
  /** Default `src/manifest.ts`. */
  manifestEntry?: string;
  /** Default `src/worker.ts`. */
  workerEntry?: string;
  /** The UI entry (e.g. `src/ui/index.tsx`); no UI presets without it. */
  uiEntry?: string;
  /** Default `dist`; the UI goes to `<outdir>/ui`. */
  outdir?: string;
  /** Default true. */
  sourcemap?: boolean;
  /** Default false (applies to the worker and the UI; the manifest is never minified). */
  minify?: boolean;
}

export interface EsbuildLikeOptions {
  entryPoints: string[];
  outdir: string;
  bundle: boolean;
  format: "esm";
  platform: "node" | "browser";
  target: string;
  sourcemap?: boolean;
  minify?: boolean;
  external?: string[];
}

export interface RollupLikeConfig {
  input: string;
  output: {
    dir: string;
    format: "es";
    sourcemap?: boolean;
    entryFileNames?: string;
  };
  external?: string[];
  plugins?: unknown[];
}

export interface PluginBundlerPresets {
  esbuild: { worker: EsbuildLikeOptions; ui?: EsbuildLikeOptions; manifest: EsbuildLikeOptions };
  rollup: { worker: RollupLikeConfig; ui?: RollupLikeConfig; manifest: RollupLikeConfig };
}

/** The specifiers the board's bundle loader provides to plugin UI modules; they must stay imports. */
export const PLUGIN_UI_EXTERNALS: readonly string[] = [
  "@paperclipai/plugin-sdk/ui",
  "@paperclipai/plugin-sdk/ui/hooks",
  "react",
  "react-dom",
  "react/jsx-runtime",
];

/** A worker never renders; React stays out of its bundle if some shared module mentions it. */
const WORKER_EXTERNALS = ["react", "react-dom"];
/** The manifest module only needs the SDK's types; the host imports it on its own. */
const MANIFEST_EXTERNALS = ["@paperclipai/plugin-sdk"];

/** esbuild and rollup settings for the worker, the manifest and (with `uiEntry`) the UI. */
export function createPluginBundlerPresets(input: PluginBundlerPresetInput = {}): PluginBundlerPresets {
  const at = (relative: string) =>
    input.pluginRoot === undefined ? relative : path.resolve(input.pluginRoot, relative);
  const outdir = at(input.outdir ?? "dist");
  const uiOutdir = input.pluginRoot === undefined ? `${input.outdir ?? "dist"}/ui` : path.join(outdir, "ui");
  const workerEntry = at(input.workerEntry ?? "src/worker.ts");
  const manifestEntry = at(input.manifestEntry ?? "src/manifest.ts");
  const uiEntry = input.uiEntry === undefined ? undefined : at(input.uiEntry);
  const sourcemap = input.sourcemap ?? true;
  const minify = input.minify ?? false;

  const nodeModule = { bundle: true, format: "esm", platform: "node", target: "node24", sourcemap } as const;
  const esbuild: PluginBundlerPresets["esbuild"] = {
    worker: { ...nodeModule, entryPoints: [workerEntry], outdir, minify, external: [...WORKER_EXTERNALS] },
    manifest: { ...nodeModule, entryPoints: [manifestEntry], outdir, external: [...MANIFEST_EXTERNALS] },
  };
  const rollup: PluginBundlerPresets["rollup"] = {
    worker: {
      input: workerEntry,
      output: { dir: outdir, format: "es", sourcemap, entryFileNames: "worker.js" },
      external: [...WORKER_EXTERNALS],
    },
    manifest: {
      input: manifestEntry,
      output: { dir: outdir, format: "es", sourcemap, entryFileNames: "manifest.js" },
      external: [...MANIFEST_EXTERNALS],
    },
  };
  if (uiEntry !== undefined) {
    esbuild.ui = {
      entryPoints: [uiEntry],
      outdir: uiOutdir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      sourcemap,
      minify,
      external: [...PLUGIN_UI_EXTERNALS],
    };
    rollup.ui = {
      input: uiEntry,
      output: { dir: uiOutdir, format: "es", sourcemap, entryFileNames: "index.js" },
      external: [...PLUGIN_UI_EXTERNALS],
    };
  }
  return { esbuild, rollup };
}
