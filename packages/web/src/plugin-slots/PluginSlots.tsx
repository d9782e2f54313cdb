// The generic slot outlet: every ready plugin's component for one slot type (and entity type), each rendered by
// `<PluginComponent>` in its own error boundary with the surface's host context. Renders nothing while empty.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { PluginComponent, type SlotMount } from "@/plugin-ui";
import { useSlotMounts } from "./context";

export interface PluginSlotsProps {
  type: SlotMount["slot"]["type"];
  context: PluginHostContext;
  entityType?: string | null;
  /** Only this plugin's slots (plugin pages, the plugin admin page). */
  pluginId?: string;
  /** Class of the wrapper around all mounts (no wrapper when omitted). */
  className?: string;
  /** Class of each mount's wrapper. */
  itemClassName?: string;
  /** Draw each mount yourself (a card with a title, a list item…). */
  renderItem?: (mount: SlotMount, content: ReactNode) => ReactNode;
  /** Shown while no plugin fills the slot. */
  empty?: ReactNode;
}

export function slotKey(mount: SlotMount): string {
  return `${mount.contribution.pluginId}:${mount.slot.id}`;
}

/** One slot mount: the plugin export with `{slot, context}`, in the plugin's error boundary. */
export function SlotMountView({ mount, context }: { mount: SlotMount; context: PluginHostContext }) {
  return (
    <PluginComponent
      contribution={mount.contribution}
      exportName={mount.slot.exportName}
      props={{ slot: mount.slot }}
      hostContext={context}
    />
  );
}

export function PluginSlots({
  type,
  context,
  entityType,
  pluginId,
  className,
  itemClassName,
  renderItem,
  empty = null,
}: PluginSlotsProps) {
  const all = useSlotMounts(type, entityType);
  const mounts = pluginId ? all.filter((mount) => mount.contribution.pluginId === pluginId) : all;
  if (mounts.length === 0) return <>{empty}</>;
  const items = mounts.map((mount) => {
    const content = <SlotMountView mount={mount} context={context} />;
    if (renderItem) return <SlotKeyed key={slotKey(mount)}>{renderItem(mount, content)}</SlotKeyed>;
    return (
      <div
        key={slotKey(mount)}
        className={cn("min-w-0", itemClassName)}
        data-plugin-slot={mount.slot.id}
        data-plugin={mount.contribution.pluginKey}
      >
        {content}
      </div>
    );
  });
  return className ? <div className={className}>{items}</div> : items;
}

function SlotKeyed({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
