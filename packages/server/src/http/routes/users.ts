// People and their access (docs/authentication.md): the caller's own account (`/api/me`: who, which companies with
// which role, the deployment mode), their API keys, the instance's users (instance admin), and each company's
// members (any member reads the list; owners change it; the last owner stays).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { COMPANY_ROLES, type CompanyRole, isSignedInUser } from "../../domain/company-access.js";
import { findUser, listUsers } from "../../domain/users.js";
import { badRequest } from "../../errors.js";
import { bool, enumOf, idParam, int, LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";
import type { PaperclipAuth } from "../auth/better-auth.js";
import type { RouteAccess } from "../auth/route-access.js";

const USER: RouteAccess = { caller: "user" };
const ADMIN: RouteAccess = { caller: "admin" };
const membersOf = (need: "read" | "owner"): RouteAccess => ({
  caller: "signed-in",
  company: { from: { in: "path", param: "companyId", entity: "company" }, need },
});

const userView = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    email: { type: ["string", "null"] },
    isInstanceAdmin: { type: "boolean" },
    createdAt: { type: ["string", "null"] },
  },
};
const membershipView = {
  type: "object",
  properties: {
    companyId: { type: "string" },
    companyName: { type: "string" },
    issuePrefix: { type: "string" },
    role: { type: "string", enum: [...COMPANY_ROLES] },
  },
};
const keyView = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    prefix: { type: "string" },
    createdAt: { type: "string" },
    expiresAt: { type: ["string", "null"] },
    lastUsedAt: { type: ["string", "null"] },
    revokedAt: { type: ["string", "null"] },
  },
};
const memberView = {
  type: "object",
  properties: {
    userId: { type: "string" },
    name: { type: "string" },
    email: { type: "string" },
    role: { type: "string", enum: [...COMPANY_ROLES] },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
  },
};

const createKeyBody = obj(
  {
    name: nonEmpty(LIMITS.name),
    expiresInDays: { ...int(1, 3650), description: "absent: the key lasts until revoked" },
  },
  ["name"],
);
const createUserBody = obj(
  {
    email: nonEmpty(320),
    name: nonEmpty(LIMITS.name),
    password: nonEmpty(256, { description: "at least 10 characters" }),
    isInstanceAdmin: bool,
  },
  ["email", "name", "password"],
);
const addMemberBody = obj({ email: nonEmpty(320), role: enumOf(COMPANY_ROLES) }, ["email", "role"]);
const roleBody = obj({ role: enumOf(COMPANY_ROLES) }, ["role"]);

/** The person behind the request, for routes about "my" things: API keys belong to signed-in users only. */
function signedInUserId(request: FastifyRequest): string {
  if (!isSignedInUser(request.actor)) {
    throw badRequest(
      "API keys belong to people who sign in (authenticated mode); local trusted mode needs no key",
    );
  }
  return request.actor.userId!;
}

function requireAuth(auth: PaperclipAuth | null): PaperclipAuth {
  if (!auth) {
    throw badRequest(
      "Users exist only in authenticated mode (PAPERCLIP_DEPLOYMENT_MODE=authenticated); this host runs local_trusted",
    );
  }
  return auth;
}

