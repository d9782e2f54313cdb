// The scripted host side of the conformance conversation: the manifest the host hands the worker and every
// host→worker message, in order. The driver sends one step at a time and records what comes back.

/** What the host sends in one step. Request ids and invocation uuids are filled in by the driver. */
export type HostMessage =
  | {
      kind: "request" | "notification";
      method: string;
      params: Record<string, unknown>;
      /** Company the host scopes this invocation to (adds a `paperclipInvocation` envelope). */
      invocationCompanyId?: string;
    }
  | { kind: "raw"; line: string };

export interface ConversationStep {
  name: string;
  /** One sentence for reviewers reading the golden transcript. */
  purpose: string;
  send: HostMessage;
  /** Step is complete once the worker has sent a message this matches (plus a quiet settle). */
  until?: (message: Record<string, any>) => boolean;
  /** The worker must exit during this step (shutdown). */
  expectExit?: boolean;
}

export const PROBE_MANIFEST = {
  id: "conformance-probe",
  apiVersion: 1,
  version: "1.0.0",
  displayName: "Conformance probe",
  description: "Exercises every host→worker method and the core ctx surface for the SDK conformance test.",
  author: "Paperclip platform team",
  categories: ["automation"],
  capabilities: [
    "events.subscribe",
    "plugin.state.read",
    "plugin.state.write",
    "issues.create",
    "activity.log.write",
    "metrics.write",
    "telemetry.track",
    "jobs.schedule",
    "webhooks.receive",
    "agent.tools.register",
  ],
  entrypoints: { worker: "./worker.mjs" },
  instanceConfigSchema: {
    type: "object",
    properties: { greeting: { type: "string" }, threshold: { type: "number" } },
  },
  jobs: [{ jobKey: "nightly-sync", displayName: "Nightly sync", schedule: "0 3 * * *" }],
  webhooks: [{ endpointKey: "inbound", displayName: "Inbound webhook" }],
  tools: [
    {
      name: "echo",
      displayName: "Echo",
      description: "Returns its parameters and run context",
      parametersSchema: { type: "object", properties: { text: { type: "string" } } },
    },
  ],
} as const;

const ACTOR_A = {
  type: "user",
  userId: "user-1",
  agentId: null,
  runId: null,
  companyId: "company-a",
};

function action(key: string, params: Record<string, unknown> = {}): HostMessage {
  return {
    kind: "request",
    method: "performAction",
    params: { key, companyId: "company-a", params, actorContext: ACTOR_A, renderEnvironment: null },
    invocationCompanyId: "company-a",
  };
}

function issueEvent(eventType: string, companyId: string, eventId: string): Record<string, unknown> {
  return {
    eventId,
    eventType,
    occurredAt: "2026-03-01T10:00:00.000Z",
    actorId: "user-1",
    actorType: "user",
    entityId: `issue-in-${companyId}`,
    entityType: "issue",
    companyId,
    payload: { title: "Printer on fire", projectId: "project-1" },
  };
}

/** A worker's reply to a line it could not use as a message carries `id: null`. */
const isNullIdError = (message: Record<string, any>) => message.id === null && message.error !== undefined;

const isLog = (text: string) => (message: Record<string, any>) =>
  message.method === "log" && message.params?.message === text;

