// The host side of the conformance conversation: answers every worker→host request deterministically, by
// method, the way the Paperclip host would (capability gate first, then the method's handler). Its state
// (plugin state, created issues) lives only for one conversation, so both workers see identical answers.

import { PROBE_MANIFEST } from "./conversation.js";

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type HostAnswer = { result: unknown } | { error: JsonRpcErrorObject };

/** Capability each handled worker→host method needs (reference §2.2; `null` = always allowed). */
const REQUIRED_CAPABILITY: Record<string, string | null> = {
  "config.get": null,
  log: null,
  "state.get": "plugin.state.read",
  "state.set": "plugin.state.write",
  "state.delete": "plugin.state.write",
  "events.subscribe": "events.subscribe",
  "issues.create": "issues.create",
  "activity.log": "activity.log.write",
  "metrics.write": "metrics.write",
  "agents.pause": "agents.pause",
};

/** Operator configuration per company, as `config.get` returns it. */
const COMPANY_CONFIG: Record<string, Record<string, unknown>> = {
  "company-a": { greeting: "hello", threshold: 3 },
};

type Params = Record<string, any>;

export class ScriptedHost {
  private readonly state = new Map<string, unknown>();
  private issueCount = 0;

  /** Answers one worker→host request. Unknown methods get -32601, as the real host does. */
  answer(method: string, params: Params | undefined): HostAnswer {
    if (!Object.hasOwn(REQUIRED_CAPABILITY, method)) {
      return { error: { code: -32601, message: `Host does not handle method "${method}"` } };
    }
    const capability = REQUIRED_CAPABILITY[method];
    const granted: readonly string[] = PROBE_MANIFEST.capabilities;
    if (capability && !granted.includes(capability)) {
      return {
        error: {
          code: -32001,
          message: `Plugin "${PROBE_MANIFEST.id}" is missing required capability "${capability}" for method "${method}"`,
        },
      };
    }
    return { result: this.handle(method, params ?? {}) };
  }

  private handle(method: string, params: Params): unknown {
    switch (method) {
      case "config.get":
        return COMPANY_CONFIG[params.companyId] ?? {};
      case "state.get":
        return this.state.get(stateKeyOf(params)) ?? null;
      case "state.set":
        this.state.set(stateKeyOf(params), params.value);
        return null;
      case "state.delete":
        this.state.delete(stateKeyOf(params));
        return null;
      case "issues.create":
        return this.createIssue(params);
      default:
        // events.subscribe, activity.log, metrics.write, log: accepted, nothing to return.
        return null;
    }
  }

  private createIssue(params: Params): unknown {
    this.issueCount += 1;
    return {
      id: `7d3f1c2a-0000-4000-8000-00000000000${this.issueCount}`,
      companyId: params.companyId,
      identifier: `PRB-${this.issueCount}`,
      title: params.title,
      description: params.description ?? null,
      status: "backlog",
      priority: "medium",
      originKind: `plugin:${PROBE_MANIFEST.id}`,
      createdAt: "2026-03-01T09:30:00.000Z",
      updatedAt: "2026-03-01T09:30:00.000Z",
    };
  }
}

function stateKeyOf(params: Params): string {
  return [params.scopeKind, params.scopeId ?? "", params.namespace ?? "default", params.stateKey].join("|");
}
