/**
 * Manifests for the validator tests: one that declares every feature correctly, and a
 * minimal one. Each call returns a fresh object so tests can break it freely.
 */

// A deliberately loose type: the tests break these manifests on purpose.
export type LooseManifest = Record<string, any>;

export function minimalManifest(): LooseManifest {
  return {
    id: "acme.minimal",
    apiVersion: 1,
    version: "0.1.0",
    displayName: "Minimal",
    description: "The smallest valid plugin.",
    author: "Acme",
    categories: ["automation"],
    capabilities: ["events.subscribe"],
    entrypoints: { worker: "./dist/worker.js" },
  };
}

export function fullManifest(): LooseManifest {
  return {
    id: "acme.linear-sync",
    apiVersion: 1,
    version: "1.2.3-beta.1+build.7",
    displayName: "Linear Sync",
    description: "Keeps Linear issues and Paperclip issues in step.",
    author: "Acme Inc.",
    categories: ["connector", "ui"],
    minimumHostVersion: "2026.1.0",
    minimumPaperclipVersion: "2026.1.0",
    capabilities: [
      "issues.read",
      "issues.create",
      "events.subscribe",
      "jobs.schedule",
      "webhooks.receive",
      "agent.tools.register",
      "database.namespace.migrate",
      "database.namespace.read",
      "api.routes.register",
      "environment.drivers.register",
      "agents.managed",
      "projects.managed",
      "routines.managed",
      "skills.managed",
      "local.folders",
      "external.objects.detect",
      "external.objects.read",
      "ui.page.register",
      "ui.sidebar.register",
      "ui.detailTab.register",
      "ui.dashboardWidget.register",
      "ui.action.register",
      "ui.commentAnnotation.register",
      "instance.settings.register",
    ],
    entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
    instanceConfigSchema: {
      type: "object",
      properties: { apiKey: { type: "object", format: "secret-ref" } },
      "x-paperclip-group": "Connection",
    },
    jobs: [
      { jobKey: "full-sync", displayName: "Full sync", schedule: "*/15 * * * *" },
      {
        jobKey: "nightly",
        displayName: "Nightly",
        description: "Office hours",
        schedule: "0 9-17/2 * * 1,3,5",
      },
      { jobKey: "manual-only", displayName: "Manual only" },
    ],
    webhooks: [{ endpointKey: "linear", displayName: "Linear events" }],
    tools: [
      {
        name: "lookup",
        displayName: "Lookup",
        description: "Find a Linear issue",
        parametersSchema: { type: "object", properties: { query: { type: "string" } } },
      },
      { name: "noop", displayName: "No-op", description: "Takes nothing", parametersSchema: {} },
    ],
    database: {
      namespaceSlug: "linear_sync",
      migrationsDir: "migrations",
      coreReadTables: ["issues", "projects"],
    },
    apiRoutes: [
      {
        routeKey: "issue.summary",
        method: "GET",
        path: "/issues/:issueId/summary",
        auth: "board-or-agent",
        capability: "api.routes.register",
        checkoutPolicy: "required-for-agent-in-progress",
        companyResolution: { from: "issue", param: "issueId" },
      },
      {
        routeKey: "issue.update",
        method: "POST",
        path: "/issues/:issueId/summary",
        auth: "agent",
        capability: "api.routes.register",
        companyResolution: { from: "body", key: "companyId" },
      },
    ],
    environmentDrivers: [
      {
        driverKey: "acme-sandbox",
        kind: "sandbox_provider",
        displayName: "Acme sandbox",
        sandboxCapabilities: { reusableLeases: true },
        supportsSetupTokenLogin: true,
        templateConfigBinding: { field: "templateId", unsetFields: ["image"] },
        configSchema: { type: "object" },
      },
    ],
    agents: [
      { agentKey: "linear-triager", displayName: "Linear triager", status: "idle", budgetMonthlyCents: 0 },
    ],
    projects: [{ projectKey: "linear-inbox", displayName: "Linear inbox", status: "planned" }],
    routines: [
      {
        routineKey: "daily-triage",
        title: "Daily triage",
        assigneeRef: { resourceKind: "agent", resourceKey: "linear-triager" },
        goalId: "6f1c2b9e-4d1a-4c0e-9d7e-1a2b3c4d5e6f",
        variables: [
          { name: "team", type: "select", options: ["core", "web"], defaultValue: "core" },
          { name: "since", type: "date", defaultValue: "2024-02-29" },
        ],
        triggers: [{ kind: "schedule", cronExpression: "0 9 * * *", timezone: "UTC" }],
      },
    ],
    skills: [
      {
        skillKey: "linear-howto",
        displayName: "Linear how-to",
        markdown: "# Using Linear",
        files: [{ path: "examples/query.md", content: "..." }],
      },
    ],
    localFolders: [
      {
        folderKey: "exports",
        displayName: "Exports",
        access: "readWrite",
        requiredDirectories: ["incoming", "archive/2024"],
        requiredFiles: ["config/settings.json"],
      },
    ],
    objectReferences: [
      {
        providerKey: "linear",
        displayName: "Linear",
        objectTypes: ["issue", "project"],
        urlPatterns: ["https://linear.app/*"],
        refreshPolicy: { defaultTtlSeconds: 60, staleAfterSeconds: 600 },
        webhookEndpointKeys: ["linear"],
      },
    ],
    launchers: [
      {
        id: "sync-now",
        displayName: "Sync now",
        placementZone: "globalToolbarButton",
        action: { type: "performAction", target: "sync-now" },
      },
    ],
    ui: {
      slots: [
        {
          type: "page",
          id: "linear-page",
          displayName: "Linear",
          exportName: "LinearPage",
          routePath: "linear",
        },
        {
          type: "routeSidebar",
          id: "linear-sidebar",
          displayName: "Linear nav",
          exportName: "LinearNav",
          routePath: "linear",
        },
        {
          type: "detailTab",
          id: "issue-tab",
          displayName: "Linear",
          exportName: "IssueTab",
          entityTypes: ["issue"],
          order: 2,
        },
        {
          type: "projectSidebarItem",
          id: "project-link",
          displayName: "Linear project",
          exportName: "ProjectLink",
          entityTypes: ["project"],
        },
        {
          type: "commentAnnotation",
          id: "comment-badge",
          displayName: "Linked",
          exportName: "CommentBadge",
          entityTypes: ["comment"],
        },
        {
          type: "companySettingsPage",
          id: "company-settings",
          displayName: "Linear settings",
          exportName: "CompanySettings",
          routePath: "linear",
        },
        { type: "dashboardWidget", id: "widget", displayName: "Sync status", exportName: "Widget" },
      ],
      launchers: [
        {
          id: "open-linear",
          displayName: "Open in Linear",
          placementZone: "detailTab",
          entityTypes: ["issue"],
          action: { type: "openModal", target: "LinearModal" },
          render: { environment: "hostOverlay", bounds: "wide" },
        },
        {
          id: "drawer",
          displayName: "Details",
          placementZone: "toolbarButton",
          action: { type: "openDrawer", target: "Drawer" },
          render: { environment: "iframe", bounds: "full" },
        },
        {
          id: "popover",
          displayName: "Peek",
          placementZone: "contextMenuItem",
          entityTypes: ["issue"],
          action: { type: "openPopover", target: "Peek" },
          render: { environment: "hostInline", bounds: "inline" },
        },
        {
          id: "go",
          displayName: "Go",
          placementZone: "sidebar",
          action: { type: "navigate", target: "/linear" },
        },
      ],
    },
  };
}
