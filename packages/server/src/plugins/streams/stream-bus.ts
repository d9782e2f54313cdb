// The stream bus: worker stream notifications in, SSE frames out. Keyed by plugin id (uuid), channel and
// company, as in the original. Each channel numbers its frames, keeps the recent ones for `Last-Event-ID`
// resume, and remembers whether the worker left it open so a dying worker's channels get a synthetic close.
//
// Frames are serialised once, at publish, and the same text goes to every subscriber and to the buffer.
// Across nodes (cluster-stream-bus.ts) a node forwards what its workers publish (`onPublish`) and feeds what other
// nodes publish into its local bus (`ingest`) under the publishing node's frame id, so a client resumes with
// Last-Event-ID on whichever node it reconnects to. A channel's buffer keeps frames in arrival order, whoever
// published them; resume finds the client's frame by its id.
import { randomBytes } from "node:crypto";
import { ChannelBuffer } from "./channel-buffer.js";

export type StreamEventType = "message" | "open" | "close";

/** Receives complete SSE frames, synchronously, in publish order. */
export interface StreamListener {
  deliver(frame: string): void;
}

export interface StreamSubscription {
  /** Buffered frames after the client's Last-Event-ID, to be written before live ones. */
  readonly replay: readonly string[];
  /** The client's last event is older than the buffer (or from an earlier incarnation): some were missed. */
  readonly gap: boolean;
  unsubscribe(): void;
}

export interface StreamChannelRef {
  pluginId: string;
  channel: string;
  companyId: string;
}

export interface StreamBus {
  publish(ref: StreamChannelRef, type: StreamEventType, event: unknown): void;
  subscribe(ref: StreamChannelRef, listener: StreamListener, lastEventId?: string | null): StreamSubscription;
  /** The plugin's worker exited (crash, stop): a synthetic `close` on every channel it left open. */
  workerExited(pluginId: string, reason: string): void;
  /** Channels the plugin's current worker has opened and not closed. */
  openChannels(pluginId: string): StreamChannelRef[];
  /** SSE clients of this node listening, by plugin id (read by /metrics). */
  subscriberCounts(): Map<string, number>;
}

export interface StreamBusOptions {
  /** Frames kept per channel for resume. Default 1 000. */
  bufferFrames?: number;
  /** Bytes of frame text kept per channel for resume. Default 1 MiB. */
  bufferBytes?: number;
  /** Channels without subscribers and not open kept at most (their buffers), oldest dropped first. Default 1 000. */
  maxIdleChannels?: number;
}

/** A frame as published: its id (`<generation>-<n>`, numbered by the publishing node), type and data text. */
export interface StreamFrame {
  id: string;
  type: StreamEventType;
  data: string;
}

export type StreamPublishListener = (ref: StreamChannelRef, frame: StreamFrame) => void;

class Channel {
  /** Distinguishes this channel's ids from those of an earlier incarnation (host restart, eviction). */
  readonly generation = randomBytes(4).toString("hex");
  readonly listeners = new Set<StreamListener>();
  readonly buffer: ChannelBuffer;
  /** Frames this node published on the channel (the number in their ids). */
  published = 0;
  /** Frames appended here, this node's and other nodes' (the buffer's order). */
  seq = 0;
  /** A worker of this node has the channel open (other nodes' opens are theirs to close). */
  open = false;

  constructor(
    readonly ref: StreamChannelRef,
    options: Required<StreamBusOptions>,
  ) {
    this.buffer = new ChannelBuffer(options.bufferFrames, options.bufferBytes);
  }

  get idle(): boolean {
    return this.listeners.size === 0 && !this.open;
  }
}

function keyOf(ref: StreamChannelRef): string {
  // NUL cannot appear in ids or channel names coming from JSON text fields of interest; it keeps keys unambiguous.
  return `${ref.pluginId}\u0000${ref.channel}\u0000${ref.companyId}`;
}

/** One SSE frame. JSON text never contains a raw newline, so `data:` needs no splitting. */
export function formatFrame(id: string, type: StreamEventType, data: string): string {
  return type === "message" ? `id: ${id}\ndata: ${data}\n\n` : `id: ${id}\nevent: ${type}\ndata: ${data}\n\n`;
}

export class LocalStreamBus implements StreamBus {
  private readonly channels = new Map<string, Channel>();
  private readonly openByPlugin = new Map<string, Set<Channel>>();
  private readonly options: Required<StreamBusOptions>;
  private readonly publishListeners = new Set<StreamPublishListener>();

