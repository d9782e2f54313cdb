// The built UI bundle (scripts/build-ui.mjs): one ESM file importing only what the host provides, one named
// export per slot and launcher target, and each component rendering its labelled card with the context given.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ComponentType, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM build script without type declarations
import { buildUi, UI_EXTERNALS } from "../scripts/build-ui.mjs";
import manifest from "../src/manifest.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const fakeSdkUi = pathToFileURL(fileURLToPath(new URL("./fixtures/fake-sdk-ui.mjs", import.meta.url))).href;

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; external?: boolean }>; exports: string[] }>;
}

type Component = ComponentType<Record<string, unknown>>;

/** Static markup of one exported component, rendered by React as the host would mount it. */
function render(name: string, props: Record<string, unknown>): string {
  return renderToStaticMarkup(createElement(bundle[name] as Component, props));
}

let outdir = "";
let metafile: Metafile;
let bundle: Record<string, Component>;

interface FakeHost {
  context: Record<string, unknown>;
  data: Record<string, unknown>;
  dataCalls: Array<{ key: string; params: unknown }>;
  actionCalls: Array<{ key: string; params: unknown }>;
  streams: string[];
  streamEvents: Record<string, unknown[]>;
}

function fakeHost(context: Record<string, unknown>, data: Record<string, unknown> = {}): FakeHost {
  const host: FakeHost = { context, data, dataCalls: [], actionCalls: [], streams: [], streamEvents: {} };
  (globalThis as { __kitchenSinkFakeHost__?: FakeHost }).__kitchenSinkFakeHost__ = host;
  return host;
}

beforeAll(async () => {
  // Inside the package so the bundle's `react` imports resolve from the workspace.
  outdir = await mkdtemp(path.join(packageRoot, "dist", "test-ui-"));
  metafile = (await buildUi({ outdir })) as Metafile;
  // What the host's loader does: point the SDK UI specifiers at its bridge module (here, a fake one).
  const source = await readFile(path.join(outdir, "index.js"), "utf8");
  const rewritten = source.replaceAll(
    /from "@paperclipai\/plugin-sdk\/ui(\/hooks)?"/g,
    `from "${fakeSdkUi}"`,
  );
  const loadable = path.join(outdir, "loadable.mjs");
  await writeFile(loadable, rewritten);
  bundle = (await import(pathToFileURL(loadable).href)) as Record<string, Component>;
});

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

const slotTargets = () => (manifest.ui?.slots ?? []).map((slot) => slot.exportName);
const launcherTargets = () =>
  (manifest.ui?.launchers ?? [])
    .filter((launcher) => ["openModal", "openDrawer", "openPopover"].includes(launcher.action.type))
    .map((launcher) => launcher.action.target);

describe("UI bundle", () => {
  it("is one ESM file whose only imports are the specifiers the host provides", () => {
    const output = metafile.outputs[path.relative(packageRoot, path.join(outdir, "index.js"))];
    expect(output).toBeDefined();
    const imports = new Set(output!.imports.map((entry) => entry.path));
    for (const entry of output!.imports) expect(entry.external).toBe(true);
    expect([...imports].every((specifier) => UI_EXTERNALS.includes(specifier))).toBe(true);
    expect(imports).toEqual(new Set(["react", "react/jsx-runtime", "@paperclipai/plugin-sdk/ui"]));
  });

  it("exports a component for every slot and every modal/drawer/popover launcher target", async () => {
    const exported = new Set(Object.keys(bundle));
    for (const name of slotTargets()) expect(exported, name).toContain(name);
    for (const target of launcherTargets()) {
      if (target.endsWith(".html")) {
        await expect(stat(path.join(outdir, target)).then((info) => info.isFile())).resolves.toBe(true);
      } else {
        expect(exported, target).toContain(target);
      }
    }
    for (const value of Object.values(bundle)) expect(typeof value).toBe("function");
  });
});

const companyContext = {
  companyId: "company-1",
  companyPrefix: "ACME",
  projectId: null,
  entityId: null,
  entityType: null,
  userId: "user-1",
  renderEnvironment: null,
};

/** The text of the element carrying `data-testid="<id>"`, from static markup (first match). */
function testIdText(markup: string, id: string): string | null {
  const match = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(markup);
  return match ? match[1]! : null;
}

