// Plugin UI in the board, with the Kitchen Sink example (examples/kitchen-sink): every slot renders where the
// seed puts it with the context it promises; each launcher action does what it says (modal with its close
// lifecycle and live resize, drawer, popover, performAction, navigate, deepLink, iframe, hostRoute, external);
// usePluginStream keeps counting across a dropped connection; the Broken widget stays inside its error boundary;
// disabling the plugin removes its contributions without a reload (plugin.ui.updated); and a UI bundle built
// with the published SDK's esbuild preset renders its widget, page and issue tab. Screenshots (light and dark)
// go to e2e/artifacts/plugin-ui-*.png.
import path from "node:path";
import { build } from "esbuild";
import type { Locator, Page } from "playwright-core";
import { createPluginBundlerPresets } from "published-plugin-sdk/bundlers";
import { beforeAll, describe } from "vitest";
import { REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

// Callbacks passed to page.evaluate run in the browser; the test project has no DOM lib, so name its globals here.
declare const document: any;
declare const window: any;

const KS = "paperclip.kitchen-sink";
const TAB = `plugin:${KS}:ks-detail-tab`;
const FIXTURE = path.join(REPO_ROOT, "e2e/fixtures/published-ui-plugin");

interface Seed {
  baseUrl: string;
  company: { id: string; issuePrefix: string };
  project: { id: string; urlKey: string };
  agent: { id: string; urlKey: string };
  goal: { id: string };
  issue: { id: string; identifier: string; projectId: string | null };
  comment: { id: string };
  run: { id: string } | null;
  ksId: string;
}

let seed: Seed;

/** The text of `ks-<field>` inside a Kitchen Sink card. */
async function field(card: Locator, name: string): Promise<string> {
  return ((await card.getByTestId(`ks-${name}`).first().textContent()) ?? "").trim();
}

async function expectContext(
  card: Locator,
  expected: { entityType?: string; entityId?: string; parentEntityId?: string; projectId?: string },
) {
  await card.first().waitFor({ state: "attached", timeout: 15_000 });
  expect(await field(card, "companyId")).toBe(seed.company.id);
  expect(await field(card, "companyPrefix")).toBe(seed.company.issuePrefix);
  expect(await field(card, "userId")).toBe("local-board");
  expect(await field(card, "entityType")).toBe(expected.entityType ?? "—");
  expect(await field(card, "entityId")).toBe(expected.entityId ?? "—");
  if (expected.parentEntityId) expect(await field(card, "parentEntityId")).toBe(expected.parentEntityId);
  if (expected.projectId) expect(await field(card, "projectId")).toBe(expected.projectId);
}

/** Light and dark screenshots of the current page. */
async function shots(page: Page, screenshot: (name: string) => Promise<string>, name: string) {
  await page.emulateMedia({ colorScheme: "light" });
  await screenshot(`plugin-ui-${name}-light`);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(50);
  await screenshot(`plugin-ui-${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}

async function open(page: Page, url: string) {
  await page.goto(`${seed.baseUrl}${url}`);
}

test("setup: the seeded entities and a comment", async ({ host }) => {
  const companies = await host.api<{ id: string; issuePrefix: string }[]>("GET", "/api/companies");
  const company = companies.find((item) => item.issuePrefix === "ACM") ?? companies[0];
  if (!company) throw new Error("no company seeded");
  const projects = await host.api("GET", `/api/companies/${company.id}/projects`);
  const agents = await host.api("GET", `/api/companies/${company.id}/agents`);
  const goals = await host.api("GET", `/api/companies/${company.id}/goals`);
  const issue = await host.api("GET", `/api/issues/${company.issuePrefix}-1`);
  const comment = await host.api("POST", `/api/issues/${issue.id}/comments`, {
    body: "A comment for plugins",
  });
  const agent = agents[0];
  await host.api("POST", `/api/agents/${agent.id}/heartbeat/invoke`, {}, true);
  const runs = await host.api("GET", `/api/companies/${company.id}/heartbeat-runs`, undefined, true);
  const plugins = await host.api<{ id: string; pluginKey: string; status: string }[]>("GET", "/api/plugins");
  const ks = plugins.find((item) => item.pluginKey === KS);
  expect(ks?.status).toBe("ready");
  seed = {
    baseUrl: host.baseUrl,
    company,
    project: projects[0],
    agent,
    goal: goals[0],
    issue,
    comment,
    run: Array.isArray(runs) && runs[0] ? runs[0] : null,
    ksId: ks?.id ?? "",
  };
  expect(seed.project && seed.goal && seed.agent).toBeTruthy();
});

test("dashboard: widgets, sidebar, sidebar panel, project item, top bar; the Broken widget is contained", async ({
  page,
  screenshot,
}) => {
  await open(page, `/${seed.company.issuePrefix}/dashboard`);
  const widget = page.getByTestId("ks-dashboardWidget");
  await expectContext(widget, {});
  await page.getByTestId("ks-widget-metrics").waitFor({ timeout: 15_000 });
  // The Broken widget throws on render: its card shows the boundary, the rest of the dashboard works.
  const broken = page.locator('[data-plugin-slot="ks-broken-widget"]');
  await expect(broken.getByRole("alert").textContent()).resolves.toContain("failed to render");
  await expect(broken.textContent()).resolves.toContain("the Broken widget fails on purpose");
  await expect(page.getByRole("heading", { name: "Dashboard" }).isVisible()).resolves.toBe(true);

  const sidebar = page.getByRole("complementary", { name: "Sidebar" });
  await expectContext(sidebar.getByTestId("ks-sidebar"), {});
  await expectContext(sidebar.getByTestId("ks-sidebarPanel"), {});
  await expectContext(sidebar.getByTestId("ks-projectSidebarItem"), {
    entityType: "project",
    entityId: seed.project.id,
    projectId: seed.project.id,
  });
  await expectContext(page.getByTestId("ks-globalToolbarButton"), {});
  // Launchers are host-drawn buttons labelled with their displayName.
  for (const name of ["Kitchen Sink modal", "Open Kitchen Sink page", "Kitchen Sink iframe"]) {
    await expect(
      page.getByRole("toolbar", { name: "Global actions" }).getByRole("button", { name }).count(),
    ).resolves.toBe(1);
  }
  await expect(sidebar.getByRole("button", { name: "Kitchen Sink page (deep link)" }).count()).resolves.toBe(
    1,
  );
  await shots(page, screenshot, "dashboard");
});

test("the plugin page with its route sidebar, at its routePath and at /plugins/:pluginId", async ({
  page,
  screenshot,
}) => {
  for (const url of [
    `/${seed.company.issuePrefix}/kitchen-sink`,
    `/${seed.company.issuePrefix}/plugins/${KS}`,
  ]) {
    await open(page, url);
    await expectContext(page.getByTestId("ks-page"), {});
    await expectContext(page.getByTestId("ks-routeSidebar"), {});
  }
  await page.getByTestId("ks-overview").waitFor({ timeout: 15_000 });
  await shots(page, screenshot, "page");
});

test("detail tabs on project, issue, agent, goal and run pages, selected by ?tab=", async ({
  page,
  screenshot,
}) => {
  const prefix = seed.company.issuePrefix;
  const pages: Array<[string, string, string]> = [
    ["project", `/${prefix}/projects/${seed.project.urlKey}`, seed.project.id],
    ["issue", `/${prefix}/issues/${seed.issue.identifier}`, seed.issue.id],
    ["agent", `/${prefix}/agents/${seed.agent.urlKey}`, seed.agent.id],
    ["goal", `/${prefix}/goals/${seed.goal.id}`, seed.goal.id],
  ];
  if (seed.run)
    pages.push(["run", `/${prefix}/agents/${seed.agent.urlKey}/runs/${seed.run.id}`, seed.run.id]);
  for (const [entityType, url, entityId] of pages) {
    await open(page, `${url}?tab=${encodeURIComponent(TAB)}`);
    const tab = page.getByTestId("ks-detailTab");
    await expectContext(tab, { entityType, entityId });
    await expect(page.getByRole("tab", { name: "Kitchen Sink", selected: true }).count()).resolves.toBe(1);
    // The worker saw the same entity (data round trip through the bridge).
    await expect(tab.getByTestId("ks-echo-entityId").textContent()).resolves.toBe(entityId);
    await shots(page, screenshot, `detail-tab-${entityType}`);
  }
});

test("issue page: task detail view, toolbar, context menu, comment annotation and comment menu", async ({
  page,
  screenshot,
}) => {
  await open(page, `/${seed.company.issuePrefix}/issues/${seed.issue.identifier}`);
  const issueContext = { entityType: "issue", entityId: seed.issue.id };
  await expectContext(page.getByTestId("ks-taskDetailView"), issueContext);
  await expectContext(page.getByTestId("ks-toolbarButton"), issueContext);
  const annotation = page.getByTestId("ks-commentAnnotation");
  await expectContext(annotation, {
    entityType: "comment",
    entityId: seed.comment.id,
    parentEntityId: seed.issue.id,
  });
  await shots(page, screenshot, "issue");

  // The entity ⋮ menu: the contextMenuItem slot (ping round trip) and the performAction launcher.
  await page.getByRole("button", { name: "More issue actions" }).click();
  const menu = page.getByRole("dialog", { name: "More issue actions" });
  await expectContext(menu.getByTestId("ks-contextMenuItem"), issueContext);
  await menu.getByRole("button", { name: "Kitchen Sink: ping" }).click();
  await expect(menu.getByTestId("ks-ping-result").textContent()).resolves.toBeTruthy();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="ks-ping-result"]')?.textContent?.includes("pong"),
  );
  await shots(page, screenshot, "issue-menu");
  await page.keyboard.press("Escape");

  // The comment ⋮ menu (present because a plugin contributes to it).
  await page.getByRole("button", { name: "More comment actions" }).click();
  const commentMenu = page.getByRole("dialog", { name: "More comment actions" });
  await expectContext(commentMenu.getByTestId("ks-commentContextMenuItem"), {
    entityType: "comment",
    entityId: seed.comment.id,
    parentEntityId: seed.issue.id,
  });
  await shots(page, screenshot, "comment-menu");
  // Its popover launcher opens a host overlay popover for the comment.
  await commentMenu.getByRole("button", { name: "Kitchen Sink comment popover" }).click();
  const popover = page.getByTestId("ks-popover");
  await expectContext(popover, {
    entityType: "comment",
    entityId: seed.comment.id,
    parentEntityId: seed.issue.id,
  });
  expect(await field(popover, "environment")).toBe("hostOverlay");
  expect(await field(popover, "bounds")).toBe("compact");
  await page.keyboard.press("Escape");
  await page.getByTestId("ks-popover").waitFor({ state: "detached" });
});

test("settings: the plugin's settingsPage replaces the generated form; the company settings page", async ({
  page,
  screenshot,
}) => {
  await open(page, `/instance/settings/plugins/${seed.ksId}?tab=settings`);
  const settings = page.getByTestId("ks-settingsPage");
  await expectContext(settings, {});
  await shots(page, screenshot, "settings");

  await open(page, `/${seed.company.issuePrefix}/company/settings`);
  await page
    .getByRole("navigation", { name: "Plugin settings" })
    .getByRole("link", { name: /Kitchen Sink/ })
    .click();
  await page.waitForURL(/\/company\/settings\/kitchen-sink$/);
  await expectContext(page.getByTestId("ks-companySettingsPage"), {});
  await shots(page, screenshot, "company-settings");
});

test("modal launcher: refuses to close while onBeforeClose says no, resizes live, closes on Escape", async ({
  page,
  screenshot,
}) => {
  await open(page, `/${seed.company.issuePrefix}/dashboard`);
  await page.getByRole("button", { name: "Kitchen Sink modal" }).click();
  const dialog = page.getByRole("dialog", { name: "Kitchen Sink modal" });
  const modal = dialog.getByTestId("ks-modal");
  await expectContext(modal, {});
  expect(await field(modal, "environment")).toBe("hostOverlay");
  expect(await field(modal, "bounds")).toBe("default");
  expect(await field(modal, "launcherId")).toBe("ks-open-modal");
  // Focus is trapped inside: Tab from the last control stays in the dialog.
  for (let i = 0; i < 8; i++) await page.keyboard.press("Tab");
  await expect(dialog.evaluate((element: any) => element.contains(document.activeElement))).resolves.toBe(
    true,
  );

  await modal.getByTestId("ks-dirty").check();
  await page.keyboard.press("Escape");
  await modal.getByTestId("ks-close-refused").waitFor();
  await expect(modal.getByTestId("ks-close-refused").textContent()).resolves.toContain("escapeKey");
  await expect(dialog.isVisible()).resolves.toBe(true);

  const before = (await dialog.boundingBox())?.width ?? 0;
  await modal.getByTestId("ks-widen").click();
  await page.waitForFunction(
    () => document.querySelector('[data-plugin-overlay="modal"]')?.getAttribute("data-bounds") === "wide",
  );
  expect(await field(modal, "bounds")).toBe("wide");
  const after = (await dialog.boundingBox())?.width ?? 0;
  expect(after).toBeGreaterThan(before);
  await shots(page, screenshot, "modal");

  await modal.getByTestId("ks-dirty").uncheck();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
});

test("drawer, popover and iframe launchers", async ({ page, screenshot }) => {
  await open(page, `/${seed.company.issuePrefix}/issues/${seed.issue.identifier}`);
  await page.getByRole("button", { name: "Kitchen Sink drawer" }).click();
  const drawer = page.getByTestId("ks-drawer");
  await expectContext(drawer, { entityType: "issue", entityId: seed.issue.id });
  expect(await field(drawer, "environment")).toBe("hostOverlay");
  expect(await field(drawer, "bounds")).toBe("wide");
  // The worker received the render environment with the data call.
  await expect(drawer.getByTestId("ks-echo-renderEnvironment").textContent()).resolves.toContain(
    "hostOverlay",
  );
  await shots(page, screenshot, "drawer");
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Kitchen Sink popover", exact: true }).click();
  const popover = page.getByTestId("ks-popover");
  await expectContext(popover, { entityType: "issue", entityId: seed.issue.id });
  expect(await field(popover, "environment")).toBe("hostInline");
  await shots(page, screenshot, "popover");
  await page.keyboard.press("Escape");
  await popover.waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Kitchen Sink iframe" }).click();
  const frame = page.frameLocator('iframe[title="Kitchen Sink iframe"]');
  await frame.getByTestId("ks-iframe").waitFor();
  await expect(
    page.locator('iframe[title="Kitchen Sink iframe"]').getAttribute("sandbox"),
  ).resolves.toContain("allow-scripts");
  await shots(page, screenshot, "iframe");
  await page.keyboard.press("Escape");
});

test("performAction shows its result; navigate, deepLink, hostRoute and external launchers", async ({
  page,
  screenshot,
}) => {
  const prefix = seed.company.issuePrefix;
  await open(page, `/${prefix}/projects/${seed.project.urlKey}`);
  await page.getByRole("button", { name: "More project actions" }).click();
  await page.getByRole("button", { name: "Kitchen Sink ping" }).click();
  // Exact: the toast's screen-reader announcement (an aria-live span) holds the same text after its title.
  await page.getByText("Kitchen Sink pong (context-menu)", { exact: true }).waitFor();
  await shots(page, screenshot, "perform-action");

  // external: a new tab with the target.
  await page.getByRole("button", { name: "More project actions" }).click();
  // No network in tests: answer the external URL locally, so the new tab's address can be checked.
  await page
    .context()
    .route("https://github.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<title>GitHub</title>" }),
    );
  const popup = page.context().waitForEvent("page");
  await page.getByRole("button", { name: /Paperclip on GitHub/ }).click();
  const tab = await popup;
  await tab.waitForURL(/github\.com\/paperclipai\/paperclip/, { waitUntil: "commit" }).catch(() => undefined);
  expect(tab.url()).toContain("github.com/paperclipai/paperclip");
  await tab.close();

  await page.getByRole("button", { name: "Open Kitchen Sink page" }).click();
  await page.waitForURL(`**/${prefix}/kitchen-sink`);
  await page.getByTestId("ks-page").waitFor();

  await page.getByRole("button", { name: "Kitchen Sink page (deep link)" }).click();
  await page.waitForURL(`**/${prefix}/kitchen-sink?from=deep-link`);
  await page.getByTestId("ks-page").waitFor();

  await open(page, `/${prefix}/dashboard`);
  await page.getByRole("button", { name: "Kitchen Sink route modal" }).click();
  await page.waitForURL(`**/${prefix}/plugins/${KS}/launchers/ks-route-modal`);
  const routed = page.getByTestId("ks-modal");
  await expectContext(routed, {});
  expect(await field(routed, "environment")).toBe("hostRoute");
  expect(await field(routed, "bounds")).toBe("wide");
  await shots(page, screenshot, "host-route");
});

test("usePluginStream keeps counting, without a gap, after the connection drops", async ({
  page,
  problems,
}) => {
  problems.allow(/ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|Failed to fetch|net::ERR/);
  await open(page, `/${seed.company.issuePrefix}/kitchen-sink`);
  const counter = page.getByTestId("ks-counter");
  const events = page.getByTestId("ks-counter-events");
  const read = async () => ({
    value: Number(await counter.textContent()),
    count: Number(await events.textContent()),
  });
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="ks-counter-events"]')?.textContent) >= 2,
    undefined,
    {
      timeout: 20_000,
    },
  );
  const first = await read();
  await page.context().setOffline(true);
  await page.waitForTimeout(3_000);
  await page.context().setOffline(false);
  await page.waitForFunction(
    (target) => Number(document.querySelector('[data-testid="ks-counter-events"]')?.textContent) >= target,
    first.count + 6,
    { timeout: 30_000 },
  );
  const second = await read();
  // Every value between the two readings arrived: as many new events as the counter advanced.
  expect(second.value - first.value).toBe(second.count - first.count);
  expect(second.value - first.value).toBeGreaterThanOrEqual(6);
});

test("disabling the plugin removes its contributions without a reload; enabling brings them back", async ({
  host,
  page,
  problems,
}) => {
  // The worker stops before the board hears plugin.ui.updated: a data call in between answers 502.
  problems.allow(/status of 502/);
  await open(page, `/${seed.company.issuePrefix}/dashboard`);
  await page.getByTestId("ks-dashboardWidget").waitFor({ timeout: 15_000 });
  await page.evaluate(() => {
    (window as unknown as { marker: boolean }).marker = true;
  });
  await host.api("POST", `/api/plugins/${seed.ksId}/disable`, {});
  await page.getByTestId("ks-dashboardWidget").waitFor({ state: "detached", timeout: 10_000 });
  await expect(page.getByTestId("ks-sidebar").count()).resolves.toBe(0);
  await expect(page.getByRole("button", { name: "Kitchen Sink modal" }).count()).resolves.toBe(0);
  await host.api("POST", `/api/plugins/${seed.ksId}/enable`, {});
  await page.getByTestId("ks-dashboardWidget").waitFor({ timeout: 15_000 });
  // Same document throughout: no reload happened.
  await expect(page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).resolves.toBe(true);
});

describe("a UI bundle built with the published SDK's bundler preset", () => {
  beforeAll(async () => {
    const presets = createPluginBundlerPresets({
      manifestEntry: path.join(FIXTURE, "src/manifest.ts"),
      workerEntry: path.join(FIXTURE, "src/worker.ts"),
      uiEntry: path.join(FIXTURE, "src/ui/index.tsx"),
      outdir: path.join(FIXTURE, "dist"),
      sourcemap: false,
    });
    const { manifest, worker, ui } = presets.esbuild;
    if (!ui) throw new Error("the preset made no UI config");
    await build({ ...manifest, logLevel: "error" });
    await build({ ...worker, logLevel: "error" });
    // The preset leaves JSX to the caller; the automatic runtime imports react/jsx-runtime (kept external).
    await build({ ...ui, jsx: "automatic", logLevel: "error" });
  });

  test("renders its dashboard widget, page and issue tab", async ({ host, page, screenshot }) => {
    const installed = await host.api("POST", "/api/plugins/install", {
      packageName: FIXTURE,
      isLocalPath: true,
    });
    expect(installed.status).toBe("ready");
    const prefix = seed.company.issuePrefix;
    await open(page, `/${prefix}/dashboard`);
    const widget = page.getByTestId("pub-widget");
    await widget.waitFor({ timeout: 15_000 });
    await expect(widget.getByTestId("pub-companyId").textContent()).resolves.toBe(seed.company.id);
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="pub-widget"] [data-testid="pub-message"]')
        ?.textContent?.includes("Hello"),
    );

    await open(page, `/${prefix}/published-ui`);
    await page.getByTestId("pub-page").waitFor({ timeout: 15_000 });
    await expect(page.getByTestId("pub-companyId").textContent()).resolves.toBe(seed.company.id);

    await open(
      page,
      `/${prefix}/issues/${seed.issue.identifier}?tab=${encodeURIComponent("plugin:e2e.published-ui:pub-tab")}`,
    );
    const tab = page.getByTestId("pub-tab");
    await tab.waitFor({ timeout: 15_000 });
    await expect(tab.getByTestId("pub-entityType").textContent()).resolves.toBe("issue");
    await expect(tab.getByTestId("pub-entityId").textContent()).resolves.toBe(seed.issue.id);
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="pub-tab"] [data-testid="pub-message"]')
        ?.textContent?.includes("Hello"),
    );
    await shots(page, screenshot, "published-sdk-tab");
  });
});
