// ctx.secrets → secrets.resolve
import type { PluginSecretsClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildSecretsClient(host: HostLink): PluginSecretsClient {
  return {
    resolve: (secretRef, options = {}) =>
      host.call("secrets.resolve", {
        secretRef,
        companyId: options.companyId,
        configPath: options.configPath,
      }),
  };
}
