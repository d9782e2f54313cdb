/**
 * Issue-thread interactions: structured questions, task suggestions and confirmations a
 * plugin can post into an issue thread (`ctx.issues.createInteraction` and its sugar
 * methods), plus the connection-intent records the published SDK exposes alongside them.
 */
import type { IssuePriority, IssueWorkMode } from "./records.js";

export type IssueThreadInteractionKind =
  | "suggest_tasks"
  | "ask_user_questions"
  | "request_confirmation"
  | "request_checkbox_confirmation"
  | "request_item_verdicts"
  | "connection_intent";
export type IssueThreadInteractionStatus =
  | "pending"
  | "accepted"
  | "rejected"
  | "answered"
  | "cancelled"
  | "expired"
  | "failed";
export type IssueThreadInteractionContinuationPolicy = "none" | "wake_assignee" | "wake_assignee_on_accept";
export type IssueThreadInteractionCanonicalResolverPolicy = "anyone" | "not_creator" | "human_only";
export type IssueThreadInteractionLegacyResolverPolicyAlias = "board_or_agents" | "board_only";
/** Accepted on input: the canonical policies plus two legacy aliases. */
export type IssueThreadInteractionResolverPolicy =
  | IssueThreadInteractionCanonicalResolverPolicy
  | IssueThreadInteractionLegacyResolverPolicyAlias;
export type IssueThreadInteractionResolverPolicyProvenance =
  | "explicit"
  | "inherited"
  | "legacy_inherited_restriction";
export type IssueThreadInteractionEffectiveResolverPolicySource =
  | "requested"
  | "company_cap"
  | "governed_action";

/** Terminal outcomes shared by several interaction results. */
type InteractionClosedOutcome = "skipped" | "withdrawn" | "issue_closed" | "addressee_deleted";

// ---------------------------------------------------------------------------
// Payloads and results per kind
// ---------------------------------------------------------------------------

export interface SuggestedTaskDraft {
  clientKey: string;
  parentClientKey?: string | null;
  parentId?: string | null;
  title: string;
  description?: string | null;
  priority?: IssuePriority | null;
  workMode?: IssueWorkMode | null;
  assigneeAgentId?: string | null;
  assigneeUserId?: string | null;
  projectId?: string | null;
  goalId?: string | null;
  billingCode?: string | null;
  labels?: string[];
  hiddenInPreview?: boolean;
}

export interface SuggestTasksPayload {
  version: 1;
  defaultParentId?: string | null;
  tasks: SuggestedTaskDraft[];
}

export interface SuggestTasksResult {
  version: 1;
  outcome?: InteractionClosedOutcome;
  reason?: string | null;
  createdTasks?: Array<{
    clientKey: string;
    issueId: string;
    identifier?: string | null;
    title?: string | null;
    parentIssueId?: string | null;
    parentIdentifier?: string | null;
  }>;
  skippedClientKeys?: string[];
  rejectionReason?: string | null;
}

export interface AskUserQuestionsQuestionOption {
  id: string;
  label: string;
  description?: string | null;
  freeText?: boolean;
}

export interface AskUserQuestionsQuestion {
  id: string;
  prompt: string;
  helpText?: string | null;
  selectionMode: "single" | "multi";
  required?: boolean;
  allowOther?: boolean;
  options: AskUserQuestionsQuestionOption[];
}

export interface AskUserQuestionsPayload {
  version: 1;
  title?: string | null;
  submitLabel?: string | null;
  supersedeOnUserComment?: boolean;
  questions: AskUserQuestionsQuestion[];
  /** Richer question-set form understood by newer boards. */
  questionSet?: Record<string, unknown>;
  runtimeRequestId?: string | null;
}

export interface AskUserQuestionsAnswer {
  questionId: string;
  optionIds: string[];
  otherText?: string | null;
}

export interface AskUserQuestionsResult {
  version: 1;
  outcome?: InteractionClosedOutcome;
  reason?: string | null;
  answers: AskUserQuestionsAnswer[];
  cancelled?: true;
  cancellationReason?: string | null;
  expirationReason?: "superseded_by_comment" | "superseded_by_newer_interaction";
  commentId?: string | null;
  supersededByInteractionId?: string | null;
  summaryMarkdown?: string | null;
}

export interface RequestConfirmationIssueDocumentTarget {
  type: "issue_document";
  issueId?: string | null;
  documentId?: string | null;
  key: string;
  revisionId: string;
  revisionNumber?: number | null;
  label?: string | null;
  href?: string | null;
}

export interface RequestConfirmationCustomTarget {
  type: "custom";
  key: string;
  revisionId?: string | null;
  revisionNumber?: number | null;
  label?: string | null;
  href?: string | null;
}

