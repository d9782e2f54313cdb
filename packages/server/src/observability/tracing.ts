// OpenTelemetry traces of one host (docs/observability.md), off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or PAPERCLIP_OTEL_ENABLED=1 is set. One trace follows a request through the
// host: the HTTP request span, the host-service span around the work it asks of a plugin, the host→worker call span
// (its id goes to the worker as `traceparent` in `paperclipInvocation`), the worker→host calls made inside that
// call, and the spans the worker records with ctx.tracer (`span.record`).
//
// Each host has its own tracer provider (tests run several hosts in one process), and the current span travels in
// this module's AsyncLocalStorage instead of the global OpenTelemetry context manager, which is process-wide.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HOST_VERSION } from "../version.js";

/** The span a piece of host work runs under (an HTTP request, a host service, a worker call), and its host's tracing. */
const activeContext = new AsyncLocalStorage<{ context: Context; tracing: HostTracing }>();

/** How long a worker→host call may still name an ended invocation's trace (span.end() after the handler returned). */
const INVOCATION_TRACE_GRACE_MS = 10_000;

/** What `span.record` carries (the SDK's ctx.tracer span, ended in the worker). */
export interface WorkerSpanRecord {
  name: string;
  attributes?: Record<string, string | number | boolean>;
  status?: { code: number; message?: string };
  startTimeMs?: number;
  endTimeMs?: number;
}

export interface HostTracingOptions {
  /** Default process.env: OTEL_* and PAPERCLIP_OTEL_ENABLED decide whether tracing is on. */
  env?: NodeJS.ProcessEnv;
  /** Send spans here instead of OTLP, one at a time (tests: an InMemorySpanExporter); turns tracing on. */
  exporter?: SpanExporter;
}

/** True when the environment asks for traces (an OTLP endpoint, or PAPERCLIP_OTEL_ENABLED=1). */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return false;
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT ||
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
      env.PAPERCLIP_OTEL_ENABLED === "1" ||
      env.PAPERCLIP_OTEL_ENABLED === "true",
  );
}

