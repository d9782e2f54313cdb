// The Agent Chat worker: the `agents` and `conversation` data the page reads, and the actions that open a
// conversation (an agent session), send a message, keep a streaming reply's relay alive and close it.
// The relay itself (session events → the session's stream channel) lives in conversations.ts.
import { definePlugin, type PaperclipPlugin, type PluginContext, runWorker } from "@paperclipai/plugin-sdk";
import { Conversations } from "./conversations.js";

/** The company a bridge call was authorized for: every data key and action here is company-scoped. */
function requireCompany(companyId: unknown, what: string): string {
  if (typeof companyId !== "string" || companyId === "") {
    throw new Error(`${what} needs a companyId (call it from a company page)`);
  }
  return companyId;
}

function requireString(params: Record<string, unknown>, name: string, what: string): string {
  const value = params[name];
  if (typeof value !== "string" || value === "") throw new Error(`${what} needs '${name}'`);
  return value;
}

/** A fresh plugin with its own conversations: the worker uses one, each test builds its own. */
export function createAgentChatPlugin(): PaperclipPlugin {
  let context: PluginContext | null = null;
  const conversations = new Conversations(() => {
    if (!context) throw new Error("Agent Chat: setup() has not run");
    return context;
  });

  return definePlugin({
    async setup(ctx) {
      context = ctx;

      ctx.data.register("agents", async (params) => {
        const companyId = requireCompany(params.companyId, "agents");
        return { companyId, agents: await conversations.agents(companyId) };
      });

      // The conversation with one agent, or null: read-only (a session is opened by the first message).
      ctx.data.register("conversation", async (params) => {
        const companyId = requireCompany(params.companyId, "conversation");
        const agentId = requireString(params, "agentId", "conversation");
        return { conversation: await conversations.find(companyId, agentId) };
      });

      ctx.actions.register("open-session", async (params, call) => {
        const companyId = requireCompany(call.companyId ?? params.companyId, "open-session");
        const agentId = requireString(params, "agentId", "open-session");
        return { conversation: await conversations.open(companyId, agentId) };
      });

      ctx.actions.register("send-message", async (params, call) => {
        const companyId = requireCompany(call.companyId ?? params.companyId, "send-message");
        const agentId = requireString(params, "agentId", "send-message");
        const sessionId = requireString(params, "sessionId", "send-message");
        const text = typeof params.text === "string" ? params.text : "";
        return conversations.send(companyId, agentId, sessionId, text);
      });

      ctx.actions.register("keep-alive", async (params, call) => {
        const companyId = requireCompany(call.companyId ?? params.companyId, "keep-alive");
        const agentId = requireString(params, "agentId", "keep-alive");
        const sessionId = requireString(params, "sessionId", "keep-alive");
        return conversations.keepAlive(companyId, agentId, sessionId);
      });

      ctx.actions.register("close-session", async (params, call) => {
        const companyId = requireCompany(call.companyId ?? params.companyId, "close-session");
        const agentId = requireString(params, "agentId", "close-session");
        const sessionId = requireString(params, "sessionId", "close-session");
        return conversations.close(companyId, agentId, sessionId);
      });
    },

    async onHealth() {
      return { status: "ok", message: "Agent Chat is running", details: conversations.stats() };
    },

    async onShutdown() {
      conversations.shutdown();
    },
  });
}

const plugin = createAgentChatPlugin();
export default plugin;

// Starts the JSON-RPC host only when run as `node dist/worker.js`; importing this file (tests) does nothing.
runWorker(plugin, import.meta.url);
