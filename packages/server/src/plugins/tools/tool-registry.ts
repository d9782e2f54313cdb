// Agent tools (reference §14.3): built from the manifests of `ready` plugins, never from what a worker
// registers at runtime, and named `<pluginKey>:<toolName>` (the plugin key may itself contain `:`-free dots,
// the tool name is what follows the last `:`). Because the registry is derived from the catalog's list of ready
// plugins, registrations follow the lifecycle: enable adds a plugin's tools, disable/uninstall/error drops them.
import type { PluginToolDeclaration } from "@paperclipai/plugin-sdk/types";
import type { PluginCatalog } from "../bridge/plugin-catalog.js";
import type { PluginRecord } from "../registry/index.js";

export const TOOL_NAME_SEPARATOR = ":";

export interface RegisteredTool {
  /** `<pluginKey>:<toolName>` */
  name: string;
  pluginId: string;
  pluginKey: string;
  toolName: string;
  declaration: PluginToolDeclaration;
  /** The plugin record it came from (its version and updatedAt key derived caches). */
  plugin: PluginRecord;
}

/** What `GET /api/plugins/tools` lists. */
export interface AgentToolDescriptor {
  name: string;
  displayName: string;
  description: string;
  parametersSchema: Record<string, unknown>;
  pluginId: string;
}

export function namespacedToolName(pluginKey: string, toolName: string): string {
  return `${pluginKey}${TOOL_NAME_SEPARATOR}${toolName}`;
}

/** Split `<pluginKey>:<toolName>` at the last `:`; null when either side is empty. */
export function parseToolName(name: string): { pluginKey: string; toolName: string } | null {
  const at = name.lastIndexOf(TOOL_NAME_SEPARATOR);
  if (at <= 0 || at === name.length - 1) return null;
  return { pluginKey: name.slice(0, at), toolName: name.slice(at + 1) };
}

export function describeTool(tool: RegisteredTool): AgentToolDescriptor {
  return {
    name: tool.name,
    displayName: tool.declaration.displayName,
    description: tool.declaration.description,
    parametersSchema: tool.declaration.parametersSchema,
    pluginId: tool.pluginId,
  };
}

export class PluginToolRegistry {
  private builtFrom: PluginRecord[] | null = null;
  private byName = new Map<string, RegisteredTool>();

  constructor(private readonly catalog: PluginCatalog) {}

  /** Every tool of every ready plugin, optionally of one plugin (uuid or key), in install order. */
  async list(pluginIdOrKey?: string): Promise<RegisteredTool[]> {
    const tools = [...(await this.current()).values()];
    if (pluginIdOrKey === undefined) return tools;
    return tools.filter((tool) => tool.pluginId === pluginIdOrKey || tool.pluginKey === pluginIdOrKey);
  }

  async find(name: string): Promise<RegisteredTool | null> {
    return (await this.current()).get(name) ?? null;
  }

  private async current(): Promise<Map<string, RegisteredTool>> {
    const ready = await this.catalog.readyPlugins();
    // The catalog hands out the same array until it reloads: rebuild only then.
    if (ready !== this.builtFrom) {
      this.byName = buildToolMap(ready);
      this.builtFrom = ready;
    }
    return this.byName;
  }
}

function buildToolMap(plugins: readonly PluginRecord[]): Map<string, RegisteredTool> {
  const byName = new Map<string, RegisteredTool>();
  for (const plugin of plugins) {
    // Install-time validation demands the capability for manifest tools; checked again so a hand-edited row
    // cannot expose tools without it.
    if (!plugin.manifestJson.capabilities?.includes("agent.tools.register")) continue;
    for (const declaration of plugin.manifestJson.tools ?? []) {
      const name = namespacedToolName(plugin.pluginKey, declaration.name);
      byName.set(name, {
        name,
        pluginId: plugin.id,
        pluginKey: plugin.pluginKey,
        toolName: declaration.name,
        declaration,
        plugin,
      });
    }
  }
  return byName;
}
