// ctx.issues → issues.* (list, get, create, update, comments, interactions, attachments, documents.*, relations.*, summaries.*, wakeups, getSubtree, assertCheckoutOwner)
import type {
  CreateIssueThreadInteraction,
  IssueThreadInteraction,
  PluginIssueMutationActor,
  PluginIssuesClient,
} from "../../types/index.js";
import type { HostLink } from "../host-link.js";

/** The actor fields travel flat beside the other params. */
function actorFields(actor: PluginIssueMutationActor | undefined) {
  return {
    actorAgentId: actor?.actorAgentId,
    actorUserId: actor?.actorUserId,
    actorRunId: actor?.actorRunId,
  };
}

type InteractionOfKind<K extends IssueThreadInteraction["kind"]> = Extract<
  IssueThreadInteraction,
  { kind: K }
>;

/**
 * The wire answers any create with the `IssueThreadInteraction` union; the host creates exactly the
 * kind it was sent, so a shortcut's answer is that kind. Type-level only: nothing is checked at runtime.
 */
function created<K extends IssueThreadInteraction["kind"]>(
  interaction: Promise<IssueThreadInteraction>,
): Promise<InteractionOfKind<K>> {
  return interaction as Promise<InteractionOfKind<K>>;
}

export function buildIssuesClient(host: HostLink): PluginIssuesClient {
  /** The four interaction shortcuts are createInteraction with a fixed `kind`. */
  const createInteraction = (
    issueId: string,
    interaction: CreateIssueThreadInteraction,
    companyId: string,
    options?: { authorAgentId?: string },
  ) =>
    host.call("issues.createInteraction", {
      issueId,
      companyId,
      interaction,
      authorAgentId: options?.authorAgentId,
    });

  return {
    list: (input) =>
      host.call("issues.list", {
        companyId: input.companyId,
        projectId: input.projectId,
        assigneeAgentId: input.assigneeAgentId,
        originKind: input.originKind,
        originKindPrefix: input.originKindPrefix,
        originId: input.originId,
        status: input.status,
        includePluginOperations: input.includePluginOperations,
        limit: input.limit,
        offset: input.offset,
      }),
    get: (issueId, companyId) => host.call("issues.get", { issueId, companyId }),
    create: (input) =>
      host.call("issues.create", {
        companyId: input.companyId,
        projectId: input.projectId,
        goalId: input.goalId,
        parentId: input.parentId,
        inheritExecutionWorkspaceFromIssueId: input.inheritExecutionWorkspaceFromIssueId,
        title: input.title,
        description: input.description,
        status: input.status,
        priority: input.priority,
        assigneeAgentId: input.assigneeAgentId,
        assigneeUserId: input.assigneeUserId,
        requestDepth: input.requestDepth,
        billingCode: input.billingCode,
        assigneeAdapterOverrides: input.assigneeAdapterOverrides,
        surfaceVisibility: input.surfaceVisibility,
        originKind: input.originKind,
        originId: input.originId,
        originRunId: input.originRunId,
        blockedByIssueIds: input.blockedByIssueIds,
        labelIds: input.labelIds,
        executionWorkspaceId: input.executionWorkspaceId,
        executionWorkspacePreference: input.executionWorkspacePreference,
        executionWorkspaceSettings: input.executionWorkspaceSettings,
        ...actorFields(input.actor),
      }),
    // The actor rides inside the patch on the wire.
    update: (issueId, patch, companyId, actor) =>
      host.call("issues.update", { issueId, patch: { ...patch, ...actorFields(actor) }, companyId }),
    assertCheckoutOwner: (input) => host.call("issues.assertCheckoutOwner", input),
    getSubtree: (issueId, companyId, options) =>
      host.call("issues.getSubtree", {
        issueId,
        companyId,
        includeRoot: options?.includeRoot,
        includeRelations: options?.includeRelations,
        includeDocuments: options?.includeDocuments,
        includeActiveRuns: options?.includeActiveRuns,
        includeAssignees: options?.includeAssignees,
      }),
    requestWakeup: (issueId, companyId, options) =>
      host.call("issues.requestWakeup", {
        issueId,
        companyId,
        reason: options?.reason,
        contextSource: options?.contextSource,
        idempotencyKey: options?.idempotencyKey,
        ...actorFields(options),
      }),
    requestWakeups: (issueIds, companyId, options) =>
      host.call("issues.requestWakeups", {
        issueIds,
        companyId,
        reason: options?.reason,
        contextSource: options?.contextSource,
        idempotencyKeyPrefix: options?.idempotencyKeyPrefix,
        ...actorFields(options),
      }),
    listComments: (issueId, companyId) => host.call("issues.listComments", { issueId, companyId }),
    createComment: (issueId, body, companyId, options) =>
      host.call("issues.createComment", {
        issueId,
        body,
        companyId,
        authorAgentId: options?.authorAgentId,
        actorUserId: options?.actorUserId,
      }),
    createInteraction,
    // `kind` goes last so it wins over any `kind` a plain-JS caller left in the input.
    suggestTasks: (issueId, interaction, companyId, options) =>
      created<"suggest_tasks">(
        createInteraction(issueId, { ...interaction, kind: "suggest_tasks" }, companyId, options),
      ),
    askUserQuestions: (issueId, interaction, companyId, options) =>
      created<"ask_user_questions">(
        createInteraction(issueId, { ...interaction, kind: "ask_user_questions" }, companyId, options),
      ),
    requestConfirmation: (issueId, interaction, companyId, options) =>
      created<"request_confirmation">(
        createInteraction(issueId, { ...interaction, kind: "request_confirmation" }, companyId, options),
      ),
    requestCheckboxConfirmation: (issueId, interaction, companyId, options) =>
      created<"request_checkbox_confirmation">(
        createInteraction(
          issueId,
          { ...interaction, kind: "request_checkbox_confirmation" },
          companyId,
          options,
        ),
      ),
    listInteractions: (issueId, companyId) => host.call("issues.listInteractions", { issueId, companyId }),
    respondInteraction: (issueId, interactionId, input, companyId) =>
      host.call("issues.respondInteraction", {
        issueId,
        interactionId,
        companyId,
        action: input.action,
        actorUserId: input.actorUserId,
        reason: input.reason,
      }),
    listAttachments: (issueId, companyId) => host.call("issues.listAttachments", { issueId, companyId }),
    getAttachmentContent: (attachmentId, companyId, options) =>
      host.call("issues.getAttachmentContent", {
        attachmentId,
        companyId,
        maxBytes: options?.maxBytes ?? null,
      }),
    documents: {
      list: (issueId, companyId) => host.call("issues.documents.list", { issueId, companyId }),
      get: (issueId, key, companyId) => host.call("issues.documents.get", { issueId, key, companyId }),
      upsert: (input) =>
        host.call("issues.documents.upsert", {
          issueId: input.issueId,
          key: input.key,
          body: input.body,
          companyId: input.companyId,
          title: input.title,
          format: input.format,
          changeSummary: input.changeSummary,
        }),
      delete: (issueId, key, companyId) => host.call("issues.documents.delete", { issueId, key, companyId }),
    },
    relations: {
      get: (issueId, companyId) => host.call("issues.relations.get", { issueId, companyId }),
      setBlockedBy: (issueId, blockedByIssueIds, companyId, actor) =>
        host.call("issues.relations.setBlockedBy", {
          issueId,
          companyId,
          blockedByIssueIds,
          ...actorFields(actor),
        }),
      addBlockers: (issueId, blockerIssueIds, companyId, actor) =>
        host.call("issues.relations.addBlockers", {
          issueId,
          companyId,
          blockerIssueIds,
          ...actorFields(actor),
        }),
      removeBlockers: (issueId, blockerIssueIds, companyId, actor) =>
        host.call("issues.relations.removeBlockers", {
          issueId,
          companyId,
          blockerIssueIds,
          ...actorFields(actor),
        }),
    },
    summaries: {
      getOrchestration: (input) => host.call("issues.summaries.getOrchestration", input),
    },
  };
}
