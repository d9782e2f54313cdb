// The company-scope half of the gate (reference §3.6, with the original's scope bugs fixed): a call inside a
// company invocation may only name that company; a call outside one (setup(), jobs, webhooks, timers) may name
// any company that has a saved config for the plugin — an explicit, documented scope instead of "denied".
import type { HostCall, RequestedCompany } from "./call.js";
import { scopeDenied } from "./errors.js";

const NONE: RequestedCompany = { kind: "none" };

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `companyId`; else a company-kind state/entity scope's `scopeId` (absent = all companies); else a filter's. */
export function requestedCompany(method: string, params: unknown): RequestedCompany {
  if (!isRecord(params)) return NONE;
  const companyId = text(params.companyId);
  if (companyId) return { kind: "single", companyId };
  if (params.scopeKind === "company") {
    const scopeId = text(params.scopeId);
    return scopeId ? { kind: "single", companyId: scopeId } : { kind: "all" };
  }
  if (method === "events.subscribe" && isRecord(params.filter)) {
    const filtered = text(params.filter.companyId);
    if (filtered) return { kind: "single", companyId: filtered };
  }
  return NONE;
}

export const UNKNOWN_INVOCATION =
  "the worker referenced a missing, expired, or unknown invocation scope (paperclipInvocationId)";

/** Throw INVOCATION_SCOPE_DENIED (-32005) unless the call may touch the company its params name. */
export async function enforceCompanyScope(call: HostCall, requested: RequestedCompany): Promise<void> {
  if (requested.kind === "none") return;
  const { scope, plugin, method } = call;
  const deny = (reason: string): never => {
    throw scopeDenied(plugin.pluginKey, method, reason);
  };
  if (scope.kind === "invalid") deny(UNKNOWN_INVOCATION);
  if (requested.kind === "all") {
    deny("a company-scoped key needs scopeId (the company id); a call cannot reach every company at once");
    return;
  }
  if (scope.kind === "company") {
    if (requested.companyId !== scope.companyId) {
      deny(
        `requested company "${requested.companyId}" but the current invocation is scoped to company "${scope.companyId}"`,
      );
    }
    return;
  }
  const configured = await call.configuredCompanies();
  if (!configured.has(requested.companyId)) {
    deny(
      `company context is required: company "${requested.companyId}" has no saved config for this plugin, and calls ` +
        "outside a company invocation (setup, jobs, webhooks, timers) may only touch companies the plugin is configured for",
    );
  }
}
