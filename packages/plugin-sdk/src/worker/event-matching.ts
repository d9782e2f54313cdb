/**
 * Which local handlers an incoming event reaches. The host filters before dispatch too; the worker
 * checks again because one worker-side `events.subscribe` may cover several local handlers.
 */
import type { EventFilter, PluginEvent } from "../types/index.js";

/** Exact type, or a pattern ending in `.*` that matches every type starting with its prefix (dot included). */
export function matchesEventPattern(pattern: string, eventType: string): boolean {
  if (pattern === eventType) return true;
  return pattern.endsWith(".*") && eventType.startsWith(pattern.slice(0, -1));
}

function payloadField(payload: unknown, key: string): string {
  const value =
    typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)[key] : undefined;
  return String(value ?? "");
}

/**
 * AND of the filter's known keys; unknown keys are ignored. A project or agent is the event's own
 * entity when the entity has that type, else the id the payload names.
 */
export function eventPassesFilter(filter: EventFilter, event: PluginEvent): boolean {
  if (filter.companyId !== undefined) {
    const companyId = event.companyId ?? payloadField(event.payload, "companyId");
    if (companyId !== filter.companyId) return false;
  }
  if (filter.projectId !== undefined) {
    const projectId =
      event.entityType === "project" ? event.entityId : payloadField(event.payload, "projectId");
    if (projectId !== filter.projectId) return false;
  }
  if (filter.agentId !== undefined) {
    const agentId = event.entityType === "agent" ? event.entityId : payloadField(event.payload, "agentId");
    if (agentId !== filter.agentId) return false;
  }
  return true;
}