export type RequestConfirmationTarget =
  | RequestConfirmationIssueDocumentTarget
  | RequestConfirmationCustomTarget;

/** Fields common to the confirmation-style payloads. */
interface ConfirmationPayloadBase {
  version: 1;
  prompt: string;
  detailsMarkdown?: string | null;
  acceptLabel?: string | null;
  rejectLabel?: string | null;
  rejectRequiresReason?: boolean;
  rejectReasonLabel?: string | null;
  allowDeclineReason?: boolean;
  declineReasonPlaceholder?: string | null;
  supersedeOnUserComment?: boolean;
  target?: RequestConfirmationTarget | null;
}

export interface RequestConfirmationPayload extends ConfirmationPayloadBase {
  toolAction?: Record<string, unknown>;
  secretProposal?: Record<string, unknown>;
  connectionAuthorization?: Record<string, unknown>;
}

export interface RequestConfirmationResult {
  version: 1;
  outcome:
    | "accepted"
    | "rejected"
    | "superseded_by_comment"
    | "superseded_by_newer_request"
    | "stale_target"
    | InteractionClosedOutcome;
  reason?: string | null;
  commentId?: string | null;
  supersededByInteractionId?: string | null;
  staleTarget?: RequestConfirmationTarget | null;
  resumeFailure?: Record<string, unknown> | null;
  toolAction?: Record<string, unknown>;
  secretProposal?: Record<string, unknown>;
}

export interface RequestCheckboxConfirmationOption {
  id: string;
  label: string;
  description?: string | null;
}

export interface RequestCheckboxConfirmationPayload extends ConfirmationPayloadBase {
  options: RequestCheckboxConfirmationOption[];
  defaultSelectedOptionIds?: string[];
  minSelected?: number;
  maxSelected?: number | null;
}

export interface RequestCheckboxConfirmationResult extends RequestConfirmationResult {
  selectedOptionIds?: string[];
}

export type RequestItemVerdictValue = "approve" | "reject" | "defer";

export interface RequestItemVerdictsPayload {
  version: 1;
  prompt: string;
  detailsMarkdown?: string | null;
  items: Array<{
    id: string;
    label: string;
    description?: string | null;
    previewMarkdown?: string | null;
    href?: string | null;
    attachmentId?: string | null;
  }>;
  verdicts?: RequestItemVerdictValue[];
  requireReasonOn?: RequestItemVerdictValue[];
  reasonLabel?: string | null;
  allowBulkApprove?: boolean;
  supersedeOnUserComment?: boolean;
  target?: RequestConfirmationTarget | null;
}

export interface RequestItemVerdictsResult {
  version: 1;
  outcome: "resolved" | "superseded_by_comment" | "stale_target" | "cancelled" | InteractionClosedOutcome;
  reason?: string | null;
  complete: boolean;
  items: Array<{
    id: string;
    verdict: RequestItemVerdictValue;
    reason?: string | null;
    resolvedByUserId?: string | null;
    resolvedByAgentId?: string | null;
    resolvedByRunId?: string | null;
    resolvedAt: Date | string;
    commentId?: string | null;
  }>;
  commentId?: string | null;
  staleTarget?: RequestConfirmationTarget | null;
}

export type ConnectionIntentPhase = "requested" | "authorizing" | "needs_retry";

export interface ConnectionIntentPayload {
  version: 1;
  purpose?: "ai";
  serviceSlug: string;
  serviceName: string;
  serviceLogoUrl?: string | null;
  serviceDarkLogoUrl?: string | null;
  requestingAgentId: string;
  requestingAgentName: string;
  phase: ConnectionIntentPhase;
}

export interface ConnectionIntentResult {
  version: 1;
  outcome: "connected" | "declined" | "superseded" | "expired";
  connectionId?: string | null;
  reason?: string | null;
  supersededByInteractionId?: string | null;
}

// ---------------------------------------------------------------------------
// Interaction records
// ---------------------------------------------------------------------------

export interface IssueThreadInteractionBase {
  id: string;
  companyId: string;
  issueId: string;
  kind: IssueThreadInteractionKind;
  idempotencyKey?: string | null;
  originCommentIds?: string[];
  sourceCommentId?: string | null;
  sourceRunId?: string | null;
  addresseeAgentId?: string | null;
  addresseeUserId?: string | null;
  title?: string | null;
  summary?: string | null;
  status: IssueThreadInteractionStatus;
  continuationPolicy: IssueThreadInteractionContinuationPolicy;
  resolverPolicy: IssueThreadInteractionCanonicalResolverPolicy;
  requestedResolverPolicy: IssueThreadInteractionCanonicalResolverPolicy;
  effectiveResolverPolicy: IssueThreadInteractionCanonicalResolverPolicy;
  resolverPolicyProvenance: IssueThreadInteractionResolverPolicyProvenance;
  effectiveResolverPolicySource: IssueThreadInteractionEffectiveResolverPolicySource;
  legacyResolverPolicyAliases: {
    requested: IssueThreadInteractionLegacyResolverPolicyAlias | null;
    effective: IssueThreadInteractionLegacyResolverPolicyAlias | null;
  };
  createdByAgentId?: string | null;
  createdByUserId?: string | null;
  resolvedByAgentId?: string | null;
  resolvedByRunId?: string | null;
  resolvedByUserId?: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
  resolvedAt?: Date | string | null;
}

