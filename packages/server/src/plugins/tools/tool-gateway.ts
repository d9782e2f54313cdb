// The one path every agent tool call takes, whichever door it came through (REST `POST /api/plugins/tools/execute`,
// MCP `tools/call`): the tool is looked up among ready plugins' manifests, the run context is checked (by the
// caller, with checkRunContext or agentRunContext), the parameters are checked against the tool's schema, the
// worker's executeTool runs in the run's company, and the call is recorded on its run as a `tool_call` run event.
import type { ToolRunContext } from "@paperclipai/plugin-sdk/types";
import type { Logger } from "pino";
import type { NewRunEvent } from "../../agents/run-events.js";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { DomainError, errorMessage, forbidden, notFound, type PluginBridgeError } from "../../errors.js";
import type { CompanyAccess } from "../bridge/company-access.js";
import { toolCallEvent } from "./call-record.js";
import { checkRunContext, ToolParameterValidator } from "./execute-request.js";
import type { PluginToolRegistry, RegisteredTool } from "./tool-registry.js";

/** The worker's executeTool for one tool (the HTTP layer's ready-plugin call). */
export type ToolWorkerCall = (
  tool: RegisteredTool,
  params: { toolName: string; parameters: unknown; runContext: ToolRunContext },
  companyId: string,
) => Promise<{ ok: true; result: unknown } | { ok: false; error: PluginBridgeError }>;

/** Where tool calls are recorded (the run event store). */
export interface ToolCallRecorder {
  append(run: { id: string; companyId: string; agentId: string }, events: NewRunEvent[]): Promise<unknown>;
}

export interface ToolGatewayOptions {
  registry: PluginToolRegistry;
  services: Pick<DomainServices, "agents" | "runs" | "projects" | "issues">;
  companies: CompanyAccess;
  call: ToolWorkerCall;
  /** Without one (no agent run engine), calls are not recorded. */
  recorder?: ToolCallRecorder | null;
  logger?: Pick<Logger, "warn"> | null;
}

export type ToolCallOutcome =
  | { ok: true; tool: RegisteredTool; result: unknown }
  | { ok: false; tool: RegisteredTool; error: PluginBridgeError };

async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") return null;
    throw error;
  }
}

/** The failure a tool's own answer reports (`ToolResult.error`), if any. */
function reportedError(result: unknown): string | undefined {
  if (result === null || typeof result !== "object") return undefined;
  const error = (result as { error?: unknown }).error;
  return typeof error === "string" && error.length > 0 ? error : undefined;
}

export class ToolGateway {
  readonly registry: PluginToolRegistry;
  private readonly parameters = new ToolParameterValidator();

  constructor(private readonly options: ToolGatewayOptions) {
    this.registry = options.registry;
  }

  /** Tools of every ready plugin (of one plugin: uuid or key). Installation is instance-wide: every company sees them. */
  list(pluginIdOrKey?: string): Promise<RegisteredTool[]> {
    return this.registry.list(pluginIdOrKey);
  }

  /** The tool, or 404 naming it. */
  async find(name: string): Promise<RegisteredTool> {
    const tool = await this.registry.find(name);
    if (!tool) throw notFound(`Tool "${name}" not found (no ready plugin declares it)`, { tool: name });
    return tool;
  }

  /** A run context given by the caller (REST): 403 naming the first field that does not hold together. */
  checkRunContext(actor: Actor, context: ToolRunContext): Promise<void> {
    return checkRunContext(this.options.services, this.options.companies, actor, context);
  }

  /**
   * The run context of an agent acting through its credentials (MCP): its own agent and company, the run of its
   * run token (or X-Paperclip-Run-Id), and the project named by the caller or else the project of the run's
   * issue. An unknown run or project is an empty string (an agent API key used outside any run).
   */
  async agentRunContext(actor: Actor, hints: { projectId?: string | null } = {}): Promise<ToolRunContext> {
    const agentId = actor.type === "agent" ? actor.agentId : null;
    if (!agentId) throw forbidden("Agent credentials required");
    const companyId = await this.options.companies.companyOfAgent(agentId);
    if (!companyId) throw forbidden(`agent ${agentId} not found`);
    const runId = actor.runId ?? "";
    let projectId = hints.projectId ?? "";
    if (runId) {
      const run = await orNull(this.options.services.runs.get(runId));
      if (!run || run.agentId !== agentId) throw forbidden(`run ${runId} is not a run of agent ${agentId}`);
      if (!projectId && run.issueId) {
        const issue = await orNull(this.options.services.issues.get(run.issueId));
        projectId = issue?.projectId ?? "";
      }
    }
    if (hints.projectId) {
      const project = await orNull(this.options.services.projects.get(hints.projectId));
      if (!project || project.companyId !== companyId) {
        throw forbidden(`project ${hints.projectId} not found in the company of agent ${agentId}`);
      }
    }
    return { agentId, runId, companyId, projectId };
  }

  /**
   * Check the parameters (400 naming the field), run the tool in the run's company, record the call on the run.
   * The run context must have been checked. A worker failure is an outcome, not a throw.
   */
  async execute(
    tool: RegisteredTool,
    parameters: unknown,
    runContext: ToolRunContext,
  ): Promise<ToolCallOutcome> {
    const started = performance.now();
    let outcome: ToolCallOutcome | null = null;
    let thrown: unknown = null;
    try {
      this.parameters.check(tool, parameters);
      const answer = await this.options.call(
        tool,
        { toolName: tool.toolName, parameters, runContext },
        runContext.companyId,
      );
      outcome = answer.ok
        ? { ok: true, tool, result: answer.result ?? {} }
        : { ok: false, tool, error: answer.error };
      return outcome;
    } catch (error) {
      thrown = error;
      throw error;
    } finally {
      const error = thrown
        ? errorMessage(thrown)
        : outcome && !outcome.ok
          ? `${outcome.error.code}: ${outcome.error.message}`
          : outcome
            ? reportedError(outcome.result)
            : undefined;
      await this.record(runContext, {
        tool: tool.name,
        parameters,
        ok: error === undefined,
        ...(error === undefined ? {} : { error }),
        durationMs: Math.round(performance.now() - started),
      });
    }
  }

  private async record(runContext: ToolRunContext, call: Parameters<typeof toolCallEvent>[0]): Promise<void> {
    const recorder = this.options.recorder;
    if (!recorder || !runContext.runId) return;
    try {
      await recorder.append(
        { id: runContext.runId, companyId: runContext.companyId, agentId: runContext.agentId },
        [toolCallEvent(call)],
      );
    } catch (error) {
      // The call happened; a failed record must not turn it into a failure.
      this.options.logger?.warn(
        { runId: runContext.runId, tool: call.tool, err: error },
        `Could not record tool call ${call.tool} on run ${runContext.runId}`,
      );
    }
  }
}
