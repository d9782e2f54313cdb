// Where a plugin's worker output goes besides the host's own records: features built on the host services (the
// stream bus, job-run log capture) hand the factory explicit sinks instead of wrapping or patching it.
import type { WorkerToHostNotifications } from "@paperclipai/plugin-sdk/protocol";
import type { Logger } from "pino";
import type { PluginIdentity } from "./identity.js";

export type StreamMethod = "streams.open" | "streams.emit" | "streams.close";

/** A stream notification whose company passed the scope check and whose shape was checked. */
export type StreamNotification = {
  [M in StreamMethod]: { method: M; params: WorkerToHostNotifications[M] };
}[StreamMethod];

export type WorkerLogLevel = "info" | "warn" | "error" | "debug";

/** One worker log line (ctx.logger), as written to the plugin's logs before redaction. */
export interface WorkerLogLine {
  level: WorkerLogLevel;
  message: string;
  /** The invocation id the worker echoed on the line, if any. */
  invocationId: string | null;
}

/** Every hook is optional; the factory takes a list of sinks (and forPlugin may add a plugin's own). */
export interface PluginHostSinks {
  /** A worker stream notification inside the call's company scope, its shape checked. */
  onStream?(plugin: PluginIdentity, notification: StreamNotification): void;
  /** A worker log line, after it was written to the plugin's logs. */
  onLog?(plugin: PluginIdentity, line: WorkerLogLine): void;
  /** A host→worker invocation began; the function returned (if any) runs when it ends. */
  onInvocation?(
    plugin: PluginIdentity,
    invocation: { id: string; companyId: string | null },
  ): (() => void) | undefined;
  /** The plugin's worker process is gone: it died, was stopped, or a new process replaced it. */
  onWorkerExit?(plugin: PluginIdentity, reason: string): void;
}

/** The sinks of one plugin, fanned out; a failing sink is logged and never stops the others or the call. */
export class PluginSinks {
  constructor(
    private readonly plugin: PluginIdentity,
    private readonly sinks: readonly PluginHostSinks[],
    private readonly logger: Pick<Logger, "warn">,
  ) {}

  /** Whether anything receives streams (without a receiver, stream notifications are not even checked). */
  get receivesStreams(): boolean {
    return this.sinks.some((sink) => sink.onStream);
  }

  stream(notification: StreamNotification): void {
    for (const sink of this.sinks) {
      this.guard(
        `Stream hook failed for ${notification.method}`,
        () => sink.onStream?.(this.plugin, notification),
        { method: notification.method },
      );
    }
  }

  log(line: WorkerLogLine): void {
    for (const sink of this.sinks) this.guard("Log sink failed", () => sink.onLog?.(this.plugin, line));
  }

  /** The release functions of the sinks that track this invocation. */
  invocation(invocation: { id: string; companyId: string | null }): Array<() => void> {
    const releases: Array<() => void> = [];
    for (const sink of this.sinks) {
      this.guard("Invocation sink failed", () => {
        const release = sink.onInvocation?.(this.plugin, invocation);
        if (release) releases.push(release);
      });
    }
    return releases;
  }

  workerExit(reason: string): void {
    for (const sink of this.sinks) {
      this.guard("Worker exit sink failed", () => sink.onWorkerExit?.(this.plugin, reason));
    }
  }

  private guard(what: string, run: () => void, fields: Record<string, unknown> = {}): void {
    try {
      run();
    } catch (error) {
      this.logger.warn({ pluginKey: this.plugin.pluginKey, ...fields, err: error }, what);
    }
  }
}
