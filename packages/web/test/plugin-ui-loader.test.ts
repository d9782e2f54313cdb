/**
 * The plugin UI bundle loader's pure parts, in Node: specifier rewriting (shared → shims, relative → absolute
 * or rewritten chunks, `import.meta.url`), the shim modules (evaluated for real from data: URLs against a
 * bridge global holding the real React), the module graph with chunks and cycles, per-version caching, export
 * resolution, and the SDK export list the board must provide.
 */

import * as sdkUi from "@paperclipai/plugin-sdk/ui";
import * as publishedUi from "published-plugin-sdk/ui";
import * as React from "react";
import * as ReactJsxRuntime from "react/jsx-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { resolvePluginExports } from "../src/plugin-ui/module-exports.js";
import {
  type ModuleLoaderDeps,
  PluginModuleLoader,
  pluginModulePath,
} from "../src/plugin-ui/module-loader.js";
import {
  collectSpecifiers,
  createShimSource,
  rewriteModuleSource,
  SHARED_SPECIFIERS,
} from "../src/plugin-ui/module-rewriter.js";
import { SDK_UI_EXPORT_NAMES } from "../src/plugin-ui/sdk-ui-names.js";

const MODULE_URL = "http://board.test/_plugins/p-1/ui/index.js?v=2026";
const shims = Object.fromEntries(SHARED_SPECIFIERS.map((specifier) => [specifier, `blob:shim/${specifier}`]));

const scope = globalThis as { __paperclipPluginBridge__?: unknown };
afterEach(() => {
  delete scope.__paperclipPluginBridge__;
});

function renderNothing(): null {
  return null;
}

function dataUrl(source: string): string {
  return `data:text/javascript;base64,${Buffer.from(source).toString("base64")}`;
}

describe("rewriteModuleSource", () => {
  it("replaces every shared specifier in from-clauses and bare imports, with either quote", () => {
    const source = [
      'import React, { useState } from "react";',
      "import { createPortal } from 'react-dom';",
      'import { createRoot } from "react-dom/client";',
      'import { jsx as _jsx } from "react/jsx-runtime";',
      "import { usePluginData } from '@paperclipai/plugin-sdk/ui';",
      'import { useHostContext } from "@paperclipai/plugin-sdk/ui/hooks";',
      'import "react";',
      "import 'react-dom';",
      'export { useMemo } from "react";',
      'export * from "@paperclipai/plugin-sdk/ui";',
    ].join("\n");
    const out = rewriteModuleSource(source, { moduleUrl: MODULE_URL, shims });
    expect(out).toBe(
      [
        'import React, { useState } from "blob:shim/react";',
        "import { createPortal } from 'blob:shim/react-dom';",
        'import { createRoot } from "blob:shim/react-dom/client";',
        'import { jsx as _jsx } from "blob:shim/react/jsx-runtime";',
        "import { usePluginData } from 'blob:shim/@paperclipai/plugin-sdk/ui';",
        'import { useHostContext } from "blob:shim/@paperclipai/plugin-sdk/ui/hooks";',
        'import "blob:shim/react";',
        "import 'blob:shim/react-dom';",
        'export { useMemo } from "blob:shim/react";',
        'export * from "blob:shim/@paperclipai/plugin-sdk/ui";',
      ].join("\n"),
    );
  });

  it("handles minified code without spaces", () => {
    const out = rewriteModuleSource('import{jsx as e}from"react/jsx-runtime";import"react";export{e};', {
      moduleUrl: MODULE_URL,
      shims,
    });
    expect(out).toBe('import{jsx as e}from"blob:shim/react/jsx-runtime";import"blob:shim/react";export{e};');
  });

  it("leaves other bare specifiers and look-alike names alone", () => {
    const source = [
      'import x from "react-markdown";',
      'import y from "reactive";',
      'import z from "@paperclipai/plugin-sdk";',
      "const fromage = 'react';",
      'const s = "react";',
    ].join("\n");
    expect(rewriteModuleSource(source, { moduleUrl: MODULE_URL, shims })).toBe(source);
  });

  it("makes relative static and dynamic imports absolute under the plugin's UI folder", () => {
    const source = [
      'import { a } from "./chunk-abc123.js";',
      "import '../ui/style-x.js';",
      'const lazy = () => import("./lazy-9f8e7d6c.js");',
      "const other = import( './other.js' );",
      'import b from "/_plugins/p-1/ui/b.js";',
    ].join("\n");
    expect(rewriteModuleSource(source, { moduleUrl: MODULE_URL, shims })).toBe(
      [
        'import { a } from "http://board.test/_plugins/p-1/ui/chunk-abc123.js";',
        "import 'http://board.test/_plugins/p-1/ui/style-x.js';",
        'const lazy = () => import("http://board.test/_plugins/p-1/ui/lazy-9f8e7d6c.js");',
        "const other = import( 'http://board.test/_plugins/p-1/ui/other.js' );",
        'import b from "http://board.test/_plugins/p-1/ui/b.js";',
      ].join("\n"),
    );
  });

  it("uses the loader's replacement for relative imports and keeps import.meta.url real", () => {
    const out = rewriteModuleSource(
      'import { a } from "./chunk.js";\nexport const icon = new URL("./icon.svg", import.meta.url).href;',
      { moduleUrl: MODULE_URL, shims, resolveRelative: (url) => `blob:chunk(${url})` },
    );
    expect(out).toBe(
      'import { a } from "blob:chunk(http://board.test/_plugins/p-1/ui/chunk.js)";\n' +
        `export const icon = new URL("./icon.svg", ${JSON.stringify(MODULE_URL)}).href;`,
    );
  });

  it("collects each specifier once, static and dynamic", () => {
    expect(
      collectSpecifiers(
        'import a from "react";import b from "./c.js";import("./c.js");import("./d.js");export * from "react";',
      ),
    ).toEqual(["react", "./c.js", "./d.js"]);
  });
});

