/**
 * `ctx.issues` — issues with their comments, interactions, attachments, documents,
 * blocker relations and orchestration summaries.
 */
import type {
  AskUserQuestionsInteraction,
  CreateIssueThreadInteraction,
  IssueThreadInteraction,
  RequestCheckboxConfirmationInteraction,
  RequestConfirmationInteraction,
  SuggestTasksInteraction,
} from "./interactions.js";
import type {
  Issue,
  IssueAssigneeAdapterOverrides,
  IssueAttachment,
  IssueComment,
  IssueDocument,
  IssueDocumentSummary,
  IssueSurfaceVisibility,
  PluginIssueOriginKind,
} from "./records.js";
import type {
  PluginIssueAttachmentContent,
  PluginIssueCheckoutOwnership,
  PluginIssueMutationActor,
  PluginIssueOrchestrationSummary,
  PluginIssueRelationSummary,
  PluginIssueSubtree,
  PluginIssueSubtreeOptions,
  PluginIssueWakeupBatchResult,
  PluginIssueWakeupResult,
} from "./summaries.js";

export interface PluginIssueDocumentsClient {
  list(issueId: string, companyId: string): Promise<IssueDocumentSummary[]>;
  get(issueId: string, key: string, companyId: string): Promise<IssueDocument | null>;
  upsert(input: {
    issueId: string;
    key: string;
    body: string;
    companyId: string;
    title?: string;
    format?: string;
    changeSummary?: string;
  }): Promise<IssueDocument>;
  delete(issueId: string, key: string, companyId: string): Promise<void>;
}

export interface PluginIssueRelationsClient {
  get(issueId: string, companyId: string): Promise<PluginIssueRelationSummary>;
  setBlockedBy(
    issueId: string,
    blockedByIssueIds: string[],
    companyId: string,
    actor?: PluginIssueMutationActor,
  ): Promise<PluginIssueRelationSummary>;
  addBlockers(
    issueId: string,
    blockerIssueIds: string[],
    companyId: string,
    actor?: PluginIssueMutationActor,
  ): Promise<PluginIssueRelationSummary>;
  removeBlockers(
    issueId: string,
    blockerIssueIds: string[],
    companyId: string,
    actor?: PluginIssueMutationActor,
  ): Promise<PluginIssueRelationSummary>;
}

export interface PluginIssueSummariesClient {
  getOrchestration(input: {
    issueId: string;
    companyId: string;
    includeSubtree?: boolean;
    billingCode?: string | null;
  }): Promise<PluginIssueOrchestrationSummary>;
}

/** Input of an interaction sugar method: the create input of that kind without `kind`. */
type InteractionInput<K extends CreateIssueThreadInteraction["kind"]> = Omit<
  Extract<CreateIssueThreadInteraction, { kind: K }>,
  "kind"
>;

export interface PluginIssueCreateInput {
  companyId: string;
  projectId?: string;
  goalId?: string;
  parentId?: string;
  inheritExecutionWorkspaceFromIssueId?: string;
  title: string;
  description?: string;
  status?: Issue["status"];
  priority?: Issue["priority"];
  assigneeAgentId?: string;
  assigneeUserId?: string | null;
  requestDepth?: number;
  billingCode?: string | null;
  assigneeAdapterOverrides?: IssueAssigneeAdapterOverrides | null;
  surfaceVisibility?: IssueSurfaceVisibility;
  originKind?: PluginIssueOriginKind;
  originId?: string | null;
  originRunId?: string | null;
  blockedByIssueIds?: string[];
  labelIds?: string[];
  executionWorkspaceId?: string | null;
  executionWorkspacePreference?: string | null;
  executionWorkspaceSettings?: Record<string, unknown> | null;
  actor?: PluginIssueMutationActor;
}

export type PluginIssueUpdatePatch = Partial<
  Pick<
    Issue,
    | "title"
    | "description"
    | "status"
    | "priority"
    | "assigneeAgentId"
    | "assigneeUserId"
    | "billingCode"
    | "originKind"
    | "originId"
    | "originRunId"
    | "requestDepth"
    | "executionWorkspaceId"
    | "executionWorkspacePreference"
  >
