// The log lines a worker writes during a job run, kept with the run. The worker tags every `log` it sends
// inside the runJob call with that call's paperclipInvocationId; this module learns which invocation belongs to
// which run by wrapping the plugin host services: the scheduler starts the runJob call inside an async context
// carrying the run's buffer, and the invocation begun in that context is bound to the buffer until it ends.
// (Workers on SDKs that never echo invocation ids get their lines in the plugin logs only.)
import { AsyncLocalStorage } from "node:async_hooks";
import type { InvocationHandle, PluginHostServices, PluginIdentity } from "../runtime/contract.js";

export const MAX_RUN_LOG_LINES = 500;
export const MAX_RUN_LOG_LINE_CHARS = 4_000;

/** The lines of one run, bounded: past the limit lines are counted, not kept. */
export class RunLogBuffer {
  readonly lines: string[] = [];
  dropped = 0;
  /** Set once the runJob invocation is bound (only the first invocation begun in the run's context). */
  bound = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  add(level: string, message: string): void {
    if (this.lines.length >= MAX_RUN_LOG_LINES) {
      this.dropped++;
      return;
    }
    const text =
      message.length > MAX_RUN_LOG_LINE_CHARS ? `${message.slice(0, MAX_RUN_LOG_LINE_CHARS)}…` : message;
    this.lines.push(`${this.now().toISOString()} [${level}] ${text}`);
  }

  /** The lines to store, with a note when some were dropped. */
  result(): string[] {
    return this.dropped > 0
      ? [
          ...this.lines,
          `(${this.dropped} more log line(s) not kept: a run keeps at most ${MAX_RUN_LOG_LINES})`,
        ]
      : [...this.lines];
  }
}

export interface RunLogCaptureOptions {
  /** Mask resolved secrets in a plugin's text (the host services' redactor). Identity when absent. */
  redact?: (pluginId: string, text: string) => string;
  now?: () => Date;
}

type HostServicesFactoryLike = {
  forPlugin(plugin: PluginIdentity, hooks: Record<string, unknown>): PluginHostServices;
};

const LOG_LEVELS = new Set(["debug", "info", "warn", "error"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class RunLogCapture {
  private readonly scope = new AsyncLocalStorage<RunLogBuffer>();
  private readonly byInvocation = new Map<string, RunLogBuffer>();

  constructor(private readonly options: RunLogCaptureOptions = {}) {}

  newBuffer(): RunLogBuffer {
    return new RunLogBuffer(this.options.now);
  }

  /** Run `call` (the runJob call) so that the invocation it begins writes its log lines into `buffer`. */
  capture<T>(buffer: RunLogBuffer, call: () => Promise<T>): Promise<T> {
    return this.scope.run(buffer, call);
  }

  /** Invocations currently bound to a run (for tests and diagnostics). */
  get boundCount(): number {
    return this.byInvocation.size;
  }

  /** Wrap a host-services factory so each plugin's services feed run buffers. Everything else is passed through. */
  wrapFactory<F extends HostServicesFactoryLike>(factory: F): F {
    const forPlugin = (plugin: PluginIdentity, hooks: Record<string, unknown>) =>
      this.wrapServices(plugin.pluginId, factory.forPlugin(plugin, hooks));
    return new Proxy(factory, {
      get: (target, property, receiver) =>
        property === "forPlugin" ? forPlugin : Reflect.get(target, property, receiver),
    });
  }

  wrapServices(pluginId: string, inner: PluginHostServices): PluginHostServices {
    const capture = this;
    const wrapped: PluginHostServices = {
      beginInvocation(companyId: string | null): InvocationHandle {
        const handle = inner.beginInvocation(companyId);
        const buffer = capture.scope.getStore();
        if (!buffer || buffer.bound) return handle;
        buffer.bound = true;
        capture.byInvocation.set(handle.id, buffer);
        const end = handle.end.bind(handle);
        return Object.assign(
          Object.create(Object.getPrototypeOf(handle) as object) as InvocationHandle,
          handle,
          {
            end: () => {
              capture.byInvocation.delete(handle.id);
              end();
            },
          },
        );
      },
      handleRequest(method, params, message) {
        if (method === "log") capture.collect(pluginId, params, message.paperclipInvocationId);
        return inner.handleRequest(method, params, message);
      },
      handleNotification(method, params, message) {
        if (method === "log") capture.collect(pluginId, params, message.paperclipInvocationId);
        inner.handleNotification(method, params, message);
      },
      echoesInvocationIds: () => inner.echoesInvocationIds(),
      resetWorkerRegistrations: () => inner.resetWorkerRegistrations(),
      dispose: () => inner.dispose(),
    };
    if (inner.appendStderr) wrapped.appendStderr = (line) => inner.appendStderr?.(line);
    if (inner.workerExited) wrapped.workerExited = (reason) => inner.workerExited?.(reason);
    return wrapped;
  }

  private collect(pluginId: string, params: unknown, invocationId: string | undefined): void {
    if (!invocationId) return;
    const buffer = this.byInvocation.get(invocationId);
    if (!buffer || !isRecord(params)) return;
    const level = typeof params.level === "string" && LOG_LEVELS.has(params.level) ? params.level : "info";
    const raw = typeof params.message === "string" ? params.message : JSON.stringify(params.message ?? "");
    buffer.add(level, this.options.redact ? this.options.redact(pluginId, raw) : raw);
  }
}
