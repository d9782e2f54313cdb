// ctx.goals: a company's goals. A goal named by id must belong to the company the call names.
import type { Goal as SdkGoal } from "@paperclipai/plugin-sdk/types";
import { GOAL_LEVELS, GOAL_STATUSES, type Goal } from "../../../domain/goals.js";
import { enumOf, LIMITS, nonEmpty, nullable, str } from "../../../schema/schema-helpers.js";
import type { NamespaceMethods } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { invalidParams } from "../errors.js";
import { paramsOf } from "../params.js";
import { id, optionalParamEnum, orNull, ownedBy, page, requireOwned, storedEnum } from "./shared.js";

const GOAL_PATCH_KEYS = new Set(["title", "description", "level", "status", "parentId", "ownerAgentId"]);

/** The SDK's Goal: the same record, its level and status typed. */
function toSdkGoal(goal: Goal): SdkGoal {
  return {
    ...goal,
    level: storedEnum(goal.level, GOAL_LEVELS),
    status: storedEnum(goal.status, GOAL_STATUSES),
  };
}

const goalFields = {
  title: nonEmpty(LIMITS.title),
  description: nullable(str(LIMITS.text)),
  level: enumOf(GOAL_LEVELS),
  status: enumOf(GOAL_STATUSES),
  parentId: nullable(id),
  ownerAgentId: nullable(id),
};

export function goalMethods(deps: HostServiceDeps) {
  const { services } = deps;
  return {
    "goals.list": {
      params: paramsOf({ companyId: id, level: goalFields.level, status: goalFields.status, ...page }, [
        "companyId",
      ]),
      async handle(p) {
        const goals = await services.goals.list(p.companyId, {
          level: p.level,
          status: p.status,
          limit: p.limit,
          offset: p.offset,
        });
        return goals.map(toSdkGoal);
      },
    },
    "goals.get": {
      params: paramsOf({ goalId: id, companyId: id }, ["goalId", "companyId"]),
      async handle(p) {
        const goal = ownedBy(await orNull(services.goals.get(p.goalId)), p.companyId);
        return goal && toSdkGoal(goal);
      },
    },
    "goals.create": {
      params: paramsOf({ companyId: id, ...goalFields }, ["companyId", "title"]),
      async handle(p, call) {
        const { companyId, ...input } = p;
        const level = optionalParamEnum(call, "level", p.level, GOAL_LEVELS);
        const status = optionalParamEnum(call, "status", p.status, GOAL_STATUSES);
        return toSdkGoal(await services.goals.create(call.actor, companyId, { ...input, level, status }));
      },
    },
    "goals.update": {
      params: paramsOf({ goalId: id, companyId: id, patch: { type: "object", properties: goalFields } }, [
        "goalId",
        "companyId",
        "patch",
      ]),
      async handle(p, call) {
        const unknown = Object.keys(p.patch).filter((key) => !GOAL_PATCH_KEYS.has(key));
        if (unknown.length > 0) {
          throw invalidParams(
            call.method,
            `params.patch.${unknown[0]} cannot be changed (allowed: ${[...GOAL_PATCH_KEYS].join(", ")})`,
          );
        }
        requireOwned(call, await orNull(services.goals.get(p.goalId)), p.companyId, "goal", p.goalId);
        return toSdkGoal(await services.goals.update(call.actor, p.goalId, p.patch));
      },
    },
  } satisfies NamespaceMethods<"goals">;
}
