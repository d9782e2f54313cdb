import { describe, expect, it } from "vitest";
import {
  formatManifestErrors,
  getRequiredManifestCapabilities,
  type ManifestValidationIssue,
  pluginManifestV1Schema,
  validateManifest,
} from "../src/manifest/index.js";
import type { PaperclipPluginManifestV1 } from "../src/types/manifest.js";
import { fullManifest, type LooseManifest, minimalManifest } from "./manifest-fixtures.js";

function errorsOf(input: unknown): ManifestValidationIssue[] {
  const result = validateManifest(input);
  if (result.ok) throw new Error("expected the manifest to be rejected, but it was accepted");
  return result.errors;
}

function validManifest(input: unknown): PaperclipPluginManifestV1 {
  const result = validateManifest(input);
  if (!result.ok) throw new Error(`expected a valid manifest, got:\n${formatManifestErrors(result.errors)}`);
  return result.manifest;
}

function broken(mutate: (manifest: LooseManifest) => void, base = fullManifest): LooseManifest {
  const manifest = base();
  mutate(manifest);
  return manifest;
}

describe("validateManifest accepts valid manifests", () => {
  it("accepts a manifest that declares every feature correctly", () => {
    const manifest = validManifest(fullManifest());
    expect(manifest.id).toBe("acme.linear-sync");
    expect(manifest.jobs?.map((job) => job.jobKey)).toEqual(["full-sync", "nightly", "manual-only"]);
    expect(manifest.ui?.slots).toHaveLength(7);
  });

  it("accepts the minimal manifest", () => {
    expect(validManifest(minimalManifest())).toEqual(minimalManifest());
  });

  it("strips unknown top-level keys like the original host", () => {
    const manifest = validManifest({ ...minimalManifest(), sdkVersion: "9", homepage: "https://x" });
    expect(manifest).not.toHaveProperty("sdkVersion");
    expect(manifest).not.toHaveProperty("homepage");
  });

  it("folds the deprecated supportsSetupTokenLogin flag into supportsLoginPty", () => {
    const [driver] = validManifest(fullManifest()).environmentDrivers ?? [];
    expect(driver?.supportsLoginPty).toBe(true);
    expect(driver).not.toHaveProperty("supportsSetupTokenLogin");
  });

  it("fills routine variable defaults", () => {
    const variables = validManifest(fullManifest()).routines?.[0]?.variables ?? [];
    expect(variables[1]).toEqual({
      name: "since",
      type: "date",
      defaultValue: "2024-02-29",
      required: true,
      options: [],
    });
  });

  it("accepts an empty instanceConfigSchema and composition keywords", () => {
    validManifest({ ...minimalManifest(), instanceConfigSchema: {} });
    validManifest({ ...minimalManifest(), instanceConfigSchema: { oneOf: [{ type: "string" }] } });
  });

  it("exposes the same rules through the raw zod schema", () => {
    expect(pluginManifestV1Schema.safeParse(fullManifest()).success).toBe(true);
    expect(pluginManifestV1Schema.safeParse({ ...minimalManifest(), apiVersion: 2 }).success).toBe(false);
  });
});

