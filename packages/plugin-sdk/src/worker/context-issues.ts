/**
 * ctx.issues: issues, comments, thread interactions, attachments, documents, relations and
 * orchestration summaries. Each method is one worker→host request with the published params.
 */
import type { PluginIssueMutationActor, PluginIssuesClient } from "../types/index.js";
import type { HostLink } from "./host-link.js";

/** The actor fields travel flat beside the other params. */
function actorFields(actor: PluginIssueMutationActor | undefined) {
  return {
    actorAgentId: actor?.actorAgentId,
    actorUserId: actor?.actorUserId,
    actorRunId: actor?.actorRunId,
  };
}

export function buildIssuesClient(host: HostLink): PluginIssuesClient {
  /** The four interaction shortcuts are createInteraction with a fixed `kind`. */
  const createInteractionOfKind =
    (kind: string) =>
    (issueId: string, interaction: object, companyId: string, options?: { authorAgentId?: string }) =>
      host.call("issues.createInteraction", {
        issueId,
        companyId,
        interaction: { ...interaction, kind },
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
    createInteraction: (issueId, interaction, companyId, options) =>
      host.call("issues.createInteraction", {
        issueId,
        companyId,
        interaction,
        authorAgentId: options?.authorAgentId,
      }),
    suggestTasks: createInteractionOfKind("suggest_tasks"),
    askUserQuestions: createInteractionOfKind("ask_user_questions"),
    requestConfirmation: createInteractionOfKind("request_confirmation"),
    requestCheckboxConfirmation: createInteractionOfKind("request_checkbox_confirmation"),
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
