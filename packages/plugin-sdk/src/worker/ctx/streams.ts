// ctx.streams → the streams.open | streams.emit | streams.close notifications
import type { PluginStreamsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildStreamsClient(host: HostLink): PluginStreamsClient {
  // emit/close name only the channel; the company comes from the matching open().
  const channelCompanies = new Map<string, string>();
  return {
    open(channel, companyId) {
      channelCompanies.set(channel, companyId);
      host.notify("streams.open", { channel, companyId });
    },
    emit(channel, event) {
      host.notify("streams.emit", { channel, companyId: channelCompanies.get(channel) ?? "", event });
    },
    close(channel) {
      const companyId = channelCompanies.get(channel) ?? "";
      channelCompanies.delete(channel);
      host.notify("streams.close", { channel, companyId });
    },
  };
}