describe("validateManifest reports bad input with path and rule", () => {
  it("rejects a value that is not an object", () => {
    for (const input of [null, "manifest", 42, [minimalManifest()]]) {
      const [issue] = errorsOf(input);
      expect(issue).toMatchObject({ path: "", rule: "type" });
      expect(issue?.message).toMatch(/^manifest must be an object/);
    }
  });

  it("reports every problem at once, each naming its field", () => {
    const errors = errorsOf({ ...minimalManifest(), id: "Bad Id", version: "one", categories: [] });
    expect(errors.map((error) => [error.path, error.rule])).toEqual([
      ["id", "id_format"],
      ["version", "semver"],
      ["categories", "min_items"],
    ]);
    for (const error of errors) expect(error.message.startsWith(`${error.path} `)).toBe(true);
  });

  const long = (length: number) => "x".repeat(length);
  const slot = (patch: LooseManifest) => (m: LooseManifest) => {
    m.ui.slots[0] = { type: "page", id: "s", displayName: "S", exportName: "S", ...patch };
  };
  const launcher = (patch: LooseManifest) => (m: LooseManifest) => {
    m.ui.launchers[0] = {
      id: "l",
      displayName: "L",
      placementZone: "toolbarButton",
      action: { type: "navigate", target: "/x" },
      ...patch,
    };
  };

  const cases: Array<[string, (m: LooseManifest) => void, string, string]> = [
    // top-level fields
    ["missing id", (m) => delete m.id, "id", "required"],
    ["empty id", (m) => (m.id = ""), "id", "min_length"],
    ["uppercase id", (m) => (m.id = "Acme.Sync"), "id", "id_format"],
    ["id starting with a dot", (m) => (m.id = ".acme"), "id", "id_format"],
    ["apiVersion 2", (m) => (m.apiVersion = 2), "apiVersion", "literal"],
    ["non-semver version", (m) => (m.version = "1.0"), "version", "semver"],
    ["numeric displayName", (m) => (m.displayName = 5), "displayName", "type"],
    ["empty displayName", (m) => (m.displayName = ""), "displayName", "min_length"],
    ["displayName over 100", (m) => (m.displayName = long(101)), "displayName", "max_length"],
    ["description over 500", (m) => (m.description = long(501)), "description", "max_length"],
    ["author over 200", (m) => (m.author = long(201)), "author", "max_length"],
    ["no categories", (m) => (m.categories = []), "categories", "min_items"],
    ["unknown category", (m) => (m.categories = ["environment"]), "categories[0]", "enum"],
    [
      "non-semver minimumHostVersion",
      (m) => (m.minimumHostVersion = "latest"),
      "minimumHostVersion",
      "semver",
    ],
    [
      "minimum versions that differ",
      (m) => (m.minimumPaperclipVersion = "2025.1.0"),
      "minimumHostVersion",
      "minimum_version_mismatch",
    ],
    ["no capabilities", (m) => (m.capabilities = []), "capabilities", "min_items"],
    ["unknown capability", (m) => m.capabilities.push("assets.read"), "capabilities[24]", "enum"],
    ["missing entrypoints", (m) => delete m.entrypoints, "entrypoints", "required"],
    ["empty worker entrypoint", (m) => (m.entrypoints.worker = ""), "entrypoints.worker", "min_length"],
    ["ui without entrypoints.ui", (m) => delete m.entrypoints.ui, "entrypoints.ui", "ui_entrypoint_required"],
    [
      "schema without type",
      (m) => (m.instanceConfigSchema = { title: "x" }),
      "instanceConfigSchema",
      "json_schema",
    ],
    // features need capabilities
    ...(
      [
        ["jobs", "jobs.schedule"],
        ["webhooks", "webhooks.receive"],
        ["tools", "agent.tools.register"],
        ["apiRoutes", "api.routes.register"],
        ["environmentDrivers", "environment.drivers.register"],
        ["agents", "agents.managed"],
        ["projects", "projects.managed"],
        ["routines", "routines.managed"],
        ["skills", "skills.managed"],
        ["localFolders", "local.folders"],
        ["objectReferences", "external.objects.detect"],
        ["objectReferences", "external.objects.read"],
        ["database", "database.namespace.migrate"],
        ["database", "database.namespace.read"],
      ] as const
    ).map(([feature, capability]): [string, (m: LooseManifest) => void, string, string] => [
      `${feature} without ${capability}`,
      (m) => (m.capabilities = m.capabilities.filter((c: string) => c !== capability)),
      "capabilities",
      "capability_required",
    ]),
    // jobs, webhooks, tools
    ["four-field cron", (m) => (m.jobs[0].schedule = "* * * *"), "jobs[0].schedule", "cron_five_fields"],
    [
      "cron with day names",
      (m) => (m.jobs[1].schedule = "0 0 * * MON"),
      "jobs[1].schedule",
      "cron_five_fields",
    ],
    ["cron with ?", (m) => (m.jobs[1].schedule = "0 0 ? * *"), "jobs[1].schedule", "cron_five_fields"],
    ["six-field cron", (m) => (m.jobs[0].schedule = "0 0 0 * * *"), "jobs[0].schedule", "cron_five_fields"],
    ["minute out of range", (m) => (m.jobs[0].schedule = "61 * * * *"), "jobs[0].schedule", "cron_range"],
    ["hour out of range", (m) => (m.jobs[1].schedule = "0 24 * * *"), "jobs[1].schedule", "cron_range"],
    ["day of month 0", (m) => (m.jobs[0].schedule = "0 0 0 * *"), "jobs[0].schedule", "cron_range"],
    ["backwards range", (m) => (m.jobs[0].schedule = "30-10 * * * *"), "jobs[0].schedule", "cron_range"],
    ["zero step", (m) => (m.jobs[0].schedule = "*/0 * * * *"), "jobs[0].schedule", "cron_range"],
    ["empty jobKey", (m) => (m.jobs[0].jobKey = ""), "jobs[0].jobKey", "min_length"],
    ["duplicate jobKey", (m) => (m.jobs[2].jobKey = "full-sync"), "jobs[2].jobKey", "duplicate_key"],
    [
      "duplicate webhook",
      (m) => m.webhooks.push({ ...m.webhooks[0] }),
      "webhooks[1].endpointKey",
      "duplicate_key",
    ],
    [
      "tool without a schema",
      (m) => delete m.tools[0].parametersSchema,
      "tools[0].parametersSchema",
      "required",
    ],
    [
      "tool schema w/o type",
      (m) => (m.tools[0].parametersSchema = { a: 1 }),
      "tools[0].parametersSchema",
      "json_schema",
    ],
    ["duplicate tool name", (m) => (m.tools[1].name = "lookup"), "tools[1].name", "duplicate_key"],
    // database
    [
      "uppercase slug",
      (m) => (m.database.namespaceSlug = "Linear"),
      "database.namespaceSlug",
      "namespace_slug_format",
    ],
    ["slug over 40", (m) => (m.database.namespaceSlug = long(41)), "database.namespaceSlug", "max_length"],
    [
      "migrations outside",
      (m) => (m.database.migrationsDir = "../sql"),
      "database.migrationsDir",
      "relative_path",
    ],
    [
      "absolute migrations",
      (m) => (m.database.migrationsDir = "/sql"),
      "database.migrationsDir",
      "relative_path",
    ],
    [
      "unknown core table",
      (m) => (m.database.coreReadTables = ["users"]),
      "database.coreReadTables[0]",
      "enum",
    ],
    [
      "repeated core table",
      (m) => m.database.coreReadTables.push("issues"),
      "database.coreReadTables[2]",
      "duplicate_key",
    ],
    // api routes
    ["bad routeKey", (m) => (m.apiRoutes[0].routeKey = "Issue"), "apiRoutes[0].routeKey", "key_format"],
    ["PUT route", (m) => (m.apiRoutes[0].method = "PUT"), "apiRoutes[0].method", "enum"],
    [
      "relative route path",
      (m) => (m.apiRoutes[0].path = "issues"),
      "apiRoutes[0].path",
      "api_route_path_format",
    ],
    [
      "route under /api",
      (m) => (m.apiRoutes[0].path = "/api/x"),
      "apiRoutes[0].path",
      "api_route_path_namespace",
    ],
    [
      "route /plugins",
      (m) => (m.apiRoutes[0].path = "/plugins"),
      "apiRoutes[0].path",
      "api_route_path_namespace",
    ],
    [
      "route with //",
      (m) => (m.apiRoutes[0].path = "/a//b"),
      "apiRoutes[0].path",
      "api_route_path_namespace",
    ],
    [
      "route with ..",
      (m) => (m.apiRoutes[0].path = "/a/../b"),
      "apiRoutes[0].path",
      "api_route_path_namespace",
    ],
    ["unknown auth", (m) => (m.apiRoutes[0].auth = "public"), "apiRoutes[0].auth", "enum"],
    [
      "wrong capability",
      (m) => (m.apiRoutes[0].capability = "http.outbound"),
      "apiRoutes[0].capability",
      "literal",
    ],
    [
      "unknown company source",
      (m) => (m.apiRoutes[0].companyResolution = { from: "header", key: "x" }),
      "apiRoutes[0].companyResolution.from",
      "enum",
    ],
    [
      "duplicate routeKey",
      (m) => (m.apiRoutes[1].routeKey = "issue.summary"),
      "apiRoutes[1].routeKey",
      "duplicate_key",
    ],
    ["duplicate method+path", (m) => (m.apiRoutes[1].method = "GET"), "apiRoutes[1].path", "duplicate_key"],
    // local folders
    ["bad folderKey", (m) => (m.localFolders[0].folderKey = "-x"), "localFolders[0].folderKey", "key_format"],
    [
      "folderKey over 100",
      (m) => (m.localFolders[0].folderKey = long(101)),
      "localFolders[0].folderKey",
      "max_length",
    ],
    ["write access", (m) => (m.localFolders[0].access = "write"), "localFolders[0].access", "enum"],
    ...["../etc", "/etc", "a//b", "./a", "a\\b", "a/."].map(
      (path): [string, (m: LooseManifest) => void, string, string] => [
        `required file ${path}`,
        (m) => (m.localFolders[0].requiredFiles = [path]),
        "localFolders[0].requiredFiles[0]",
        "relative_path",
      ],
    ),
    [
      "duplicate folder",
      (m) => m.localFolders.push({ ...m.localFolders[0] }),
      "localFolders[1].folderKey",
      "duplicate_key",
    ],
    // external objects
    [
      "unknown webhook reference",
      (m) => (m.objectReferences[0].webhookEndpointKeys = ["github"]),
      "objectReferences[0].webhookEndpointKeys[0]",
      "webhook_endpoint_unknown",
    ],
    [
      "repeated objectType",
      (m) => m.objectReferences[0].objectTypes.push("issue"),
      "objectReferences[0].objectTypes[2]",
      "duplicate_key",
    ],
    [
      "stale before ttl",
      (m) => (m.objectReferences[0].refreshPolicy = { defaultTtlSeconds: 600, staleAfterSeconds: 60 }),
      "objectReferences[0].refreshPolicy.staleAfterSeconds",
      "refresh_policy_order",
    ],
    // environment drivers and managed resources
    [
      "unknown driver key",
      (m) => (m.environmentDrivers[0].gpu = true),
      "environmentDrivers[0]",
      "unknown_key",
    ],
    [
      "conflicting login flags",
      (m) => (m.environmentDrivers[0].supportsLoginPty = false),
      "environmentDrivers[0].supportsLoginPty",
      "alias_conflict",
    ],
    ["bad agentKey", (m) => (m.agents[0].agentKey = "Agent One"), "agents[0].agentKey", "key_format"],
    [
      "negative budget",
      (m) => (m.agents[0].budgetMonthlyCents = -1),
      "agents[0].budgetMonthlyCents",
      "min_value",
    ],
    ["goalId not a uuid", (m) => (m.routines[0].goalId = "goal-1"), "routines[0].goalId", "uuid"],
    [
      "select without options",
      (m) => (m.routines[0].variables[0].options = []),
      "routines[0].variables[0].options",
      "routine_variable_options",
    ],
    [
      "impossible date default",
      (m) => (m.routines[0].variables[1].defaultValue = "2023-02-29"),
      "routines[0].variables[1].defaultValue",
      "routine_variable_default",
    ],
    [
      "skill SKILL.md file",
      (m) => (m.skills[0].files[0].path = "SKILL.md"),
      "skills[0].files[0].path",
      "skill_file_reserved",
    ],
    [
      "duplicate project",
      (m) => m.projects.push({ ...m.projects[0] }),
      "projects[1].projectKey",
      "duplicate_key",
    ],
    // UI slots
    ["empty slot list", (m) => (m.ui.slots = []), "ui.slots", "min_items"],
    ["unknown slot type", slot({ type: "appShellOverlay" }), "ui.slots[0].type", "enum"],
    ["fractional order", slot({ order: 1.5 }), "ui.slots[0].order", "integer"],
    [
      "detailTab without entities",
      slot({ type: "detailTab" }),
      "ui.slots[0].entityTypes",
      "entity_types_required",
    ],
    [
      "taskDetailView empty entities",
      slot({ type: "taskDetailView", entityTypes: [] }),
      "ui.slots[0].entityTypes",
      "entity_types_required",
    ],
    [
      "projectSidebarItem without project",
      slot({ type: "projectSidebarItem", entityTypes: ["issue"] }),
      "ui.slots[0].entityTypes",
      "entity_types_must_include",
    ],
    [
      "commentAnnotation without comment",
      slot({ type: "commentAnnotation", entityTypes: ["issue"] }),
      "ui.slots[0].entityTypes",
      "entity_types_must_include",
    ],
    [
      "commentContextMenuItem without comment",
      slot({ type: "commentContextMenuItem", entityTypes: ["issue"] }),
      "ui.slots[0].entityTypes",
      "entity_types_must_include",
    ],
    [
      "unknown entity type",
      slot({ type: "detailTab", entityTypes: ["user"] }),
      "ui.slots[0].entityTypes[0]",
      "enum",
    ],
    [
      "two-segment routePath",
      slot({ routePath: "linear/issues" }),
      "ui.slots[0].routePath",
      "route_path_format",
    ],
    ["uppercase routePath", slot({ routePath: "Linear" }), "ui.slots[0].routePath", "route_path_format"],
    [
      "routePath on a widget",
      slot({ type: "dashboardWidget", routePath: "x" }),
      "ui.slots[0].routePath",
      "route_path_not_allowed",
    ],
    [
      "routeSidebar without route",
      slot({ type: "routeSidebar" }),
      "ui.slots[0].routePath",
      "route_path_required",
    ],
    [
      "settings page without route",
      slot({ type: "companySettingsPage" }),
      "ui.slots[0].routePath",
      "route_path_required",
    ],
    ["reserved page route", slot({ routePath: "issues" }), "ui.slots[0].routePath", "route_path_reserved"],
    [
      "reserved settings route",
      slot({ type: "companySettingsPage", routePath: "secrets" }),
      "ui.slots[0].routePath",
      "route_path_reserved",
    ],
    ["duplicate slot id", (m) => (m.ui.slots[1].id = "linear-page"), "ui.slots[1].id", "duplicate_key"],
    // launchers
    ["unknown zone", launcher({ placementZone: "routeSidebar" }), "ui.launchers[0].placementZone", "enum"],
    [
      "detailTab launcher w/o entities",
      launcher({ placementZone: "detailTab" }),
      "ui.launchers[0].entityTypes",
      "entity_types_required",
    ],
    [
      "project launcher without project",
      launcher({ placementZone: "projectSidebarItem", entityTypes: ["goal"] }),
      "ui.launchers[0].entityTypes",
      "entity_types_must_include",
    ],
    [
      "action target that is a path",
      launcher({ action: { type: "performAction", target: "sync/now" } }),
      "ui.launchers[0].action.target",
      "launcher_action_target",
    ],
    [
      "navigate to an absolute URL",
      launcher({ action: { type: "navigate", target: "https://linear.app" } }),
      "ui.launchers[0].action.target",
      "launcher_action_target",
    ],
    [
      "performAction with render",
      launcher({ action: { type: "performAction", target: "sync" }, render: { environment: "hostOverlay" } }),
      "ui.launchers[0].render",
      "launcher_render_forbidden",
    ],
    ...(["openModal", "openDrawer", "openPopover"] as const).map(
      (type): [string, (m: LooseManifest) => void, string, string] => [
        `${type} without render`,
        launcher({ action: { type, target: "Panel" } }),
        "ui.launchers[0].render",
        "launcher_render_required",
      ],
    ),
    ...(
      [
        ["openModal", "hostInline"],
        ["openDrawer", "hostRoute"],
        ["openDrawer", "external"],
        ["openPopover", "hostRoute"],
      ] as const
    ).map(([type, environment]): [string, (m: LooseManifest) => void, string, string] => [
      `${type} in ${environment}`,
      launcher({ action: { type, target: "Panel" }, render: { environment } }),
      "ui.launchers[0].render.environment",
      "launcher_render_environment",
    ]),
    ...(
      [
        ["hostInline", "wide"],
        ["hostOverlay", "inline"],
        ["hostRoute", "compact"],
        ["external", "default"],
        ["iframe", "inline"],
      ] as const
    ).map(([environment, bounds]): [string, (m: LooseManifest) => void, string, string] => [
      `${bounds} bounds in ${environment}`,
      launcher({ action: { type: "deepLink", target: "x" }, render: { environment, bounds } }),
      "ui.launchers[0].render.bounds",
      "launcher_bounds",
    ]),
    [
      "launcher id reused across legacy and ui lists",
      (m) => (m.ui.launchers[0].id = "sync-now"),
      "ui.launchers[0].id",
      "duplicate_key",
    ],
  ];

  const table = cases.map(([name, mutate, path, rule]) => ({ name, mutate, path, rule }));
  it.each(table)("$name → $path [$rule]", ({ mutate, path, rule }) => {
    const errors = errorsOf(broken(mutate));
    const match = errors.find((error) => error.path === path && error.rule === rule);
    expect(match, `expected ${path} [${rule}] in:\n${formatManifestErrors(errors)}`).toBeDefined();
    expect(match?.message.startsWith(`${path} `)).toBe(true);
  });
});

