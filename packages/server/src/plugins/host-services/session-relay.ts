// Streams the runs a plugin starts through ctx.agents.sessions.sendMessage back to its worker as
// `agents.sessions.event` notifications (reference §14.2): `chunk` per output line (and system note), `status` per
// non-terminal status, then `done` (message = finalText) when the run succeeded, else `error` ("Run <status>").
//
// One relay per (plugin, session, run). It follows the run's committed events in `seq` order with nothing skipped
// twice or lost: live events come from the node's run hub, and the run's event store fills any gap (events written
// before the relay subscribed, by another host node, or while a notification was being written). A notification is
// queued on the worker's pipe, so a briefly busy worker receives every event later, in order. The relay ends at the
// run's terminal event, after `maxLifetimeMs` (30 min), when the session is closed, and when the plugin's worker
// exits or is replaced (onWorkerExit: a new process has no callbacks for the old process's sessions).
import type { AgentSessionEvent } from "@paperclipai/plugin-sdk/types";
import type { Logger } from "pino";
import { isTerminalStatusEvent, type RunEvent } from "../../agents/run-events.js";
import type { PluginIdentity } from "./identity.js";
import type { PluginHostSinks } from "./sinks.js";

/** Where committed run events are read: live (this node) and stored (every node). */
export interface RunEventFeed {
  subscribe(runId: string, listener: (event: RunEvent) => void): () => void;
  list(runId: string, options: { afterSeq?: number; limit?: number }): Promise<RunEvent[]>;
}

/** Sends one notification to the plugin's running worker; throws when the worker is not running. */
export type SessionEventNotifier = (pluginId: string, event: AgentSessionEvent) => void;

export interface SessionRelayOptions {
  feed: RunEventFeed;
  logger: Pick<Logger, "warn" | "debug">;
  /** Bound later by the composition root (the runtime is created after the host services). */
  notify?: SessionEventNotifier;
  /** A relay is closed after this long whatever the run does. Default 30 minutes. */
  maxLifetimeMs?: number;
  /** How often the store is read when no live event arrived (runs on other nodes). Default 2 000 ms. */
  pollIntervalMs?: number;
}

export interface FollowRequest {
  plugin: PluginIdentity;
  sessionId: string;
  runId: string;
  /** The plugin's worker generation when the request arrived (epochOf); a replaced worker gets nothing. */
  epoch: number;
}

export const SESSION_EVENT_NOTIFICATION = "agents.sessions.event";
export const DEFAULT_RELAY_LIFETIME_MS = 30 * 60_000;
const PAGE = 500;

/** The session event for a run event, or null for events a session does not carry (tool calls). */
export function toSessionEvent(sessionId: string, event: RunEvent): AgentSessionEvent | null {
  const base = { sessionId, runId: event.runId, seq: event.seq };
  switch (event.eventType) {
    case "chunk":
    case "system":
      return {
        ...base,
        eventType: "chunk",
        stream: event.stream ?? (event.eventType === "system" ? "system" : null),
        message: event.message,
        payload: event.payload,
      };
    case "status": {
      const status = String(event.payload?.status ?? "");
      if (!isTerminalStatusEvent(event)) {
        return { ...base, eventType: "status", stream: "system", message: status, payload: event.payload };
      }
      if (status === "succeeded") {
        const finalText = event.payload?.finalText;
        return {
          ...base,
          eventType: "done",
          stream: "system",
          message: typeof finalText === "string" ? finalText : null,
          payload: event.payload,
        };
      }
      return {
        ...base,
        eventType: "error",
        stream: "system",
        message: `Run ${status}`,
        payload: event.payload,
      };
    }
    default:
      return null;
  }
}

class Relay {
  private lastSeq = 0;
  private lastDeliveryAt = Date.now();
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  private readonly poll: NodeJS.Timeout;
  private readonly expiry: NodeJS.Timeout;

  constructor(
    readonly key: string,
    readonly request: FollowRequest,
    private readonly owner: SessionRelay,
    private readonly options: Required<Pick<SessionRelayOptions, "maxLifetimeMs" | "pollIntervalMs">> &
      Pick<SessionRelayOptions, "feed">,
  ) {
    this.unsubscribe = options.feed.subscribe(request.runId, (event) => this.onLive(event));
    this.poll = setInterval(() => {
      if (Date.now() - this.lastDeliveryAt >= options.pollIntervalMs) this.schedulePump();
    }, options.pollIntervalMs);
    this.poll.unref();
    this.expiry = setTimeout(() => this.expire(), options.maxLifetimeMs);
    this.expiry.unref();
    // Whatever the run wrote before the subscription (a fast run may already be over).
    this.schedulePump();
  }

