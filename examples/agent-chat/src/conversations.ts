// The conversations behind the chat page: one agent session per (company, agent), its transcript, and the relay
// of each reply — every `agents.sessions.event` the host pushes to `onEvent` goes out unchanged, in arrival order,
// on the session's stream channel, which is closed when the reply ends (`done` or `error`).
//
// Scope: `onEvent` is called outside any host request, and the host attributes a worker message to a company
// only through the invocation id the SDK stamps from the current async context. So the relay runs in the async
// context of the session's latest request (`send-message`, renewed by `keep-alive`), captured with
// `AsyncResource.bind`: the host accepts it while that request runs and for a grace period after it (10 s).
import { AsyncResource } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { AgentSession, AgentSessionEvent, PluginContext } from "@paperclipai/plugin-sdk";

/** The stream channel of a session's replies. The UI names the same channel (src/ui/wire.ts). */
export const CHANNEL_PREFIX = "agent-chat:";
export const sessionChannel = (sessionId: string): string => `${CHANNEL_PREFIX}${sessionId}`;

/** Longest message a person can send. */
export const MAX_PROMPT_LENGTH = 10_000;
/** Messages kept per conversation (the oldest go first). */
export const MAX_MESSAGES = 200;
/** Output lines kept per reply, and characters kept per text. */
export const MAX_OUTPUT_LINES = 500;
export const MAX_TEXT_LENGTH = 20_000;
/** Conversations kept in memory; the transcripts stay in plugin state. */
export const MAX_LIVE_SESSIONS = 500;

export const INTERRUPTED = "Interrupted: the plugin restarted while the agent was replying";
export const CLOSED = "The conversation was closed before the reply finished";

export interface ChatMessage {
  id: string;
  role: "user" | "agent";
  /** The message; for a reply, the run's final text (empty until it is done). */
  text: string;
  /** A reply's output lines (`chunk` events), as they streamed. */
  output: string[];
  /** user: `sent`; reply: `streaming` until `done` or `error`. */
  status: "sent" | "streaming" | "done" | "error";
  error: string | null;
  runId: string | null;
  at: string;
}

export interface Conversation {
  sessionId: string;
  agentId: string;
  companyId: string;
  createdAt: string;
  /** The stream channel the replies of this session go out on. */
  channel: string;
  /** A reply is streaming: the page waits for it before sending again. */
  replying: boolean;
  messages: ChatMessage[];
}

type ScopedRunner = (work: () => void) => void;

interface LiveSession {
  session: AgentSession;
  messages: ChatMessage[];
  /** The reply being streamed, if any. */
  reply: ChatMessage | null;
  /** Runs work in the async context (invocation) of the session's latest request. */
  runInScope: ScopedRunner;
  /** Transcript writes, one after another. */
  saving: Promise<void>;
}

function captureScope(): ScopedRunner {
  return AsyncResource.bind((work: () => void) => work());
}