export interface SuggestTasksInteraction extends IssueThreadInteractionBase {
  kind: "suggest_tasks";
  payload: SuggestTasksPayload;
  result?: SuggestTasksResult | null;
}

export interface AskUserQuestionsInteraction extends IssueThreadInteractionBase {
  kind: "ask_user_questions";
  payload: AskUserQuestionsPayload;
  result?: AskUserQuestionsResult | null;
}

export interface RequestConfirmationInteraction extends IssueThreadInteractionBase {
  kind: "request_confirmation";
  payload: RequestConfirmationPayload;
  result?: RequestConfirmationResult | null;
}

export interface RequestCheckboxConfirmationInteraction extends IssueThreadInteractionBase {
  kind: "request_checkbox_confirmation";
  payload: RequestCheckboxConfirmationPayload;
  result?: RequestCheckboxConfirmationResult | null;
}

export interface RequestItemVerdictsInteraction extends IssueThreadInteractionBase {
  kind: "request_item_verdicts";
  payload: RequestItemVerdictsPayload;
  result?: RequestItemVerdictsResult | null;
}

export interface ConnectionIntentInteraction extends IssueThreadInteractionBase {
  kind: "connection_intent";
  payload: ConnectionIntentPayload;
  result?: ConnectionIntentResult | null;
}

export type IssueThreadInteraction =
  | SuggestTasksInteraction
  | AskUserQuestionsInteraction
  | RequestConfirmationInteraction
  | RequestCheckboxConfirmationInteraction
  | RequestItemVerdictsInteraction
  | ConnectionIntentInteraction;

/** Fields a caller may set on any new interaction. */
interface CreateInteractionCommon {
  resolverPolicy?: IssueThreadInteractionResolverPolicy;
  addresseeAgentId?: string | null;
  addresseeUserId?: string | null;
  idempotencyKey?: string | null;
  sourceCommentId?: string | null;
  sourceRunId?: string | null;
  title?: string | null;
  summary?: string | null;
  /** Defaults to `wake_assignee` (`none` for `request_confirmation`). */
  continuationPolicy?: IssueThreadInteractionContinuationPolicy;
}

/** Input for `ctx.issues.createInteraction`, discriminated by `kind`. */
export type CreateIssueThreadInteraction =
  | (CreateInteractionCommon & { kind: "suggest_tasks"; payload: SuggestTasksPayload })
  | (CreateInteractionCommon & { kind: "ask_user_questions"; payload: AskUserQuestionsPayload })
  | (CreateInteractionCommon & { kind: "request_confirmation"; payload: RequestConfirmationPayload })
  | (CreateInteractionCommon & {
      kind: "request_checkbox_confirmation";
      payload: RequestCheckboxConfirmationPayload;
    })
  | (CreateInteractionCommon & { kind: "request_item_verdicts"; payload: RequestItemVerdictsPayload });

// ---------------------------------------------------------------------------
// Connections (agent tool connections; exposed for type compatibility)
// ---------------------------------------------------------------------------

export type ConnectionAvailabilityState = "ready" | "needs_user_action" | "available" | "unavailable";

export interface ConnectionSearchResultItem {
  service: string;
  source?: "catalog" | "configured";
  reason?: string;
  name: string;
  description: string | null;
  logoUrl: string | null;
  methods: Array<{ key: string; label: string; auth: "oauth" | "api_key" | "none" }>;
  state: ConnectionAvailabilityState;
  connectionId: string | null;
}

export interface ConnectionsSearchResult {
  version: 1;
  query: string;
  results: ConnectionSearchResultItem[];
}

export interface ConnectionRequestResult {
  version: 1;
  service: string;
  state: "ready" | "needs_user_action";
  connectionId: string | null;
  interactionId: string | null;
  instruction: string;
}

export interface ConnectionIntentSetupOptions {
  version: 1;
  interaction: ConnectionIntentInteraction;
  service: ConnectionSearchResultItem;
  existingConnections: Array<{
    id: string;
    applicationId: string | null;
    name: string;
    status: string;
    enabled: boolean;
  }>;
  requestedAgentId: string;
  aiConnection?: Record<string, unknown>;
  aiRepair?: { connection: Record<string, unknown>; canReconnect: boolean };
}
