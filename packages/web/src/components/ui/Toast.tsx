// Toasts: brief, non-blocking confirmations and failures. Call `toast.success("Issue created")` or
// `toast.error("Could not save", error)` from anywhere (no hook needed); <Toaster /> is mounted once in App.
// Failed mutations toast automatically (see app/queryClient.ts), so pages rarely call toast.error themselves.

import { CircleCheck, CircleX, Info, X } from "lucide-react";
import { Toast as ToastPrimitive } from "radix-ui";
import { type ReactNode, useSyncExternalStore } from "react";
import { errorMessage } from "@/api/client";
import { cn } from "@/lib/cn";

export type ToastTone = "default" | "success" | "error";

export interface ToastInput {
  title: ReactNode;
  description?: ReactNode;
  tone?: ToastTone;
  /** ms; errors stay longer by default. */
  duration?: number;
  action?: { label: string; onClick: () => void };
}

interface ToastItem extends ToastInput {
  id: number;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const listener of listeners) listener();
};
const MAX_VISIBLE = 4;

export function dismissToast(id: number): void {
  items = items.filter((item) => item.id !== id);
  emit();
}

/** Shows a toast and returns its id. */
export function toast(input: ToastInput | string): number {
  const item: ToastItem = { id: nextId++, ...(typeof input === "string" ? { title: input } : input) };
  items = [...items, item].slice(-MAX_VISIBLE);
  emit();
  return item.id;
}

toast.success = (title: ReactNode, description?: ReactNode) => toast({ title, description, tone: "success" });
/** `toast.error("Could not delete the issue", error)`: the error's message becomes the description. */
toast.error = (title: ReactNode, error?: unknown) =>
  toast({
    title,
    description: error === undefined ? undefined : typeof error === "string" ? error : errorMessage(error),
    tone: "error",
  });

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => items;

const icons = {
  default: <Info aria-hidden className="size-4 text-muted-foreground" />,
  success: <CircleCheck aria-hidden className="size-4 text-success" />,
  error: <CircleX aria-hidden className="size-4 text-destructive" />,
};

/** Renders the toast stack (bottom right). Mounted once, in App. */
export function Toaster() {
  const current = useSyncExternalStore(subscribe, snapshot, snapshot);
  return (
    <ToastPrimitive.Provider swipeDirection="right">
      {current.map((item) => {
        const tone = item.tone ?? "default";
        return (
          <ToastPrimitive.Root
            key={item.id}
            type={tone === "error" ? "foreground" : "background"}
            duration={item.duration ?? (tone === "error" ? 8000 : 4000)}
            onOpenChange={(open) => {
              if (!open) dismissToast(item.id);
            }}
            className={cn(
              "group pointer-events-auto relative flex w-full items-start gap-3 rounded-lg border bg-popover p-3 pr-9 text-popover-foreground shadow-lg animate-toast-in",
              "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=end]:translate-x-(--radix-toast-swipe-end-x) data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-transform",
              tone === "error" && "border-destructive/30",
            )}
          >
            <span className="mt-0.5">{icons[tone]}</span>
            <div className="grid min-w-0 flex-1 gap-0.5">
              <ToastPrimitive.Title className="text-sm font-medium">{item.title}</ToastPrimitive.Title>
              {item.description ? (
                <ToastPrimitive.Description className="text-sm break-words text-muted-foreground">
                  {item.description}
                </ToastPrimitive.Description>
              ) : null}
              {item.action ? (
                <ToastPrimitive.Action
                  altText={item.action.label}
                  onClick={item.action.onClick}
                  className="mt-1.5 w-fit cursor-pointer rounded-md border px-2 py-0.5 text-xs font-medium hover:bg-accent"
                >
                  {item.action.label}
                </ToastPrimitive.Action>
              ) : null}
            </div>
            <ToastPrimitive.Close
              aria-label="Dismiss notification"
              className="absolute top-2.5 right-2.5 inline-flex size-6 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground"
            >
              <X aria-hidden className="size-3.5" />
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        );
      })}
      <ToastPrimitive.Viewport
        label="Notifications ({hotkey})"
        className="fixed right-0 bottom-0 z-[100] flex max-h-screen w-full flex-col gap-2 p-4 outline-none sm:max-w-sm"
      />
    </ToastPrimitive.Provider>
  );
}
