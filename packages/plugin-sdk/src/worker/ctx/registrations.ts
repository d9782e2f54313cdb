// ctx.jobs | ctx.launchers | ctx.data | ctx.actions | ctx.tools → no wire method: local registrations only
/*
 * These fill the registry; the host→worker dispatcher (runJob, getData, performAction,
 * executeTool) reads it. Launcher registrations are kept but nothing on the wire reads them.
 */
import type { PluginContext } from "../../types/index.js";
import type { HandlerRegistry } from "../registry.js";

type Registrations = Pick<PluginContext, "jobs" | "launchers" | "data" | "actions" | "tools">;

export function buildRegistrations(registry: HandlerRegistry): Registrations {
  return {
    jobs: {
      register: (key, fn) => void registry.jobs.set(key, fn),
    },
    launchers: {
      register: (launcher) => void registry.launchers.set(launcher.id, launcher),
    },
    data: {
      register: (key, handler) => void registry.data.set(key, handler),
    },
    actions: {
      register: (key, handler) => void registry.actions.set(key, handler),
    },
    tools: {
      register: (name, declaration, fn) => void registry.tools.set(name, { declaration, fn }),
    },
  };
}
