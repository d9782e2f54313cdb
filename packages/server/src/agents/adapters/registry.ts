// Adapter type → adapter. The built-ins are registered by default; `createAgentRuntime({ adapters })` adds more.
import { echoAdapter } from "./echo.js";
import { httpAdapter } from "./http.js";
import { processAdapter } from "./process.js";
import type { AgentAdapter } from "./types.js";

export class AdapterRegistry {
  private readonly adapters = new Map<string, AgentAdapter>();

  constructor(adapters: AgentAdapter[] = []) {
    for (const adapter of [processAdapter, httpAdapter, echoAdapter, ...adapters]) this.register(adapter);
  }

  register(adapter: AgentAdapter): void {
    this.adapters.set(adapter.type, adapter);
  }

  get(type: string): AgentAdapter | undefined {
    return this.adapters.get(type);
  }

  types(): string[] {
    return [...this.adapters.keys()].sort();
  }
}
