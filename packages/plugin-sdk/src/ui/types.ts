// Types of the plugin UI SDK (`@paperclipai/plugin-sdk/ui/types`): the host context a plugin component
// renders in, the results of the bridge hooks, host navigation, toasts, and the props each slot receives.
// Type-only: this module has no runtime exports.
import type { AnchorHTMLAttributes, MouseEvent as ReactMouseEvent } from "react";
import type { PluginBridgeErrorCode } from "../constants.js";
import type {
  PluginLauncherRenderContextSnapshot,
  PluginModalBoundsRequest,
  PluginRenderCloseEvent,
} from "../types/domain.js";

export type {
  PluginBridgeErrorCode,
  PluginLauncherBounds,
  PluginLauncherRenderEnvironment,
} from "../constants.js";
export type {
  PluginLauncherRenderContextSnapshot,
  PluginModalBoundsRequest,
  PluginRenderCloseEvent,
} from "../types/domain.js";

/** A failed data/action/stream call, as the host bridge reports it to plugin UI code. */
export interface PluginBridgeError {
  code: PluginBridgeErrorCode;
  message: string;
  details?: unknown;
}

/** Where the plugin component is rendered: the active company and, for entity slots, the entity. */
export interface PluginHostContext {
  companyId: string | null;
  companyPrefix: string | null;
  projectId: string | null;
  entityId: string | null;
  entityType: string | null;
  parentEntityId?: string | null;
  userId: string | null;
  renderEnvironment?: PluginRenderEnvironmentContext | null;
}

export type PluginRenderCloseHandler = (event: PluginRenderCloseEvent) => void | Promise<void>;

/** Hooks into the closing of a host overlay (modal, drawer, popover) a launcher opened. */
export interface PluginRenderCloseLifecycle {
  onBeforeClose?(handler: PluginRenderCloseHandler): () => void;
  onClose?(handler: PluginRenderCloseHandler): () => void;
}

/** The launcher render environment plus what the host overlay offers the plugin. */
export interface PluginRenderEnvironmentContext extends PluginLauncherRenderContextSnapshot {
  requestModalBounds?(request: PluginModalBoundsRequest): Promise<void>;
  closeLifecycle?: PluginRenderCloseLifecycle | null;
}

export interface HostNavigationOptions {
  replace?: boolean;
  state?: unknown;
}

export interface HostNavigationLinkOptions extends HostNavigationOptions {
  target?: AnchorHTMLAttributes<HTMLAnchorElement>["target"];
  rel?: AnchorHTMLAttributes<HTMLAnchorElement>["rel"];
}

export interface HostNavigationLinkProps
  extends Pick<AnchorHTMLAttributes<HTMLAnchorElement>, "href" | "target" | "rel"> {
  onClick: (event: ReactMouseEvent<HTMLAnchorElement>) => void;
}

export interface HostLocation {
  pathname: string;
  search: string;
  hash: string;
  state?: unknown;
}

export interface HostNavigation {
  /** The real href for `to` (company prefix added when needed). */
  resolveHref(to: string): string;
  /** Navigate through the host router (a full navigation for other origins). */
  navigate(to: string, options?: HostNavigationOptions): void;
  /** `href`/`target`/`rel`/`onClick` for an `<a>` that navigates through the host router on plain clicks. */
  linkProps(to: string, options?: HostNavigationLinkOptions): HostNavigationLinkProps;
}

export interface PluginPageProps {
  context: PluginHostContext;
}

export interface PluginCompanySettingsPageProps {
  context: PluginHostContext;
}

export interface PluginWidgetProps {
  context: PluginHostContext;
}

export interface PluginDetailTabProps {
  context: PluginHostContext & {
    entityId: string;
    entityType: string;
  };
}

export interface PluginSidebarProps {
  context: PluginHostContext;
}

export interface PluginRouteSidebarProps {
  context: PluginHostContext;
}

export interface PluginProjectSidebarItemProps {
  context: PluginHostContext & {
    entityId: string;
    entityType: "project";
  };
}

export interface PluginCommentAnnotationProps {
  context: PluginHostContext & {
    entityId: string;
    entityType: "comment";
    parentEntityId: string;
  };
}

export interface PluginCommentContextMenuItemProps {
  context: PluginHostContext & {
    entityId: string;
    entityType: "comment";
    parentEntityId: string;
  };
}

export interface PluginSettingsPageProps {
  context: PluginHostContext;
}

/** What `usePluginData` returns. */
export interface PluginDataResult<T = unknown> {
  data: T | null;
  loading: boolean;
  error: PluginBridgeError | null;
  refresh(): void;
}

export type PluginToastTone = "info" | "success" | "warn" | "error";

export interface PluginToastAction {
  label: string;
  href: string;
}

export interface PluginToastInput {
  id?: string;
  /** Toasts with the same key replace each other instead of stacking. */
  dedupeKey?: string;
  title: string;
  body?: string;
  tone?: PluginToastTone;
  ttlMs?: number;
  action?: PluginToastAction;
}

/** Shows a toast; returns its id (null when the host dropped it). */
export type PluginToastFn = (input: PluginToastInput) => string | null;

/** What `usePluginStream` returns. */
export interface PluginStreamResult<T = unknown> {
  events: T[];
  lastEvent: T | null;
  connecting: boolean;
  connected: boolean;
  error: Error | null;
  close(): void;
}

/** What `usePluginAction` returns: runs the action, rejects with a `PluginBridgeError`. */
export type PluginActionFn = (params?: Record<string, unknown>) => Promise<unknown>;
