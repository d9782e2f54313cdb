// The checks a scoped plugin API request passes before the worker sees it (reference §11): the route's auth
// mode, the company (resolved as the route declares, then access to it), and the issue checkout policy for
// agents. Each failure says which rule of which route refused the call.
import type { PluginApiRequestInput, PluginApiRouteDeclaration } from "@paperclipai/plugin-sdk/types";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { badRequest, conflict, forbidden, unprocessable } from "../../errors.js";
import type { CompanyAccess } from "../bridge/company-access.js";

/** Request headers passed to the worker; every other header stays with the host. */
export const FORWARDED_REQUEST_HEADERS = [
  "accept",
  "content-type",
  "user-agent",
  "x-paperclip-run-id",
  "x-request-id",
];
/** Response headers a worker may set; anything else it returns is dropped. */
export const FORWARDED_RESPONSE_HEADERS = ["cache-control", "etag", "last-modified", "x-request-id"];

export function assertRouteAuth(route: PluginApiRouteDeclaration, actor: Actor): void {
  const label = `API route "${route.routeKey}"`;
  switch (route.auth) {
    case "board":
      if (actor.type !== "user") throw forbidden(`${label} requires a board user`);
      return;
    case "agent":
      if (actor.type !== "agent")
        throw forbidden(`${label} requires an agent (send X-Paperclip-Run-Id of its run)`);
      return;
    case "board-or-agent":
      if (actor.type !== "user" && actor.type !== "agent")
        throw forbidden(`${label} requires a board user or an agent`);
      return;
    case "webhook":
      throw unprocessable(
        `${label} uses auth "webhook", which requires a signature verifier and is not enabled on this host`,
      );
    default:
      throw forbidden(`${label} declares an unknown auth mode "${String(route.auth)}"`);
  }
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** The company the request acts for, per the route's companyResolution (none: the calling agent's company). */
export async function resolveCompany(
  route: PluginApiRouteDeclaration,
  request: { params: Record<string, string>; query: Record<string, string | string[]>; body: unknown },
  actor: Actor,
  services: Pick<DomainServices, "issues">,
  companies: CompanyAccess,
): Promise<string> {
  const resolution = route.companyResolution;
  const label = `API route "${route.routeKey}"`;
  if (!resolution) {
    if (actor.type === "agent" && actor.agentId) {
      const own = await companies.companyOfAgent(actor.agentId);
      if (own) return own;
    }
    throw badRequest(
      `${label} declares no companyResolution, so only an agent caller implies the company (its own)`,
    );
  }
  if (resolution.from === "body") {
    const body = request.body;
    const value =
      typeof body === "object" && body !== null && !Array.isArray(body)
        ? nonEmptyString((body as Record<string, unknown>)[resolution.key])
        : null;
    if (!value)
      throw badRequest(`${label} takes its company from body.${resolution.key}, which must be a company id`);
    return value;
  }
  if (resolution.from === "query") {
    const value = nonEmptyString(request.query[resolution.key]);
    if (!value)
      throw badRequest(
        `${label} takes its company from the query parameter "${resolution.key}", which is missing`,
      );
    return value;
  }
  const issueRef = request.params[resolution.param];
  if (!issueRef)
    throw badRequest(`${label} takes its company from the issue in :${resolution.param}, which is missing`);
  return (await services.issues.get(issueRef)).companyId;
}

/**
 * Agents only: `always-for-agent` demands that the agent holds the checkout of `:issueId` in its current run;
 * `required-for-agent-in-progress` demands it only while that issue is in progress and assigned to the agent.
 */
export async function assertCheckoutPolicy(
  route: PluginApiRouteDeclaration,
  params: Record<string, string>,
  actor: Actor,
  companyId: string,
  services: Pick<DomainServices, "issues">,
): Promise<void> {
  const policy = route.checkoutPolicy ?? "none";
  if (policy === "none" || actor.type !== "agent") return;
  const label = `API route "${route.routeKey}"`;
  const issueId = params.issueId;
  if (!issueId) throw badRequest(`${label}: checkout policy "${policy}" needs an :issueId route parameter`);
  const runId = actor.runId;
  if (!runId)
    throw forbidden(`${label}: checkout policy "${policy}" needs the agent's run (X-Paperclip-Run-Id)`);
  const issue = await services.issues.get(issueId);
  if (issue.companyId !== companyId)
    throw forbidden(`${label}: issue ${issue.identifier} belongs to another company`);
  const agentId = actor.agentId;
  const inProgressForAgent = issue.status === "in_progress" && issue.assigneeAgentId === agentId;
  if (policy === "required-for-agent-in-progress" && !inProgressForAgent) return;
  const owned = inProgressForAgent && (issue.checkoutRunId === runId || issue.executionRunId === runId);
  if (!owned) {
    throw conflict(
      `${label}: issue ${issue.identifier} is not checked out by agent ${agentId} in run ${runId} ` +
        `(status ${issue.status}, assignee ${issue.assigneeAgentId ?? "none"}, checkout run ${issue.checkoutRunId ?? "none"})`,
      { policy, issueId: issue.id },
    );
  }
}

export function workerActorOf(actor: Actor): PluginApiRequestInput["actor"] {
  if (actor.type === "agent") {
    const agentId = actor.agentId ?? actor.id;
    return { actorType: "agent", actorId: agentId, agentId, userId: null, runId: actor.runId ?? null };
  }
  const userId = actor.userId ?? actor.id;
  return { actorType: "user", actorId: userId, userId, agentId: null, runId: null };
}

export function forwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = headers[name];
    if (typeof value === "string") forwarded[name] = value;
    else if (Array.isArray(value)) forwarded[name] = value.join(", ");
  }
  return forwarded;
}
