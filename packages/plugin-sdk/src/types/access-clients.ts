/**
 * `ctx.access` and `ctx.authorization` — company membership, invites, permission grants and
 * assignment policies. Declared with the published signatures so plugins compile; this host
 * answers them with a "not supported" error until an issue brings them into scope.
 */
import type {
  HumanCompanyMembershipRole,
  InviteJoinType,
  MembershipStatus,
  PermissionKey,
  PrincipalType,
} from "../constants.js";
import type { PrincipalPermissionGrant } from "./domain.js";
import type {
  PluginAccessInvite,
  PluginAccessMember,
  PluginAssignmentPreviewInput,
  PluginAuthorizationAuditEntry,
  PluginAuthorizationDecisionResult,
  PluginAuthorizationPolicyRecord,
  PluginAuthorizationPolicySummary,
} from "./summaries.js";

export interface PluginAccessMembersClient {
  list(input: { companyId: string; includeArchived?: boolean }): Promise<PluginAccessMember[]>;
  get(memberId: string, companyId: string): Promise<PluginAccessMember | null>;
  update(
    memberId: string,
    patch: {
      membershipRole?: HumanCompanyMembershipRole | null;
      status?: Extract<MembershipStatus, "pending" | "active" | "suspended">;
    },
    companyId: string,
  ): Promise<PluginAccessMember>;
}

export interface PluginAccessInvitesClient {
  list(input: {
    companyId: string;
    state?: PluginAccessInvite["state"];
    limit?: number;
    offset?: number;
  }): Promise<{ invites: PluginAccessInvite[]; nextOffset: number | null }>;
  create(input: {
    companyId: string;
    allowedJoinTypes?: InviteJoinType;
    humanRole?: HumanCompanyMembershipRole | null;
    defaultsPayload?: Record<string, unknown> | null;
    agentMessage?: string | null;
  }): Promise<PluginAccessInvite & { token: string }>;
  revoke(inviteId: string, companyId: string): Promise<PluginAccessInvite>;
}

export interface PluginAccessClient {
  members: PluginAccessMembersClient;
  invites: PluginAccessInvitesClient;
}

type PolicyResourceRef = {
  companyId: string;
  resourceType: PluginAuthorizationPolicyRecord["resourceType"];
  resourceId: string;
};

export interface PluginAuthorizationClient {
  grants: {
    list(input: {
      companyId: string;
      principalType?: PrincipalType;
      principalId?: string;
    }): Promise<PrincipalPermissionGrant[]>;
    set(input: {
      companyId: string;
      principalType: PrincipalType;
      principalId: string;
      grants: Array<{ permissionKey: PermissionKey; scope?: Record<string, unknown> | null }>;
      grantedByUserId?: string | null;
    }): Promise<PrincipalPermissionGrant[]>;
  };
  policies: {
    summary(companyId: string): Promise<PluginAuthorizationPolicySummary>;
    get(input: PolicyResourceRef): Promise<PluginAuthorizationPolicyRecord | null>;
    update(
      input: PolicyResourceRef & { policy: Record<string, unknown> | null },
    ): Promise<PluginAuthorizationPolicyRecord>;
    previewAssignment(input: PluginAssignmentPreviewInput): Promise<PluginAuthorizationDecisionResult>;
    explainAssignment(input: PluginAssignmentPreviewInput): Promise<PluginAuthorizationDecisionResult>;
  };
  audit: {
    search(input: {
      companyId: string;
      action?: string;
      actorType?: string;
      actorId?: string;
      entityType?: string;
      entityId?: string;
      decision?: string;
      limit?: number;
      offset?: number;
    }): Promise<PluginAuthorizationAuditEntry[]>;
  };
}