export const CONVERSATION: readonly ConversationStep[] = [
  {
    name: "health before initialize",
    purpose: "Calls before initialize are served: onHealth does not need setup().",
    send: { kind: "request", method: "health", params: {} },
  },
  {
    name: "getData before initialize",
    purpose: "Before setup() ran no handler is registered: -32002 naming the key.",
    send: { kind: "request", method: "getData", params: { key: "summary", params: {} } },
  },
  {
    name: "initialize",
    purpose: "Handshake: setup() subscribes to events and reads state and config before the worker answers.",
    send: {
      kind: "request",
      method: "initialize",
      params: {
        manifest: PROBE_MANIFEST,
        config: {},
        instanceInfo: {
          instanceId: "instance-conformance",
          hostVersion: "2026.916.1",
          deploymentMode: "local_trusted",
          deploymentExposure: "private",
        },
        apiVersion: 1,
        databaseNamespace: null,
      },
    },
  },
  {
    name: "initialize again",
    purpose: "A second initialize is refused with an error; the worker keeps serving.",
    send: {
      kind: "request",
      method: "initialize",
      params: {
        manifest: PROBE_MANIFEST,
        config: {},
        instanceInfo: { instanceId: "x", hostVersion: "1" },
        apiVersion: 1,
      },
    },
  },
  {
    name: "getData summary",
    purpose: "Data handler gets params merged with companyId and renderEnvironment, and calls state.get.",
    send: {
      kind: "request",
      method: "getData",
      params: {
        key: "summary",
        companyId: "company-a",
        params: { window: "7d" },
        renderEnvironment: { environment: "hostInline", launcherId: null, bounds: "default" },
      },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "getData missing key",
    purpose: "No data handler for the key: -32002 naming the key.",
    send: {
      kind: "request",
      method: "getData",
      params: { key: "nope", companyId: "company-a", params: {} },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "performAction probe",
    purpose:
      "Action reads its context and calls state.set/get, issues.create, activity.log, metrics.write, logger, streams.",
    send: action("probe", { count: 2 }),
  },
  {
    name: "performAction fail-coded",
    purpose: "A handler error with a numeric code keeps that code.",
    send: action("fail-coded"),
  },
  {
    name: "performAction fail-plain",
    purpose: "A plain Error becomes -32002 WORKER_ERROR.",
    send: action("fail-plain"),
  },
  {
    name: "performAction denied",
    purpose: "The host answers agents.pause with -32001; the error propagates out of the action.",
    send: action("denied"),
  },
  {
    name: "performAction unknown-host-method",
    purpose: "The host answers telemetry.track with -32601; the action reports the error it caught.",
    send: action("unknown-host-method"),
  },
  {
    name: "performAction deferred",
    purpose: "Host calls after setTimeout, in a timer callback and in a microtask carry the invocation id.",
    send: action("deferred"),
  },
  {
    name: "performAction missing key",
    purpose: "No action handler for the key: -32002 naming the key.",
    send: action("nope"),
  },
  {
    name: "executeTool echo",
    purpose: "Tool handler gets parameters and runContext; its ToolResult is the response.",
    send: {
      kind: "request",
      method: "executeTool",
      params: {
        toolName: "echo",
        parameters: { text: "ping" },
        runContext: { agentId: "agent-7", runId: "run-1", companyId: "company-a", projectId: "project-1" },
      },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "runJob nightly-sync",
    purpose: "Job handler runs without an invocation scope; void result is null.",
    send: {
      kind: "request",
      method: "runJob",
      params: {
        job: {
          jobKey: "nightly-sync",
          runId: "0b7e0f5e-5d0c-4c39-9a55-1f3f3c0a9d01",
          trigger: "manual",
          scheduledAt: "2026-03-01T03:00:00.000Z",
        },
      },
    },
  },
  {
    name: "runJob unknown",
    purpose: "No handler for the job key: -32002 naming the job.",
    send: {
      kind: "request",
      method: "runJob",
      params: {
        job: {
          jobKey: "weekly",
          runId: "run-x",
          trigger: "schedule",
          scheduledAt: "2026-03-01T03:00:00.000Z",
        },
      },
    },
  },
  {
    name: "handleWebhook",
    purpose: "onWebhook receives the delivery and calls the host.",
    send: {
      kind: "request",
      method: "handleWebhook",
      params: {
        endpointKey: "inbound",
        headers: { "content-type": "application/json", "x-signature": ["a", "b"] },
        rawBody: '{"ping":true}',
        parsedBody: { ping: true },
        requestId: "delivery-1",
      },
    },
  },
  {
    name: "onEvent notification, company-a",
    purpose: "Both handlers match; they run one after the other, the unfiltered one first.",
    send: {
      kind: "notification",
      method: "onEvent",
      params: { event: issueEvent("issue.created", "company-a", "a1d6f4a0-1111-4c2b-8d1e-000000000001") },
      invocationCompanyId: "company-a",
    },
    until: isLog("issue.* handled for company-a"),
  },
  {
    name: "onEvent notification, company-b",
    purpose: "The companyId filter keeps the filtered handler out; only the unfiltered one runs.",
    send: {
      kind: "notification",
      method: "onEvent",
      params: { event: issueEvent("issue.created", "company-b", "a1d6f4a0-1111-4c2b-8d1e-000000000002") },
      invocationCompanyId: "company-b",
    },
    until: isLog("issue.created handled"),
  },
  {
    name: "onEvent request",
    purpose: "onEvent also works as a request: only the wildcard handler matches, the result is null.",
    send: {
      kind: "request",
      method: "onEvent",
      params: { event: issueEvent("issue.updated", "company-a", "a1d6f4a0-1111-4c2b-8d1e-000000000003") },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "onEvent notification, no subscriber",
    purpose: "An event nobody subscribed to produces no messages.",
    send: {
      kind: "notification",
      method: "onEvent",
      params: { event: issueEvent("agent.created", "company-a", "a1d6f4a0-1111-4c2b-8d1e-000000000004") },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "configChanged company-a",
    purpose: "First company config is accepted and reaches onConfigChanged with its companyId.",
    send: {
      kind: "request",
      method: "configChanged",
      params: { config: { greeting: "hello", threshold: 3 }, companyId: "company-a" },
    },
  },
  {
    name: "configChanged company-b, same config",
    purpose: "A second company with a canonically equal config (other key order) is accepted.",
    send: {
      kind: "request",
      method: "configChanged",
      params: { config: { threshold: 3, greeting: "hello" }, companyId: "company-b" },
    },
  },
  {
    name: "configChanged company-c, different config",
    purpose: "A different config for another company is refused: -32006 CROSS_TENANT_CONFIG.",
    send: {
      kind: "request",
      method: "configChanged",
      params: { config: { greeting: "bonjour", threshold: 5 }, companyId: "company-c" },
    },
  },
  {
    name: "validateConfig valid",
    purpose: "onValidateConfig result is passed through.",
    send: { kind: "request", method: "validateConfig", params: { config: { greeting: "hi" } } },
  },
  {
    name: "validateConfig invalid",
    purpose: "A failing validation is a result with ok:false, not an RPC error.",
    send: { kind: "request", method: "validateConfig", params: { config: { greeting: 42, threshold: 1 } } },
  },
  {
    name: "health",
    purpose: "onHealth diagnostics are the result.",
    send: { kind: "request", method: "health", params: {} },
  },
  {
    name: "handleApiRequest without hook",
    purpose: "An optional hook the plugin did not define: -32004 METHOD_NOT_IMPLEMENTED.",
    send: {
      kind: "request",
      method: "handleApiRequest",
      params: {
        routeKey: "status",
        method: "GET",
        path: "/status",
        params: {},
        query: {},
        body: null,
        actor: { actorType: "user", actorId: "user-1" },
        companyId: "company-a",
      },
      invocationCompanyId: "company-a",
    },
  },
  {
    name: "unknown method",
    purpose: "A method outside the protocol: -32601.",
    send: { kind: "request", method: "doesNotExist", params: {} },
  },
  {
    name: "malformed line",
    purpose: "A line that is not JSON: -32700 with id null; the worker keeps serving.",
    send: { kind: "raw", line: '{"jsonrpc":"2.0","id":' },
    until: isNullIdError,
  },
  {
    name: "non-object JSON",
    purpose: "A JSON string is not a message: -32700 with id null.",
    send: { kind: "raw", line: '"just a string"' },
    until: isNullIdError,
  },
  {
    name: "JSON array",
    purpose: "A batch-looking array is not supported: -32700 with id null.",
    send: { kind: "raw", line: "[1,2]" },
    until: isNullIdError,
  },
  {
    name: "wrong jsonrpc version",
    purpose: 'A message whose jsonrpc is not "2.0": -32700 with id null, naming the version it got.',
    send: { kind: "raw", line: '{"jsonrpc":"1.0","id":900,"method":"health","params":{}}' },
    until: isNullIdError,
  },
  {
    name: "response to unknown id",
    purpose: "A response nobody asked for is dropped without a reply.",
    send: { kind: "raw", line: '{"jsonrpc":"2.0","id":901,"result":{"late":true}}' },
  },
  {
    name: "unknown notification",
    purpose: "A notification for a method the worker does not know is dropped without a reply.",
    send: { kind: "notification", method: "doesNotExist", params: {} },
  },
  {
    name: "blank line",
    purpose: "Blank lines between messages are ignored.",
    send: { kind: "raw", line: "   " },
  },
  {
    name: "health after bad input",
    purpose: "The worker still answers after the bad lines.",
    send: { kind: "request", method: "health", params: {} },
  },
  {
    name: "shutdown",
    purpose: "onShutdown runs, the worker answers null and exits with code 0.",
    send: { kind: "request", method: "shutdown", params: {} },
    expectExit: true,
  },
];
