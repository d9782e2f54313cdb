// The log lines a worker writes during a job run, kept with the run. The worker tags every `log` it sends inside
// the runJob call with that call's paperclipInvocationId; this module learns which invocation belongs to which run
// through the host services' sinks: the scheduler starts the runJob call inside an async context carrying the
// run's buffer, and the invocation begun in that context is bound to the buffer until it ends (onInvocation); the
// lines tagged with it go to the buffer (onLog). (Workers on SDKs that never echo invocation ids get their lines in
// the plugin logs only.)
import { AsyncLocalStorage } from "node:async_hooks";
import type { PluginHostSinks } from "../host-services/index.js";

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

export class RunLogCapture {
  private readonly scope = new AsyncLocalStorage<RunLogBuffer>();
  private readonly byInvocation = new Map<string, RunLogBuffer>();

  constructor(private readonly options: RunLogCaptureOptions = {}) {}

  /** Give these to the host services factory (`sinks`): they feed the run buffers. */
  readonly sinks: PluginHostSinks = {
    onInvocation: (_plugin, invocation) => {
      const buffer = this.scope.getStore();
      if (!buffer || buffer.bound) return undefined;
      buffer.bound = true;
      this.byInvocation.set(invocation.id, buffer);
      return () => this.byInvocation.delete(invocation.id);
    },
    onLog: (plugin, line) => {
      const buffer = line.invocationId ? this.byInvocation.get(line.invocationId) : undefined;
      if (!buffer) return;
      buffer.add(
        line.level,
        this.options.redact ? this.options.redact(plugin.pluginId, line.message) : line.message,
      );
    },
  };

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
}
