// OpenTelemetry traces of a real host with a real worker, exported to an in-memory exporter: one bridge action is one
// trace — the HTTP request, the bridge's host-service span, the host→worker call (whose traceparent reaches the
// worker), the worker's calls back to the host, and the span the worker recorded with ctx.tracer. Off by default:
// without an OTLP endpoint or PAPERCLIP_OTEL_ENABLED the worker gets no traceparent and records nothing.
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHostTracing, tracingRequested } from "../../src/observability/tracing.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, type ObservedHost, startObservedHost } from "./support.js";

const ACTION_ROUTE = "POST /api/plugins/:pluginId/actions/:key";

describe.each(ENGINES)("a bridge action traced through host and worker (%s)", (engine) => {
  const exporter = new InMemorySpanExporter();
  let host: ObservedHost;
  let plugin: PluginRecord;
  let spans: ReadableSpan[];

  beforeAll(async () => {
    host = await startObservedHost(engine, { exporter });
    plugin = await host.installMetered();
    exporter.reset();
    const reply = await host.request("POST", `/api/plugins/${plugin.id}/actions/work`, {
      params: { depth: 2 },
    });
    expect(reply.status, reply.text).toBe(200);
    // The request span ends after the response went out.
    spans = await eventually(async () => {
      await host.observability.tracing!.flush();
      const finished = exporter.getFinishedSpans();
      return finished.some((span) => span.name === ACTION_ROUTE) && finished;
    });
  }, 60_000);

  afterAll(async () => {
    await host?.close();
  });

  const named = (name: string) => {
    const found = spans.filter((span) => span.name === name);
    expect(found, `spans named "${name}" among ${spans.map((span) => span.name).join(", ")}`).toHaveLength(1);
    return found[0]!;
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it("puts the request, the bridge, the worker call, its host calls and the worker's span in one trace", () => {
    const request = named(ACTION_ROUTE);
    const bridge = named("plugin bridge performAction");
    const call = named("plugin fixtures.metered performAction");
    const companies = named("host companies.list");
    const metric = named("host metrics.write");
    const workerSpan = named("metered.compute");

    const traceId = request.spanContext().traceId;
    for (const span of [bridge, call, companies, metric, workerSpan]) {
      expect(span.spanContext().traceId).toBe(traceId);
    }
    expect(parentOf(request)).toBeUndefined();
    expect(parentOf(bridge)).toBe(request.spanContext().spanId);
    expect(parentOf(call)).toBe(bridge.spanContext().spanId);
    for (const child of [companies, metric, workerSpan])
      expect(parentOf(child)).toBe(call.spanContext().spanId);

    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes).toMatchObject({
      "http.route": "/api/plugins/:pluginId/actions/:key",
      "http.response.status_code": 200,
    });
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({
      "paperclip.plugin": "fixtures.metered",
      "rpc.method": "performAction",
    });
  });

  it("records the worker's ctx.tracer span with its attributes, status and times", () => {
    const workerSpan = named("metered.compute");
    expect(workerSpan.attributes).toMatchObject({
      "fixture.step": "compute",
      "fixture.companies": expect.any(Number),
      "paperclip.plugin": "fixtures.metered",
      "paperclip.span.source": "worker",
    });
    expect(workerSpan.status.code).toBe(1);
    const call = named("plugin fixtures.metered performAction");
    const ms = (time: [number, number]) => time[0] * 1000 + time[1] / 1e6;
    expect(ms(workerSpan.startTime)).toBeLessThanOrEqual(ms(workerSpan.endTime));
    // Worker clock and host clock are the same machine's: the span lies within the call (1 ms rounding).
    expect(ms(workerSpan.startTime)).toBeGreaterThanOrEqual(ms(call.startTime) - 1);
  });

  it("marks a failing worker call as an error in its trace", async () => {
    exporter.reset();
    const reply = await host.request("POST", `/api/plugins/${plugin.id}/actions/fail`, {});
    expect(reply.status).toBe(502);
    const call = await eventually(async () => {
      await host.observability.tracing!.flush();
      return exporter
        .getFinishedSpans()
        .find((span) => span.name === "plugin fixtures.metered performAction");
    });
    expect(call.status.code).toBe(2);
    expect(call.status.message).toContain("the fixture fails on purpose");
  });
});

describe.each(ENGINES)("tracing off by default (%s)", (engine) => {
  let host: ObservedHost;

  beforeAll(async () => {
    host = await startObservedHost(engine);
  }, 60_000);

  afterAll(async () => {
    await host?.close();
  });

  it("sends no traceparent, so the worker records no span", async () => {
    expect(host.observability.tracing).toBeNull();
    const recorded: unknown[] = [];
    const observer = host.observability.hostServicesObserver!;
    const original = observer.spanRecorded;
    observer.spanRecorded = (...args) => {
      recorded.push(args);
      return original(...args);
    };
    const plugin = await host.installMetered();
    const reply = await host.request("POST", `/api/plugins/${plugin.id}/actions/work`, {});
    expect(reply.status, reply.text).toBe(200);
    expect(recorded).toEqual([]);
  }, 60_000);
});

describe("when tracing is on", () => {
  it("reads the standard OTEL_* names and PAPERCLIP_OTEL_ENABLED", () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" })).toBe(
      true,
    );
    expect(tracingRequested({ PAPERCLIP_OTEL_ENABLED: "1" })).toBe(true);
    expect(tracingRequested({ PAPERCLIP_OTEL_ENABLED: "1", OTEL_SDK_DISABLED: "true" })).toBe(false);
    expect(createHostTracing({ env: {} })).toBeNull();
  });
});
