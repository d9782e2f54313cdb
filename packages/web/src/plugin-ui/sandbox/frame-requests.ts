// The board's check of every request a sandboxed plugin frame makes (docs/plugin-ui-sandbox.md). A frame speaks
// for one plugin, in the company of the surface it is mounted on: a request naming another plugin or another
// company, a method not in the list, a path outside what the method may reach, or a malformed parameter is
// refused with a PluginBridgeError naming the problem, and never reaches the host. Pure: frame-host.ts runs
// what passes.
import type { PluginBridgeError, PluginToastInput } from "@paperclipai/plugin-sdk/ui/types";
import { FRAME_METHODS, type FrameMethod } from "./protocol.js";

/** Who the frame is: fixed by the board when it created the iframe, never by the frame. */
export interface FrameScope {
  pluginId: string;
  /** The company of the mount's host context (null on instance surfaces such as the settings page). */
  companyId: string | null;
  /** The board's origin. */
  origin: string;
}

export type CheckedRequest =
  | { method: "module.source"; url: string }
  | {
      method: "bridge.call";
      kind: "data" | "actions";
      key: string;
      body: {
        companyId: string | null;
        params: Record<string, unknown>;
        renderEnvironment: Record<string, unknown> | null;
      };
    }
  | { method: "api.read"; path: string }
  | {
      method: "stream.open";
      streamId: string;
      channel: string;
      companyId: string;
      lastEventId: string | null;
    }
  | { method: "stream.close"; streamId: string }
  | { method: "toast.show"; input: PluginToastInput }
  | { method: "navigate"; href: string; replace: boolean; state: unknown }
  | { method: "clipboard.write"; text: string }
  | { method: "overlay.requestBounds"; request: Record<string, unknown> & { bounds: string } }
  | { method: "overlay.watchClose"; before: boolean; close: boolean };

export type RefusalReason =
  | "method_not_allowed"
  | "plugin_mismatch"
  | "company_mismatch"
  | "path_not_allowed"
  | "bad_request";

/** A refused request: `error` is what the frame receives. */
export class FrameRequestRefused extends Error {
  override readonly name = "FrameRequestRefused";
  readonly error: PluginBridgeError;
  constructor(reason: RefusalReason, message: string, field?: string) {
    super(message);
    const code =
      reason === "plugin_mismatch" || reason === "company_mismatch"
        ? "INVOCATION_SCOPE_DENIED"
        : reason === "bad_request"
          ? "UNKNOWN"
          : "CAPABILITY_DENIED";
    this.error = { code, message, details: { reason, ...(field ? { field } : {}) } };
  }
}

