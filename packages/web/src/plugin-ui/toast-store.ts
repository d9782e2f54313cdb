// The board-side store of plugin toasts (`usePluginToast`, reference §10.3): a toast with a `dedupeKey`
// replaces the visible one with the same key instead of stacking; each toast expires after `ttlMs`
// (default 5 s, errors 8 s; 0 or less keeps it until dismissed). Framework-free, read by the viewport
// through useSyncExternalStore. If the board grows its own toast system it can take these over via `onShow`.
import type { PluginToastInput, PluginToastTone } from "@paperclipai/plugin-sdk/ui/types";

export interface PluginToast {
  id: string;
  pluginId: string | null;
  title: string;
  body?: string;
  tone: PluginToastTone;
  dedupeKey?: string;
  action?: { label: string; href: string };
  createdAt: number;
  ttlMs: number;
}

export interface ToastStoreOptions {
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Toasts kept at most; the oldest go first. Default 5. */
  maxVisible?: number;
}

export const DEFAULT_TOAST_TTL_MS = 5_000;
export const DEFAULT_ERROR_TOAST_TTL_MS = 8_000;
const TONES: ReadonlySet<string> = new Set(["info", "success", "warn", "error"]);

export class PluginToastStore {
  private toasts: readonly PluginToast[] = [];
  private readonly timers = new Map<string, unknown>();
  private readonly listeners = new Set<() => void>();
  private counter = 0;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly maxVisible: number;

  constructor(options: ToastStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
    this.maxVisible = options.maxVisible ?? 5;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): readonly PluginToast[] => this.toasts;

  /** Show a toast; returns its id, or null when the input has no title. */
  show(input: PluginToastInput, pluginId: string | null = null): string | null {
    if (typeof input?.title !== "string" || input.title.trim() === "") return null;
    const tone: PluginToastTone = input.tone && TONES.has(input.tone) ? input.tone : "info";
    const ttlMs =
      typeof input.ttlMs === "number" && Number.isFinite(input.ttlMs)
        ? input.ttlMs
        : tone === "error"
          ? DEFAULT_ERROR_TOAST_TTL_MS
          : DEFAULT_TOAST_TTL_MS;
    const dedupeKey = input.dedupeKey ? `${pluginId ?? ""}\u0000${input.dedupeKey}` : undefined;
    const replaced = this.toasts.find(
      (toast) =>
        (input.id !== undefined && toast.id === input.id) || (dedupeKey && toast.dedupeKey === dedupeKey),
    );
    const id = replaced?.id ?? input.id ?? `plugin-toast-${++this.counter}`;
    const toast: PluginToast = {
      id,
      pluginId,
      title: input.title,
      tone,
      createdAt: this.now(),
      ttlMs,
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(dedupeKey ? { dedupeKey } : {}),
      ...(input.action && typeof input.action.href === "string"
        ? { action: { label: input.action.label, href: input.action.href } }
        : {}),
    };
    let next = replaced
      ? this.toasts.map((existing) => (existing === replaced ? toast : existing))
      : [...this.toasts, toast];
    while (next.length > this.maxVisible) {
      this.stopTimer(next[0]!.id);
      next = next.slice(1);
    }
    this.toasts = next;
    this.stopTimer(id);
    if (ttlMs > 0)
      this.timers.set(
        id,
        this.setTimer(() => this.dismiss(id), ttlMs),
      );
    this.emit();
    return id;
  }

  dismiss(id: string): void {
    this.stopTimer(id);
    const next = this.toasts.filter((toast) => toast.id !== id);
    if (next.length === this.toasts.length) return;
    this.toasts = next;
    this.emit();
  }

  clear(): void {
    for (const id of [...this.timers.keys()]) this.stopTimer(id);
    this.toasts = [];
    this.emit();
  }

  private stopTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) this.clearTimer(timer);
    this.timers.delete(id);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The board's one plugin toast store. */
export const pluginToasts = new PluginToastStore();
