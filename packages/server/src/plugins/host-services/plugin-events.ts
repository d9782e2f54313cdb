// Plugin-emitted events (`ctx.events.emit`) leave the host services here. The host passes a durable sink
// (src/plugins/events: the outbox writer, resolving once the event is committed); the feed still tells
// in-process observers about each event after that.
import { EventEmitter } from "node:events";
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";

export interface PluginEventSink {
  /** `events.emit` is answered once this settles (durable sinks resolve after the commit). */
  publish(event: PluginEvent): void | Promise<void>;
}

export class PluginEventFeed extends EventEmitter<{ event: [PluginEvent] }> implements PluginEventSink {
  publish(event: PluginEvent): void {
    this.emit("event", event);
  }
}