const bad = (field: string, message: string) => new FrameRequestRefused("bad_request", message, field);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(params: Record<string, unknown>, field: string, max: number, min = 1): string {
  const value = params[field];
  if (typeof value !== "string" || value.length < min || value.length > max) {
    throw bad(field, `${field} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

function optionalText(params: Record<string, unknown>, field: string, max: number): string | undefined {
  return params[field] === undefined || params[field] === null ? undefined : text(params, field, max, 0);
}

function samePlugin(scope: FrameScope, params: Record<string, unknown>): void {
  const pluginId = params.pluginId;
  if (pluginId !== scope.pluginId) {
    throw new FrameRequestRefused(
      "plugin_mismatch",
      `This frame belongs to plugin ${scope.pluginId}; it may not act for plugin ${String(pluginId)}`,
      "pluginId",
    );
  }
}

function sameCompany(scope: FrameScope, companyId: unknown, field = "companyId"): void {
  if ((companyId ?? null) !== scope.companyId) {
    throw new FrameRequestRefused(
      "company_mismatch",
      scope.companyId === null
        ? `This frame is mounted outside any company; it may not act for company ${String(companyId)}`
        : `This frame is mounted in company ${scope.companyId}; it may not act for company ${String(companyId ?? null)}`,
      field,
    );
  }
}

function parseUrl(value: string, origin: string, field: string): URL {
  try {
    return new URL(value, origin);
  } catch {
    throw bad(field, `${field} is not a valid URL (got "${value}")`);
  }
}

/** A board path ("/ACM/issues?x#y"), never another origin, "//host" or "/\\host". */
function boardPath(scope: FrameScope, href: string, field: string): string {
  if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/\\")) {
    throw new FrameRequestRefused(
      "path_not_allowed",
      `${field} must be a path of this board (got "${href}")`,
      field,
    );
  }
  const url = parseUrl(href, scope.origin, field);
  if (url.origin !== scope.origin) {
    throw new FrameRequestRefused(
      "path_not_allowed",
      `${field} must be a path of this board (got "${href}")`,
      field,
    );
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** What the shared components (IssuesList, AssigneePicker, ProjectPicker) read: the frame's company only. */
const API_READS = /^\/api\/companies\/([^/]+)\/(issues|agents|projects)$/;

const TOAST_TONES = new Set(["info", "success", "warn", "error"]);
const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The request as the board will run it, or a FrameRequestRefused. */
export function checkFrameRequest(scope: FrameScope, method: string, raw: unknown): CheckedRequest {
  if (!(FRAME_METHODS as readonly string[]).includes(method)) {
    throw new FrameRequestRefused(
      "method_not_allowed",
      `A sandboxed plugin frame may not call "${method}" (allowed: ${FRAME_METHODS.join(", ")})`,
      "method",
    );
  }
  if (!isRecord(raw)) throw bad("params", `The params of ${method} must be an object`);
  const params = raw;
  const known = method as FrameMethod;
  switch (known) {
    case "module.source": {
      const url = parseUrl(text(params, "url", 4_096), scope.origin, "url");
      const base = `/_plugins/${encodeURIComponent(scope.pluginId)}/ui/`;
      if (url.origin !== scope.origin || !url.pathname.startsWith(base) || url.pathname === base) {
        throw new FrameRequestRefused(
          "path_not_allowed",
          `A frame may load only its own plugin's UI files (${base}…), not ${url.pathname}`,
          "url",
        );
      }
      // Only the cache-busting `v` survives: `?companyId=` and the like are the board's business.
      const version = url.searchParams.get("v");
      return {
        method: known,
        url: `${url.origin}${url.pathname}${version !== null ? `?v=${encodeURIComponent(version)}` : ""}`,
      };
    }
    case "bridge.call": {
      samePlugin(scope, params);
      const kind = params.kind;
      if (kind !== "data" && kind !== "actions") throw bad("kind", 'kind must be "data" or "actions"');
      const key = text(params, "key", 200);
      const body = params.body;
      if (!isRecord(body)) throw bad("body", "body must be an object");
      sameCompany(scope, body.companyId, "body.companyId");
      const callParams = body.params ?? {};
      if (!isRecord(callParams)) throw bad("body.params", "body.params must be an object");
      const environment = body.renderEnvironment ?? null;
      if (environment !== null && !isRecord(environment)) {
        throw bad("body.renderEnvironment", "body.renderEnvironment must be an object or null");
      }
      return {
        method: known,
        kind,
        key,
        body: { companyId: scope.companyId, params: callParams, renderEnvironment: environment },
      };
    }
    case "api.read": {
      const path = boardPath(scope, text(params, "path", 4_096), "path");
      const url = new URL(path, scope.origin);
      const match = API_READS.exec(url.pathname);
      if (!match || url.hash) {
        throw new FrameRequestRefused(
          "path_not_allowed",
          `A frame may read only /api/companies/<its company>/issues, /agents and /projects (got ${url.pathname})`,
          "path",
        );
      }
      let companyId: string;
      try {
        companyId = decodeURIComponent(match[1]!);
      } catch {
        throw bad("path", `${url.pathname} is not a valid path`);
      }
      sameCompany(scope, companyId, "path");
      return { method: known, path: `${url.pathname}${url.search}` };
    }
    case "stream.open": {
      samePlugin(scope, params);
      const streamId = text(params, "streamId", 64);
      if (!STREAM_ID.test(streamId))
        throw bad("streamId", "streamId must be 1 to 64 letters, digits, _ or -");
      const channel = text(params, "channel", 200);
      sameCompany(scope, params.companyId);
      if (scope.companyId === null) throw bad("companyId", "A plugin stream needs a company");
      return {
        method: known,
        streamId,
        channel,
        companyId: scope.companyId,
        lastEventId: optionalText(params, "lastEventId", 200) ?? null,
      };
    }
    case "stream.close":
      return { method: known, streamId: text(params, "streamId", 64) };
    case "toast.show": {
      const tone = params.tone ?? "info";
      if (typeof tone !== "string" || !TOAST_TONES.has(tone)) {
        throw bad("tone", `tone must be one of ${[...TOAST_TONES].join(", ")}`);
      }
      const input: PluginToastInput = {
        title: text(params, "title", 300),
        tone: tone as PluginToastInput["tone"],
      };
      const body = optionalText(params, "body", 4_000);
      if (body !== undefined) input.body = body;
      const id = optionalText(params, "id", 200);
      if (id !== undefined) input.id = id;
      const dedupeKey = optionalText(params, "dedupeKey", 200);
      if (dedupeKey !== undefined) input.dedupeKey = dedupeKey;
      if (params.ttlMs !== undefined && params.ttlMs !== null) {
        if (typeof params.ttlMs !== "number" || !Number.isFinite(params.ttlMs)) {
          throw bad("ttlMs", "ttlMs must be a number of milliseconds");
        }
        input.ttlMs = params.ttlMs;
      }
      if (params.action !== undefined && params.action !== null) {
        if (!isRecord(params.action)) throw bad("action", "action must be {label, href}");
        const label = text(params.action, "label", 100);
        const href = text(params.action, "href", 2_048);
        // A board path (the toast navigates in the board) or an http(s) page; never javascript: and the like.
        if (!href.startsWith("/") && !/^https?:\/\//i.test(href)) {
          throw new FrameRequestRefused(
            "path_not_allowed",
            `action.href must be a board path or an http(s) URL (got "${href}")`,
            "action.href",
          );
        }
        input.action = { label, href: href.startsWith("/") ? boardPath(scope, href, "action.href") : href };
      }
      return { method: known, input };
    }
    case "navigate":
      return {
        method: known,
        href: boardPath(scope, text(params, "href", 4_096), "href"),
        replace: params.replace === true,
        state: params.state ?? null,
      };
    case "clipboard.write":
      return { method: known, text: text(params, "text", 1_000_000, 0) };
    case "overlay.requestBounds": {
      const bounds = text(params, "bounds", 20);
      return { method: known, request: { ...params, bounds } };
    }
    case "overlay.watchClose":
      return { method: known, before: params.before === true, close: params.close === true };
  }
}
