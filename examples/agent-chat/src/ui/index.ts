// The Agent Chat UI bundle entry: one named export per manifest slot `exportName`. The host registers every
// exported function as a component under `paperclip.agent-chat:<exportName>`.
export { AgentChatPage } from "./page.js";
export { AgentChatSidebar } from "./sidebar.js";
