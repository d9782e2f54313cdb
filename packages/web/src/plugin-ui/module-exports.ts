// What a loaded plugin module offers the board (reference §10.2): every named export that is a function is a
// React component, every string a custom-element tag name; `default` and anything else are ignored.

export type PluginExport =
  | { kind: "component"; component: (props: never) => unknown }
  | { kind: "element"; tagName: string };

export type PluginModuleExports = ReadonlyMap<string, PluginExport>;

export function resolvePluginExports(module: Record<string, unknown>): PluginModuleExports {
  const exports = new Map<string, PluginExport>();
  for (const [name, value] of Object.entries(module)) {
    if (name === "default") continue;
    if (typeof value === "function") {
      exports.set(name, { kind: "component", component: value as (props: never) => unknown });
    } else if (typeof value === "string" && value.trim() !== "") {
      exports.set(name, { kind: "element", tagName: value.trim() });
    }
  }
  return exports;
}
