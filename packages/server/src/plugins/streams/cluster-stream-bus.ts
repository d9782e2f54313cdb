// Worker streams across host nodes (docs/scale-out.md): every frame a worker of this node publishes goes to the
// other nodes on the cluster bus (topic `stream.frame`), and every frame another node publishes is fed into this
// node's bus under the publishing node's id. So an SSE client on any node sees a channel's frames in the order
// their node published them, and resumes with Last-Event-ID wherever it reconnects. The SSE route needs no
// worker here: it subscribes to the local bus, which other nodes keep filled.
//
// Every frame is forwarded, whether or not a client listens anywhere: a node must hold the recent frames of a
// channel to serve a client that reconnects to it. One NOTIFY per frame (batched by the bus while one is in
// flight); bench/cluster.bench.mjs measures the cost. Frames a node missed while its LISTEN connection was down
// are not replayed (streams are live data); clients resuming there are told of the gap.
import type { Logger } from "pino";
import type { ClusterBus } from "../../cluster/bus.js";
import type {
  LocalStreamBus,
  StreamBus,
  StreamChannelRef,
  StreamEventType,
  StreamFrame,
  StreamListener,
  StreamSubscription,
} from "./stream-bus.js";

export const STREAM_FRAME_TOPIC = "stream.frame";

/** On the wire: short keys, the frame's data as the exact text the publishing node serialised. */
interface FrameMessage {
  /** plugin id */
  p: string;
  /** channel */
  c: string;
  /** company id */
  o: string;
  /** frame id */
  i: string;
  /** type */
  t: StreamEventType;
  /** data (JSON text) */
  d: string;
}

const TYPES: ReadonlySet<string> = new Set(["message", "open", "close"]);

function readFrameMessage(payload: unknown): { ref: StreamChannelRef; frame: StreamFrame } | null {
  if (typeof payload !== "object" || payload === null) return null;
  const m = payload as Partial<FrameMessage>;
  if (
    typeof m.p !== "string" ||
    typeof m.c !== "string" ||
    typeof m.o !== "string" ||
    typeof m.i !== "string" ||
    typeof m.d !== "string" ||
    typeof m.t !== "string" ||
    !TYPES.has(m.t)
  )
    return null;
  return {
    ref: { pluginId: m.p, channel: m.c, companyId: m.o },
    frame: { id: m.i, type: m.t, data: m.d },
  };
}

export class ClusterStreamBus implements StreamBus {
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly local: LocalStreamBus,
    private readonly cluster: Pick<ClusterBus, "publish" | "subscribe" | "distributed">,
    private readonly logger: Pick<Logger, "warn">,
  ) {
    if (!cluster.distributed) return;
    this.detach.push(
      local.onPublish((ref, frame) => this.forward(ref, frame)),
      cluster.subscribe(STREAM_FRAME_TOPIC, (payload, from) => {
        const message = readFrameMessage(payload);
        if (!message) {
          this.logger.warn({ from }, `Malformed ${STREAM_FRAME_TOPIC} message from node ${from}: ignored`);
          return;
        }
        this.local.ingest(message.ref, message.frame);
      }),
    );
  }

  publish(ref: StreamChannelRef, type: StreamEventType, event: unknown): void {
    this.local.publish(ref, type, event);
  }

  subscribe(
    ref: StreamChannelRef,
    listener: StreamListener,
    lastEventId?: string | null,
  ): StreamSubscription {
    return this.local.subscribe(ref, listener, lastEventId);
  }

  workerExited(pluginId: string, reason: string): void {
    this.local.workerExited(pluginId, reason);
  }

  openChannels(pluginId: string): StreamChannelRef[] {
    return this.local.openChannels(pluginId);
  }

  subscriberCounts(): Map<string, number> {
    return this.local.subscriberCounts();
  }

  /** Stop forwarding and ingesting (host shutdown). */
  close(): void {
    for (const detach of this.detach.splice(0)) detach();
  }

  private forward(ref: StreamChannelRef, frame: StreamFrame): void {
    const message: FrameMessage = {
      p: ref.pluginId,
      c: ref.channel,
      o: ref.companyId,
      i: frame.id,
      t: frame.type,
      d: frame.data,
    };
    this.cluster.publish(STREAM_FRAME_TOPIC, message).catch((error: Error) => {
      this.logger.warn(
        { err: error, pluginId: ref.pluginId, channel: ref.channel },
        `Could not forward a stream frame to the other nodes: ${error.message}`,
      );
    });
  }
}
