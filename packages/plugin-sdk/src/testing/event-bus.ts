import { randomUUID } from "node:crypto";
import { PLUGIN_EVENT_TYPES } from "../constants.js";
import type { EventFilter, PluginEvent } from "../types/index.js";
// The worker runtime's own matching rules, so harness delivery can never drift from a real worker's.
import { eventPassesFilter, matchesEventPattern } from "../worker/event-matching.js";
import type { TestHarnessLogEntry } from "./harness-types.js";
import { describeValue, optionalPlainObject, requireFunction, requireNonEmptyString } from "./validate.js";

type EventHandler = (event: PluginEvent) => Promise<void>;

interface Subscription {
  pattern: string;
  filter: EventFilter | null;
  handler: EventHandler;
}

/** Company used when neither the test nor the payload names one (the published harness default). */
export const DEFAULT_TEST_COMPANY_ID = "test-company";

const CORE_EVENT_TYPES = new Set<string>(PLUGIN_EVENT_TYPES);

/** Subscriptions registered through `ctx.events.on`, and delivery of harness-emitted events to them. */
export class InMemoryEventBus {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly logs: TestHarnessLogEntry[]) {}

  subscribe(pattern: unknown, filter: unknown, handler: unknown): () => void {
    const subscription: Subscription = {
      pattern: requireNonEmptyString(pattern, "ctx.events.on: event name"),
      filter: (optionalPlainObject(filter, "ctx.events.on: filter") as EventFilter | undefined) ?? null,
      handler: requireFunction<EventHandler>(handler, "ctx.events.on: handler"),
    };
    this.subscriptions.push(subscription);
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index >= 0) this.subscriptions.splice(index, 1);
    };
  }

  /**
   * Runs every matching handler in registration order, like the worker does. A throwing
   * handler does not stop the others (host behaviour) and is logged; the first failure is
   * then re-thrown so the test that emitted the event sees it.
   */
  async deliver(event: PluginEvent): Promise<void> {
    const matching = this.subscriptions.filter(
      (subscription) =>
        matchesEventPattern(subscription.pattern, event.eventType) &&
        (subscription.filter === null || eventPassesFilter(subscription.filter, event)),
    );
    const failures: unknown[] = [];
    for (const subscription of matching) {
      try {
        await subscription.handler(event);
      } catch (error) {
        failures.push(error);
        this.logs.push({
          level: "error",
          message: `Event handler for "${subscription.pattern}" failed on ${event.eventType}: ${errorMessage(error)}`,
          meta: { eventId: event.eventId, eventType: event.eventType },
        });
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} event handlers failed on ${event.eventType}`);
    }
  }
}

/** Builds the envelope the host would deliver for a test-emitted event. */
export function buildTestEvent(eventType: unknown, payload: unknown, base: unknown): PluginEvent {
  const type = requireNonEmptyString(eventType, "harness.emit: eventType");
  if (!CORE_EVENT_TYPES.has(type) && !type.startsWith("plugin.")) {
    throw new TypeError(
      `harness.emit: eventType ${JSON.stringify(type)} is neither a core event type (PLUGIN_EVENT_TYPES) nor a plugin event ("plugin.<pluginId>.<name>")`,
    );
  }
  const overrides = (optionalPlainObject(base, "harness.emit: base") ?? {}) as Partial<PluginEvent>;
  // A payload that names its company is delivered as that company's event unless the test says otherwise.
  const payloadCompany =
    typeof payload === "object" && payload !== null
      ? (payload as Record<string, unknown>).companyId
      : undefined;
  const companyId =
    overrides.companyId ?? (typeof payloadCompany === "string" ? payloadCompany : DEFAULT_TEST_COMPANY_ID);
  if (typeof companyId !== "string" || companyId.length === 0) {
    throw new TypeError(
      `harness.emit: base.companyId must be a non-empty string (got ${describeValue(companyId)})`,
    );
  }
  return {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    ...overrides,
    eventType: type as PluginEvent["eventType"],
    companyId,
    payload,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The event the host publishes for `ctx.events.emit(name, companyId, payload)`, with the
 * host's rules: a bare, non-empty name (the host adds the `plugin.<id>.` namespace) and a
 * non-empty company.
 */
export function buildPluginEmittedEvent(
  pluginId: string,
  name: unknown,
  companyId: unknown,
  payload: unknown,
): PluginEvent {
  const eventName = requireNonEmptyString(name, "ctx.events.emit: name");
  if (eventName.startsWith("plugin.")) {
    throw new TypeError(
      `ctx.events.emit: name must be the bare event name; the host adds "plugin.${pluginId}." itself (got ${JSON.stringify(eventName)})`,
    );
  }
  return {
    eventId: randomUUID(),
    eventType: `plugin.${pluginId}.${eventName}`,
    occurredAt: new Date().toISOString(),
    actorType: "plugin",
    actorId: pluginId,
    companyId: requireNonEmptyString(companyId, "ctx.events.emit: companyId"),
    payload,
  };
}
