// The Agent Chat page (`/:companyPrefix/agent-chat`): pick one of the company's agents, type a message, and watch
// the reply stream in through `usePluginStream` on the conversation's channel, above the transcript so far.
//
// One message is a "turn": the page subscribes to the session's channel first and sends only once the stream is
// connected (the host does not replay a channel to a new subscriber), then renders every event as it arrives;
// the worker closes the channel after `done` or `error`, which ends the turn. If the stream cannot connect, the
// page sends anyway and follows the reply by polling the `conversation` data.

import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui";
import {
  Spinner,
  StatusBadge,
  useHostContext,
  useHostNavigation,
  usePluginAction,
  usePluginData,
  usePluginStream,
} from "@paperclipai/plugin-sdk/ui";
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { styles } from "./styles.js";
import {
  type AgentSummary,
  type ChatMessage,
  CONNECT_TIMEOUT_MS,
  type Conversation,
  KEEP_ALIVE_MS,
  MAX_PROMPT_LENGTH,
  POLL_MS,
  type SendResult,
  type SessionEvent,
} from "./wire.js";

export interface AgentChatProps {
  context?: PluginHostContext | null;
}

interface Turn {
  id: number;
  sessionId: string;
  channel: string;
  text: string;
  /** connecting: waiting for the stream; sending: send-message in flight; streaming: events arriving;
   *  polling: no stream, following the reply through the conversation data. */
  phase: "connecting" | "sending" | "streaming" | "polling";
  replyId: string | null;
}

function errorText(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}

function agentLabel(agent: AgentSummary): string {
  return agent.title ? `${agent.title} · ${agent.role}` : agent.role;
}

