/** Complete domain records for seeding the test harness in the testing-*.test.ts suites. */
import type {
  Agent,
  Approval,
  Company,
  Goal,
  Issue,
  IssueAttachment,
  PaperclipPluginManifestV1,
  PluginCapability,
  PluginWorkspace,
  Project,
} from "@paperclipai/plugin-sdk";
import { PLUGIN_CAPABILITIES } from "@paperclipai/plugin-sdk";

const at = new Date("2026-01-01T00:00:00.000Z");

export function fullManifest(extra: Partial<PaperclipPluginManifestV1> = {}): PaperclipPluginManifestV1 {
  return {
    id: "acme.domain",
    apiVersion: 1,
    version: "1.0.0",
    displayName: "Domain",
    description: "Domain client tests",
    author: "Acme",
    categories: ["automation"],
    capabilities: [...PLUGIN_CAPABILITIES] as PluginCapability[],
    entrypoints: { worker: "./dist/worker.js" },
    ...extra,
  };
}

export function company(id: string, overrides: Partial<Company> = {}): Company {
  return {
    id,
    name: `Company ${id}`,
    description: null,
    status: "active",
    pauseReason: null,
    pausedAt: null,
    issuePrefix: id.toUpperCase(),
    issueCounter: 0,
    budgetMonthlyCents: 0,
    spentMonthlyCents: 0,
    defaultResponsibleUserId: null,
    requireBoardApprovalForNewAgents: false,
    logoAssetId: null,
    logoUrl: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function project(id: string, companyId: string, overrides: Partial<Project> = {}): Project {
  return {
    id,
    companyId,
    urlKey: id,
    goalId: null,
    goalIds: [],
    goals: [],
    name: `Project ${id}`,
    description: null,
    status: "in_progress",
    leadAgentId: null,
    targetDate: null,
    color: null,
    icon: null,
    env: null,
    pauseReason: null,
    pausedAt: null,
    executionWorkspacePolicy: null,
    codebase: {},
    workspaces: [],
    primaryWorkspace: null,
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function workspace(id: string, projectId: string, isPrimary: boolean): PluginWorkspace {
  return {
    id,
    projectId,
    name: `Workspace ${id}`,
    path: `/srv/${id}`,
    repoUrl: null,
    repoRef: null,
    defaultRef: null,
    isPrimary,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}

export function agent(id: string, companyId: string, overrides: Partial<Agent> = {}): Agent {
  return {
    id,
    companyId,
    name: `Agent ${id}`,
    urlKey: id,
    role: "engineer",
    title: null,
    icon: null,
    status: "idle",
    reportsTo: null,
    capabilities: null,
    adapterType: "process",
    adapterConfig: {},
    runtimeConfig: {},
    budgetMonthlyCents: 0,
    spentMonthlyCents: 0,
    pauseReason: null,
    pausedAt: null,
    permissions: {},
    lastHeartbeatAt: null,
    metadata: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function goal(id: string, companyId: string, overrides: Partial<Goal> = {}): Goal {
  return {
    id,
    companyId,
    title: `Goal ${id}`,
    description: null,
    level: "company",
    status: "active",
    parentId: null,
    ownerAgentId: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function approval(id: string, companyId: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id,
    companyId,
    type: "request_board_approval",
    requestedByAgentId: null,
    requestedByUserId: null,
    status: "pending",
    payload: {},
    decisionNote: null,
    decidedByUserId: null,
    decidedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function seededIssue(id: string, companyId: string, overrides: Partial<Issue> = {}): Issue {
  return {
    id,
    companyId,
    projectId: null,
    projectWorkspaceId: null,
    goalId: null,
    parentId: null,
    title: `Issue ${id}`,
    description: null,
    status: "todo",
    workMode: "standard",
    priority: "medium",
    reviewPolicy: null,
    assigneeAgentId: null,
    assigneeUserId: null,
    checkoutRunId: null,
    executionRunId: null,
    executionAgentNameKey: null,
    executionLockedAt: null,
    createdByAgentId: null,
    createdByUserId: null,
    responsibleUserId: null,
    issueNumber: null,
    identifier: null,
    requestDepth: 0,
    billingCode: null,
    assigneeAdapterOverrides: null,
    executionWorkspaceId: null,
    executionWorkspacePreference: null,
    executionWorkspaceSettings: null,
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    hiddenAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function attachment(
  id: string,
  companyId: string,
  issueId: string,
  byteSize: number,
): IssueAttachment {
  return {
    id,
    companyId,
    issueId,
    issueCommentId: null,
    assetId: `asset-${id}`,
    provider: "local",
    objectKey: `objects/${id}`,
    contentType: "text/plain",
    byteSize,
    sha256: "0".repeat(64),
    originalFilename: `${id}.txt`,
    createdByAgentId: null,
    createdByUserId: null,
    createdAt: at,
    updatedAt: at,
    contentPath: `/attachments/${id}`,
  };
}
