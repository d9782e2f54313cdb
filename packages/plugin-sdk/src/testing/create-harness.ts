import { buildAgentsClient } from "./agents-client.js";
import { CapabilityGate } from "./capability-gate.js";
import { buildDirectoryClients } from "./directory-clients.js";
import { DomainStore } from "./domain-store.js";
import { InMemoryEventBus } from "./event-bus.js";
import { buildGovernanceClients } from "./governance-clients.js";
import { HandlerRegistry } from "./handler-registry.js";
import { buildDispatch } from "./harness-dispatch.js";
import type { TestHarness, TestHarnessOptions } from "./harness-types.js";
import { buildIssuesClient } from "./issues-client.js";
import { buildLocalFoldersClient } from "./local-folders-client.js";
import { buildRoutinesClient, buildSkillsClient } from "./managed-resources.js";
import type { HarnessRecorders, HarnessRuntime } from "./runtime.js";
import { buildRuntimeClients } from "./runtime-clients.js";
import { InMemoryStateStore } from "./state-store.js";
import { describeValue, jsonRoundTrip, requireNonEmptyString, requirePlainObject } from "./validate.js";

/**
 * An in-memory host for unit-testing a plugin worker without a process: pass `harness.ctx`
 * to `plugin.definition.setup(ctx)`, then drive the plugin through `emit`, `runJob`,
 * `getData`, `performAction`, `executeTool` and `simulateSessionEvent`, and assert on the
 * recorders and on `getState`. Every ctx call is checked against the granted capabilities.
 */
export function createTestHarness(options: TestHarnessOptions): TestHarness {
  const input = requirePlainObject(options, "createTestHarness: options");
  const manifest = requirePlainObject(
    input.manifest,
    "createTestHarness: options.manifest",
  ) as unknown as TestHarnessOptions["manifest"];
  const pluginId = requireNonEmptyString(manifest.id, "createTestHarness: options.manifest.id");
  const capabilities = input.capabilities ?? manifest.capabilities;
  if (!Array.isArray(capabilities)) {
    throw new TypeError(
      `createTestHarness: options.capabilities (or manifest.capabilities) must be an array (got ${describeValue(capabilities)})`,
    );
  }

  const recorders: HarnessRecorders = {
    logs: [],
    activity: [],
    metrics: [],
    telemetry: [],
    dbQueries: [],
    dbExecutes: [],
  };
  const runtime: HarnessRuntime = {
    pluginId,
    manifest,
    gate: new CapabilityGate(pluginId, capabilities),
    state: new InMemoryStateStore(),
    events: new InMemoryEventBus(recorders.logs),
    store: new DomainStore(),
    recorders,
    handlers: {
      data: new HandlerRegistry("data", "ctx.data.register"),
      actions: new HandlerRegistry("action", "ctx.actions.register"),
      tools: new HandlerRegistry("tool", "ctx.tools.register"),
      jobs: new HandlerRegistry("job", "ctx.jobs.register"),
    },
    sessionCallbacks: new Map(),
    config: { current: {} },
  };
  const replaceConfig = (config: unknown, where: string) => {
    runtime.config.current = jsonRoundTrip(requirePlainObject(config, where), where);
  };
  const setConfig = (config: Record<string, unknown>) => replaceConfig(config, "harness.setConfig: config");
  if (input.config !== undefined) replaceConfig(input.config, "createTestHarness: options.config");

  const ctx: TestHarness["ctx"] = {
    manifest,
    ...buildRuntimeClients(runtime),
    ...buildDirectoryClients(runtime),
    ...buildGovernanceClients(runtime),
    localFolders: buildLocalFoldersClient(runtime),
    issues: buildIssuesClient(runtime),
    agents: buildAgentsClient(runtime),
    routines: buildRoutinesClient(runtime),
    skills: buildSkillsClient(runtime),
  };

  return {
    ctx,
    seed: (seed) => runtime.store.seed(seed),
    setConfig,
    ...buildDispatch(runtime),
    ...recorders,
  };
}
