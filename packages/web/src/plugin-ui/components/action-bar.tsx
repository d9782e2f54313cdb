// ActionBar for plugin UIs: buttons that run the mounted plugin's actions through the bridge
// (`usePluginAction`), with an optional confirmation, a busy state per button and the error shown inline.
import type { ActionBarItem, ActionBarProps, PluginBridgeError } from "@paperclipai/plugin-sdk/ui";
import { useState } from "react";
import { toPluginBridgeError } from "../bridge-errors.js";
import { renderEnvironmentSnapshot } from "../hooks/host-context.js";
import { callPluginBridge } from "../http.js";
import { usePluginMount } from "../mount-context.js";
import { cn } from "./cn.js";

const VARIANTS = {
  default:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  primary:
    "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300",
  destructive: "bg-red-600 text-white hover:bg-red-500",
} as const;

export function ActionBar({ actions, onSuccess, onError }: ActionBarProps) {
  const { pluginId, hostContext } = usePluginMount("ActionBar");
  const [running, setRunning] = useState<string | null>(null);
  const [failure, setFailure] = useState<PluginBridgeError | null>(null);

  const run = async (item: ActionBarItem) => {
    if (item.confirm && !globalThis.confirm(item.confirmMessage ?? `Run "${item.label}"?`)) return;
    setRunning(item.actionKey);
    setFailure(null);
    try {
      const result = await callPluginBridge(pluginId, "actions", item.actionKey, {
        companyId: hostContext.companyId ?? null,
        params: item.params ?? {},
        renderEnvironment: renderEnvironmentSnapshot(hostContext),
      });
      onSuccess?.(item.actionKey, result);
    } catch (error) {
      const bridgeError = toPluginBridgeError(error);
      setFailure(bridgeError);
      onError?.(item.actionKey, bridgeError);
    } finally {
      setRunning(null);
    }
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {actions.map((item) => (
          <button
            key={`${item.actionKey}-${item.label}`}
            type="button"
            disabled={running !== null}
            aria-busy={running === item.actionKey}
            onClick={() => void run(item)}
            className={cn(
              "rounded-md px-3 py-1.5 font-medium text-sm disabled:opacity-60",
              VARIANTS[item.variant ?? "default"] ?? VARIANTS.default,
            )}
          >
            {running === item.actionKey ? `${item.label}…` : item.label}
          </button>
        ))}
      </div>
      {failure ? (
        <div role="alert" className="text-red-700 text-sm dark:text-red-300">
          {failure.message}
        </div>
      ) : null}
    </div>
  );
}
