/**
 * createHostClientHandlers: one handler per worker→host method that checks the capability, then
 * the invocation's company scope, then forwards to the matching host service.
 */
import type {
  WorkerHostCallContext,
  WorkerToHostMethodName,
  WorkerToHostMethods,
} from "../protocol/index.js";
import { METHOD_CAPABILITY_MAP } from "./capability-map.js";
import { CapabilityDeniedError } from "./errors.js";
import { InvocationScopeGuard, invocationCompanyId } from "./invocation-scope.js";
import type { HostClientFactoryOptions, HostClientHandlers, HostServices } from "./services.js";

/** How one method reaches its service; `guard` is there for the few that need more than the gate. */
type Route<M extends WorkerToHostMethodName> = (
  services: HostServices,
  params: WorkerToHostMethods[M][0],
  context: WorkerHostCallContext | undefined,
  extra: RouteExtras,
) => Promise<WorkerToHostMethods[M][1]>;

interface RouteExtras {
  guard: InvocationScopeGuard;
  hasCapability(capability: string): boolean;
  pluginId: string;
}

const ROUTES: { [M in WorkerToHostMethodName]: Route<M> } = {
  // config and secrets default to the invocation's company when the params name none.
  "config.get": (s, p, c, x) =>
    s.config.get({ ...p, companyId: x.guard.resolveCompanyId("config.get", p, c) }, c),
  "localFolders.declarations": (s, p) => s.localFolders.declarations(p),
  "localFolders.configure": (s, p) => s.localFolders.configure(p),
  "localFolders.status": (s, p) => s.localFolders.status(p),
  "localFolders.list": (s, p) => s.localFolders.list(p),
  "localFolders.readText": (s, p) => s.localFolders.readText(p),
  "localFolders.writeTextAtomic": (s, p) => s.localFolders.writeTextAtomic(p),
  "localFolders.deleteFile": (s, p) => s.localFolders.deleteFile(p),
  "state.get": (s, p) => s.state.get(p),
  "state.set": (s, p) => s.state.set(p),
  "state.delete": (s, p) => s.state.delete(p),
  "db.namespace": (s, p) => s.db.namespace(p),
  "db.query": (s, p) => s.db.query(p),
  "db.execute": (s, p) => s.db.execute(p),
  "entities.upsert": (s, p) => s.entities.upsert(p),
  "entities.list": (s, p) => s.entities.list(p),
  "events.emit": (s, p) => s.events.emit(p),
  "events.subscribe": (s, p) => s.events.subscribe(p),
  "http.fetch": (s, p) => s.http.fetch(p),
  "secrets.resolve": (s, p, c, x) =>
    s.secrets.resolve({ ...p, companyId: x.guard.resolveCompanyId("secrets.resolve", p, c) }, c),
  "activity.log": (s, p) => s.activity.log(p),
  "metrics.write": (s, p) => s.metrics.write(p),
  "telemetry.track": (s, p) => s.telemetry.track(p),
  log: (s, p) => s.logger.log(p),
  "span.record": (s, p, c) => s.tracer.record(p, c),
  // Listing is allowed from any invocation, but only the invocation's own company comes back.
  "companies.list": async (s, p, c) => {
    const rows = await s.companies.list(p);
    const allowed = invocationCompanyId(c);
    if (!allowed) return rows;
    return rows.filter((company) => (company as { id?: unknown } | null)?.id === allowed);
  },
  "companies.get": (s, p) => s.companies.get(p),
  "projects.list": (s, p) => s.projects.list(p),
  "projects.get": (s, p) => s.projects.get(p),
  "projects.listWorkspaces": (s, p) => s.projects.listWorkspaces(p),
  "projects.getPrimaryWorkspace": (s, p) => s.projects.getPrimaryWorkspace(p),
  "projects.getWorkspaceForIssue": (s, p) => s.projects.getWorkspaceForIssue(p),
  "executionWorkspaces.get": (s, p) => s.executionWorkspaces.get(p),
  "projects.managed.get": (s, p) => s.projects.getManaged(p),
  "projects.managed.reconcile": (s, p) => s.projects.reconcileManaged(p),
  "projects.managed.reset": (s, p) => s.projects.resetManaged(p),
  "routines.managed.get": (s, p) => s.routines.managedGet(p),
  "routines.managed.reconcile": (s, p) => s.routines.managedReconcile(p),
  "routines.managed.reset": (s, p) => s.routines.managedReset(p),
  "routines.managed.update": (s, p) => s.routines.managedUpdate(p),
  "routines.managed.run": (s, p) => s.routines.managedRun(p),
  "skills.managed.get": (s, p) => s.skills.managedGet(p),
  "skills.managed.reconcile": (s, p) => s.skills.managedReconcile(p),
  "skills.managed.reset": (s, p) => s.skills.managedReset(p),
  "issues.list": (s, p) => s.issues.list(p),
  "issues.get": (s, p) => s.issues.get(p),
  "issues.create": (s, p) => s.issues.create(p),
  "issues.update": (s, p) => s.issues.update(p),
  "issues.relations.get": (s, p) => s.issues.getRelations(p),
  "issues.relations.setBlockedBy": (s, p) => s.issues.setBlockedBy(p),
  "issues.relations.addBlockers": (s, p) => s.issues.addBlockers(p),
  "issues.relations.removeBlockers": (s, p) => s.issues.removeBlockers(p),
  "issues.assertCheckoutOwner": (s, p) => s.issues.assertCheckoutOwner(p),
  "issues.getSubtree": (s, p) => s.issues.getSubtree(p),
  "issues.requestWakeup": (s, p) => s.issues.requestWakeup(p),
  "issues.requestWakeups": (s, p) => s.issues.requestWakeups(p),
  "issues.summaries.getOrchestration": (s, p) => s.issues.getOrchestrationSummary(p),
  "issues.listComments": (s, p) => s.issues.listComments(p),
  // Writing a comment in a human's name needs a second capability.
  "issues.createComment": async (s, p, _c, x) => {
    if (p.actorUserId && !x.hasCapability("issue.comments.create_human_attributed")) {
      throw new CapabilityDeniedError(
        x.pluginId,
        "issues.createComment",
        "issue.comments.create_human_attributed",
      );
    }
    return s.issues.createComment(p);
  },
  "issues.createInteraction": (s, p) => s.issues.createInteraction(p),
  "issues.listInteractions": (s, p) => s.issues.listInteractions(p),
  "issues.respondInteraction": (s, p) => s.issues.respondInteraction(p),
  "issues.listAttachments": (s, p) => s.issues.listAttachments(p),
  "issues.getAttachmentContent": (s, p) => s.issues.getAttachmentContent(p),
  "approvals.list": (s, p) => s.approvals.list(p),
  "approvals.get": (s, p) => s.approvals.get(p),
  "approvals.decide": (s, p) => s.approvals.decide(p),
  "issues.documents.list": (s, p) => s.issueDocuments.list(p),
  "issues.documents.get": (s, p) => s.issueDocuments.get(p),
  "issues.documents.upsert": (s, p) => s.issueDocuments.upsert(p),
  "issues.documents.delete": (s, p) => s.issueDocuments.delete(p),
  "agents.list": (s, p) => s.agents.list(p),
  "agents.get": (s, p) => s.agents.get(p),
  "agents.pause": (s, p) => s.agents.pause(p),
  "agents.resume": (s, p) => s.agents.resume(p),
  "agents.invoke": (s, p) => s.agents.invoke(p),
  "agents.managed.get": (s, p) => s.agents.managedGet(p),
  "agents.managed.reconcile": (s, p) => s.agents.managedReconcile(p),
  "agents.managed.reset": (s, p) => s.agents.managedReset(p),
  "agents.sessions.create": (s, p) => s.agentSessions.create(p),
  "agents.sessions.list": (s, p) => s.agentSessions.list(p),
  "agents.sessions.sendMessage": (s, p) => s.agentSessions.sendMessage(p),
  "agents.sessions.close": (s, p) => s.agentSessions.close(p),
  "goals.list": (s, p) => s.goals.list(p),
  "goals.get": (s, p) => s.goals.get(p),
  "goals.create": (s, p) => s.goals.create(p),
  "goals.update": (s, p) => s.goals.update(p),
  "access.members.list": (s, p) => s.access.listMembers(p),
  "access.members.get": (s, p) => s.access.getMember(p),
  "access.members.update": (s, p) => s.access.updateMember(p),
  "access.invites.list": (s, p) => s.access.listInvites(p),
  "access.invites.create": (s, p) => s.access.createInvite(p),
  "access.invites.revoke": (s, p) => s.access.revokeInvite(p),
  "authorization.grants.list": (s, p) => s.authorization.listGrants(p),
  "authorization.grants.set": (s, p) => s.authorization.setGrants(p),
  "authorization.policies.summary": (s, p) => s.authorization.policySummary(p),
  "authorization.policies.get": (s, p) => s.authorization.getPolicy(p),
  "authorization.policies.update": (s, p) => s.authorization.updatePolicy(p),
  "authorization.policies.previewAssignment": (s, p) => s.authorization.previewAssignment(p),
  "authorization.policies.explainAssignment": (s, p) => s.authorization.explainAssignment(p),
  "authorization.audit.search": (s, p) => s.authorization.searchAudit(p),
};

export function createHostClientHandlers(options: HostClientFactoryOptions): HostClientHandlers {
  const { pluginId, services } = options;
  const capabilities = new Set<string>(options.capabilities);
  const extras: RouteExtras = {
    guard: new InvocationScopeGuard(pluginId),
    hasCapability: (capability) => capabilities.has(capability),
    pluginId,
  };

  const gated = <M extends WorkerToHostMethodName>(method: M) => {
    const route = ROUTES[method] as Route<M>;
    const required = METHOD_CAPABILITY_MAP[method];
    return async (params: WorkerToHostMethods[M][0], context?: WorkerHostCallContext) => {
      if (required !== null && !capabilities.has(required)) {
        throw new CapabilityDeniedError(pluginId, method, required);
      }
      extras.guard.check(method, params, context);
      return route(services, params, context, extras);
    };
  };

  const handlers: Partial<Record<WorkerToHostMethodName, unknown>> = {};
  for (const method of Object.keys(ROUTES) as WorkerToHostMethodName[]) {
    handlers[method] = gated(method);
  }
  return handlers as HostClientHandlers;
}
