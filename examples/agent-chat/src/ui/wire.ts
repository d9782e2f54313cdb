// What the worker sends the page: the data and action replies and the stream events. The worker's own types are
// in src/conversations.ts; the UI keeps a copy so the bundle imports nothing from the worker (a test compares
// the two channel names).
export const PLUGIN_ID = "paperclip.agent-chat";
export const PAGE_ROUTE = "/agent-chat";

/** The stream channel of a session's replies (the worker's `sessionChannel`). */
export const CHANNEL_PREFIX = "agent-chat:";
export const sessionChannel = (sessionId: string): string => `${CHANNEL_PREFIX}${sessionId}`;

/** How often the page renews a streaming reply's relay (the host keeps a request's scope 10 s after it ends). */
export const KEEP_ALIVE_MS = 5_000;
/** Without a stream connection after this long, the page sends anyway and follows the reply by polling. */
export const CONNECT_TIMEOUT_MS = 4_000;
export const POLL_MS = 1_000;
export const MAX_PROMPT_LENGTH = 10_000;

export interface AgentSummary {
  id: string;
  name: string;
  title: string | null;
  role: string;
  icon: string | null;
  status: string;
  adapterType: string;
  canChat: boolean;
}

export interface ChatMessage {
  id: string;
  role: "user" | "agent";
  text: string;
  output: string[];
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
  channel: string;
  replying: boolean;
  messages: ChatMessage[];
}

/** One event of a run, as the host pushed it to the worker (AgentSessionEvent), forwarded unchanged. */
export interface SessionEvent {
  sessionId: string;
  runId: string;
  seq: number;
  eventType: "chunk" | "status" | "done" | "error";
  stream: "stdout" | "stderr" | "system" | null;
  message: string | null;
  payload: Record<string, unknown> | null;
}

export interface SendResult {
  sessionId: string;
  runId: string;
  channel: string;
  messageId: string;
  replyId: string;
}
