// What a launcher does when activated (reference §10.1 launcher actions × render environments):
//   navigate / deepLink      → a board route (company-relative targets get the prefix), or a new tab for
//                              `external` and other origins;
//   performAction            → POST /api/plugins/:id/actions/:target, the answer shown in a toast;
//   openModal/Drawer/Popover → a host overlay (hostOverlay, hostInline popovers, iframe), a host route page
//                              (hostRoute) or a new tab (external).
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { useCallback } from "react";
import { useNavigate } from "react-router";
import { paths } from "@/app/paths";
import { toast } from "@/components/ui";
import { type LauncherMount, resolveHostHref } from "@/plugin-ui";
import { callPluginBridge } from "@/plugin-ui/http";
import { type OverlayKind, overlayStore } from "./overlay-store";

const OVERLAY_KIND: Record<string, OverlayKind> = {
  openModal: "modal",
  openDrawer: "drawer",
  openPopover: "popover",
};

/** `/_plugins/<id>/ui/<file>`: a file of the plugin's UI folder (iframe and external surfaces). */
export function pluginUiFileUrl(pluginId: string, file: string): string {
  const clean = file.replace(/^\.?\/+/, "");
  return `/_plugins/${encodeURIComponent(pluginId)}/ui/${clean.split("/").map(encodeURIComponent).join("/")}`;
}

function openInNewTab(href: string): void {
  globalThis.open?.(href, "_blank", "noopener,noreferrer");
}

/** A one-line description of an action's answer for the toast. */
export function describeResult(result: unknown): string {
  if (result === null || result === undefined) return "Done";
  if (typeof result === "string") return result;
  if (typeof result === "object") {
    const message = (result as { message?: unknown }).message;
    if (typeof message === "string" && message) return message;
  }
  const text = JSON.stringify(result);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function bridgeMessage(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}

/** The entity fields a performAction call adds to the launcher's declared params. */
function entityParams(context: PluginHostContext): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (context.entityId) params.entityId = context.entityId;
  if (context.entityType) params.entityType = context.entityType;
  if (context.projectId) params.projectId = context.projectId;
  if (context.parentEntityId) params.parentEntityId = context.parentEntityId;
  return params;
}

/** Returns `launch(mount, context, anchor)`; `anchor` is what a popover points at. */
export function useLaunch() {
  const navigate = useNavigate();
  return useCallback(
    (mount: LauncherMount, context: PluginHostContext, anchor: HTMLElement | null) => {
      const { contribution, launcher } = mount;
      const { type, target, params } = launcher.action;
      const environment = launcher.render?.environment ?? null;
      const origin = globalThis.location?.origin ?? "http://localhost";

      if (type === "navigate" || type === "deepLink") {
        const href = resolveHostHref(target, { companyPrefix: context.companyPrefix, origin });
        const crossOrigin = /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
        if (environment === "external" || crossOrigin) openInNewTab(href);
        else navigate(href);
        return;
      }

      if (type === "performAction") {
        const body = {
          companyId: context.companyId,
          params: { ...entityParams(context), ...(params ?? {}) },
          renderEnvironment: null,
        };
        callPluginBridge(contribution.pluginId, "actions", target, body).then(
          (result) => toast.success(launcher.displayName, describeResult(result)),
          (error: unknown) => toast.error(`${launcher.displayName} failed`, bridgeMessage(error)),
        );
        return;
      }

      const kind = OVERLAY_KIND[type];
      if (!kind) {
        toast.error(`${launcher.displayName}: unknown launcher action "${type}"`);
        return;
      }
      if (environment === "external") {
        openInNewTab(/^https?:\/\//i.test(target) ? target : pluginUiFileUrl(contribution.pluginId, target));
        return;
      }
      if (environment === "hostRoute") {
        if (!context.companyPrefix) {
          toast.error(`${launcher.displayName} opens as a company page: open a company first`);
          return;
        }
        const search = new URLSearchParams();
        if (context.entityType) search.set("entityType", context.entityType);
        if (context.entityId) search.set("entityId", context.entityId);
        if (context.projectId) search.set("projectId", context.projectId);
        if (context.parentEntityId) search.set("parentEntityId", context.parentEntityId);
        const query = search.toString();
        navigate(
          `${paths.pluginLauncher(context.companyPrefix, contribution.pluginKey, launcher.id)}${query ? `?${query}` : ""}`,
        );
        return;
      }
      overlayStore.open({
        kind,
        contribution,
        launcher,
        environment:
          environment === "iframe" ? "iframe" : environment === "hostInline" ? "hostInline" : "hostOverlay",
        bounds: launcher.render?.bounds ?? "default",
        context,
        anchor,
      });
    },
    [navigate],
  );
}
