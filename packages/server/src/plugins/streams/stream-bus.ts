// The stream bus: worker stream notifications in, SSE frames out. Keyed by plugin id (uuid), channel and
// company, as in the original. Each channel numbers its frames, keeps the recent ones for `Last-Event-ID`
// resume, and remembers whether the worker left it open so a dying worker's channels get a synthetic close.
//
// Frames are serialised once, at publish, and the same text goes to every subscriber and to the buffer.
// Cross-node fan-out (PostgreSQL LISTEN/NOTIFY) fits behind the StreamBus interface: a node forwards what
// its workers publish and feeds what other nodes publish into its local bus; subscribers do not change.
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
}

export interface StreamBusOptions {
  /** Frames kept per channel for resume. Default 1 000. */
  bufferFrames?: number;
  /** Bytes of frame text kept per channel for resume. Default 1 MiB. */
  bufferBytes?: number;
  /** Channels without subscribers and not open kept at most (their buffers), oldest dropped first. Default 1 000. */
  maxIdleChannels?: number;
}

class Channel {
  /** Distinguishes this channel's ids from those of an earlier incarnation (host restart, eviction). */
  readonly generation = randomBytes(4).toString("hex");
  readonly listeners = new Set<StreamListener>();
  readonly buffer: ChannelBuffer;
  seq = 0;
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

const ID_RE = /^([0-9a-f]+)-(\d+)$/;

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
    this.append(channel, type, data);
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
      const match = ID_RE.exec(lastEventId);
      if (match !== null && match[1] === channel.generation) {
        const afterSeq = Number(match[2]);
        const frames = channel.buffer.after(afterSeq);
        replay = frames.map((frame) => frame.text);
        // Missed: frames after the client's id that the buffer no longer holds.
        const firstAvailable = frames[0]?.seq ?? channel.seq + 1;
        gap = firstAvailable > afterSeq + 1;
      } else {
        // An id of an earlier incarnation (host restart, evicted channel) or garbage: send what is kept.
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

  private append(channel: Channel, type: StreamEventType, data: string): void {
    channel.seq++;
    const text = formatFrame(`${channel.generation}-${channel.seq}`, type, data);
    channel.buffer.push({ seq: channel.seq, text });
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
