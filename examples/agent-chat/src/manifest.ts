// The Agent Chat manifest: a company page where a person chats with one of the company's agents, and a sidebar
// entry to it. The capabilities are exactly what the worker and the two slots use (see the README's table).
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export const PLUGIN_ID = "paperclip.agent-chat";
/** The `page` route segment: `/:companyPrefix/agent-chat`. */
export const ROUTE_PATH = "agent-chat";

const manifest: PaperclipPluginManifestV1 = {
  id: PLUGIN_ID,
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Agent Chat",
  description:
    "Chat with the company's agents: pick an agent, send a message and watch the reply stream in live.",
  author: "Paperclip plugin platform",
  categories: ["ui"],
  capabilities: [
    // ctx.agents.list / get: the agent picker and the checks before opening a session
    "agents.read",
    // ctx.agents.sessions.*: one conversation per agent, found again after a worker restart through list
    "agent.sessions.create",
    "agent.sessions.list",
    "agent.sessions.send",
    "agent.sessions.close",
    // the transcript of each conversation, kept in company-scoped plugin state
    "plugin.state.read",
    "plugin.state.write",
    // the page and its sidebar entry
    "ui.page.register",
    "ui.sidebar.register",
  ],
  entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
  ui: {
    slots: [
      {
        type: "page",
        id: "agent-chat-page",
        displayName: "Agent Chat",
        exportName: "AgentChatPage",
        routePath: ROUTE_PATH,
      },
      {
        type: "sidebar",
        id: "agent-chat-sidebar",
        displayName: "Agent Chat",
        exportName: "AgentChatSidebar",
      },
    ],
  },
};

export default manifest;