describe("shim modules", () => {
  it("re-export the bridge's React as named and default exports", async () => {
    scope.__paperclipPluginBridge__ = { react: React };
    const shim = await import(dataUrl(createShimSource("react", Object.keys(React), "React")));
    expect(shim.default).toBe(React);
    expect(shim.useState).toBe(React.useState);
    expect(shim.createElement).toBe(React.createElement);
    for (const name of Object.keys(React))
      if (name !== "default") expect(shim[name]).toBe((React as never)[name]);
  });

  it("fail with a clear message when the bridge is missing", async () => {
    await expect(import(dataUrl(createShimSource("reactDom", ["createPortal"], "ReactDOM")))).rejects.toThrow(
      "Paperclip plugin ReactDOM runtime is not initialized.",
    );
  });

  it("skip names that cannot be exported", () => {
    const source = createShimSource("sdkUi", ["ok", "default", "class", "not-valid", "$fine"], "UI");
    expect(source).toContain("export const ok = M");
    expect(source).toContain("export const $fine = M");
    expect(source).not.toMatch(/export const (default|class|not-valid)\b/);
  });
});

function fakeServer(files: Record<string, string>) {
  const fetched: string[] = [];
  const created: string[] = [];
  const deps: ModuleLoaderDeps = {
    bridge: () => scope.__paperclipPluginBridge__ as never,
    fetchText: async (url) => {
      fetched.push(url);
      const path = new URL(url).pathname;
      const text = files[path];
      if (text === undefined) throw new Error(`404 ${path}`);
      return text;
    },
    createModuleUrl: (source) => {
      created.push(source);
      return dataUrl(source);
    },
    importModule: (url) => import(url),
    origin: () => "http://board.test",
  };
  return { deps, fetched, created };
}

