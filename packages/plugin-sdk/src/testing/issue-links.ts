/**
 * Issue documents (one current revision per key) and blocker relations, as the host keeps
 * them: a relation is "blocker blocks blocked", both issues in the same company.
 */
import { randomUUID } from "node:crypto";
import type {
  IssueDocument,
  IssueDocumentSummary,
  IssueRelationIssueSummary,
  PluginContext,
  PluginIssueRelationSummary,
} from "../types/index.js";
import { type DomainStore, detached, wireTimestamp } from "./domain-store.js";
import type { HarnessRuntime } from "./runtime.js";
import {
  optionalNonEmptyString,
  requireNonEmptyString,
  requirePlainObject,
  requireStringArray,
} from "./validate.js";

const documentKey = (issueId: string, key: string) => `${issueId}\u0000${key}`;

export function summaryOf(document: IssueDocument): IssueDocumentSummary {
  const { body: _body, ...summary } = document;
  return detached(summary);
}

export function buildDocumentsClient(runtime: HarnessRuntime): PluginContext["issues"]["documents"] {
  const { gate, store } = runtime;
  const issueIn = (issueId: unknown, companyId: unknown, method: string) =>
    store.mustFind(
      store.issues,
      requireNonEmptyString(issueId, `ctx.issues.documents.${method}: issueId`),
      requireNonEmptyString(companyId, `ctx.issues.documents.${method}: companyId`),
    );
  return {
    async list(issueId, companyId) {
      gate.require("issue.documents.read");
      const issue = issueIn(issueId, companyId, "list");
      return [...store.documents.values()].filter((doc) => doc.issueId === issue.id).map(summaryOf);
    },
    async get(issueId, key, companyId) {
      gate.require("issue.documents.read");
      const issue = issueIn(issueId, companyId, "get");
      const document = store.documents.get(
        documentKey(issue.id, requireNonEmptyString(key, "ctx.issues.documents.get: key")),
      );
      return document ? detached(document) : null;
    },
    async upsert(input) {
      gate.require("issue.documents.write");
      const fields = requirePlainObject(input, "ctx.issues.documents.upsert: input");
      const issue = issueIn(fields.issueId, fields.companyId, "upsert");
      const key = requireNonEmptyString(fields.key, "ctx.issues.documents.upsert: key");
      if (typeof fields.body !== "string")
        throw new TypeError("ctx.issues.documents.upsert: body must be a string");
      if (fields.format !== undefined && fields.format !== "markdown") {
        throw new TypeError(
          `ctx.issues.documents.upsert: format must be "markdown" (got ${JSON.stringify(fields.format)})`,
        );
      }
      const now = wireTimestamp();
      const previous = store.documents.get(documentKey(issue.id, key));
      const title = optionalNonEmptyString(fields.title, "ctx.issues.documents.upsert: title");
      const document: IssueDocument = previous
        ? {
            ...previous,
            title: title ?? previous.title,
            body: fields.body,
            latestRevisionId: randomUUID(),
            latestRevisionNumber: previous.latestRevisionNumber + 1,
            updatedAt: now,
          }
        : {
            id: randomUUID(),
            companyId: issue.companyId,
            issueId: issue.id,
            key,
            title: title ?? null,
            format: "markdown",
            latestRevisionId: randomUUID(),
            latestRevisionNumber: 1,
            createdByAgentId: null,
            createdByUserId: null,
            updatedByAgentId: null,
            updatedByUserId: null,
            lockedAt: null,
            lockedByAgentId: null,
            lockedByUserId: null,
            createdAt: now,
            updatedAt: now,
            body: fields.body,
          };
      store.documents.set(documentKey(issue.id, key), document);
      return detached(document);
    },
    async delete(issueId, key, companyId) {
      gate.require("issue.documents.write");
      const issue = issueIn(issueId, companyId, "delete");
      const name = requireNonEmptyString(key, "ctx.issues.documents.delete: key");
      if (!store.documents.delete(documentKey(issue.id, name))) {
        throw new Error(`Issue document not found: ${name} on issue ${issue.id}`);
      }
    },
  };
}

export function buildRelationsClient(runtime: HarnessRuntime): PluginContext["issues"]["relations"] {
  const { gate, store } = runtime;
  const change = (
    method: "setBlockedBy" | "addBlockers" | "removeBlockers",
    issueId: unknown,
    ids: unknown,
    companyId: unknown,
  ): PluginIssueRelationSummary => {
    gate.require("issue.relations.write");
    const where = `ctx.issues.relations.${method}`;
    const company = requireNonEmptyString(companyId, `${where}: companyId`);
    const issue = store.mustFind(store.issues, requireNonEmptyString(issueId, `${where}: issueId`), company);
    const blockerIds = requireStringArray(
      ids,
      `${where}: ${method === "setBlockedBy" ? "blockedByIssueIds" : "blockerIssueIds"}`,
    );
    const current = blockersOf(store, issue.id);
    const next =
      method === "setBlockedBy"
        ? blockerIds
        : method === "addBlockers"
          ? [...current, ...blockerIds.filter((id) => !current.includes(id))]
          : current.filter((id) => !blockerIds.includes(id));
    setBlockedBy(store, issue.id, next, company, where);
    return relationSummary(store, issue.id);
  };
  return {
    async get(issueId, companyId) {
      gate.require("issue.relations.read");
      const issue = store.mustFind(
        store.issues,
        requireNonEmptyString(issueId, "ctx.issues.relations.get: issueId"),
        requireNonEmptyString(companyId, "ctx.issues.relations.get: companyId"),
      );
      return relationSummary(store, issue.id);
    },
    setBlockedBy: async (issueId, ids, companyId) => change("setBlockedBy", issueId, ids, companyId),
    addBlockers: async (issueId, ids, companyId) => change("addBlockers", issueId, ids, companyId),
    removeBlockers: async (issueId, ids, companyId) => change("removeBlockers", issueId, ids, companyId),
  };
}

/** Replaces the blockers of `issueId`; every blocker must be another issue of the same company. */
export function setBlockedBy(
  store: DomainStore,
  issueId: string,
  blockerIds: string[],
  companyId: string,
  where: string,
) {
  for (const blockerId of blockerIds) {
    if (blockerId === issueId) throw new Error(`${where}: an issue cannot block itself (${issueId})`);
    store.mustFind(store.issues, blockerId, companyId);
  }
  for (const blocked of store.blocks.values()) blocked.delete(issueId);
  for (const blockerId of new Set(blockerIds)) {
    const blocked = store.blocks.get(blockerId) ?? new Set<string>();
    blocked.add(issueId);
    store.blocks.set(blockerId, blocked);
  }
}

function blockersOf(store: DomainStore, issueId: string): string[] {
  return [...store.blocks.entries()]
    .filter(([, blocked]) => blocked.has(issueId))
    .map(([blockerId]) => blockerId);
}

export function relationSummary(store: DomainStore, issueId: string): PluginIssueRelationSummary {
  const summarize = (id: string): IssueRelationIssueSummary[] => {
    const issue = store.issues.raw(id);
    if (!issue) return [];
    return [
      {
        id: issue.id,
        identifier: issue.identifier,
        title: issue.title,
        status: issue.status,
        priority: issue.priority,
        assigneeAgentId: issue.assigneeAgentId,
        assigneeUserId: issue.assigneeUserId,
      },
    ];
  };
  return {
    blockedBy: blockersOf(store, issueId).flatMap(summarize),
    blocks: [...(store.blocks.get(issueId) ?? [])].flatMap(summarize),
  };
}
