// The on-screen stack of plugin toasts (bottom right). Mount `<PluginToastViewport />` once in the board's
// layout; toasts come from `usePluginToast()` through the plugin toast store.
import { useSyncExternalStore } from "react";
import { useInRouterContext } from "react-router";
import { cn } from "./components/cn.js";
import { useHostNavigation } from "./hooks/navigation.js";
import { type PluginToast, pluginToasts } from "./toast-store.js";

const TONES: Record<PluginToast["tone"], string> = {
  info: "border-sky-200 dark:border-sky-900",
  success: "border-emerald-200 dark:border-emerald-900",
  warn: "border-amber-200 dark:border-amber-900",
  error: "border-red-200 dark:border-red-900",
};
const DOTS: Record<PluginToast["tone"], string> = {
  info: "bg-sky-500",
  success: "bg-emerald-500",
  warn: "bg-amber-500",
  error: "bg-red-500",
};

const LINK = "mt-1 inline-block font-medium text-sky-700 hover:underline dark:text-sky-400";

/** An action link navigating through the router (same-origin) with the toast's plugin-relative href. */
function RoutedLink({ href, label }: { href: string; label: string }) {
  const navigation = useHostNavigation();
  return (
    <a {...navigation.linkProps(href)} className={LINK}>
      {label}
    </a>
  );
}

/** Mount once; inside the router, action links navigate without a reload. */
export function PluginToastViewport() {
  const toasts = useSyncExternalStore(pluginToasts.subscribe, pluginToasts.snapshot, pluginToasts.snapshot);
  const inRouter = useInRouterContext();
  if (toasts.length === 0) return null;
  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed right-4 bottom-4 z-[100] flex w-80 flex-col gap-2"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role={toast.tone === "error" ? "alert" : "status"}
          className={cn(
            "pointer-events-auto rounded-lg border bg-white p-3 text-sm shadow-lg dark:bg-zinc-900",
            TONES[toast.tone],
          )}
        >
          <div className="flex items-start gap-2">
            <span
              aria-hidden="true"
              className={cn("mt-1.5 size-2 shrink-0 rounded-full", DOTS[toast.tone])}
            />
            <div className="min-w-0 flex-1">
              <div className="font-medium text-zinc-900 dark:text-zinc-100">{toast.title}</div>
              {toast.body ? (
                <div className="mt-0.5 text-zinc-600 dark:text-zinc-400">{toast.body}</div>
              ) : null}
              {toast.action ? (
                inRouter ? (
                  <RoutedLink href={toast.action.href} label={toast.action.label} />
                ) : (
                  <a href={toast.action.href} className={LINK}>
                    {toast.action.label}
                  </a>
                )
              ) : null}
            </div>
            <button
              type="button"
              aria-label="Dismiss"
              onClick={() => pluginToasts.dismiss(toast.id)}
              className="text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200"
            >
              ×
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