describe("PluginModuleLoader", () => {
  const bridge = {
    react: React,
    reactJsxRuntime: ReactJsxRuntime,
    reactDom: { createPortal: () => null },
    sdkUi: { usePluginData: () => "host data", StatusBadge: renderNothing },
  };

  it("builds the module URL like the original host", () => {
    expect(pluginModulePath({ pluginId: "a b", version: "2026-01-01T00:00:00.000Z" })).toBe(
      "/_plugins/a%20b/ui/index.js?v=2026-01-01T00%3A00%3A00.000Z",
    );
    expect(pluginModulePath({ pluginId: "p", version: "" })).toBe("/_plugins/p/ui/index.js?v=0");
  });

  it("loads an entry and its chunk through shims, resolving components and custom elements", async () => {
    scope.__paperclipPluginBridge__ = bridge;
    const { deps, fetched } = fakeServer({
      "/_plugins/p-1/ui/index.js": [
        'import { createElement } from "react";',
        'import { jsx } from "react/jsx-runtime";',
        'import { usePluginData } from "@paperclipai/plugin-sdk/ui";',
        'import { label } from "./chunk-1a2b3c4d.js";',
        "export function Widget() { return jsx('div', { children: label + usePluginData() }); }",
        "export const sameReact = createElement === globalThis.__paperclipPluginBridge__.react.createElement;",
        'export const Element = "acme-widget";',
        "export default function Ignored() {}",
        "export const count = 3;",
      ].join("\n"),
      "/_plugins/p-1/ui/chunk-1a2b3c4d.js": 'import "react";\nexport const label = "from chunk: ";',
    });
    const loader = new PluginModuleLoader(deps);
    const exports = await loader.load({ pluginId: "p-1", version: "v1" });
    expect([...exports.keys()].sort()).toEqual(["Element", "Widget"]);
    expect(exports.get("Element")).toEqual({ kind: "element", tagName: "acme-widget" });
    const widget = exports.get("Widget");
    expect(widget?.kind).toBe("component");
    const element = (
      widget as unknown as { component: () => React.ReactElement<{ children: string }> }
    ).component();
    expect(element.props.children).toBe("from chunk: host data");
    expect(fetched).toEqual([
      "http://board.test/_plugins/p-1/ui/index.js?v=v1",
      "http://board.test/_plugins/p-1/ui/chunk-1a2b3c4d.js",
    ]);
  });

  it("caches per plugin and version, and forgets failures so a retry loads again", async () => {
    scope.__paperclipPluginBridge__ = bridge;
    const files: Record<string, string> = {};
    const { deps, fetched } = fakeServer(files);
    const loader = new PluginModuleLoader(deps);
    await expect(loader.load({ pluginId: "p-2", version: "1" })).rejects.toThrow("404");
    files["/_plugins/p-2/ui/index.js"] = 'export const Tag = "x-tag";';
    const first = await loader.load({ pluginId: "p-2", version: "1" });
    expect(await loader.load({ pluginId: "p-2", version: "1" })).toBe(first);
    expect(fetched.length).toBe(2);
    await loader.load({ pluginId: "p-2", version: "2" });
    expect(fetched.length).toBe(3);
    loader.evict("p-2");
    await loader.load({ pluginId: "p-2", version: "2" });
    expect(fetched.length).toBe(4);
  });

  it("falls back to the absolute URL on a static import cycle, and treats index.js?v= as index.js", async () => {
    scope.__paperclipPluginBridge__ = bridge;
    const { deps, created, fetched } = fakeServer({
      "/_plugins/p-3/ui/index.js": 'import { b } from "./b.js";\nexport const a = 1;',
      "/_plugins/p-3/ui/b.js": 'import { a } from "./index.js";\nexport const b = 2;',
    });
    const loader = new PluginModuleLoader(deps);
    // Node cannot import the http: URL of the cyclic edge; building the graph is what is checked here.
    await loader.load({ pluginId: "p-3", version: "1" }).catch(() => undefined);
    const chunk = created.find((source) => source.includes("export const b = 2"));
    expect(chunk).toContain('from "http://board.test/_plugins/p-3/ui/index.js"');
    expect(fetched).toEqual([
      "http://board.test/_plugins/p-3/ui/index.js?v=1",
      "http://board.test/_plugins/p-3/ui/b.js",
    ]);
  });

  it("loads a lazy chunk on first use, sharing the entry's module instance", async () => {
    scope.__paperclipPluginBridge__ = bridge;
    const { deps, fetched } = fakeServer({
      "/_plugins/p-5/ui/index.js": [
        "export const shared = { hits: 0 };",
        'export function Page() { return import("./lazy-0a1b2c3d.js").then((m) => m.run()); }',
      ].join("\n"),
      "/_plugins/p-5/ui/lazy-0a1b2c3d.js": [
        'import { shared } from "./index.js";',
        'import { createElement } from "react";',
        "export function run() { shared.hits++; return [shared.hits, typeof createElement]; }",
      ].join("\n"),
    });
    const loader = new PluginModuleLoader(deps);
    const exports = await loader.load({ pluginId: "p-5", version: "1" });
    expect(fetched).toHaveLength(1);
    const page = (exports.get("Page") as unknown as { component: () => Promise<[number, string]> }).component;
    expect(await page()).toEqual([1, "function"]);
    expect(await page()).toEqual([2, "function"]);
    expect(fetched).toEqual([
      "http://board.test/_plugins/p-5/ui/index.js?v=1",
      "http://board.test/_plugins/p-5/ui/lazy-0a1b2c3d.js",
    ]);
  });

  it("imports the bundle natively when the bridge is not installed", async () => {
    const imported: string[] = [];
    const loader = new PluginModuleLoader({
      ...fakeServer({}).deps,
      importModule: async (url) => {
        imported.push(url);
        return { Page: renderNothing };
      },
    });
    const exports = await loader.load({ pluginId: "p-4", version: "7" });
    expect(imported).toEqual(["http://board.test/_plugins/p-4/ui/index.js?v=7"]);
    expect(exports.get("Page")?.kind).toBe("component");
  });
});

describe("resolvePluginExports", () => {
  it("keeps functions and non-empty strings, ignores default and other values", () => {
    const fn = () => null;
    const exports = resolvePluginExports({ default: fn, A: fn, B: " x-b ", C: "", D: 1, E: {} });
    expect([...exports.entries()]).toEqual([
      ["A", { kind: "component", component: fn }],
      ["B", { kind: "element", tagName: "x-b" }],
    ]);
  });
});

describe("SDK UI export names the board provides", () => {
  it("are exactly the runtime exports of our and the published /ui", () => {
    const expected = Object.keys(publishedUi).sort();
    expect([...SDK_UI_EXPORT_NAMES].sort()).toEqual(expected);
    expect(Object.keys(sdkUi).sort()).toEqual(expected);
  });
});
