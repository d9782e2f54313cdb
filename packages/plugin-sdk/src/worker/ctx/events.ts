// ctx.events → events.subscribe (from on(), after registering the handler locally) | events.emit
import type { EventFilter, PluginEvent, PluginEventsClient } from "../../types/index.js";
import { errorMessage } from "../errors.js";
import type { HostLink } from "../host-link.js";
import type { EventRegistration, HandlerRegistry } from "../registry.js";

type EventHandler = (event: PluginEvent) => Promise<void>;

export function buildEventsClient(host: HostLink, registry: HandlerRegistry): PluginEventsClient {
  function on(name: string, fn: EventHandler): () => void;
  function on(name: string, filter: EventFilter, fn: EventHandler): () => void;
  function on(name: string, filterOrFn: EventFilter | EventHandler, maybeFn?: EventHandler): () => void {
    let registration: EventRegistration;
    if (typeof filterOrFn === "function") {
      registration = { name, fn: filterOrFn };
    } else {
      if (!maybeFn) throw new Error("Event handler function is required");
      registration = { name, filter: filterOrFn, fn: maybeFn };
    }
    const unsubscribe = registry.addEventHandler(registration);
    // The host only forwards events this worker subscribed to; a failed subscription is
    // reported but must not break setup().
    host
      .call("events.subscribe", { eventPattern: name, filter: registration.filter ?? null })
      .catch((error: unknown) => {
        host.notify("log", {
          level: "warn",
          message: `Failed to subscribe to event "${name}" on host: ${errorMessage(error)}`,
        });
      });
    return unsubscribe;
  }

  return {
    on,
    emit: async (name, companyId, payload) => {
      await host.call("events.emit", { name, companyId, payload });
    },
  };
}