describe("formatManifestErrors", () => {
  it("lists every problem on its own line with its rule", () => {
    const errors = errorsOf({
      ...minimalManifest(),
      id: "Bad",
      jobs: [{ jobKey: "j", displayName: "J", schedule: "x" }],
    });
    const text = formatManifestErrors(errors);
    const lines = text.split("\n");
    expect(lines[0]).toBe(`Invalid plugin manifest (${errors.length} problems):`);
    expect(lines).toContain(`  - ${errors.find((e) => e.path === "id")?.message} [id_format]`);
    expect(text).toContain("jobs[0].schedule must be a 5-field cron expression");
  });

  it("says so when there is nothing to report", () => {
    expect(formatManifestErrors([])).toBe("Plugin manifest is valid.");
  });
});

describe("getRequiredManifestCapabilities", () => {
  it("returns nothing for a consistent manifest", () => {
    expect(getRequiredManifestCapabilities(validManifest(fullManifest()))).toEqual([]);
  });

  it("names the capability each UI slot type needs", () => {
    const manifest = validManifest(fullManifest());
    manifest.capabilities = manifest.capabilities.filter(
      (c) => !["ui.page.register", "ui.sidebar.register", "instance.settings.register"].includes(c),
    );
    expect(getRequiredManifestCapabilities(manifest)).toEqual([
      "ui.page.register",
      "ui.sidebar.register",
      "instance.settings.register",
    ]);
  });

  it("names the capability each launcher zone and feature needs, once each", () => {
    const manifest: PaperclipPluginManifestV1 = {
      ...validManifest(minimalManifest()),
      jobs: [{ jobKey: "a", displayName: "A" }],
      launchers: [
        {
          id: "a",
          displayName: "A",
          placementZone: "toolbarButton",
          action: { type: "navigate", target: "/a" },
        },
        {
          id: "b",
          displayName: "B",
          placementZone: "contextMenuItem",
          action: { type: "navigate", target: "/b" },
        },
        {
          id: "c",
          displayName: "C",
          placementZone: "commentAnnotation",
          action: { type: "navigate", target: "/c" },
        },
      ],
    };
    expect(getRequiredManifestCapabilities(manifest)).toEqual([
      "jobs.schedule",
      "ui.action.register",
      "ui.commentAnnotation.register",
    ]);
  });

  it("ignores empty feature lists", () => {
    const manifest: PaperclipPluginManifestV1 = {
      ...validManifest(minimalManifest()),
      tools: [],
      webhooks: [],
    };
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
  });
});
