// Where each UI slot and launcher renders, for docs/authoring/ui-slots.md: the Kitchen Sink example
// (examples/kitchen-sink) fills every slot type and launcher zone; this spec visits each surface of the board,
// outlines the Kitchen Sink's contributions, and saves one cropped PNG per surface into docs/authoring/images/
// (light scheme, at most ~150 KB each).
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

const KS = "paperclip.kitchen-sink";
const IMAGES = path.join(REPO_ROOT, "docs/authoring/images");
const MAX_BYTES = 150 * 1024;

// Outlines each Kitchen Sink contribution: the board's slot wrappers and the components' roots carry data-plugin.
const OUTLINE = `[data-plugin="${KS}"] { outline: 2px dashed #e11d48 !important; outline-offset: 2px; }`;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Saves a crop of the page around `targets` (their union, padded, inside the viewport) as images/<name>.png. */
async function shoot(page: Page, name: string, targets: Locator[], pad = 24) {
  await page.addStyleTag({ content: OUTLINE });
  await page.waitForTimeout(100);
  const boxes: Box[] = [];
  for (const target of targets) {
    await target.first().waitFor({ timeout: 15_000 });
    await target.first().scrollIntoViewIfNeeded();
    const box = await target.first().boundingBox();
    if (box) boxes.push(box);
  }
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const left = Math.max(0, Math.min(...boxes.map((box) => box.x)) - pad);
  const top = Math.max(0, Math.min(...boxes.map((box) => box.y)) - pad);
  const right = Math.min(viewport.width, Math.max(...boxes.map((box) => box.x + box.width)) + pad);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((box) => box.y + box.height)) + pad);
  const file = path.join(IMAGES, `${name}.png`);
  await page.screenshot({ path: file, clip: { x: left, y: top, width: right - left, height: bottom - top } });
  expect(statSync(file).size).toBeLessThan(MAX_BYTES);
}

let prefix = "";
let issueIdentifier = "";
let projectKey = "";
let kitchenSinkId = "";

test("setup: the seeded company, an issue with a comment, the Kitchen Sink ready", async ({ host }) => {
  mkdirSync(IMAGES, { recursive: true });
  const companies = await host.api<Array<{ id: string; issuePrefix: string }>>("GET", "/api/companies");
  const company = companies.find((item) => item.issuePrefix === "ACM") ?? companies[0]!;
  prefix = company.issuePrefix;
  const issue = await host.api<{ id: string; identifier: string }>("GET", `/api/issues/${prefix}-1`);
  issueIdentifier = issue.identifier;
  await host.api("POST", `/api/issues/${issue.id}/comments`, { body: "Looks good to me." });
  const projects = await host.api<Array<{ urlKey: string }>>("GET", `/api/companies/${company.id}/projects`);
  projectKey = projects[0]!.urlKey;
  const plugins = await host.api<Array<{ id: string; pluginKey: string; status: string }>>(
    "GET",
    "/api/plugins",
  );
  const ks = plugins.find((item) => item.pluginKey === KS);
  expect(ks?.status).toBe("ready");
  kitchenSinkId = ks!.id;
});

test("dashboard: dashboardWidget and the dashboardWidget launcher zone", async ({ host, page, problems }) => {
  problems.allow(/Broken|failed to render|The above error occurred/);
  await page.goto(`${host.baseUrl}/${prefix}/dashboard`);
  await page.getByTestId("ks-widget-metrics").waitFor({ timeout: 15_000 });
  await shoot(page, "slot-dashboard-widget", [page.locator('[data-plugin-slot="ks-dashboard-widget"]')]);
});

test("sidebar: sidebar, sidebarPanel and projectSidebarItem", async ({ host, page }) => {
  // Tall enough for the whole sidebar, panels at its foot included.
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.goto(`${host.baseUrl}/${prefix}/dashboard`);
  const sidebar = page.getByRole("complementary", { name: "Sidebar" });
  await shoot(page, "slot-sidebar", [sidebar], 0);
});

test("top bar: globalToolbarButton slot and launchers", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/${prefix}/dashboard`);
  await shoot(page, "slot-global-toolbar", [page.getByRole("toolbar", { name: "Global actions" })], 16);
});

test("plugin page with its routeSidebar", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/${prefix}/kitchen-sink`);
  await page.getByTestId("ks-overview").waitFor({ timeout: 15_000 });
  await shoot(page, "slot-page", [page.getByTestId("ks-routeSidebar"), page.getByTestId("ks-page")], 12);
});

test("detail tab on a project page", async ({ host, page }) => {
  const tab = `plugin:${KS}:ks-detail-tab`;
  await page.goto(`${host.baseUrl}/${prefix}/projects/${projectKey}?tab=${encodeURIComponent(tab)}`);
  await shoot(page, "slot-detail-tab", [
    page.getByRole("tab", { name: "Kitchen Sink", selected: true }),
    page.getByTestId("ks-detailTab"),
  ]);
});

test("issue page: toolbarButton, taskDetailView and commentAnnotation", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/${prefix}/issues/${issueIdentifier}`);
  // The header row: the issue's title on the left, toolbar buttons (slot and launchers) on the right.
  await shoot(
    page,
    "slot-issue-toolbar",
    [page.getByRole("heading").first(), page.getByTestId("ks-toolbarButton")],
    16,
  );
  await shoot(page, "slot-task-detail-view", [page.getByTestId("ks-taskDetailView")]);
  await page.getByTestId("ks-commentAnnotation").first().scrollIntoViewIfNeeded();
  await shoot(page, "slot-comment-annotation", [page.getByTestId("ks-commentAnnotation")], 60);
});

test("the ⋮ menus: contextMenuItem and commentContextMenuItem", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/${prefix}/issues/${issueIdentifier}`);
  await page.getByRole("button", { name: "More issue actions" }).click();
  await shoot(page, "slot-context-menu", [page.getByRole("dialog", { name: "More issue actions" })], 12);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "More comment actions" }).first().click();
  await shoot(
    page,
    "slot-comment-context-menu",
    [page.getByRole("dialog", { name: "More comment actions" })],
    12,
  );
});

test("settings: settingsPage and companySettingsPage", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/instance/settings/plugins/${kitchenSinkId}?tab=settings`);
  await shoot(page, "slot-settings-page", [page.getByTestId("ks-settingsPage")]);
  await page.goto(`${host.baseUrl}/${prefix}/company/settings/kitchen-sink`);
  await shoot(page, "slot-company-settings-page", [page.getByTestId("ks-companySettingsPage")], 40);
});

test("launchers: a modal (hostOverlay), a drawer and a popover", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/${prefix}/dashboard`);
  await page.getByRole("button", { name: "Kitchen Sink modal" }).click();
  await shoot(page, "launcher-modal", [page.getByRole("dialog", { name: "Kitchen Sink modal" })]);
  await page.keyboard.press("Escape");

  await page.goto(`${host.baseUrl}/${prefix}/issues/${issueIdentifier}`);
  await page.getByRole("button", { name: "Kitchen Sink drawer" }).click();
  await shoot(page, "launcher-drawer", [page.getByTestId("ks-drawer")], 0);
  await page.keyboard.press("Escape");
  await page.getByTestId("ks-drawer").waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Kitchen Sink popover", exact: true }).click();
  await shoot(page, "launcher-popover", [
    page.getByRole("button", { name: "Kitchen Sink popover", exact: true }),
    page.getByTestId("ks-popover"),
  ]);
});