  get pluginId(): string {
    return this.request.plugin.pluginId;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.poll);
    clearTimeout(this.expiry);
    this.owner.forget(this);
  }

  private onLive(event: RunEvent): void {
    if (this.closed || event.seq <= this.lastSeq) return;
    // The next one, with no read in flight: deliver at once. Otherwise the store has it in order.
    if (event.seq === this.lastSeq + 1 && !this.pumping) this.deliver(event);
    else this.schedulePump();
  }

  private schedulePump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => {
        this.owner.logger.warn(
          { pluginKey: this.request.plugin.pluginKey, runId: this.request.runId, err: error },
          "Reading run events for an agent session failed; retrying at the next poll",
        );
      })
      .finally(() => {
        this.pumping = null;
        if (this.pumpAgain && !this.closed) {
          this.pumpAgain = false;
          this.schedulePump();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const events = await this.options.feed.list(this.request.runId, {
        afterSeq: this.lastSeq,
        limit: PAGE,
      });
      for (const event of events) {
        if (this.closed) return;
        if (event.seq <= this.lastSeq) continue;
        if (event.seq !== this.lastSeq + 1) return; // not visible yet: the next read continues from here
        this.deliver(event);
      }
      if (events.length < PAGE || this.closed) return;
    }
  }

  private deliver(event: RunEvent): void {
    this.lastSeq = event.seq;
    this.lastDeliveryAt = Date.now();
    const sessionEvent = toSessionEvent(this.request.sessionId, event);
    if (sessionEvent && !this.owner.send(this, sessionEvent)) return;
    if (isTerminalStatusEvent(event)) this.close();
  }

  private expire(): void {
    if (this.closed) return;
    this.owner.send(this, {
      sessionId: this.request.sessionId,
      runId: this.request.runId,
      seq: this.lastSeq + 1,
      eventType: "error",
      stream: "system",
      message: `Session events of run ${this.request.runId} stopped after ${Math.round(this.options.maxLifetimeMs / 60_000)} min; the run goes on`,
      payload: { reason: "relay_timeout" },
    });
    this.close();
  }
}

export class SessionRelay {
  private readonly relays = new Map<string, Relay>();
  private readonly epochs = new Map<string, number>();
  private notifier: SessionEventNotifier | null;
  readonly logger: SessionRelayOptions["logger"];

  constructor(private readonly options: SessionRelayOptions) {
    this.notifier = options.notify ?? null;
    this.logger = options.logger;
  }

  /** Where notifications go (the plugin runtime's worker notify). */
  bind(notify: SessionEventNotifier): void {
    this.notifier = notify;
  }

  /** The plugin's worker generation: read it when a request arrives, pass it to follow(). */
  epochOf(pluginId: string): number {
    return this.epochs.get(pluginId) ?? 0;
  }

  /** Relay the run's events to the plugin's worker, for this session. A second follow of the same run is a no-op. */
  follow(request: FollowRequest): void {
    if (request.epoch !== this.epochOf(request.plugin.pluginId)) return; // the worker that asked is gone
    const key = `${request.plugin.pluginId}\u0000${request.sessionId}\u0000${request.runId}`;
    if (this.relays.has(key)) return;
    this.relays.set(
      key,
      new Relay(key, request, this, {
        feed: this.options.feed,
        maxLifetimeMs: this.options.maxLifetimeMs ?? DEFAULT_RELAY_LIFETIME_MS,
        pollIntervalMs: this.options.pollIntervalMs ?? 2_000,
      }),
    );
  }

  /** The session was closed: its relays end (the worker dropped its callback). */
  closeSession(pluginId: string, sessionId: string): void {
    for (const relay of this.relays.values()) {
      if (relay.pluginId === pluginId && relay.request.sessionId === sessionId) relay.close();
    }
  }

  /** The plugin's worker exited or was replaced: every relay of the plugin ends. */
  closePlugin(pluginId: string): void {
    this.epochs.set(pluginId, this.epochOf(pluginId) + 1);
    for (const relay of this.relays.values()) if (relay.pluginId === pluginId) relay.close();
  }

  /** Relays open right now (of one plugin, or all). */
  activeCount(pluginId?: string): number {
    let count = 0;
    for (const relay of this.relays.values())
      if (pluginId === undefined || relay.pluginId === pluginId) count++;
    return count;
  }

  /** The sink that ends a plugin's relays with its worker process. */
  get sinks(): PluginHostSinks {
    return { onWorkerExit: (plugin: PluginIdentity) => this.closePlugin(plugin.pluginId) };
  }

  /** Host shutdown. */
  dispose(): void {
    for (const relay of [...this.relays.values()]) relay.close();
  }

  /** @internal */
  forget(relay: Relay): void {
    if (this.relays.get(relay.key) === relay) this.relays.delete(relay.key);
  }

  /** @internal Sends one event; false (and the relay closed) when the worker cannot take it. */
  send(relay: Relay, event: AgentSessionEvent): boolean {
    try {
      if (!this.notifier) throw new Error("no worker notifier bound");
      this.notifier(relay.pluginId, event);
      return true;
    } catch (error) {
      this.logger.debug(
        { pluginKey: relay.request.plugin.pluginKey, runId: relay.request.runId, err: error },
        "Agent session event not delivered: the worker is gone; relay closed",
      );
      relay.close();
      return false;
    }
  }
}
