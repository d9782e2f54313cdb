/**
 * Tracing surface of `ctx.tracer`, plus do-nothing implementations that plugin code and
 * tests can use where no host trace is active.
 */

export interface PluginSpan {
  setAttribute(key: string, value: string | number | boolean): void;
  setStatus(status: { code: number; message?: string }): void;
  end(): void;
}

export interface PluginTracer {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): PluginSpan;
}

/** A span that records nothing; every method is a no-op. */
export const NOOP_PLUGIN_SPAN: PluginSpan = Object.freeze({
  setAttribute() {},
  setStatus() {},
  end() {},
});

/** A tracer whose spans record nothing. */
export const NOOP_PLUGIN_TRACER: PluginTracer = Object.freeze({
  startSpan: () => NOOP_PLUGIN_SPAN,
});
