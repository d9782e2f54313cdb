/**
 * The conversation side of an issue: comments, structured interactions (questions, task
 * suggestions, confirmations) and attachments.
 */
import { randomUUID } from "node:crypto";
import type {
  CreateIssueThreadInteraction,
  IssueComment,
  IssueThreadInteraction,
  IssueThreadInteractionCanonicalResolverPolicy,
  PluginContext,
} from "../types/index.js";
import { detached, wireTimestamp } from "./domain-store.js";
import type { HarnessRuntime } from "./runtime.js";
import {
  optionalNonEmptyString,
  optionalPlainObject,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

type IssuesClient = PluginContext["issues"];
type ThreadMethods = Pick<
  IssuesClient,
  | "listComments"
  | "createComment"
  | "createInteraction"
  | "suggestTasks"
  | "askUserQuestions"
  | "requestConfirmation"
  | "requestCheckboxConfirmation"
  | "listInteractions"
  | "respondInteraction"
  | "listAttachments"
  | "getAttachmentContent"
>;

const CREATABLE_INTERACTION_KINDS = [
  "suggest_tasks",
  "ask_user_questions",
  "request_confirmation",
  "request_checkbox_confirmation",
  "request_item_verdicts",
] as const;

/** Legacy resolver-policy spellings the host still accepts, mapped to the canonical ones. */
const LEGACY_RESOLVER_POLICIES: Record<string, IssueThreadInteractionCanonicalResolverPolicy> = {
  board_or_agents: "anyone",
  board_only: "human_only",
};
const CANONICAL_RESOLVER_POLICIES = ["anyone", "not_creator", "human_only"] as const;

export function buildIssueThreadMethods(runtime: HarnessRuntime): ThreadMethods {
  const { gate, store } = runtime;
  const issueIn = (issueId: unknown, companyId: unknown, method: string) =>
    store.mustFind(
      store.issues,
      requireNonEmptyString(issueId, `ctx.issues.${method}: issueId`),
      requireNonEmptyString(companyId, `ctx.issues.${method}: companyId`),
    );

  const createInteraction = async (
    issueId: unknown,
    interaction: unknown,
    companyId: unknown,
    options: unknown,
    method = "createInteraction",
  ): Promise<IssueThreadInteraction> => {
    gate.require("issue.interactions.create");
    const issue = issueIn(issueId, companyId, method);
    const input = requirePlainObject(interaction, `ctx.issues.${method}: interaction`);
    const kind = requireOneOf(
      input.kind,
      CREATABLE_INTERACTION_KINDS,
      `ctx.issues.${method}: interaction.kind`,
    );
    const payload = requirePlainObject(input.payload, `ctx.issues.${method}: interaction.payload`);
    const opts = optionalPlainObject(options, `ctx.issues.${method}: options`) ?? {};
    const requested = input.resolverPolicy ?? "anyone";
    const legacy = typeof requested === "string" ? LEGACY_RESOLVER_POLICIES[requested] : undefined;
    const policy =
      legacy ??
      requireOneOf(
        requested,
        CANONICAL_RESOLVER_POLICIES,
        `ctx.issues.${method}: interaction.resolverPolicy (or legacy board_or_agents, board_only)`,
      );
    const now = wireTimestamp();
    const record = {
      id: randomUUID(),
      companyId: issue.companyId,
      issueId: issue.id,
      kind,
      idempotencyKey: (input.idempotencyKey as string | null | undefined) ?? null,
      sourceCommentId: (input.sourceCommentId as string | null | undefined) ?? null,
      sourceRunId: (input.sourceRunId as string | null | undefined) ?? null,
      addresseeAgentId: (input.addresseeAgentId as string | null | undefined) ?? null,
      addresseeUserId: (input.addresseeUserId as string | null | undefined) ?? null,
      title: (input.title as string | null | undefined) ?? null,
      summary: (input.summary as string | null | undefined) ?? null,
      status: "pending",
      continuationPolicy:
        (input.continuationPolicy as string | undefined) ??
        (kind === "request_confirmation" ? "none" : "wake_assignee"),
      resolverPolicy: policy,
      requestedResolverPolicy: policy,
      effectiveResolverPolicy: policy,
      resolverPolicyProvenance: "explicit",
      effectiveResolverPolicySource: "requested",
      legacyResolverPolicyAliases: { requested: legacy ? requested : null, effective: null },
      createdByAgentId:
        optionalNonEmptyString(opts.authorAgentId, `ctx.issues.${method}: options.authorAgentId`) ?? null,
      createdByUserId: null,
      payload,
      result: null,
      createdAt: now,
      updatedAt: now,
      resolvedAt: null,
    } as unknown as IssueThreadInteraction;
    return store.interactions.put(record);
  };

  /** The four sugar methods are createInteraction with the kind filled in. */
  const sugar =
    (kind: (typeof CREATABLE_INTERACTION_KINDS)[number], method: string) =>
    // `any`: each sugar method narrows the interaction type in its own published signature.
    async (issueId: string, interaction: object, companyId: string, options?: object): Promise<any> =>
      createInteraction(
        issueId,
        { ...requirePlainObject(interaction, `ctx.issues.${method}: interaction`), kind },
        companyId,
        options,
        method,
      );

  return {
    async listComments(issueId, companyId) {
      gate.require("issue.comments.read");
      const issue = issueIn(issueId, companyId, "listComments");
      return store.comments.list((comment) => comment.issueId === issue.id);
    },

    async createComment(issueId, body, companyId, options) {
      const opts = optionalPlainObject(options, "ctx.issues.createComment: options") ?? {};
      gate.require("issue.comments.create");
      const actorUserId = optionalNonEmptyString(
        opts.actorUserId,
        "ctx.issues.createComment: options.actorUserId",
      );
      // Writing a comment in a human's name is a separate, stronger grant on the host.
      if (actorUserId) gate.require("issue.comments.create_human_attributed");
      const issue = issueIn(issueId, companyId, "createComment");
      const authorAgentId = optionalNonEmptyString(
        opts.authorAgentId,
        "ctx.issues.createComment: options.authorAgentId",
      );
      const now = wireTimestamp();
      const comment: IssueComment = {
        id: randomUUID(),
        companyId: issue.companyId,
        issueId: issue.id,
        authorType: authorAgentId ? "agent" : actorUserId ? "user" : "system",
        authorAgentId: authorAgentId ?? null,
        authorUserId: actorUserId ?? null,
        body: requireNonEmptyString(body, "ctx.issues.createComment: body"),
        presentation: null,
        metadata: null,
        createdAt: now,
        updatedAt: now,
      };
      return store.comments.put(comment);
    },

    createInteraction: (issueId, interaction, companyId, options) =>
      createInteraction(issueId, interaction as CreateIssueThreadInteraction, companyId, options),
    suggestTasks: sugar("suggest_tasks", "suggestTasks"),
    askUserQuestions: sugar("ask_user_questions", "askUserQuestions"),
    requestConfirmation: sugar("request_confirmation", "requestConfirmation"),
    requestCheckboxConfirmation: sugar("request_checkbox_confirmation", "requestCheckboxConfirmation"),

    async listInteractions(issueId, companyId) {
      gate.require("issue.interactions.read");
      const issue = issueIn(issueId, companyId, "listInteractions");
      return store.interactions.list((interaction) => interaction.issueId === issue.id);
    },

    async respondInteraction(issueId, interactionId, input, companyId) {
      gate.require("issue.interactions.respond");
      const issue = issueIn(issueId, companyId, "respondInteraction");
      const id = requireNonEmptyString(interactionId, "ctx.issues.respondInteraction: interactionId");
      const response = requirePlainObject(input, "ctx.issues.respondInteraction: input");
      const action = requireOneOf(
        response.action,
        ["accept", "reject"] as const,
        "ctx.issues.respondInteraction: action",
      );
      const interaction = store.interactions.raw(id);
      if (!interaction || interaction.issueId !== issue.id) throw new Error(`Interaction not found: ${id}`);
      // Only a pending interaction changes; answering again reports applied: false, as on the host.
      if (interaction.status !== "pending") return { interaction: detached(interaction), applied: false };
      const now = wireTimestamp();
      Object.assign(interaction, {
        status: action === "accept" ? "accepted" : "rejected",
        resolvedAt: now,
        updatedAt: now,
        resolvedByUserId:
          optionalNonEmptyString(response.actorUserId, "ctx.issues.respondInteraction: actorUserId") ?? null,
      });
      return { interaction: detached(interaction), applied: true };
    },

    async listAttachments(issueId, companyId) {
      gate.require("issue.attachments.read");
      const issue = issueIn(issueId, companyId, "listAttachments");
      return store.attachments.list((attachment) => attachment.issueId === issue.id);
    },

    async getAttachmentContent(attachmentId, companyId, options) {
      gate.require("issue.attachments.read");
      const id = requireNonEmptyString(attachmentId, "ctx.issues.getAttachmentContent: attachmentId");
      const company = requireNonEmptyString(companyId, "ctx.issues.getAttachmentContent: companyId");
      const attachment = store.inCompany(store.attachments, id, company);
      const content = store.attachmentContent.get(id);
      if (!attachment || content === undefined) return null;
      const maxBytes = optionalPlainObject(options, "ctx.issues.getAttachmentContent: options")?.maxBytes;
      if (typeof maxBytes === "number" && attachment.byteSize > maxBytes) {
        throw new Error(
          `ctx.issues.getAttachmentContent: attachment ${id} is ${attachment.byteSize} bytes, more than maxBytes ${maxBytes}`,
        );
      }
      return {
        attachmentId: id,
        contentType: attachment.contentType,
        byteSize: attachment.byteSize,
        sha256: attachment.sha256,
        originalFilename: attachment.originalFilename,
        contentBase64: content,
      };
    },
  };
}
