/**
 * `ctx.access` and `ctx.authorization`. These are out of scope for this host, but plugins
 * compile against them, so the harness serves what a seed can describe (members, grants,
 * a policy summary) and refuses the rest with a message that says why.
 */
import { randomUUID } from "node:crypto";
import { HUMAN_COMPANY_MEMBERSHIP_ROLES, PERMISSION_KEYS, PRINCIPAL_TYPES } from "../constants.js";
import type { PluginContext, PrincipalPermissionGrant } from "../types/index.js";
import { detached, wireTimestamp } from "./domain-store.js";
import type { HarnessRuntime } from "./runtime.js";
import {
  optionalNonEmptyString,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

type GovernanceClients = Pick<PluginContext, "access" | "authorization">;

function unsupported(method: string): never {
  throw new Error(
    `${method} is not supported by the test harness: access and authorization are not served by this host yet`,
  );
}

export function buildGovernanceClients(runtime: HarnessRuntime): GovernanceClients {
  const { gate, store } = runtime;
  const companyOf = (input: unknown, where: string) =>
    requireNonEmptyString(requirePlainObject(input, `${where}: input`).companyId, `${where}: companyId`);

  return {
    access: {
      members: {
        async list(input) {
          gate.require("access.members.read");
          const companyId = companyOf(input, "ctx.access.members.list");
          const includeArchived = (input as { includeArchived?: boolean }).includeArchived === true;
          return store.accessMembers.list(
            (member) => member.companyId === companyId && (includeArchived || member.status !== "archived"),
          );
        },
        async get(memberId, companyId) {
          gate.require("access.members.read");
          const member = store.inCompany(
            store.accessMembers,
            requireNonEmptyString(memberId, "ctx.access.members.get: memberId"),
            requireNonEmptyString(companyId, "ctx.access.members.get: companyId"),
          );
          return member ? detached(member) : null;
        },
        async update(memberId, patch, companyId) {
          gate.require("access.members.write");
          const member = store.mustFind(
            store.accessMembers,
            requireNonEmptyString(memberId, "ctx.access.members.update: memberId"),
            requireNonEmptyString(companyId, "ctx.access.members.update: companyId"),
          );
          const changes = requirePlainObject(patch, "ctx.access.members.update: patch");
          if (changes.membershipRole != null) {
            requireOneOf(
              changes.membershipRole,
              HUMAN_COMPANY_MEMBERSHIP_ROLES,
              "ctx.access.members.update: patch.membershipRole",
            );
          }
          if (changes.status !== undefined) {
            requireOneOf(
              changes.status,
              ["pending", "active", "suspended"] as const,
              "ctx.access.members.update: patch.status",
            );
          }
          Object.assign(member, detached(changes), { updatedAt: wireTimestamp() });
          return detached(member);
        },
      },
      invites: {
        async list(input) {
          gate.require("access.invites.read");
          companyOf(input, "ctx.access.invites.list");
          return { invites: [], nextOffset: null };
        },
        async create() {
          gate.require("access.invites.write");
          return unsupported("ctx.access.invites.create");
        },
        async revoke() {
          gate.require("access.invites.write");
          return unsupported("ctx.access.invites.revoke");
        },
      },
    },
    authorization: {
      grants: {
        async list(input) {
          gate.require("authorization.grants.read");
          const companyId = companyOf(input, "ctx.authorization.grants.list");
          const query = input as { principalType?: string; principalId?: string };
          return store.principalGrants.list(
            (grant) =>
              grant.companyId === companyId &&
              (query.principalType === undefined || grant.principalType === query.principalType) &&
              (query.principalId === undefined || grant.principalId === query.principalId),
          );
        },
        async set(input) {
          gate.require("authorization.grants.write");
          const where = "ctx.authorization.grants.set";
          const fields = requirePlainObject(input, `${where}: input`);
          const companyId = requireNonEmptyString(fields.companyId, `${where}: companyId`);
          const principalType = requireOneOf(
            fields.principalType,
            PRINCIPAL_TYPES,
            `${where}: principalType`,
          );
          const principalId = requireNonEmptyString(fields.principalId, `${where}: principalId`);
          if (!Array.isArray(fields.grants)) throw new TypeError(`${where}: grants must be an array`);
          const now = wireTimestamp();
          const next: PrincipalPermissionGrant[] = fields.grants.map((entry, index) => {
            const grant = requirePlainObject(entry, `${where}: grants[${index}]`);
            return {
              id: randomUUID(),
              companyId,
              principalType,
              principalId,
              permissionKey: requireOneOf(
                grant.permissionKey,
                PERMISSION_KEYS,
                `${where}: grants[${index}].permissionKey`,
              ),
              scope: (grant.scope as Record<string, unknown> | null | undefined) ?? null,
              grantedByUserId:
                optionalNonEmptyString(fields.grantedByUserId, `${where}: grantedByUserId`) ?? null,
              createdAt: now,
              updatedAt: now,
            };
          });
          // A set replaces the principal's whole grant list in that company.
          for (const old of store.principalGrants.rawList(
            (grant) =>
              grant.companyId === companyId &&
              grant.principalType === principalType &&
              grant.principalId === principalId,
          )) {
            store.principalGrants.delete(old.id);
          }
          return next.map((grant) => store.principalGrants.put(grant));
        },
      },
      policies: {
        async summary(companyId) {
          gate.require("authorization.policies.read");
          const company = requireNonEmptyString(companyId, "ctx.authorization.policies.summary: companyId");
          const members = store.accessMembers.rawList((member) => member.companyId === company);
          return {
            companyId: company,
            permissionsMode: "simple",
            memberCount: members.length,
            activeMemberCount: members.filter((member) => member.status === "active").length,
            grantCount: store.principalGrants.rawList((grant) => grant.companyId === company).length,
            advancedPolicyAvailable: false,
          };
        },
        async get(input) {
          gate.require("authorization.policies.read");
          companyOf(input, "ctx.authorization.policies.get");
          return null;
        },
        async update() {
          gate.require("authorization.policies.write");
          return unsupported("ctx.authorization.policies.update");
        },
        async previewAssignment() {
          gate.require("authorization.policies.read");
          return unsupported("ctx.authorization.policies.previewAssignment");
        },
        async explainAssignment() {
          gate.require("authorization.policies.read");
          return unsupported("ctx.authorization.policies.explainAssignment");
        },
      },
      audit: {
        async search(input) {
          gate.require("authorization.audit.read");
          companyOf(input, "ctx.authorization.audit.search");
          return [];
        },
      },
    },
  };
}
