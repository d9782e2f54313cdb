// What a tool call passes before the worker sees it: the run context checked against the domain (the agent is in
// the company, the run belongs to that agent and company, the project is in the company; an agent may only call
// tools as itself, in its own run), and the parameters checked against the tool's JSON Schema.
import type { ToolRunContext } from "@paperclipai/plugin-sdk/types";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { badRequest, DomainError, forbidden } from "../../errors.js";
import { describeValidation } from "../../schema/validation.js";
import type { CompanyAccess } from "../bridge/company-access.js";
import type { RegisteredTool } from "./tool-registry.js";

/** A tool call as the execute route hands it over (the HTTP layer parses the body). */
export interface ToolExecuteInput {
  tool: string;
  parameters: unknown;
  runContext: ToolRunContext;
}

async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") return null;
    throw error;
  }
}

/** Throws 403 naming the first inconsistency between the caller, the run context and the domain. */
export async function checkRunContext(
  services: Pick<DomainServices, "agents" | "runs" | "projects">,
  companies: CompanyAccess,
  actor: Actor,
  context: ToolRunContext,
): Promise<void> {
  const { agentId, runId, companyId, projectId } = context;
  if (actor.type === "agent") {
    if (actor.agentId !== agentId) {
      throw forbidden(
        `runContext.agentId: agent ${actor.agentId} may only call tools as itself, not as ${agentId}`,
      );
    }
    if (actor.runId && actor.runId !== runId) {
      throw forbidden(`runContext.runId: agent ${agentId} is acting in run ${actor.runId}, not ${runId}`);
    }
  }
  // Calling a tool acts in the company: a signed-in viewer may not (docs/authentication.md).
  await companies.assert(actor, companyId, "write").catch((error: unknown) => {
    // A company the caller cannot see is a mismatch of the run context, not a missing route.
    if (error instanceof DomainError && error.code === "not_found") {
      throw forbidden(`runContext.companyId: company ${companyId} not found`);
    }
    throw error;
  });
  const agent = await orNull(services.agents.get(agentId));
  if (!agent) throw forbidden(`runContext.agentId: agent ${agentId} not found`);
  if (agent.companyId !== companyId) {
    throw forbidden(`runContext.agentId: agent ${agentId} does not belong to company ${companyId}`);
  }
  const run = await orNull(services.runs.get(runId));
  if (!run) throw forbidden(`runContext.runId: run ${runId} not found`);
  if (run.agentId !== agentId || run.companyId !== companyId) {
    throw forbidden(
      `runContext.runId: run ${runId} does not belong to agent ${agentId} in company ${companyId}`,
    );
  }
  const project = await orNull(services.projects.get(projectId));
  if (!project) throw forbidden(`runContext.projectId: project ${projectId} not found`);
  if (project.companyId !== companyId) {
    throw forbidden(`runContext.projectId: project ${projectId} does not belong to company ${companyId}`);
  }
}

// ajv-formats ships CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Validates tool parameters without changing them (no coercion, no removal, no defaults). */
export class ToolParameterValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(private readonly maxCompiled = 1_000) {
    this.ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
    addFormats(this.ajv);
  }

  /** Throws 400 listing what is wrong with `parameters`. A schema Ajv cannot compile checks nothing. */
  check(tool: RegisteredTool, parameters: unknown): void {
    const validate = this.validatorFor(tool);
    if (!validate || validate(parameters)) return;
    const problems = describeValidation(validate.errors ?? [], "parameters");
    const first = problems[0];
    throw badRequest(
      `Invalid parameters for tool ${tool.name}: ${first ? `parameters.${first.field} ${first.message}` : "rejected by its parametersSchema"}`,
      problems,
    );
  }

  private validatorFor(tool: RegisteredTool): ValidateFunction | null {
    const key = `${tool.pluginId}@${tool.plugin.updatedAt}:${tool.toolName}`;
    const known = this.compiled.get(key);
    if (known !== undefined) return known;
    let validate: ValidateFunction | null;
    try {
      // `$id` would clash on recompilation and an unknown `$schema` dialect would refuse to compile.
      const {
        $id: _id,
        $schema: _dialect,
        ...schema
      } = (tool.declaration.parametersSchema ?? {}) as Record<string, unknown>;
      validate = this.ajv.compile(schema);
    } catch {
      validate = null;
    }
    if (this.compiled.size >= this.maxCompiled) this.compiled.clear();
    this.compiled.set(key, validate);
    return validate;
  }
}
