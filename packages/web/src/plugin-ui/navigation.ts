// Host navigation for plugin UI (reference §10.3 `useHostNavigation`): plugin links are written as
// company-relative paths ("/wiki") and resolved into the active company ("/PAP/wiki") without prefixing
// twice; global board paths and other origins are left alone. Pure functions; the hook lives in hooks/.

/** First path segments that are board-wide routes, never company prefixes. */
export const GLOBAL_ROUTE_ROOTS: ReadonlySet<string> = new Set(["instance", "api", "_plugins", "companies"]);

export interface ResolveHrefOptions {
  companyPrefix: string | null | undefined;
  /** The page origin; URLs of other origins are returned as given. */
  origin: string;
  globalRoots?: ReadonlySet<string>;
}

/** True when `to` is an absolute URL of another origin (or a non-http scheme such as mailto:). */
export function isCrossOrigin(to: string, origin: string): boolean {
  if (to.startsWith("//")) return new URL(to, origin).origin !== origin;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(to)) return false;
  try {
    return new URL(to).origin !== origin;
  } catch {
    return true;
  }
}

/** The href of `to` inside the board. */
export function resolveHostHref(to: string, options: ResolveHrefOptions): string {
  const { origin } = options;
  if (to === "" || to.startsWith("#") || to.startsWith("?")) return to;
  if (isCrossOrigin(to, origin)) return to;
  let path = to;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(to) || to.startsWith("//")) {
    // Same-origin absolute URL: keep its path as written (already a board path).
    const url = new URL(to, origin);
    return `${url.pathname}${url.search}${url.hash}`;
  }
  if (!path.startsWith("/")) path = `/${path.replace(/^\.\//, "")}`;
  const prefix = options.companyPrefix?.trim();
  if (!prefix) return path;
  const firstSegment = path.slice(1).split(/[/?#]/, 1)[0] ?? "";
  const roots = options.globalRoots ?? GLOBAL_ROUTE_ROOTS;
  if (firstSegment.toLowerCase() === prefix.toLowerCase() || roots.has(firstSegment)) return path;
  return `/${prefix.toUpperCase()}${path === "/" ? "" : path}`;
}

/** The parts of a click on a link the host decides on. */
export interface LinkClickLike {
  defaultPrevented: boolean;
  button: number;
  metaKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
}

/** Whether a click on a link to `href` should become a router navigation (plain left click, same tab/origin). */
export function shouldRouteClick(
  event: LinkClickLike,
  href: string,
  origin: string,
  target?: string | null,
  hasDownload = false,
): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return false;
  if (target && target !== "_self") return false;
  if (hasDownload) return false;
  return !isCrossOrigin(href, origin);
}
