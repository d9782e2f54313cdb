// What the host's metrics and traces see of the calls workers make to the host (src/observability,
// docs/observability.md): a span per worker→host call inside a traced invocation, the spans workers record with
// ctx.tracer, and the values they write with ctx.metrics.write.
import type { MethodParams } from "./call.js";

export interface HostServicesObserver {
  /** Wraps the handling of one worker→host request (a child span when its invocation was traced). */
  workerRequest<T>(
    pluginKey: string,
    invocationId: string | undefined,
    method: string,
    handle: () => Promise<T>,
  ): Promise<T>;
  /** A span the worker ended; false when its invocation had no trace (nothing is recorded then). */
  spanRecorded(pluginKey: string, invocationId: string | null, span: MethodParams<"span.record">): boolean;
  /** A value the plugin wrote with ctx.metrics.write. */
  metricWritten(pluginKey: string, name: string, value: number, tags: Record<string, string>): void;
}