/** `page` slot, routePath `agent-chat`. */
export function AgentChatPage(props: AgentChatProps) {
  const host = useHostContext();
  const context = props.context ?? host;
  const companyId = context.companyId;
  const navigation = useHostNavigation();
  const agents = usePluginData<{ companyId: string; agents: AgentSummary[] }>("agents");
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const list = agents.data?.agents ?? [];
  const selected =
    list.find((agent) => agent.id === selectedId) ?? list.find((agent) => agent.canChat) ?? list[0] ?? null;

  let body: ReactNode;
  if (!companyId) {
    body = <p style={styles.subtle}>Open this page from a company to chat with its agents.</p>;
  } else if (agents.error) {
    body = (
      <div style={styles.row} data-testid="agent-chat-agents-error">
        <StatusBadge label={`Could not load the agents: ${agents.error.message}`} status="error" />
        <button type="button" style={styles.button} onClick={() => agents.refresh()}>
          Retry
        </button>
      </div>
    );
  } else if (!agents.data) {
    body = <Spinner size="sm" label="Loading the company's agents" />;
  } else if (list.length === 0 || !selected) {
    body = (
      <div style={{ ...styles.card, ...styles.empty }} data-testid="agent-chat-empty">
        <strong style={{ color: "var(--foreground, inherit)" }}>This company has no agents yet</strong>
        <span>Create an agent first; it will show up here, ready to chat.</span>
        <a {...navigation.linkProps("/agents")} style={styles.linkButton}>
          Go to Agents
        </a>
      </div>
    );
  } else {
    body = (
      <div style={styles.layout}>
        <nav aria-label="Agents" style={styles.card}>
          <ul style={styles.agentList} data-testid="agent-chat-agents">
            {list.map((agent) => (
              <li key={agent.id}>
                <button
                  type="button"
                  data-agent-id={agent.id}
                  aria-pressed={agent.id === selected.id}
                  style={{ ...styles.agentButton, ...(agent.id === selected.id ? styles.agentSelected : {}) }}
                  onClick={() => setSelectedId(agent.id)}
                >
                  <span>{agent.name}</span>
                  <span style={styles.agentMeta}>
                    {agentLabel(agent)}
                    {agent.canChat ? "" : ` · ${agent.status}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <ChatPanel key={selected.id} agent={selected} companyId={companyId} />
      </div>
    );
  }

  return (
    <section style={styles.page} data-testid="agent-chat-page" data-plugin="paperclip.agent-chat">
      <p style={styles.subtle}>Send a message to an agent; its reply streams in as the agent runs.</p>
      {body}
    </section>
  );
}

let turnCounter = 0;

function ChatPanel({ agent, companyId }: { agent: AgentSummary; companyId: string }) {
  const data = usePluginData<{ conversation: Conversation | null }>("conversation", { agentId: agent.id });
  const openSession = usePluginAction("open-session");
  const sendMessage = usePluginAction("send-message");
  const keepAlive = usePluginAction("keep-alive");
  const closeSession = usePluginAction("close-session");

  const [conversation, setConversation] = useState<Conversation | null>(
    () => data.data?.conversation ?? null,
  );
  const [messages, setMessages] = useState<ChatMessage[]>(() => data.data?.conversation?.messages ?? []);
  const [turn, setTurn] = useState<Turn | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState<"opening" | "closing" | null>(null);
  const turnRef = useRef<Turn | null>(null);
  turnRef.current = turn;
  const refresh = data.refresh;

  // Adopt the worker's transcript when it (re)loads — not while a turn streams, unless a polled turn ended.
  useEffect(() => {
    if (!data.data) return;
    const loaded = data.data.conversation;
    const current = turnRef.current;
    if (current) {
      if (current.phase !== "polling" || !current.replyId) return;
      const reply = loaded?.messages.find((entry) => entry.id === current.replyId);
      if (!reply || reply.status === "streaming") return;
      setTurn(null);
    }
    setConversation(loaded);
    setMessages(loaded?.messages ?? []);
  }, [data.data]);

  // Poll while following a reply without a stream: ours (polling turn) or one streaming when the page opened.
  const following = turn?.phase === "polling" || (!turn && conversation?.replying === true);
  useEffect(() => {
    if (!following) return undefined;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [following, refresh]);

  // Keep the worker's relay in scope while the reply runs.
  const sessionId = turn?.sessionId ?? null;
  const relaying = turn !== null && turn.phase !== "connecting";
  useEffect(() => {
    if (!relaying || !sessionId) return undefined;
    const timer = setInterval(() => {
      keepAlive({ agentId: agent.id, sessionId }).catch(() => undefined);
    }, KEEP_ALIVE_MS);
    return () => clearInterval(timer);
  }, [relaying, sessionId, agent.id, keepAlive]);

  const endTurn = useCallback(
    (turnId: number, reply: ChatMessage) => {
      if (turnRef.current?.id !== turnId) return;
      setMessages((previous) => [...previous, reply]);
      setTurn(null);
      refresh();
    },
    [refresh],
  );

  const dispatch = useCallback(
    (current: Turn, phase: "sending" | "polling") => {
      setTurn((previous) => (previous?.id === current.id ? { ...previous, phase } : previous));
      sendMessage({ agentId: agent.id, sessionId: current.sessionId, text: current.text }).then(
        (result) => {
          const { replyId } = result as SendResult;
          setTurn((previous) =>
            previous?.id === current.id
              ? { ...previous, replyId, phase: previous.phase === "polling" ? "polling" : "streaming" }
              : previous,
          );
        },
        (failure: unknown) => {
          endTurn(current.id, {
            id: `local-error-${current.id}`,
            role: "agent",
            text: "",
            output: [],
            status: "error",
            error: errorText(failure),
            runId: null,
            at: new Date().toISOString(),
          });
        },
      );
    },
    [agent.id, sendMessage, endTurn],
  );

  // No stream after a while: send anyway and follow the reply by polling.
  const connectingTurn = turn?.phase === "connecting" ? turn : null;
  useEffect(() => {
    if (!connectingTurn) return undefined;
    const timer = setTimeout(() => {
      if (turnRef.current?.id === connectingTurn.id && turnRef.current.phase === "connecting")
        dispatch(connectingTurn, "polling");
    }, CONNECT_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [connectingTurn, dispatch]);

  const onConnected = useCallback(
    (turnId: number) => {
      const current = turnRef.current;
      if (current?.id === turnId && current.phase === "connecting") dispatch(current, "sending");
    },
    [dispatch],
  );

  const busy = turn !== null || working !== null || following;
  const text = draft.trim();
  const canSend = agent.canChat && !busy && text !== "" && text.length <= MAX_PROMPT_LENGTH;

  const send = async () => {
    if (!canSend) return;
    setError(null);
    let target = conversation;
    if (!target) {
      setWorking("opening");
      try {
        target = ((await openSession({ agentId: agent.id })) as { conversation: Conversation }).conversation;
      } catch (failure) {
        setError(`Could not start a conversation: ${errorText(failure)}`);
        return;
      } finally {
        setWorking(null);
      }
      setConversation(target);
      setMessages(target.messages);
    }
    const id = ++turnCounter;
    const now = new Date().toISOString();
    setMessages((previous) => [
      ...previous,
      {
        id: `local-${id}`,
        role: "user",
        text,
        output: [],
        status: "sent",
        error: null,
        runId: null,
        at: now,
      },
    ]);
    setDraft("");
    setTurn({
      id,
      sessionId: target.sessionId,
      channel: target.channel,
      text,
      phase: "connecting",
      replyId: null,
    });
  };

  // A reply followed by polling (one that was streaming when the page opened) may be abandoned; our own turn not.
  const canStartOver = conversation !== null && turn === null && working === null;
  const startOver = async () => {
    if (!conversation || !canStartOver) return;
    setWorking("closing");
    setError(null);
    try {
      await closeSession({ agentId: agent.id, sessionId: conversation.sessionId });
      setConversation(null);
      setMessages([]);
      refresh();
    } catch (failure) {
      setError(`Could not close the conversation: ${errorText(failure)}`);
    } finally {
      setWorking(null);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const transcriptRef = useRef<HTMLDivElement | null>(null);
  // Keep the newest message in view: scroll whenever the transcript or the live turn changes.
  useEffect(() => {
    const element = transcriptRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages, turn]);

  const loading = !data.data && data.loading;
  return (
    <section style={styles.card} aria-label={`Chat with ${agent.name}`} data-testid="agent-chat-panel">
      <div style={styles.row}>
        <strong>{agent.name}</strong>
        <span style={styles.agentMeta}>{agentLabel(agent)}</span>
        <span style={styles.spacer} />
        {conversation ? (
          <button
            type="button"
            style={{ ...styles.button, ...(canStartOver ? {} : styles.disabled) }}
            disabled={!canStartOver}
            onClick={() => void startOver()}
            data-testid="agent-chat-new"
          >
            New conversation
          </button>
        ) : null}
      </div>
      {data.error ? (
        <StatusBadge label={`Could not load the conversation: ${data.error.message}`} status="error" />
      ) : null}
      <div
        ref={transcriptRef}
        style={styles.transcript}
        data-testid="agent-chat-transcript"
        aria-live="polite"
      >
        {loading ? <Spinner size="sm" label="Loading the conversation" /> : null}
        {!loading && messages.length === 0 && !turn ? (
          <p style={styles.subtle} data-testid="agent-chat-transcript-empty">
            No messages yet. Say hello to {agent.name}.
          </p>
        ) : null}
        {messages.map((entry) => (
          <MessageView key={entry.id} message={entry} agentName={agent.name} />
        ))}
        {turn && turn.phase !== "polling" ? (
          <LiveReply
            key={turn.id}
            turn={turn}
            companyId={companyId}
            agentName={agent.name}
            onConnected={onConnected}
            onEnd={endTurn}
          />
        ) : null}
        {turn?.phase === "polling" ? (
          <div style={{ ...styles.bubble, ...styles.agentBubble }} data-testid="agent-chat-polling">
            <span style={styles.who}>{agent.name}</span>
            <Spinner size="sm" label="Waiting for the reply (live stream unavailable)" />
          </div>
        ) : null}
      </div>
      {error ? (
        <p role="alert" style={styles.error} data-testid="agent-chat-error">
          {error}
        </p>
      ) : null}
      <form
        style={styles.composer}
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <textarea
          aria-label={`Message to ${agent.name}`}
          placeholder={agent.canChat ? `Message ${agent.name}…` : `${agent.name} is ${agent.status}`}
          style={styles.textarea}
          value={draft}
          maxLength={MAX_PROMPT_LENGTH}
          disabled={!agent.canChat}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="agent-chat-input"
        />
        <div style={styles.row}>
          <span style={styles.subtle}>
            {agent.canChat
              ? busy
                ? busyLabel(turn, working, following)
                : "Enter to send, Shift+Enter for a new line"
              : `${agent.name} is ${agent.status} and cannot take messages.`}
          </span>
          <span style={styles.spacer} />
          <button
            type="submit"
            style={{ ...styles.primaryButton, ...(canSend ? {} : styles.disabled) }}
            disabled={!canSend}
            data-testid="agent-chat-send"
          >
            Send
          </button>
        </div>
      </form>
    </section>
  );
}

function busyLabel(turn: Turn | null, working: "opening" | "closing" | null, following: boolean): string {
  if (working === "opening") return "Starting a conversation…";
  if (working === "closing") return "Closing the conversation…";
  if (turn?.phase === "connecting") return "Connecting to the live stream…";
  if (turn?.phase === "sending") return "Sending…";
  if (turn || following) return "The agent is replying…";
  return "";
}

function MessageView({ message, agentName }: { message: ChatMessage; agentName: string }) {
  if (message.role === "user") {
    return (
      <div
        style={{ ...styles.bubble, ...styles.userBubble }}
        data-testid="agent-chat-message"
        data-role="user"
      >
        <span style={styles.who}>You</span>
        <span>{message.text}</span>
      </div>
    );
  }
  const output = message.output.join("\n");
  if (message.status === "error") {
    return (
      <div
        style={{ ...styles.bubble, ...styles.errorBubble }}
        data-testid="agent-chat-message"
        data-role="agent"
        data-status="error"
      >
        <span style={styles.who}>{agentName}</span>
        <span>{message.error ?? "The agent's run failed"}</span>
        {output ? <pre style={styles.output}>{output}</pre> : null}
      </div>
    );
  }
  const text = message.status === "done" ? message.text || output : output;
  return (
    <div
      style={{ ...styles.bubble, ...styles.agentBubble }}
      data-testid="agent-chat-message"
      data-role="agent"
      data-status={message.status}
    >
      <span style={styles.who}>{agentName}</span>
      {message.status === "streaming" ? <Spinner size="sm" label="Replying" /> : null}
      <span>{text}</span>
      {message.status === "done" && output && output !== text ? (
        <details>
          <summary style={styles.agentMeta}>
            Run output ({message.output.length} {message.output.length === 1 ? "line" : "lines"})
          </summary>
          <pre style={styles.output}>{output}</pre>
        </details>
      ) : null}
    </div>
  );
}

/** The reply of one turn, live: every event on the session's channel as it arrives. */
function LiveReply({
  turn,
  companyId,
  agentName,
  onConnected,
  onEnd,
}: {
  turn: Turn;
  companyId: string;
  agentName: string;
  onConnected: (turnId: number) => void;
  onEnd: (turnId: number, reply: ChatMessage) => void;
}) {
  const stream = usePluginStream<SessionEvent>(turn.channel, { companyId });
  const lines = stream.events
    .filter((event) => event.eventType === "chunk" && event.message !== null)
    .map((event) => (event.message ?? "").replace(/\r?\n$/, ""));
  const status = [...stream.events].reverse().find((event) => event.eventType === "status");
  const terminal = stream.events.find((event) => event.eventType === "done" || event.eventType === "error");

  useEffect(() => {
    if (stream.connected) onConnected(turn.id);
  }, [stream.connected, onConnected, turn.id]);

  const ended = useRef(false);
  useEffect(() => {
    if (!terminal || ended.current) return;
    ended.current = true;
    const chunks = stream.events
      .filter((event) => event.eventType === "chunk" && event.message !== null)
      .map((event) => (event.message ?? "").replace(/\r?\n$/, ""));
    const output = chunks.join("\n");
    onEnd(turn.id, {
      id: `local-reply-${turn.id}`,
      role: "agent",
      text: terminal.eventType === "done" ? (terminal.message ?? output) : "",
      output: chunks,
      status: terminal.eventType === "done" ? "done" : "error",
      error: terminal.eventType === "error" ? failureText(terminal) : null,
      runId: terminal.runId,
      at: new Date().toISOString(),
    });
  }, [terminal, stream.events, onEnd, turn.id]);

  const phase =
    turn.phase === "connecting"
      ? "connecting…"
      : turn.phase === "sending"
        ? "sending…"
        : (statusText(status) ?? "replying…");
  return (
    <div
      style={{ ...styles.bubble, ...styles.agentBubble }}
      data-testid="agent-chat-live"
      data-phase={turn.phase}
      aria-busy="true"
    >
      <span style={styles.who}>
        {agentName} · {phase}
      </span>
      {lines.length > 0 ? (
        <pre style={styles.output} data-testid="agent-chat-live-output">
          {lines.join("\n")}
        </pre>
      ) : (
        <Spinner size="sm" label="Waiting for the agent" />
      )}
      {stream.error && !stream.connected ? (
        <StatusBadge label={stream.error.message} status="warning" />
      ) : null}
    </div>
  );
}

/** An error event's message, with the run's own reason when the host gave one (as the worker records it). */
function failureText(event: SessionEvent): string {
  const message = event.message ?? "The agent's run failed";
  const reason = event.payload?.error;
  return typeof reason === "string" && reason !== "" && !message.includes(reason)
    ? `${message}: ${reason}`
    : message;
}

function statusText(event: SessionEvent | undefined): string | null {
  if (!event) return null;
  const status = event.payload?.status;
  return typeof status === "string" ? status : event.message;
}