  constructor(options: StreamBusOptions = {}) {
    this.options = {
      bufferFrames: options.bufferFrames ?? 1_000,
      bufferBytes: options.bufferBytes ?? 1024 * 1024,
      maxIdleChannels: options.maxIdleChannels ?? 1_000,
    };
  }

  publish(ref: StreamChannelRef, type: StreamEventType, event: unknown): void {
    const channel = this.channelFor(ref);
    if (type === "close") this.setOpen(channel, false);
    else this.setOpen(channel, true);
    const data =
      type === "message"
        ? JSON.stringify(event ?? null)
        : JSON.stringify({ channel: ref.channel, companyId: ref.companyId, ...(event as object) });
    channel.published++;
    const frame: StreamFrame = { id: `${channel.generation}-${channel.published}`, type, data };
    this.append(channel, frame);
    for (const listener of this.publishListeners) listener(channel.ref, frame);
    if (channel.idle) this.evictIdle();
  }

  /** Hear every frame this node publishes (its workers' and synthetic closes); returns the unsubscribe function. */
  onPublish(listener: StreamPublishListener): () => void {
    this.publishListeners.add(listener);
    return () => this.publishListeners.delete(listener);
  }

  /** A frame another node published: buffered and delivered here under its own id, not forwarded again. */
  ingest(ref: StreamChannelRef, frame: StreamFrame): void {
    const channel = this.channelFor(ref);
    this.append(channel, frame);
    if (channel.idle) this.evictIdle();
  }

  subscribe(
    ref: StreamChannelRef,
    listener: StreamListener,
    lastEventId?: string | null,
  ): StreamSubscription {
    const channel = this.channelFor(ref);
    let replay: string[] = [];
    let gap = false;
    if (lastEventId) {
      const seen = channel.buffer.seqOf(lastEventId);
      if (seen !== null) {
        replay = channel.buffer.after(seen).map((frame) => frame.text);
      } else {
        // An id no longer buffered, of an earlier incarnation (host restart, evicted channel), or garbage: send
        // what is kept.
        replay = channel.buffer.after(0).map((frame) => frame.text);
        gap = true;
      }
    }
    channel.listeners.add(listener);
    let active = true;
    return {
      replay,
      gap,
      unsubscribe: () => {
        if (!active) return;
        active = false;
        channel.listeners.delete(listener);
        if (channel.idle) this.evictIdle();
      },
    };
  }

  workerExited(pluginId: string, reason: string): void {
    const open = this.openByPlugin.get(pluginId);
    if (!open) return;
    for (const channel of [...open])
      this.publish(channel.ref, "close", { reason: `worker exited: ${reason}`, synthetic: true });
  }

  openChannels(pluginId: string): StreamChannelRef[] {
    return [...(this.openByPlugin.get(pluginId) ?? [])].map((channel) => ({ ...channel.ref }));
  }

  subscriberCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const channel of this.channels.values()) {
      if (channel.listeners.size === 0) continue;
      const pluginId = channel.ref.pluginId;
      counts.set(pluginId, (counts.get(pluginId) ?? 0) + channel.listeners.size);
    }
    return counts;
  }

  /** Channels held in memory (for diagnostics and tests). */
  get channelCount(): number {
    return this.channels.size;
  }

  private channelFor(ref: StreamChannelRef): Channel {
    const key = keyOf(ref);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(
        { pluginId: ref.pluginId, channel: ref.channel, companyId: ref.companyId },
        this.options,
      );
      this.channels.set(key, channel);
    }
    return channel;
  }

  private append(channel: Channel, frame: StreamFrame): void {
    channel.seq++;
    const text = formatFrame(frame.id, frame.type, frame.data);
    channel.buffer.push({ seq: channel.seq, id: frame.id, text });
    for (const listener of channel.listeners) listener.deliver(text);
  }

  private setOpen(channel: Channel, open: boolean): void {
    if (channel.open === open) return;
    channel.open = open;
    const pluginId = channel.ref.pluginId;
    let set = this.openByPlugin.get(pluginId);
    if (open) {
      if (!set) {
        set = new Set();
        this.openByPlugin.set(pluginId, set);
      }
      set.add(channel);
    } else if (set) {
      set.delete(channel);
      if (set.size === 0) this.openByPlugin.delete(pluginId);
    }
  }

  /** Drop the oldest idle channels (and their buffers) beyond the limit. */
  private evictIdle(): void {
    let idle = 0;
    for (const channel of this.channels.values()) if (channel.idle) idle++;
    if (idle <= this.options.maxIdleChannels) return;
    for (const [key, channel] of this.channels) {
      if (idle <= this.options.maxIdleChannels) break;
      if (!channel.idle) continue;
      this.channels.delete(key);
      idle--;
    }
  }
}