export function registerUserRoutes(app: FastifyInstance, auth: PaperclipAuth | null): void {
  const { services } = app.paperclip;
  const mode = app.paperclip.config.deploymentMode;

  app.get(
    "/api/me",
    {
      config: { access: USER },
      schema: {
        tags: ["users"],
        summary: "The signed-in person, the deployment mode, and their companies with their role",
        response: {
          200: {
            type: "object",
            properties: {
              mode: { type: "string" },
              user: userView,
              memberships: { type: "array", items: membershipView },
            },
          },
        },
      },
    },
    async (request) => {
      const { actor } = request;
      if (!isSignedInUser(actor)) {
        // Local trusted mode: the implicit board, owner of every company.
        return {
          mode,
          user: { id: actor.id, name: "Local board", email: null, isInstanceAdmin: true, createdAt: null },
          memberships: await services.access.allCompaniesAsOwner(),
        };
      }
      const user = await findUser(services.db, actor.userId!);
      const memberships = actor.isInstanceAdmin
        ? await services.access.allCompaniesAsOwner()
        : await services.access.membershipsOf(actor.userId!);
      return { mode, user, memberships };
    },
  );

  const keyTags = ["users"];
  app.get(
    "/api/me/api-keys",
    {
      config: { access: USER },
      schema: {
        tags: keyTags,
        summary: "My API keys (never their tokens)",
        response: { 200: { type: "array", items: keyView } },
      },
    },
    // The local trusted board has no keys (it needs none).
    async (request) => (isSignedInUser(request.actor) ? services.userKeys.list(request.actor.userId!) : []),
  );
  app.post(
    "/api/me/api-keys",
    {
      config: { access: USER },
      schema: {
        tags: keyTags,
        summary: "Create an API key; the answer holds its token, shown this once",
        body: createKeyBody,
        response: { 201: { ...keyView, properties: { ...keyView.properties, token: { type: "string" } } } },
      },
    },
    async (request, reply) => {
      const userId = signedInUserId(request);
      const { name, expiresInDays } = request.body as { name: string; expiresInDays?: number };
      const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
      return reply.status(201).send(await services.userKeys.create(userId, name.trim() || name, expiresAt));
    },
  );
  app.delete(
    "/api/me/api-keys/:keyId",
    {
      config: { access: USER },
      schema: {
        tags: keyTags,
        summary: "Revoke one of my API keys",
        params: idParam("keyId"),
        response: { 200: keyView },
      },
    },
    async (request) =>
      services.userKeys.revoke(signedInUserId(request), (request.params as { keyId: string }).keyId),
  );

  app.get(
    "/api/users",
    {
      config: { access: ADMIN },
      schema: {
        tags: ["users"],
        summary: "Every user of this instance",
        response: { 200: { type: "array", items: userView } },
      },
    },
    async () => listUsers(services.db),
  );
  app.post(
    "/api/users",
    {
      config: { access: ADMIN },
      schema: {
        tags: ["users"],
        summary: "Create a user who signs in with email and password",
        body: createUserBody,
        response: { 201: userView },
      },
    },
    async (request, reply) => {
      const body = request.body as {
        email: string;
        name: string;
        password: string;
        isInstanceAdmin?: boolean;
      };
      return reply.status(201).send(await requireAuth(auth).createUser(body));
    },
  );

  const memberTags = ["members"];
  type MemberParams = { companyId: string; userId: string };
  app.get(
    "/api/companies/:companyId/members",
    {
      config: { access: membersOf("read") },
      schema: {
        tags: memberTags,
        summary: "The company's members and their roles",
        params: idParam("companyId"),
        response: { 200: { type: "array", items: memberView } },
      },
    },
    async (request) => services.members.list((request.params as MemberParams).companyId),
  );
  app.post(
    "/api/companies/:companyId/members",
    {
      config: { access: membersOf("owner") },
      schema: {
        tags: memberTags,
        summary: "Add an existing user (by email) with a role",
        params: idParam("companyId"),
        body: addMemberBody,
        response: { 201: memberView },
      },
    },
    async (request, reply) => {
      const { email, role } = request.body as { email: string; role: CompanyRole };
      const { companyId } = request.params as MemberParams;
      return reply.status(201).send(await services.members.add(request.actor, companyId, email, role));
    },
  );
  app.patch(
    "/api/companies/:companyId/members/:userId",
    {
      config: { access: membersOf("owner") },
      schema: {
        tags: memberTags,
        summary: "Change a member's role (the last owner keeps theirs)",
        params: idParam("companyId", "userId"),
        body: roleBody,
        response: { 200: memberView },
      },
    },
    async (request) => {
      const { companyId, userId } = request.params as MemberParams;
      return services.members.setRole(
        request.actor,
        companyId,
        userId,
        (request.body as { role: CompanyRole }).role,
      );
    },
  );
  app.delete(
    "/api/companies/:companyId/members/:userId",
    {
      config: { access: membersOf("owner") },
      schema: {
        tags: memberTags,
        summary: "Remove a member (not the last owner)",
        params: idParam("companyId", "userId"),
      },
    },
    async (request) => {
      const { companyId, userId } = request.params as MemberParams;
      return services.members.remove(request.actor, companyId, userId);
    },
  );
}
