import { Dialog as DialogPrimitive } from "radix-ui";
import { type ReactNode, useEffect, useState } from "react";
import { useLocation, useNavigation } from "react-router";
import { ErrorState } from "@/components/ui";
import { PluginOverlayHost } from "@/plugin-slots/PluginOverlayHost";
import { PluginToastViewport } from "@/plugin-ui";
import { BreadcrumbsProvider } from "./breadcrumbs";
import { ErrorBoundary } from "./ErrorBoundary";
import { TopBar } from "./TopBar";

/**
 * The frame of every screen: sidebar (a drawer below the md breakpoint), top bar, and the scrolling main
 * area. A render error inside the main area shows an error with Retry there and leaves the rest usable.
 */
export function AppShell({ sidebar, children }: { sidebar: ReactNode; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();

  // Close the drawer when a link in it navigates.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <BreadcrumbsProvider>
      <div className="flex h-dvh overflow-hidden bg-background">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <aside
          aria-label="Sidebar"
          className="hidden w-60 shrink-0 border-r border-sidebar-border bg-sidebar md:block"
        >
          {sidebar}
        </aside>
        <DialogPrimitive.Root open={menuOpen} onOpenChange={setMenuOpen}>
          <DialogPrimitive.Portal>
            <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/40 animate-fade-in md:hidden" />
            <DialogPrimitive.Content
              aria-describedby={undefined}
              className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r border-sidebar-border bg-sidebar shadow-xl animate-slide-in-left focus:outline-none md:hidden"
            >
              <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
              {sidebar}
            </DialogPrimitive.Content>
          </DialogPrimitive.Portal>
        </DialogPrimitive.Root>
        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar onOpenMenu={() => setMenuOpen(true)} />
          <NavigationProgress />
          <main id="main" tabIndex={-1} className="min-h-0 flex-1 overflow-y-auto focus:outline-none">
            <ErrorBoundary
              resetKeys={[location.pathname]}
              fallback={({ error, reset }) => (
                <ErrorState
                  title="This page failed to display"
                  error={error}
                  onRetry={reset}
                  className="min-h-[60vh]"
                />
              )}
            >
              {children}
            </ErrorBoundary>
          </main>
        </div>
      </div>
      <PluginOverlayHost />
      <PluginToastViewport />
    </BreadcrumbsProvider>
  );
}

/** A thin bar under the top bar while the router loads the next page's code. */
function NavigationProgress() {
  const navigation = useNavigation();
  const [visible, setVisible] = useState(false);
  const busy = navigation.state !== "idle";
  useEffect(() => {
    if (!busy) {
      setVisible(false);
      return;
    }
    // Fast navigations never flash the bar.
    const timer = setTimeout(() => setVisible(true), 120);
    return () => clearTimeout(timer);
  }, [busy]);
  return (
    <div aria-hidden className="relative h-0.5 shrink-0 overflow-hidden">
      {visible ? <div className="absolute inset-y-0 w-1/3 bg-ring animate-progress" /> : null}
    </div>
  );
}
