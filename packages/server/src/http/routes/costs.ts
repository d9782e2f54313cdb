// Cost events, spend summaries, budget policies and budget incidents.
import type { FastifyInstance } from "fastify";
import type { PolicyInput, ResolveIncidentInput } from "../../domain/budgets.js";
import { BILLING_TYPES, type CostEventInput, type CostWindow } from "../../domain/costs.js";
import {
  bool,
  dateTime,
  enumOf,
  idParam,
  int,
  LIMITS,
  nonEmpty,
  nullable,
  nullableUuid,
  obj,
  pageQuery,
  str,
  uuid,
} from "../../schema/schema-helpers.js";

const costBody = obj(
  {
    agentId: uuid,
    provider: nonEmpty(LIMITS.key),
    model: nonEmpty(LIMITS.key),
    costCents: int(),
    occurredAt: dateTime,
    issueId: nullableUuid,
    projectId: nullableUuid,
    goalId: nullableUuid,
    heartbeatRunId: nullableUuid,
    billingCode: nullable(str(LIMITS.key)),
    biller: nonEmpty(LIMITS.key),
    billingType: enumOf(BILLING_TYPES),
    costStatus: enumOf(["reported", "unpriced"]),
    inputTokens: int(),
    cachedInputTokens: int(),
    outputTokens: int(),
  },
  ["agentId", "provider", "model", "costCents", "occurredAt"],
);
const policyBody = obj(
  {
    scopeType: enumOf(["company", "agent", "project"]),
    scopeId: uuid,
    amount: int(),
    metric: enumOf(["billed_cents"]),
    windowKind: enumOf(["calendar_month_utc", "lifetime"]),
    warnPercent: int(1, 99),
    hardStopEnabled: bool,
    notifyEnabled: bool,
    isActive: bool,
  },
  ["scopeType", "scopeId", "amount"],
);
const resolveBody = obj(
  {
    action: enumOf(["keep_paused", "raise_budget_and_resume"]),
    amount: int(),
    decisionNote: nullable(str(LIMITS.text)),
  },
  ["action"],
);
const windowQuery = obj({ from: dateTime, to: dateTime });
const tags = ["costs"];
type P = { companyId: string; incidentId: string };

export function registerCostRoutes(app: FastifyInstance): void {
  const { costs, budgets, companies } = app.paperclip.services;
  app.post(
    "/api/companies/:companyId/cost-events",
    { schema: { tags, params: idParam("companyId"), body: costBody } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await costs.create(request.actor, (request.params as P).companyId, request.body as CostEventInput),
        ),
  );
  app.get(
    "/api/companies/:companyId/cost-events",
    {
      schema: { tags, params: idParam("companyId"), querystring: obj({ ...pageQuery(1000), agentId: uuid }) },
    },
    async (request) => costs.list((request.params as P).companyId, request.query as { agentId?: string }),
  );
  app.get(
    "/api/companies/:companyId/costs/summary",
    { schema: { tags, params: idParam("companyId"), querystring: windowQuery } },
    async (request) => costs.summary((request.params as P).companyId, request.query as CostWindow),
  );
  app.get(
    "/api/companies/:companyId/costs/by-agent",
    { schema: { tags, params: idParam("companyId"), querystring: windowQuery } },
    async (request) => costs.byAgent((request.params as P).companyId, request.query as CostWindow),
  );
  app.get(
    "/api/companies/:companyId/costs/by-project",
    { schema: { tags, params: idParam("companyId"), querystring: windowQuery } },
    async (request) => costs.byProject((request.params as P).companyId, request.query as CostWindow),
  );
  app.get(
    "/api/companies/:companyId/budgets/overview",
    { schema: { tags, params: idParam("companyId") } },
    async (request) => budgets.overview((request.params as P).companyId),
  );
  app.post(
    "/api/companies/:companyId/budgets/policies",
    { schema: { tags, params: idParam("companyId"), body: policyBody } },
    async (request) =>
      budgets.upsertPolicy(request.actor, (request.params as P).companyId, request.body as PolicyInput),
  );
  app.patch(
    "/api/companies/:companyId/budgets",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        body: obj({ budgetMonthlyCents: int() }, ["budgetMonthlyCents"]),
      },
    },
    async (request) =>
      companies.update(
        request.actor,
        (request.params as P).companyId,
        request.body as { budgetMonthlyCents: number },
      ),
  );
  app.get(
    "/api/companies/:companyId/budget-incidents",
    {
      schema: {
        tags,
        params: idParam("companyId"),
        querystring: obj({ ...pageQuery(1000), status: enumOf(["open", "resolved", "dismissed"]) }),
      },
    },
    async (request) =>
      budgets.listIncidents((request.params as P).companyId, request.query as { status?: string }),
  );
  app.post(
    "/api/companies/:companyId/budget-incidents/:incidentId/resolve",
    { schema: { tags, params: idParam("companyId", "incidentId"), body: resolveBody } },
    async (request) => {
      const params = request.params as P;
      return budgets.resolveIncident(
        request.actor,
        params.companyId,
        params.incidentId,
        request.body as ResolveIncidentInput,
      );
    },
  );
}