function clip(text: string): string {
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH)}…` : text;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An error event's message, with the run's own reason when the host gave one (`Run failed: <reason>`). */
export function failureText(event: Pick<AgentSessionEvent, "message" | "payload">): string {
  const message = event.message ?? "The agent's run failed";
  const reason = event.payload?.error;
  return typeof reason === "string" && reason !== "" && !message.includes(reason)
    ? `${message}: ${reason}`
    : message;
}

function isMessage(value: unknown): value is ChatMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Partial<ChatMessage>;
  return typeof message.id === "string" && typeof message.text === "string" && Array.isArray(message.output);
}

export class Conversations {
  private readonly live = new Map<string, LiveSession>();

  constructor(private readonly ctx: () => PluginContext) {}

  /** The company's agents for the picker, by name; `canChat` is false for paused or pending ones. */
  async agents(companyId: string) {
    const agents = await this.ctx().agents.list({ companyId, limit: 1000 });
    return agents
      .map((agent) => ({
        id: agent.id,
        name: agent.name,
        title: agent.title,
        role: agent.role,
        icon: agent.icon,
        status: agent.status,
        adapterType: agent.adapterType,
        canChat: !["paused", "terminated", "pending_approval"].includes(agent.status),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /**
   * The conversation with an agent, or null when there is none. Looks in memory first, then asks the host for the
   * plugin's sessions with that agent (they outlive a worker restart) and restores the newest with its transcript.
   */
  async find(companyId: string, agentId: string): Promise<Conversation | null> {
    const live = await this.findLive(companyId, agentId);
    return live ? this.view(live) : null;
  }

  /** The conversation with an agent, opening a session when there is none. */
  async open(companyId: string, agentId: string): Promise<Conversation> {
    const existing = await this.findLive(companyId, agentId);
    if (existing) return this.view(existing);
    const ctx = this.ctx();
    const agent = await ctx.agents.get(agentId, companyId);
    if (!agent) throw new Error(`Agent ${agentId} not found in this company`);
    const session = await ctx.agents.sessions.create(agent.id, companyId, { reason: "agent-chat" });
    return this.view(this.remember(session, []));
  }

  /**
   * Sends a message; resolves once the run is queued. The reply streams on the session's channel: the page
   * subscribes before it calls this. Call it from the request handler (its async context is the relay's scope).
   */
  async send(companyId: string, agentId: string, sessionId: string, text: string) {
    const prompt = text.trim();
    if (prompt === "") throw new Error("send-message needs a non-empty 'text'");
    if (prompt.length > MAX_PROMPT_LENGTH)
      throw new Error(`a message has at most ${MAX_PROMPT_LENGTH} characters`);
    const live = await this.session(companyId, agentId, sessionId);
    if (live.reply) throw new Error("The agent is still replying; wait for it to finish");
    const ctx = this.ctx();
    const channel = sessionChannel(sessionId);
    const now = new Date().toISOString();
    const question: ChatMessage = message("user", prompt, "sent", now);
    const reply: ChatMessage = message("agent", "", "streaming", now);
    live.messages.push(question, reply);
    this.trim(live);
    live.reply = reply;
    live.runInScope = captureScope();
    // Open before sending: the host may stream the first event before sendMessage resolves.
    ctx.streams.open(channel, companyId);
    let runId: string;
    try {
      ({ runId } = await ctx.agents.sessions.sendMessage(sessionId, companyId, {
        prompt,
        reason: "agent-chat message",
        onEvent: (event) => this.relay(live, reply, event),
      }));
    } catch (error) {
      // Nothing was queued: the reply fails here and the channel closes, in this request's scope.
      if (live.reply === reply) this.finish(live, reply, "error", null, errorText(error));
      throw error;
    }
    reply.runId ??= runId;
    await this.save(live);
    return { sessionId, runId, channel, messageId: question.id, replyId: reply.id };
  }

  /** The page calls this every few seconds while a reply streams: later relays run in this request's scope. */
  async keepAlive(companyId: string, agentId: string, sessionId: string) {
    const live = await this.session(companyId, agentId, sessionId);
    live.runInScope = captureScope();
    if (!live.reply) await this.save(live);
    return { sessionId, replying: live.reply !== null, runId: live.reply?.runId ?? null };
  }

  /** Closes the host session and forgets its transcript; a streaming reply ends with an error. */
  async close(companyId: string, agentId: string, sessionId: string) {
    const live = await this.session(companyId, agentId, sessionId);
    live.runInScope = captureScope();
    if (live.reply) this.finish(live, live.reply, "error", null, CLOSED, { save: false });
    this.live.delete(sessionId);
    const ctx = this.ctx();
    await ctx.agents.sessions.close(sessionId, companyId);
    await live.saving; // a write still in flight must not bring the transcript back
    await ctx.state.delete(transcriptKey(companyId, sessionId));
    return { sessionId, closed: true };
  }

  /** Counts for the health check. */
  stats() {
    let replying = 0;
    for (const live of this.live.values()) if (live.reply) replying++;
    return { sessions: this.live.size, replying };
  }

  /** Worker shutdown: close every open reply channel (each in its session's scope). */
  shutdown(): void {
    for (const live of this.live.values()) {
      if (live.reply) this.finish(live, live.reply, "error", null, INTERRUPTED, { save: false });
    }
  }

  // ── the relay ──────────────────────────────────────────────────────────────────────────────────

  private relay(live: LiveSession, reply: ChatMessage, event: AgentSessionEvent): void {
    // After the reply ended (or for another run of this session), there is nothing to forward to.
    if (live.reply !== reply) return;
    if (reply.runId !== null && event.runId && event.runId !== reply.runId) return;
    reply.runId ??= event.runId || null;
    live.runInScope(() => {
      this.ctx().streams.emit(sessionChannel(live.session.sessionId), event);
      switch (event.eventType) {
        case "chunk":
          if (event.message !== null && reply.output.length < MAX_OUTPUT_LINES) {
            reply.output.push(clip(event.message.replace(/\r?\n$/, "")));
          }
          break;
        case "done":
          this.finish(live, reply, "done", event.message ?? reply.output.join("\n"), null);
          break;
        case "error":
          this.finish(live, reply, "error", null, failureText(event));
          break;
        default:
          break;
      }
    });
  }

  /** The reply ends: record it, close its channel, save the transcript. Runs in the caller's scope. */
  private finish(
    live: LiveSession,
    reply: ChatMessage,
    status: "done" | "error",
    text: string | null,
    error: string | null,
    options: { save?: boolean } = {},
  ): void {
    reply.status = status;
    reply.text = clip(text ?? "");
    reply.error = error;
    live.reply = null;
    live.runInScope(() => {
      this.ctx().streams.close(sessionChannel(live.session.sessionId));
      if (options.save !== false) void this.save(live);
    });
  }

  // ── sessions in memory and in state ──────────────────────────────────────────────────────────────

  private async findLive(companyId: string, agentId: string): Promise<LiveSession | null> {
    let newest: LiveSession | null = null;
    for (const live of this.live.values()) {
      const { session } = live;
      if (session.companyId !== companyId || session.agentId !== agentId) continue;
      if (!newest || session.createdAt >= newest.session.createdAt) newest = live;
    }
    if (newest) return this.touch(newest);
    const sessions = await this.ctx().agents.sessions.list(agentId, companyId);
    const latest = sessions
      .filter((session) => session.status === "active")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .at(-1);
    return latest ? this.restore(latest) : null;
  }

  /** A session of this company, from memory or (after a restart) from the host's list for the agent. */
  private async session(companyId: string, agentId: string, sessionId: string): Promise<LiveSession> {
    const known = this.live.get(sessionId);
    if (known && known.session.companyId === companyId && known.session.agentId === agentId)
      return this.touch(known);
    if (!known) {
      const sessions = await this.ctx().agents.sessions.list(agentId, companyId);
      const found = sessions.find((session) => session.sessionId === sessionId);
      if (found) return this.restore(found);
    }
    throw new Error(`Conversation ${sessionId} not found for agent ${agentId} in this company`);
  }

  private async restore(session: AgentSession): Promise<LiveSession> {
    const already = this.live.get(session.sessionId);
    if (already) return already;
    const stored = await this.ctx().state.get(transcriptKey(session.companyId, session.sessionId));
    const messages = (Array.isArray(stored) ? stored : []).filter(isMessage).map((message) =>
      // A reply that was streaming when the worker stopped will never finish here.
      message.status === "streaming" ? { ...message, status: "error" as const, error: INTERRUPTED } : message,
    );
    return this.live.get(session.sessionId) ?? this.remember(session, messages);
  }

  private remember(session: AgentSession, messages: ChatMessage[]): LiveSession {
    const live: LiveSession = {
      session,
      messages,
      reply: null,
      runInScope: captureScope(),
      saving: Promise.resolve(),
    };
    this.live.set(session.sessionId, live);
    if (this.live.size > MAX_LIVE_SESSIONS) {
      // Forget the least recently used idle conversations; their transcripts stay in state.
      for (const [sessionId, candidate] of this.live) {
        if (this.live.size <= MAX_LIVE_SESSIONS) break;
        if (!candidate.reply && candidate !== live) this.live.delete(sessionId);
      }
    }
    return live;
  }

  /** Most recently used last (the eviction order). */
  private touch(live: LiveSession): LiveSession {
    this.live.delete(live.session.sessionId);
    this.live.set(live.session.sessionId, live);
    return live;
  }

  private trim(live: LiveSession): void {
    if (live.messages.length > MAX_MESSAGES) live.messages.splice(0, live.messages.length - MAX_MESSAGES);
  }

  /** Writes the whole transcript after any write in progress; a refused write is logged, the next one catches up. */
  private save(live: LiveSession): Promise<void> {
    const { companyId, sessionId } = live.session;
    live.saving = live.saving
      .then(() => this.ctx().state.set(transcriptKey(companyId, sessionId), live.messages))
      .catch((error: unknown) => {
        this.ctx().logger.warn("Agent Chat could not save a transcript", {
          sessionId,
          error: errorText(error),
        });
      });
    return live.saving;
  }

  private view(live: LiveSession): Conversation {
    const { session } = live;
    return {
      sessionId: session.sessionId,
      agentId: session.agentId,
      companyId: session.companyId,
      createdAt: session.createdAt,
      channel: sessionChannel(session.sessionId),
      replying: live.reply !== null,
      messages: live.messages.map((entry) => ({ ...entry, output: [...entry.output] })),
    };
  }
}

function message(role: ChatMessage["role"], text: string, status: ChatMessage["status"], at: string) {
  return { id: randomUUID(), role, text, output: [], status, error: null, runId: null, at };
}

/** Where a session's transcript lives: company-scoped plugin state. */
export function transcriptKey(companyId: string, sessionId: string) {
  return { scopeKind: "company", scopeId: companyId, namespace: "transcripts", stateKey: sessionId } as const;
}
