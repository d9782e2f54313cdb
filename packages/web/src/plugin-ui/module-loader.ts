// Loading of plugin UI bundles (reference §10.2). With the bridge installed, the entry module and every chunk
// it reaches through static relative imports are fetched, rewritten (shared specifiers → blob-URL shims
// re-exporting the board's React and SDK; relative specifiers → the rewritten chunk, or the absolute
// `/_plugins/<id>/ui/...` URL where a static import cycle makes that impossible) and imported from blob URLs.
// Relative dynamic imports (`import("./lazy-1234abcd.js")`) become a call of the chunk loader global, which
// rewrites the chunk on first use within the same bundle graph: a lazy chunk importing back from the entry
// gets the entry's own module instance. Results are cached per (pluginId, version); a failed load is
// forgotten so Retry fetches again.
import { type PluginModuleExports, resolvePluginExports } from "./module-exports.js";
import {
  collectStaticSpecifiers,
  createShimSource,
  isRelativeSpecifier,
  rewriteModuleSource,
  SHARED_SPECIFIERS,
  type SharedSpecifier,
} from "./module-rewriter.js";

/** The slice of the bridge global the shims need. */
export interface BridgeModules {
  react: object;
  reactJsxRuntime: object;
  reactDom: object;
  sdkUi: object;
}

export interface ModuleLoaderDeps {
  /** The bridge global, or undefined when not installed (then bundles are imported natively). */
  bridge(): BridgeModules | undefined;
  fetchText(url: string): Promise<string>;
  /** A URL that serves `source` as a JavaScript module (a blob URL in the browser). */
  createModuleUrl(source: string): string;
  importModule(url: string): Promise<Record<string, unknown>>;
  /** Base of absolute URLs (the page's origin). */
  origin(): string;
}

export interface PluginBundleRef {
  pluginId: string;
  /** `updatedAt` of the contribution (else the version), so a reinstall loads fresh code. */
  version: string;
  /** Entry file inside the plugin's UI folder; `index.js`. */
  entryFile?: string;
}

/** `/_plugins/<id>/ui/<file>?v=<version>`, as the original host builds it. */
export function pluginModulePath(ref: PluginBundleRef): string {
  const entry = ref.entryFile ?? "index.js";
  return `/_plugins/${encodeURIComponent(ref.pluginId)}/ui/${entry}?v=${encodeURIComponent(ref.version || "0")}`;
}

/** Global function that rewritten `import("./chunk.js")` expressions call. */
export const CHUNK_LOADER_GLOBAL = "__paperclipPluginChunk__";

interface BundleGraph {
  shims: Record<SharedSpecifier, string>;
  /** Module URL (without query) → blob URL of its rewritten text. */
  modules: Map<string, Promise<string>>;
}

