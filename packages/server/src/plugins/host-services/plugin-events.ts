// Plugin-emitted events (`ctx.events.emit`) leave the host services here. Durable delivery to subscribers is
// the event dispatcher's job (next issue): it listens on this feed.
import { EventEmitter } from "node:events";
import type { PluginEvent } from "@paperclipai/plugin-sdk/types";

export interface PluginEventSink {
  publish(event: PluginEvent): void;
}

export class PluginEventFeed extends EventEmitter<{ event: [PluginEvent] }> implements PluginEventSink {
  publish(event: PluginEvent): void {
    this.emit("event", event);
  }
}
