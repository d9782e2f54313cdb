// What this host can do for worker isolation, in one place: the start-up log, `paperclip doctor` and the Sandbox tab
// all show the same facts and words.
import { type NetworkIsolationMode, networkIsolation } from "./network-isolation.js";
import { describePermissionModel, permissionModel } from "./node-permissions.js";

export interface HostSandboxStatus {
  /** Workers are sandboxed unless the host was started with the sandbox off. */
  enabled: boolean;
  /** How it was switched off, e.g. "PAPERCLIP_PLUGIN_SANDBOX=off"; null while on. */
  disabledBy: string | null;
  permissionModel: { flag: string | null; nodeVersion: string; description: string };
  network: { mode: NetworkIsolationMode; isolated: boolean; description: string };
}

export interface HostSandboxSwitch {
  enabled: boolean;
  disabledBy?: string | null;
}

export async function hostSandboxStatus(sandbox: HostSandboxSwitch): Promise<HostSandboxStatus> {
  const model = permissionModel();
  const network = await networkIsolation();
  return {
    enabled: sandbox.enabled,
    disabledBy: sandbox.enabled ? null : (sandbox.disabledBy ?? "host setting"),
    permissionModel: {
      flag: model.flag,
      nodeVersion: model.nodeVersion,
      description: describePermissionModel(model),
    },
    network: { mode: network.mode, isolated: network.mode !== "none", description: network.description },
  };
}

export interface SandboxStatusLine {
  level: "ok" | "warn";
  message: string;
}

/** The status as lines, each a fact or a warning (the host logs them at start; doctor prints them). */
export function describeHostSandbox(status: HostSandboxStatus): SandboxStatusLine[] {
  if (!status.enabled) {
    return [
      {
        level: "warn",
        message:
          `plugin sandbox is OFF (${status.disabledBy}): every worker can read and write every file the host can, ` +
          "start processes and open sockets, including to the host's own port. Use it only to debug.",
      },
    ];
  }
  return [
    {
      level: status.permissionModel.flag ? "ok" : "warn",
      message: `plugin sandbox: ${status.permissionModel.description}`,
    },
    {
      level: status.network.isolated ? "ok" : "warn",
      message: status.network.isolated
        ? `plugin network isolation: ${status.network.description}`
        : `plugin network isolation unavailable: ${status.network.description}`,
    },
  ];
}
