// buildContext: assembles the `ctx` handed to setup() from one builder per namespace (no wire methods of its own)
/*
 * Each ctx method maps to exactly one worker→host wire method with the published params; the file
 * of a namespace is named after it in kebab-case and matches the host's handler file of the same
 * name. Local-only registrations (jobs, launchers, data, actions, tools) live in registrations.ts.
 */
import type { PaperclipPluginManifestV1, PluginContext } from "../../types/index.js";
import type { HostLink } from "../host-link.js";
import type { HandlerRegistry } from "../registry.js";
import { buildAccessClient } from "./access.js";
import { buildActivityClient } from "./activity.js";
import { buildAgentsClient } from "./agents.js";
import { buildApprovalsClient } from "./approvals.js";
import { buildAuthorizationClient } from "./authorization.js";
import { buildCompaniesClient } from "./companies.js";
import { buildConfigClient } from "./config.js";
import { buildDbClient } from "./db.js";
import { buildDuplexChannelClient } from "./duplex-channel.js";
import { buildEntitiesClient } from "./entities.js";
import { buildEventsClient } from "./events.js";
import { buildExecutionClient } from "./execution.js";
import { buildExecutionWorkspacesClient } from "./execution-workspaces.js";
import { buildGoalsClient } from "./goals.js";
import { buildHttpClient } from "./http.js";
import { buildIssuesClient } from "./issues.js";
import { buildLocalFoldersClient } from "./local-folders.js";
import { buildLogger } from "./logger.js";
import { buildLoginPtyClient } from "./login-pty.js";
import { buildMetricsClient } from "./metrics.js";
import { buildProjectsClient } from "./projects.js";
import { buildRegistrations } from "./registrations.js";
import { buildRoutinesClient } from "./routines.js";
import { buildSecretsClient } from "./secrets.js";
import { buildSkillsClient } from "./skills.js";
import { buildStateClient } from "./state.js";
import { buildStreamsClient } from "./streams.js";
import { buildTelemetryClient } from "./telemetry.js";
import { buildTracer } from "./tracer.js";

/** What the context reads from the worker's lifecycle state. */
export interface ContextState {
  /** The manifest from `initialize`, or null before it. */
  readonly manifest: PaperclipPluginManifestV1 | null;
  /** The database namespace from `initialize`, or null when the plugin has none. */
  readonly databaseNamespace: string | null;
}

export interface ContextDeps {
  host: HostLink;
  registry: HandlerRegistry;
  state: ContextState;
}

export function buildContext(deps: ContextDeps): PluginContext {
  const { host, registry, state } = deps;

  const requireManifest = (): PaperclipPluginManifestV1 => {
    if (!state.manifest) throw new Error("Plugin context accessed before initialization");
    return state.manifest;
  };

  const { jobs, launchers, data, actions, tools } = buildRegistrations(registry);

  // Same key order as before the split into files, so enumerating ctx gives the same list.
  return {
    get manifest() {
      return requireManifest();
    },
    config: buildConfigClient(host),
    localFolders: buildLocalFoldersClient(host, requireManifest),
    events: buildEventsClient(host, registry),
    jobs,
    launchers,
    db: buildDbClient(host, state),
    http: buildHttpClient(host),
    secrets: buildSecretsClient(host),
    activity: buildActivityClient(host),
    state: buildStateClient(host),
    entities: buildEntitiesClient(host),
    issues: buildIssuesClient(host),
    projects: buildProjectsClient(host),
    executionWorkspaces: buildExecutionWorkspacesClient(host),
    routines: buildRoutinesClient(host),
    skills: buildSkillsClient(host),
    companies: buildCompaniesClient(host),
    approvals: buildApprovalsClient(host),
    agents: buildAgentsClient(host, registry),
    goals: buildGoalsClient(host),
    access: buildAccessClient(host),
    authorization: buildAuthorizationClient(host),
    data,
    actions,
    streams: buildStreamsClient(host),
    execution: buildExecutionClient(host),
    loginPty: buildLoginPtyClient(host),
    duplexChannel: buildDuplexChannelClient(host),
    tools,
    metrics: buildMetricsClient(host),
    telemetry: buildTelemetryClient(host),
    logger: buildLogger(host),
    tracer: buildTracer(host),
  };
}
