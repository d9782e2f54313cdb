// ctx.tracer → span.record (sent by span.end(), only when the host opened a trace)
/*
 * A span only records when the host sent a `traceparent` for the current invocation; otherwise it
 * is a no-op, so plugin code can always wrap work in a span.
 */
import type { PluginSpan, PluginTracer } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

type AttributeValue = string | number | boolean;

export function buildTracer(host: HostLink): PluginTracer {
  return {
    startSpan(name, options): PluginSpan {
      const traced = Boolean(host.invocations.current()?.traceparent);
      const attributes: Record<string, AttributeValue> = { ...(options?.attributes ?? {}) };
      const startTimeMs = Date.now();
      let status: { code: number; message?: string } | undefined;
      let ended = false;
      return {
        setAttribute(key, value) {
          attributes[key] = value;
        },
        setStatus(next) {
          status = next;
        },
        end() {
          if (ended) return;
          ended = true;
          if (!traced) return;
          const endTimeMs = Date.now();
          // Fire-and-forget: tracing must never block or fail plugin work.
          host
            .call("span.record", { name, attributes, ...(status ? { status } : {}), startTimeMs, endTimeMs })
            .catch(() => undefined);
        },
      };
    },
  };
}
