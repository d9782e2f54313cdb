// `sidebar` slot: the "Agent Chat" entry in the company sidebar, a link to the page.
import { useHostNavigation } from "@paperclipai/plugin-sdk/ui";
import { PAGE_ROUTE } from "./wire.js";

export function AgentChatSidebar() {
  const navigation = useHostNavigation();
  return (
    <a {...navigation.linkProps(PAGE_ROUTE)} data-testid="agent-chat-sidebar-link">
      Agent Chat
    </a>
  );
}
