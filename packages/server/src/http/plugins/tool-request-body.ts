// The body of `POST /api/plugins/tools/execute`, checked by hand so each failure names its field:
// `{tool: "<pluginKey>:<toolName>", parameters?, runContext: {agentId, runId, companyId, projectId}}`.
import { badRequest } from "../../errors.js";
import type { ToolExecuteInput } from "../../plugins/tools/execute-request.js";

const RUN_CONTEXT_FIELDS = ["agentId", "runId", "companyId", "projectId"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseToolExecuteBody(body: unknown): ToolExecuteInput {
  if (!isObject(body)) throw badRequest("Request body must be a JSON object");
  const { tool, parameters, runContext } = body;
  if (typeof tool !== "string" || tool.length === 0) {
    throw badRequest('"tool" is required and must be a string "<pluginKey>:<toolName>"', { field: "tool" });
  }
  if (!isObject(runContext)) {
    throw badRequest('"runContext" is required: {agentId, runId, companyId, projectId}', {
      field: "runContext",
    });
  }
  for (const field of RUN_CONTEXT_FIELDS) {
    const value = runContext[field];
    if (typeof value !== "string" || value.length === 0) {
      throw badRequest(`"runContext.${field}" is required and must be a non-empty string`, {
        field: `runContext.${field}`,
      });
    }
  }
  return {
    tool,
    parameters: parameters ?? {},
    runContext: {
      agentId: runContext.agentId as string,
      runId: runContext.runId as string,
      companyId: runContext.companyId as string,
      projectId: runContext.projectId as string,
    },
  };
}
