// Which outbox events a plugin receives: the host-side half of reference §5.3. A subscription is an event type
// or a prefix ending in ".*"; its optional filter is an AND of companyId (the event's own company, never a
// payload field: the original's cross-tenant leak), projectId and agentId (the event's entity when it has that
// type, else the payload's field). Unknown filter keys are ignored. An event matching several subscriptions of
// one plugin is delivered once (the worker runs every local handler that matches).

/** What the dispatcher needs of a recorded subscription. */
export interface SubscriptionRule {
  eventPattern: string;
  filter: Record<string, unknown> | null;
}

/** The envelope fields the filter reads. */
export interface FilterableEvent {
  eventType: string;
  companyId: string;
  entityType?: string;
  entityId?: string;
  payload: unknown;
}

/**
 * Exact type, or a pattern ending in ".*" matching every type that starts with its prefix (dot included).
 * The worker applies the same rule (the SDK's worker/event-matching.ts), but no public entry point of the SDK
 * exports it, nor does the published SDK (its worker inlines the rule), so the host keeps this one; the
 * SQL prefixes below must agree with it.
 */
export function matchesEventPattern(pattern: string, eventType: string): boolean {
  if (pattern === eventType) return true;
  return pattern.endsWith(".*") && eventType.startsWith(pattern.slice(0, -1));
}

function payloadText(payload: unknown, key: string): string {
  if (typeof payload !== "object" || payload === null) return "";
  const value = (payload as Record<string, unknown>)[key];
  return value === undefined || value === null ? "" : String(value);
}

function constrains(filter: Record<string, unknown>, key: string): boolean {
  // As the SDKs do: any defined value constrains (a null never equals an id, so it matches nothing).
  return Object.hasOwn(filter, key) && filter[key] !== undefined;
}

export function passesFilter(filter: Record<string, unknown> | null, event: FilterableEvent): boolean {
  if (!filter) return true;
  if (constrains(filter, "companyId") && event.companyId !== filter.companyId) return false;
  if (constrains(filter, "projectId")) {
    const projectId =
      event.entityType === "project" ? (event.entityId ?? "") : payloadText(event.payload, "projectId");
    if (projectId !== filter.projectId) return false;
  }
  if (constrains(filter, "agentId")) {
    const agentId =
      event.entityType === "agent" ? (event.entityId ?? "") : payloadText(event.payload, "agentId");
    if (agentId !== filter.agentId) return false;
  }
  return true;
}

/** The event-type part of a plugin's subscriptions as SQL arguments: exact types and LIKE prefixes. */
export interface TypeSelection {
  exact: string[];
  prefixes: string[];
}

/** LIKE pattern for a ".*" subscription: the prefix (with _ % \ escaped) followed by %. */
function likePrefix(pattern: string): string {
  return `${pattern.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class SubscriptionMatcher {
  readonly types: TypeSelection;

  constructor(readonly rules: readonly SubscriptionRule[]) {
    const exact = new Set<string>();
    const prefixes = new Set<string>();
    for (const rule of rules) {
      if (rule.eventPattern.endsWith(".*")) prefixes.add(likePrefix(rule.eventPattern));
      else exact.add(rule.eventPattern);
    }
    this.types = { exact: [...exact], prefixes: [...prefixes] };
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  matches(event: FilterableEvent): boolean {
    for (const rule of this.rules) {
      if (matchesEventPattern(rule.eventPattern, event.eventType) && passesFilter(rule.filter, event))
        return true;
    }
    return false;
  }
}
