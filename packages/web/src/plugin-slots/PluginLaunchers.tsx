// Launchers drawn by the host (reference §10.1): one button or menu item per launcher of a placement zone,
// labelled with its displayName (its description as the tooltip text), activated through `useLaunch`.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { ExternalLink } from "lucide-react";
import type { MouseEvent } from "react";
import { Button } from "@/components/ui";
import { cn } from "@/lib/cn";
import type { LauncherMount } from "@/plugin-ui";
import { useLauncherMounts } from "./context";
import { useLaunch } from "./launch";

export type LauncherVariant = "button" | "menu" | "nav" | "subtle";

const VARIANT_CLASSES: Record<Exclude<LauncherVariant, "button">, string> = {
  menu: "flex w-full cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-accent hover:text-accent-foreground focus-visible:bg-accent focus-visible:outline-offset-[-2px]",
  nav: "flex h-8 w-full cursor-pointer items-center gap-2.5 rounded-md px-2 text-left text-sm font-medium text-sidebar-foreground transition-colors hover:bg-sidebar-accent/70 hover:text-foreground focus-visible:outline-offset-[-2px]",
  subtle:
    "flex h-7 w-full cursor-pointer items-center gap-2 rounded-md px-2 text-left text-[13px] text-muted-foreground transition-colors hover:bg-sidebar-accent/70 hover:text-foreground focus-visible:outline-offset-[-2px]",
};

function opensNewTab(mount: LauncherMount): boolean {
  const { action, render } = mount.launcher;
  if (render?.environment === "external") return true;
  return (action.type === "navigate" || action.type === "deepLink") && /^https?:\/\//i.test(action.target);
}

export interface LauncherButtonProps {
  mount: LauncherMount;
  context: PluginHostContext;
  variant?: LauncherVariant;
  /** What a popover opened from here points at; default the button itself. */
  anchor?: () => HTMLElement | null;
  /** Called after activation (a menu closes itself). */
  onLaunched?: () => void;
  className?: string;
}

export function LauncherButton({
  mount,
  context,
  variant = "button",
  anchor,
  onLaunched,
  className,
}: LauncherButtonProps) {
  const launch = useLaunch();
  const { launcher, contribution } = mount;
  const newTab = opensNewTab(mount);
  const onClick = (event: MouseEvent<HTMLButtonElement>) => {
    const target = anchor?.() ?? event.currentTarget;
    launch(mount, context, target);
    onLaunched?.();
  };
  const label = (
    <>
      <span className="min-w-0 truncate">{launcher.displayName}</span>
      {newTab ? (
        <>
          <ExternalLink aria-hidden className="size-3.5 shrink-0 opacity-70" />
          <span className="sr-only"> (opens in a new tab)</span>
        </>
      ) : null}
    </>
  );
  const common = {
    "data-plugin-launcher": launcher.id,
    "data-plugin": contribution.pluginKey,
    title: launcher.description ?? undefined,
    onClick,
  };
  if (variant === "button") {
    return (
      <Button variant="outline" size="sm" className={cn("max-w-56", className)} {...common}>
        {label}
      </Button>
    );
  }
  return (
    <button type="button" className={cn(VARIANT_CLASSES[variant], className)} {...common}>
      {label}
    </button>
  );
}

export interface PluginLaunchersProps {
  zone: LauncherMount["launcher"]["placementZone"];
  context: PluginHostContext;
  /** Only launchers for this entity type (launchers without entityTypes match any). */
  entityType?: string | null;
  variant?: LauncherVariant;
  anchor?: () => HTMLElement | null;
  onLaunched?: () => void;
  className?: string;
  itemClassName?: string;
  /** Wrap each launcher in an <li> (inside a list the caller draws). */
  asListItems?: boolean;
}

/** Every launcher of `zone`, in manifest order; nothing while there is none. */
export function PluginLaunchers({
  zone,
  context,
  entityType,
  variant,
  anchor,
  onLaunched,
  className,
  itemClassName,
  asListItems = false,
}: PluginLaunchersProps) {
  const mounts = useLauncherMounts(zone, entityType);
  if (mounts.length === 0) return null;
  const buttons = mounts.map((mount) => {
    const button = (
      <LauncherButton
        key={`${mount.contribution.pluginId}:${mount.launcher.id}`}
        mount={mount}
        context={context}
        variant={variant}
        anchor={anchor}
        onLaunched={onLaunched}
        className={itemClassName}
      />
    );
    return asListItems ? (
      <li key={`${mount.contribution.pluginId}:${mount.launcher.id}`}>{button}</li>
    ) : (
      button
    );
  });
  if (asListItems) return <>{buttons}</>;
  return className ? <div className={className}>{buttons}</div> : buttons;
}
