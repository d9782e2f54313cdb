/**
 * Company scoping of worker→host calls. A call made while handling a host invocation may only
 * touch that invocation's company; a call naming a company with no invocation context is refused.
 */
import type { WorkerHostCallContext } from "../protocol/index.js";
import { InvocationScopeDeniedError } from "./errors.js";

/** What company a call asks for: none, one, or every company. */
export type RequestedCompanyScope =
  | { kind: "none" }
  | { kind: "single"; companyId: string }
  | { kind: "all" };

const NO_COMPANY: RequestedCompanyScope = { kind: "none" };
const INVALID_SCOPE = "the worker referenced a missing, expired, or unknown invocation scope";
const CONTEXT_REQUIRED = "company context is required";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.trim().length > 0 ? value.trim() : null;
}

/**
 * The company a call names: `params.companyId`; else a company-kind state scope's `scopeId`
 * (absent = every company); else an events.subscribe filter's companyId. companies.list asks for all.
 */
export function requestedCompanyScope(method: string, params: unknown): RequestedCompanyScope {
  if (method === "companies.list") return { kind: "all" };
  if (!isRecord(params)) return NO_COMPANY;
  const companyId = nonEmpty(params.companyId);
  if (companyId) return { kind: "single", companyId };
  if (params.scopeKind === "company") {
    const scopeId = nonEmpty(params.scopeId);
    return scopeId ? { kind: "single", companyId: scopeId } : { kind: "all" };
  }
  if (method === "events.subscribe" && isRecord(params.filter)) {
    const filterCompanyId = nonEmpty(params.filter.companyId);
    if (filterCompanyId) return { kind: "single", companyId: filterCompanyId };
  }
  return NO_COMPANY;
}

export function invocationCompanyId(context: WorkerHostCallContext | undefined): string | null {
  return nonEmpty(context?.invocationScope?.companyId);
}

export class InvocationScopeGuard {
  constructor(private readonly pluginId: string) {}

  private deny(method: string, reason: string): never {
    throw new InvocationScopeDeniedError(this.pluginId, method, reason);
  }

  /** Refuse a call whose requested company differs from (or lacks) the invocation's company. */
  check(method: string, params: unknown, context: WorkerHostCallContext | undefined): void {
    const requested = requestedCompanyScope(method, params);
    if (requested.kind === "none") return;
    if (context?.invalidInvocationScope) this.deny(method, INVALID_SCOPE);
    const allowed = invocationCompanyId(context);
    if (requested.kind === "all") {
      if (method === "companies.list") return;
      if (!allowed) this.deny(method, CONTEXT_REQUIRED);
      this.deny(method, `the current invocation is scoped to company "${allowed}"`);
    }
    if (!allowed) this.deny(method, CONTEXT_REQUIRED);
    if (requested.companyId !== allowed) {
      this.deny(
        method,
        `requested company "${requested.companyId}" but the current invocation is scoped to company "${allowed}"`,
      );
    }
  }

  /** For methods that need a company even when the params omit it (config.get, secrets.resolve). */
  resolveCompanyId(method: string, params: unknown, context: WorkerHostCallContext | undefined): string {
    if (context?.invalidInvocationScope) this.deny(method, INVALID_SCOPE);
    const requested = requestedCompanyScope(method, params);
    const scoped = invocationCompanyId(context);
    if (!scoped) this.deny(method, CONTEXT_REQUIRED);
    if (requested.kind === "single" && requested.companyId !== scoped) {
      this.deny(
        method,
        `requested company "${requested.companyId}" but the current invocation is scoped to company "${scoped}"`,
      );
    }
    return scoped;
  }
}