/** A module's identity: its URL without query and fragment (`index.js?v=1` and `./index.js` are one module). */
function identity(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export class PluginModuleLoader {
  private readonly bundles = new Map<string, Promise<PluginModuleExports>>();
  private readonly graphs = new Map<string, BundleGraph>();
  private shims: Record<SharedSpecifier, string> | null = null;
  private shimBridge: BridgeModules | null = null;

  constructor(private readonly deps: ModuleLoaderDeps) {}

  /** The exports of the plugin's UI bundle, loaded once per (pluginId, version). */
  load(ref: PluginBundleRef): Promise<PluginModuleExports> {
    const key = `${ref.pluginId}\u0000${ref.version}`;
    let pending = this.bundles.get(key);
    if (!pending) {
      pending = this.loadFresh(ref);
      this.bundles.set(key, pending);
      pending.catch(() => {
        if (this.bundles.get(key) === pending) this.bundles.delete(key);
      });
    }
    return pending;
  }

  /** Forget cached bundles of a plugin (all versions), e.g. after `plugin.ui.updated`. */
  evict(pluginId?: string): void {
    for (const key of [...this.bundles.keys()]) {
      if (pluginId === undefined || key.startsWith(`${pluginId}\u0000`)) {
        this.bundles.delete(key);
        this.graphs.delete(key);
      }
    }
  }

  /** What a rewritten dynamic import calls: the chunk at `url`, rewritten within bundle `bundleKey`'s graph. */
  async importChunk(url: string, bundleKey: string): Promise<Record<string, unknown>> {
    const graph = this.graphs.get(bundleKey);
    if (!graph) return this.deps.importModule(url);
    return this.deps.importModule(await this.loadGraph(url, graph, bundleKey, []));
  }

  private async loadFresh(ref: PluginBundleRef): Promise<PluginModuleExports> {
    const url = new URL(pluginModulePath(ref), this.deps.origin()).href;
    const bridge = this.deps.bridge();
    if (!bridge) return resolvePluginExports(await this.deps.importModule(url));
    const bundleKey = `${ref.pluginId}\u0000${ref.version}`;
    const graph: BundleGraph = { shims: this.shimsFor(bridge), modules: new Map() };
    this.graphs.set(bundleKey, graph);
    (globalThis as Record<string, unknown>)[CHUNK_LOADER_GLOBAL] = (chunkUrl: string, key: string) =>
      this.importChunk(chunkUrl, key);
    try {
      const entryUrl = await this.loadGraph(url, graph, bundleKey, []);
      return resolvePluginExports(await this.deps.importModule(entryUrl));
    } catch (error) {
      if (this.graphs.get(bundleKey) === graph) this.graphs.delete(bundleKey);
      throw error;
    }
  }

  /** Blob URL of the rewritten module at `url`, its relative imports loaded first (depth-first). */
  private loadGraph(
    url: string,
    graph: BundleGraph,
    bundleKey: string,
    stack: readonly string[],
  ): Promise<string> {
    const id = identity(url);
    const known = graph.modules.get(id);
    if (known) return known;
    const pending = (async () => {
      const source = await this.deps.fetchText(url);
      const children = new Map<string, string>();
      const path = [...stack, id];
      for (const specifier of collectStaticSpecifiers(source)) {
        if (!isRelativeSpecifier(specifier)) continue;
        const absolute = new URL(specifier, url).href;
        if (!isScript(absolute) || children.has(absolute)) continue;
        // A static cycle: leave the real URL (the browser loads that module itself, unshimmed).
        children.set(
          absolute,
          path.includes(identity(absolute))
            ? absolute
            : await this.loadGraph(absolute, graph, bundleKey, path),
        );
      }
      const rewritten = rewriteModuleSource(source, {
        moduleUrl: url,
        shims: graph.shims,
        resolveRelative: (absolute) => children.get(absolute) ?? absolute,
        dynamicImport: (absolute) =>
          isScript(absolute)
            ? `globalThis.${CHUNK_LOADER_GLOBAL}(${JSON.stringify(absolute)}, ${JSON.stringify(bundleKey)})`
            : null,
      });
      return this.deps.createModuleUrl(rewritten);
    })();
    graph.modules.set(id, pending);
    pending.catch(() => {
      if (graph.modules.get(id) === pending) graph.modules.delete(id);
    });
    return pending;
  }

  private shimsFor(bridge: BridgeModules): Record<SharedSpecifier, string> {
    if (this.shims && this.shimBridge === bridge) return this.shims;
    const sources: Record<SharedSpecifier, string> = {
      react: createShimSource("react", Object.keys(bridge.react), "React"),
      "react-dom": createShimSource("reactDom", Object.keys(bridge.reactDom), "ReactDOM"),
      "react-dom/client": createShimSource("reactDom", Object.keys(bridge.reactDom), "ReactDOM"),
      "react/jsx-runtime": createShimSource("reactJsxRuntime", Object.keys(bridge.reactJsxRuntime), "JSX"),
      "react/jsx-dev-runtime": `${createShimSource("reactJsxRuntime", ["Fragment"], "JSX")}export const jsxDEV = (type, props, key) => M.jsx(type, props, key);\n`,
      "@paperclipai/plugin-sdk/ui": createShimSource("sdkUi", Object.keys(bridge.sdkUi), "UI"),
      "@paperclipai/plugin-sdk/ui/hooks": createShimSource("sdkUi", Object.keys(bridge.sdkUi), "UI"),
      "@paperclipai/plugin-sdk/ui/types": createShimSource("sdkUi", [], "UI"),
    };
    const shims = {} as Record<SharedSpecifier, string>;
    for (const specifier of SHARED_SPECIFIERS)
      shims[specifier] = this.deps.createModuleUrl(sources[specifier]);
    this.shims = shims;
    this.shimBridge = bridge;
    return shims;
  }
}

/** Relative imports worth rewriting: scripts (not CSS, images, JSON, wasm). */
function isScript(url: string): boolean {
  const path = new URL(url).pathname;
  return /\.(m?js)$/i.test(path) || !/\.[A-Za-z0-9]+$/.test(path);
}