> & {
  blockedByIssueIds?: string[];
  labelIds?: string[];
  executionWorkspaceSettings?: Record<string, unknown> | null;
};

export interface PluginIssuesClient {
  list(input: {
    companyId: string;
    projectId?: string;
    assigneeAgentId?: string;
    originKind?: PluginIssueOriginKind;
    originKindPrefix?: string;
    originId?: string;
    status?: Issue["status"];
    includePluginOperations?: boolean;
    limit?: number;
    offset?: number;
  }): Promise<Issue[]>;
  get(issueId: string, companyId: string): Promise<Issue | null>;
  create(input: PluginIssueCreateInput): Promise<Issue>;
  update(
    issueId: string,
    patch: PluginIssueUpdatePatch,
    companyId: string,
    actor?: PluginIssueMutationActor,
  ): Promise<Issue>;
  assertCheckoutOwner(input: {
    issueId: string;
    companyId: string;
    actorAgentId: string;
    actorRunId: string;
  }): Promise<PluginIssueCheckoutOwnership>;
  getSubtree(
    issueId: string,
    companyId: string,
    options?: PluginIssueSubtreeOptions,
  ): Promise<PluginIssueSubtree>;
  requestWakeup(
    issueId: string,
    companyId: string,
    options?: {
      reason?: string;
      contextSource?: string;
      idempotencyKey?: string | null;
    } & PluginIssueMutationActor,
  ): Promise<PluginIssueWakeupResult>;
  requestWakeups(
    issueIds: string[],
    companyId: string,
    options?: {
      reason?: string;
      contextSource?: string;
      idempotencyKeyPrefix?: string | null;
    } & PluginIssueMutationActor,
  ): Promise<PluginIssueWakeupBatchResult[]>;
  listComments(issueId: string, companyId: string): Promise<IssueComment[]>;
  createComment(
    issueId: string,
    body: string,
    companyId: string,
    options?: { authorAgentId?: string; actorUserId?: string },
  ): Promise<IssueComment>;
  createInteraction(
    issueId: string,
    interaction: CreateIssueThreadInteraction,
    companyId: string,
    options?: { authorAgentId?: string },
  ): Promise<IssueThreadInteraction>;
  suggestTasks(
    issueId: string,
    interaction: InteractionInput<"suggest_tasks">,
    companyId: string,
    options?: { authorAgentId?: string },
  ): Promise<SuggestTasksInteraction>;
  askUserQuestions(
    issueId: string,
    interaction: InteractionInput<"ask_user_questions">,
    companyId: string,
    options?: { authorAgentId?: string },
  ): Promise<AskUserQuestionsInteraction>;
  requestConfirmation(
    issueId: string,
    interaction: InteractionInput<"request_confirmation">,
    companyId: string,
    options?: { authorAgentId?: string },
  ): Promise<RequestConfirmationInteraction>;
  requestCheckboxConfirmation(
    issueId: string,
    interaction: InteractionInput<"request_checkbox_confirmation">,
    companyId: string,
    options?: { authorAgentId?: string },
  ): Promise<RequestCheckboxConfirmationInteraction>;
  listInteractions(issueId: string, companyId: string): Promise<IssueThreadInteraction[]>;
  respondInteraction(
    issueId: string,
    interactionId: string,
    input: { action: "accept" | "reject"; actorUserId?: string; reason?: string | null },
    companyId: string,
  ): Promise<{ interaction: IssueThreadInteraction; applied: boolean }>;
  listAttachments(issueId: string, companyId: string): Promise<IssueAttachment[]>;
  getAttachmentContent(
    attachmentId: string,
    companyId: string,
    options?: { maxBytes?: number | null },
  ): Promise<PluginIssueAttachmentContent | null>;
  documents: PluginIssueDocumentsClient;
  relations: PluginIssueRelationsClient;
  summaries: PluginIssueSummariesClient;
}
