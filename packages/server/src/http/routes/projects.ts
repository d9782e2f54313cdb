import type { FastifyInstance } from "fastify";
import { type CreateWorkspaceInput, WORKSPACE_SOURCE_TYPES } from "../../domain/project-workspaces.js";
import { PROJECT_STATUSES, type ProjectFilter, type ProjectInput } from "../../domain/projects.js";
import {
  bool,
  dateTime,
  enumOf,
  idParam,
  LIMITS,
  nonEmpty,
  nullable,
  nullableRecord,
  nullableUuid,
  obj,
  pageQuery,
  partial,
  str,
  uuidList,
} from "../../schema/schema-helpers.js";

export const workspaceBody = obj({
  name: str(LIMITS.name),
  sourceType: enumOf(WORKSPACE_SOURCE_TYPES),
  cwd: nullable(str(LIMITS.url)),
  repoUrl: nullable(str(LIMITS.url, { format: "uri" })),
  repoRef: nullable(str(LIMITS.key)),
  defaultRef: nullable(str(LIMITS.key)),
  visibility: enumOf(["default", "advanced"]),
  setupCommand: nullable(str(LIMITS.shortText)),
  cleanupCommand: nullable(str(LIMITS.shortText)),
  remoteProvider: nullable(str(LIMITS.key)),
  remoteWorkspaceRef: nullable(str(LIMITS.url)),
  sharedWorkspaceKey: nullable(str(LIMITS.key)),
  metadata: nullableRecord,
  runtimeConfig: nullableRecord,
  isPrimary: bool,
});

const projectFields = {
  name: nonEmpty(LIMITS.name),
  description: nullable(str(LIMITS.text)),
  status: enumOf(PROJECT_STATUSES),
  goalIds: uuidList(),
  goalId: nullableUuid,
  leadAgentId: nullableUuid,
  targetDate: nullable(str(10, { format: "date" })),
  color: nullable(str(32)),
  icon: nullable(str(64)),
  env: nullableRecord,
  executionWorkspacePolicy: nullableRecord,
  archivedAt: nullable(dateTime),
};
const createBody = obj({ ...projectFields, workspace: workspaceBody }, ["name"]);
const updateBody = partial(obj(projectFields));
const tags = ["projects"];
type P = { companyId: string; id: string; workspaceId: string };

export function registerProjectRoutes(app: FastifyInstance): void {
  const { projects, workspaces } = app.paperclip.services;
  app.get(
    "/api/companies/:companyId/projects",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), includeArchived: bool }),
      },
    },
    async (request) => projects.list((request.params as P).companyId, request.query as ProjectFilter),
  );
  app.post(
    "/api/companies/:companyId/projects",
    { schema: { tags, params: idParam("companyId"), body: createBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await projects.create(request.actor, (request.params as P).companyId, request.body as ProjectInput),
        ),
  );
  app.get(
    "/api/projects/:id",
    { schema: { tags, params: idParam("id"), querystring: obj({ companyId: str(LIMITS.key) }) } },
    async (request) =>
      projects.get((request.params as P).id, (request.query as { companyId?: string }).companyId),
  );
  app.patch(
    "/api/projects/:id",
    { schema: { tags, params: idParam("id"), body: updateBody } },
    async (request) =>
      projects.update(request.actor, (request.params as P).id, request.body as Partial<ProjectInput>),
  );
  app.delete("/api/projects/:id", { schema: { tags, params: idParam("id") } }, async (request) =>
    projects.delete(request.actor, (request.params as P).id),
  );
  app.get("/api/projects/:id/workspaces", { schema: { tags, params: idParam("id") } }, async (request) =>
    workspaces.list((request.params as P).id),
  );
  app.post(
    "/api/projects/:id/workspaces",
    { schema: { tags, params: idParam("id"), body: workspaceBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await workspaces.create(
            request.actor,
            (request.params as P).id,
            request.body as CreateWorkspaceInput,
          ),
        ),
  );
  app.patch(
    "/api/projects/:id/workspaces/:workspaceId",
    { schema: { tags, params: idParam("id", "workspaceId"), body: workspaceBody } },
    async (request) => {
      const params = request.params as P;
      return workspaces.update(
        request.actor,
        params.id,
        params.workspaceId,
        request.body as CreateWorkspaceInput,
      );
    },
  );
  app.delete(
    "/api/projects/:id/workspaces/:workspaceId",
    { schema: { tags, params: idParam("id", "workspaceId") } },
    async (request) => {
      const params = request.params as P;
      return workspaces.delete(request.actor, params.id, params.workspaceId);
    },
  );
}