/** The W3C `traceparent` header value of a span. */
export function traceparentOf(context: SpanContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

export class HostTracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  /** Each traced host→worker invocation's span context, while it runs and for a grace period after. */
  private readonly invocations = new Map<string, Context>();

  constructor(exporter: SpanExporter, batch: boolean, serviceName = "paperclip") {
    const processor = batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: serviceName,
        [ATTR_SERVICE_VERSION]: HOST_VERSION,
      }),
      spanProcessors: [processor],
    });
    this.tracer = this.provider.getTracer("paperclip-host", HOST_VERSION);
  }

  /** HTTP request spans: started on arrival, current while the handler runs, ended with the response. */
  installHttpHooks(app: FastifyInstance): void {
    const spans = new WeakMap<FastifyRequest, Span>();
    app.addHook("onRequest", (request, _reply, done) => {
      const span = this.tracer.startSpan(
        `${request.method}`,
        {
          kind: SpanKind.SERVER,
          attributes: { "http.request.method": request.method, "url.path": request.url.split("?")[0] },
        },
        ROOT_CONTEXT,
      );
      spans.set(request, span);
      done();
    });
    // The last hook before the handler, called synchronously into it: the handler and what it awaits see the span.
    app.addHook("preHandler", (request, _reply, done) => {
      const span = spans.get(request);
      if (span) activeContext.enterWith({ context: trace.setSpan(ROOT_CONTEXT, span), tracing: this });
      done();
    });
    const end = (request: FastifyRequest, status: number | null) => {
      const span = spans.get(request);
      if (!span) return;
      spans.delete(request);
      const route = request.routeOptions.url;
      if (route) {
        span.setAttribute("http.route", route);
        span.updateName(`${request.method} ${route}`);
      }
      if (status !== null) {
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } else span.setStatus({ code: SpanStatusCode.ERROR, message: "request aborted" });
      span.end();
    };
    app.addHook("onResponse", (request, reply, done) => {
      end(request, reply.statusCode);
      done();
    });
    app.addHook("onRequestAbort", (request, done) => {
      end(request, null);
      done();
    });
  }

  /** Run `work` in a child span of the current one (a host service acting for the request). */
  async inSpan<T>(name: string, attributes: Record<string, string>, work: () => Promise<T>): Promise<T> {
    const parent = activeContext.getStore()?.context ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
    return this.runIn(span, trace.setSpan(parent, span), work);
  }

  /**
   * One host→worker call: a client span under the current one (a root span for jobs, events and webhooks), whose
   * `traceparent` the call sends, and under which the worker's calls during `invocationId` are recorded.
   */
  async workerCall<T>(
    pluginKey: string,
    method: string,
    invocationId: string,
    call: (traceparent: string) => Promise<T>,
  ): Promise<T> {
    const parent = activeContext.getStore()?.context ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `plugin ${pluginKey} ${method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { "paperclip.plugin": pluginKey, "rpc.system": "jsonrpc", "rpc.method": method },
      },
      parent,
    );
    const context = trace.setSpan(parent, span);
    this.invocations.set(invocationId, context);
    try {
      return await this.runIn(span, context, () => call(traceparentOf(span.spanContext())));
    } finally {
      setTimeout(() => this.invocations.delete(invocationId), INVOCATION_TRACE_GRACE_MS).unref();
    }
  }

  /** A worker→host call: a child span of its invocation's worker call, or no span when that call had no trace. */
  async workerRequest<T>(
    pluginKey: string,
    invocationId: string | undefined,
    method: string,
    handle: () => Promise<T>,
  ): Promise<T> {
    const parent = invocationId ? this.invocations.get(invocationId) : undefined;
    if (!parent) return handle();
    const span = this.tracer.startSpan(
      `host ${method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "paperclip.plugin": pluginKey, "rpc.system": "jsonrpc", "rpc.method": method },
      },
      parent,
    );
    return this.runIn(span, trace.setSpan(parent, span), handle);
  }

  /**
   * A span the worker ended (ctx.tracer), recorded under its invocation's worker call. False (nothing recorded)
   * when that invocation had no trace.
   */
  recordWorkerSpan(pluginKey: string, invocationId: string | undefined, record: WorkerSpanRecord): boolean {
    const parent = invocationId ? this.invocations.get(invocationId) : undefined;
    if (!parent) return false;
    const end = record.endTimeMs ?? Date.now();
    const span = this.tracer.startSpan(
      record.name,
      {
        kind: SpanKind.INTERNAL,
        startTime: record.startTimeMs ?? end,
        attributes: {
          ...record.attributes,
          "paperclip.plugin": pluginKey,
          "paperclip.span.source": "worker",
        },
      },
      parent,
    );
    if (record.status) {
      // OpenTelemetry's codes: 0 unset, 1 ok, 2 error; anything else is read as unset.
      const code = record.status.code === 1 || record.status.code === 2 ? record.status.code : 0;
      span.setStatus({ code, ...(record.status.message ? { message: record.status.message } : {}) });
    }
    span.end(end);
    return true;
  }

  /** Send what is buffered (a test reads its exporter after this). */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.invocations.clear();
    await this.provider.shutdown();
  }

  private async runIn<T>(span: Span, context: Context, work: () => Promise<T>): Promise<T> {
    try {
      return await activeContext.run({ context, tracing: this }, work);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
      throw error;
    } finally {
      span.end();
    }
  }
}

/**
 * Run `work` as a host-service span under the current trace (the bridge calling a worker for a request); without a
 * trace in progress (tracing off, or no traced request) it just runs.
 */
export function inHostServiceSpan<T>(
  name: string,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const current = activeContext.getStore();
  return current ? current.tracing.inSpan(name, attributes, work) : work();
}

/** This host's tracing, or null when it is off (the default). */
export function createHostTracing(options: HostTracingOptions = {}): HostTracing | null {
  const env = options.env ?? process.env;
  const serviceName = env.OTEL_SERVICE_NAME || "paperclip";
  if (options.exporter) return new HostTracing(options.exporter, false, serviceName);
  if (!tracingRequested(env)) return null;
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
  return new HostTracing(new OTLPTraceExporter(), true, serviceName);
}
