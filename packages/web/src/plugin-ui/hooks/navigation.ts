// `useHostNavigation()` and `useHostLocation()` (reference §10.3) on the board's React Router: company-prefixed
// hrefs, router navigation for same-origin targets and a full page load for other origins.
import type {
  HostLocation,
  HostNavigation,
  HostNavigationLinkOptions,
  HostNavigationOptions,
} from "@paperclipai/plugin-sdk/ui/types";
import type { MouseEvent as ReactMouseEvent } from "react";
import { useMemo } from "react";
import { useLocation, useNavigate } from "react-router";
import { useOptionalPluginMount } from "../mount-context.js";
import { isCrossOrigin, resolveHostHref, shouldRouteClick } from "../navigation.js";

function pageOrigin(): string {
  return globalThis.location?.origin ?? "http://localhost";
}

export function useHostNavigation(): HostNavigation {
  const navigateInRouter = useNavigate();
  const mount = useOptionalPluginMount();
  const companyPrefix = mount?.hostContext.companyPrefix ?? null;
  return useMemo(() => {
    const resolveHref = (to: string) => resolveHostHref(to, { companyPrefix, origin: pageOrigin() });
    const navigate = (to: string, options: HostNavigationOptions = {}) => {
      const href = resolveHref(to);
      if (isCrossOrigin(href, pageOrigin())) {
        if (options.replace) globalThis.location.replace(href);
        else globalThis.location.assign(href);
        return;
      }
      navigateInRouter(href, { replace: options.replace ?? false, state: options.state });
    };
    const linkProps = (to: string, options: HostNavigationLinkOptions = {}) => {
      const href = resolveHref(to);
      const crossOrigin = isCrossOrigin(href, pageOrigin());
      const target = options.target ?? undefined;
      const rel = options.rel ?? (crossOrigin && target === "_blank" ? "noopener noreferrer" : undefined);
      return {
        href,
        ...(target !== undefined ? { target } : {}),
        ...(rel !== undefined ? { rel } : {}),
        onClick: (event: ReactMouseEvent<HTMLAnchorElement>) => {
          const hasDownload = event.currentTarget?.hasAttribute?.("download") ?? false;
          if (!shouldRouteClick(event, href, pageOrigin(), target, hasDownload)) return;
          event.preventDefault();
          navigate(to, options);
        },
      };
    };
    return { resolveHref, navigate, linkProps };
  }, [companyPrefix, navigateInRouter]);
}

export function useHostLocation(): HostLocation {
  const location = useLocation();
  return useMemo(
    () => ({
      pathname: location.pathname,
      search: location.search,
      hash: location.hash,
      state: location.state,
    }),
    [location.pathname, location.search, location.hash, location.state],
  );
}
