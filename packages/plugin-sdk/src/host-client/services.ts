/**
 * HostServices: the host-side implementations the gated handlers forward to, grouped like ctx.
 * Each service takes the wire params of its method and returns its wire result.
 */
import type {
  WorkerHostCallContext,
  WorkerToHostMethodName,
  WorkerToHostMethods,
} from "../protocol/index.js";
import type { PluginCapability } from "../types/index.js";

type P<M extends WorkerToHostMethodName> = WorkerToHostMethods[M][0];
type R<M extends WorkerToHostMethodName> = Promise<WorkerToHostMethods[M][1]>;

export interface HostServices {
  config: { get(params: P<"config.get">, context?: WorkerHostCallContext): Promise<Record<string, unknown>> };
  localFolders: {
    declarations(params: P<"localFolders.declarations">): R<"localFolders.declarations">;
    configure(params: P<"localFolders.configure">): R<"localFolders.configure">;
    status(params: P<"localFolders.status">): R<"localFolders.status">;
    list(params: P<"localFolders.list">): R<"localFolders.list">;
    readText(params: P<"localFolders.readText">): R<"localFolders.readText">;
    writeTextAtomic(params: P<"localFolders.writeTextAtomic">): R<"localFolders.writeTextAtomic">;
    deleteFile(params: P<"localFolders.deleteFile">): R<"localFolders.deleteFile">;
  };
  state: {
    get(params: P<"state.get">): R<"state.get">;
    set(params: P<"state.set">): Promise<void>;
    delete(params: P<"state.delete">): Promise<void>;
  };
  db: {
    namespace(params: P<"db.namespace">): R<"db.namespace">;
    query(params: P<"db.query">): R<"db.query">;
    execute(params: P<"db.execute">): R<"db.execute">;
  };
  entities: {
    upsert(params: P<"entities.upsert">): R<"entities.upsert">;
    list(params: P<"entities.list">): R<"entities.list">;
  };
  events: {
    emit(params: P<"events.emit">): Promise<void>;
    subscribe(params: P<"events.subscribe">): Promise<void>;
  };
  http: { fetch(params: P<"http.fetch">): R<"http.fetch"> };
  secrets: { resolve(params: P<"secrets.resolve">, context?: WorkerHostCallContext): Promise<string> };
  activity: {
    log(params: {
      companyId: string;
      message: string;
      entityType?: string;
      entityId?: string;
      metadata?: Record<string, unknown>;
    }): Promise<void>;
  };
  metrics: { write(params: P<"metrics.write">): Promise<void> };
  telemetry: { track(params: P<"telemetry.track">): Promise<void> };
  logger: { log(params: P<"log">): Promise<void> };
  tracer: { record(params: P<"span.record">, context?: WorkerHostCallContext): Promise<void> };
  companies: {
    list(params: P<"companies.list">): R<"companies.list">;
    get(params: P<"companies.get">): R<"companies.get">;
  };
  projects: {
    list(params: P<"projects.list">): R<"projects.list">;
    get(params: P<"projects.get">): R<"projects.get">;
    listWorkspaces(params: P<"projects.listWorkspaces">): R<"projects.listWorkspaces">;
    getPrimaryWorkspace(params: P<"projects.getPrimaryWorkspace">): R<"projects.getPrimaryWorkspace">;
    getWorkspaceForIssue(params: P<"projects.getWorkspaceForIssue">): R<"projects.getWorkspaceForIssue">;
    getManaged(params: P<"projects.managed.get">): R<"projects.managed.get">;
    reconcileManaged(params: P<"projects.managed.reconcile">): R<"projects.managed.reconcile">;
    resetManaged(params: P<"projects.managed.reset">): R<"projects.managed.reset">;
  };
  executionWorkspaces: { get(params: P<"executionWorkspaces.get">): R<"executionWorkspaces.get"> };
  routines: {
    managedGet(params: P<"routines.managed.get">): R<"routines.managed.get">;
    managedReconcile(params: P<"routines.managed.reconcile">): R<"routines.managed.reconcile">;
    managedReset(params: P<"routines.managed.reset">): R<"routines.managed.reset">;
    managedUpdate(params: P<"routines.managed.update">): R<"routines.managed.update">;
    managedRun(params: P<"routines.managed.run">): R<"routines.managed.run">;
  };
  skills: {
    managedGet(params: P<"skills.managed.get">): R<"skills.managed.get">;
    managedReconcile(params: P<"skills.managed.reconcile">): R<"skills.managed.reconcile">;
    managedReset(params: P<"skills.managed.reset">): R<"skills.managed.reset">;
  };
  issues: {
    list(params: P<"issues.list">): R<"issues.list">;
    get(params: P<"issues.get">): R<"issues.get">;
    create(params: P<"issues.create">): R<"issues.create">;
    update(params: P<"issues.update">): R<"issues.update">;
    getRelations(params: P<"issues.relations.get">): R<"issues.relations.get">;
    setBlockedBy(params: P<"issues.relations.setBlockedBy">): R<"issues.relations.setBlockedBy">;
    addBlockers(params: P<"issues.relations.addBlockers">): R<"issues.relations.addBlockers">;
    removeBlockers(params: P<"issues.relations.removeBlockers">): R<"issues.relations.removeBlockers">;
    assertCheckoutOwner(params: P<"issues.assertCheckoutOwner">): R<"issues.assertCheckoutOwner">;
    getSubtree(params: P<"issues.getSubtree">): R<"issues.getSubtree">;
    requestWakeup(params: P<"issues.requestWakeup">): R<"issues.requestWakeup">;
    requestWakeups(params: P<"issues.requestWakeups">): R<"issues.requestWakeups">;
    getOrchestrationSummary(
      params: P<"issues.summaries.getOrchestration">,
    ): R<"issues.summaries.getOrchestration">;
    listComments(params: P<"issues.listComments">): R<"issues.listComments">;
    createComment(params: P<"issues.createComment">): R<"issues.createComment">;
    createInteraction(params: P<"issues.createInteraction">): R<"issues.createInteraction">;
    listInteractions(params: P<"issues.listInteractions">): R<"issues.listInteractions">;
    respondInteraction(params: P<"issues.respondInteraction">): R<"issues.respondInteraction">;
    listAttachments(params: P<"issues.listAttachments">): R<"issues.listAttachments">;
    getAttachmentContent(params: P<"issues.getAttachmentContent">): R<"issues.getAttachmentContent">;
  };
  approvals: {
    list(params: P<"approvals.list">): R<"approvals.list">;
    get(params: P<"approvals.get">): R<"approvals.get">;
    decide(params: P<"approvals.decide">): R<"approvals.decide">;
  };
  issueDocuments: {
    list(params: P<"issues.documents.list">): R<"issues.documents.list">;
    get(params: P<"issues.documents.get">): R<"issues.documents.get">;
    upsert(params: P<"issues.documents.upsert">): R<"issues.documents.upsert">;
    delete(params: P<"issues.documents.delete">): R<"issues.documents.delete">;
  };
  agents: {
    list(params: P<"agents.list">): R<"agents.list">;
    get(params: P<"agents.get">): R<"agents.get">;
    pause(params: P<"agents.pause">): R<"agents.pause">;
    resume(params: P<"agents.resume">): R<"agents.resume">;
    invoke(params: P<"agents.invoke">): R<"agents.invoke">;
    managedGet(params: P<"agents.managed.get">): R<"agents.managed.get">;
    managedReconcile(params: P<"agents.managed.reconcile">): R<"agents.managed.reconcile">;
    managedReset(params: P<"agents.managed.reset">): R<"agents.managed.reset">;
  };
  agentSessions: {
    create(params: P<"agents.sessions.create">): R<"agents.sessions.create">;
    list(params: P<"agents.sessions.list">): R<"agents.sessions.list">;
    sendMessage(params: P<"agents.sessions.sendMessage">): R<"agents.sessions.sendMessage">;
    close(params: P<"agents.sessions.close">): Promise<void>;
  };
  goals: {
    list(params: P<"goals.list">): R<"goals.list">;
    get(params: P<"goals.get">): R<"goals.get">;
    create(params: P<"goals.create">): R<"goals.create">;
    update(params: P<"goals.update">): R<"goals.update">;
  };
  access: {
    listMembers(params: P<"access.members.list">): R<"access.members.list">;
    getMember(params: P<"access.members.get">): R<"access.members.get">;
    updateMember(params: P<"access.members.update">): R<"access.members.update">;
    listInvites(params: P<"access.invites.list">): R<"access.invites.list">;
    createInvite(params: P<"access.invites.create">): R<"access.invites.create">;
    revokeInvite(params: P<"access.invites.revoke">): R<"access.invites.revoke">;
  };
  authorization: {
    listGrants(params: P<"authorization.grants.list">): R<"authorization.grants.list">;
    setGrants(params: P<"authorization.grants.set">): R<"authorization.grants.set">;
    policySummary(params: P<"authorization.policies.summary">): R<"authorization.policies.summary">;
    getPolicy(params: P<"authorization.policies.get">): R<"authorization.policies.get">;
    updatePolicy(params: P<"authorization.policies.update">): R<"authorization.policies.update">;
    previewAssignment(
      params: P<"authorization.policies.previewAssignment">,
    ): R<"authorization.policies.previewAssignment">;
    explainAssignment(
      params: P<"authorization.policies.explainAssignment">,
    ): R<"authorization.policies.explainAssignment">;
    searchAudit(params: P<"authorization.audit.search">): R<"authorization.audit.search">;
  };
}

export interface HostClientFactoryOptions {
  /** Named in denial messages. */
  pluginId: string;
  /** The capabilities the plugin's manifest declares. */
  capabilities: readonly PluginCapability[];
  services: HostServices;
}

type HostHandler<M extends WorkerToHostMethodName> = (
  params: WorkerToHostMethods[M][0],
  context?: WorkerHostCallContext,
) => Promise<WorkerToHostMethods[M][1]>;

/** One gated handler per worker→host method. */
export type HostClientHandlers = { [M in WorkerToHostMethodName]: HostHandler<M> };