describe("rendered components", () => {
  const cases: Array<[exportName: string, kind: string, context: Record<string, unknown>]> = [
    ["KitchenSinkPage", "page", companyContext],
    ["KitchenSinkRouteSidebar", "routeSidebar", companyContext],
    ["KitchenSinkSidebar", "sidebar", companyContext],
    ["KitchenSinkSidebarPanel", "sidebarPanel", companyContext],
    ["KitchenSinkDashboardWidget", "dashboardWidget", companyContext],
    ["KitchenSinkSettingsPage", "settingsPage", companyContext],
    ["KitchenSinkCompanySettingsPage", "companySettingsPage", companyContext],
    ["KitchenSinkGlobalToolbarButton", "globalToolbarButton", companyContext],
    ["KitchenSinkDetailTab", "detailTab", { ...companyContext, entityId: "goal-7", entityType: "goal" }],
    [
      "KitchenSinkTaskDetailView",
      "taskDetailView",
      { ...companyContext, entityId: "iss-1", entityType: "issue" },
    ],
    [
      "KitchenSinkProjectSidebarItem",
      "projectSidebarItem",
      { ...companyContext, entityId: "proj-1", entityType: "project", projectId: "proj-1" },
    ],
    [
      "KitchenSinkToolbarButton",
      "toolbarButton",
      { ...companyContext, entityId: "iss-1", entityType: "issue" },
    ],
    [
      "KitchenSinkContextMenuItem",
      "contextMenuItem",
      { ...companyContext, entityId: "proj-1", entityType: "project" },
    ],
    [
      "KitchenSinkCommentAnnotation",
      "commentAnnotation",
      { ...companyContext, entityId: "cmt-1", entityType: "comment", parentEntityId: "iss-1" },
    ],
    [
      "KitchenSinkCommentContextMenuItem",
      "commentContextMenuItem",
      { ...companyContext, entityId: "cmt-1", entityType: "comment", parentEntityId: "iss-1" },
    ],
    [
      "KitchenSinkModal",
      "modal",
      {
        ...companyContext,
        renderEnvironment: { environment: "hostOverlay", launcherId: "ks-open-modal", bounds: "default" },
      },
    ],
    [
      "KitchenSinkDrawer",
      "drawer",
      {
        ...companyContext,
        entityId: "iss-1",
        entityType: "issue",
        renderEnvironment: { environment: "hostOverlay", launcherId: "ks-open-drawer", bounds: "wide" },
      },
    ],
    [
      "KitchenSinkPopover",
      "popover",
      {
        ...companyContext,
        entityId: "iss-1",
        entityType: "issue",
        renderEnvironment: { environment: "hostInline", launcherId: "ks-open-popover", bounds: "compact" },
      },
    ],
  ];

  it.each(cases)("%s renders ks-%s with the context it was given", (exportName, kind, context) => {
    fakeHost({ ...companyContext, companyId: "host-company" });
    const markup = render(exportName, { context });
    expect(markup.startsWith(`<`)).toBe(true);
    expect(markup).toContain(`data-testid="ks-${kind}"`);
    // The mount props' context wins over the host hook's.
    expect(testIdText(markup, "ks-companyId")).toBe("company-1");
    expect(testIdText(markup, "ks-entityId")).toBe((context.entityId as string | null) ?? "—");
    expect(testIdText(markup, "ks-entityType")).toBe((context.entityType as string | null) ?? "—");
    const environment = context.renderEnvironment as { environment: string; bounds: string } | null;
    expect(testIdText(markup, "ks-environment")).toBe(environment ? environment.environment : null);
    expect(testIdText(markup, "ks-bounds")).toBe(environment ? environment.bounds : null);
  });

  it("falls back to the host context when mounted without props", () => {
    fakeHost({ ...companyContext, companyId: "host-company", entityId: "run-3", entityType: "run" });
    const markup = render("KitchenSinkDetailTab", {});
    expect(testIdText(markup, "ks-companyId")).toBe("host-company");
    expect(testIdText(markup, "ks-entityType")).toBe("run");
  });

  it("the page shows the stream counter and the overview data, and asks for the counter stream", () => {
    const host = fakeHost(companyContext, {
      overview: {
        companyId: "company-1",
        issuesCreated: 4,
        lastIssue: null,
        notes: 1,
        jobTicks: 2,
        lastTick: null,
        webhookDeliveries: 3,
        lastWebhook: null,
        counter: { streaming: true, value: 7 },
      },
      notes: {
        companyId: "company-1",
        notes: [{ id: "n1", text: "Buy milk", actor: "user-1", createdAt: "now" }],
      },
    });
    host.streamEvents.counter = [
      { companyId: "company-1", value: 6 },
      { companyId: "company-1", value: 7 },
    ];
    const markup = render("KitchenSinkPage", { context: companyContext });
    expect(host.streams).toEqual(["counter"]);
    expect(host.dataCalls.map((call) => call.key).sort()).toEqual(["notes", "overview"]);
    expect(testIdText(markup, "ks-counter")).toBe("7");
    expect(testIdText(markup, "ks-counter-events")).toBe("2");
    expect(markup).toContain("Issues created: 4");
    expect(markup).toContain("Webhook deliveries: 3");
    expect(markup).toContain("<td>Buy milk</td>");
  });

  it("the detail tab asks the worker to echo its entity", () => {
    const host = fakeHost(companyContext);
    render("KitchenSinkDetailTab", {
      context: { ...companyContext, entityId: "agent-2", entityType: "agent" },
    });
    expect(host.dataCalls).toEqual([
      { key: "context", params: { entityId: "agent-2", entityType: "agent" } },
    ]);
  });

  it("Broken throws on render", () => {
    fakeHost(companyContext);
    expect(() => render("Broken", { context: companyContext })).toThrow(
      "Kitchen Sink: the Broken widget fails on purpose",
    );
  });
});
