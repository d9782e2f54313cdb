// The sandboxed plugin UI frame (docs/plugin-ui-sandbox.md) in Chromium, with a fixture plugin whose package.json
// asks for the sandbox (e2e/fixtures/sandboxed-ui-plugin):
//   - its dashboard widget renders in an opaque-origin iframe and every hook works through the board's bridge:
//     data, an action, the stream events that action emits, a toast shown by the board;
//   - from inside the frame, the board's cookies, DOM and address, storage, fetch to the API (relative and
//     absolute) and hand-made bridge messages for another plugin, another company or an unknown method all fail,
//     while the plugin's own bridge call succeeds (the frame renders each outcome; the test reads them);
//   - in a launcher's modal, Escape pressed in the frame reaches the overlay, the plugin's onBeforeClose keeps it
//     open and requestModalBounds widens it: the overlay's functions work across the frame;
//   - the instance admin switches the plugin to same-origin on its detail page, and the same UI then runs in the
//     board — where the same probes succeed, which shows it is the sandbox that stopped them.
// Screenshots (light and dark) go to e2e/artifacts/plugin-ui-sandbox-*.png.
import path from "node:path";
import { build } from "esbuild";
import type { FrameLocator, Locator, Page } from "playwright-core";
import { beforeAll } from "vitest";
import { REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

// Callbacks passed to page.evaluate run in the browser; the test project has no DOM lib, so name its globals here.
declare const document: any;

const FIXTURE = path.join(REPO_ROOT, "e2e/fixtures/sandboxed-ui-plugin");
const KEY = "e2e.sandboxed-ui";
const FRAME = `iframe[data-plugin-sandbox="${KEY}"]`;
const SECRET = "board-session-s3cret";
/** What Chromium logs when the frame's CSP stops a fetch: expected here, it is what the test proves. */
const CSP_REFUSALS = /Content Security Policy|Refused to connect|Failed to fetch/;

interface Seed {
  baseUrl: string;
  prefix: string;
  companyId: string;
  otherCompanyId: string;
  pluginId: string;
  kitchenSinkId: string;
}
let seed: Seed;

beforeAll(async () => {
  const node = {
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "error",
  } as const;
  await build({
    ...node,
    entryPoints: [path.join(FIXTURE, "src/manifest.ts")],
    outfile: path.join(FIXTURE, "dist/manifest.js"),
  });
  await build({
    ...node,
    entryPoints: [path.join(FIXTURE, "src/worker.ts")],
    outfile: path.join(FIXTURE, "dist/worker.js"),
  });
  // As a plugin bundler does: ESM, React and the SDK's UI kept external (the board or the frame provides them).
  await build({
    entryPoints: [path.join(FIXTURE, "src/ui/index.tsx")],
    outfile: path.join(FIXTURE, "dist/ui/index.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    external: [
      "react",
      "react-dom",
      "react/jsx-runtime",
      "@paperclipai/plugin-sdk/ui",
      "@paperclipai/plugin-sdk/ui/hooks",
    ],
    logLevel: "error",
  });
});

/**
 * The frame inside `scope`, once the board shows the iframe itself. Playwright's visibility and stability checks
 * inside a frame see only the frame's document: before the board reveals the iframe (it stays hidden until the
 * frame reports it rendered), a click computed from the frame's layout lands on the board instead.
 */
async function shownFrame(scope: Page | Locator): Promise<FrameLocator> {
  await scope.locator(FRAME).waitFor({ state: "visible", timeout: 15_000 });
  return scope.frameLocator(FRAME);
}

async function shots(page: Page, screenshot: (name: string) => Promise<string>, name: string) {
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForTimeout(150);
  await screenshot(`plugin-ui-sandbox-${name}-light`);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(150);
  await screenshot(`plugin-ui-sandbox-${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}

/** A cookie on the board that a plugin must not read. */
async function setBoardCookie(page: Page) {
  await page.context().addCookies([{ name: "board_session", value: SECRET, url: seed.baseUrl }]);
}

test("setup: install the fixture; it asks for the sandbox and gets it", async ({ host }) => {
  const installed = await host.api("POST", "/api/plugins/install", {
    packageName: FIXTURE,
    isLocalPath: true,
  });
  expect(installed.status).toBe("ready");
  const companies = await host.api<{ id: string; issuePrefix: string }[]>("GET", "/api/companies");
  const company = companies.find((item) => item.issuePrefix === "ACM") ?? companies[0]!;
  const other = await host.api<{ id: string }>("POST", "/api/companies", { name: "Globex Sandbox" });
  const plugins = await host.api<{ id: string; pluginKey: string }[]>("GET", "/api/plugins");
  seed = {
    baseUrl: host.baseUrl,
    prefix: company.issuePrefix,
    companyId: company.id,
    otherCompanyId: other.id,
    pluginId: installed.id,
    kitchenSinkId: plugins.find((plugin) => plugin.pluginKey === "paperclip.kitchen-sink")?.id ?? "",
  };
  expect(seed.kitchenSinkId).not.toBe("");
  const contributions = await host.api<{ pluginKey: string; uiIsolation: string }[]>(
    "GET",
    "/api/plugins/ui-contributions",
  );
  expect(contributions.find((item) => item.pluginKey === KEY)?.uiIsolation).toBe("sandboxed");
  expect(contributions.find((item) => item.pluginKey === "paperclip.kitchen-sink")?.uiIsolation).toBe(
    "same-origin",
  );
  const state = await host.api("GET", `/api/plugins/${seed.pluginId}/ui-isolation`);
  expect(state).toMatchObject({ mode: "sandboxed", source: "plugin", pluginHint: "sandboxed" });
});

test("the sandboxed widget: data, an action, its stream events and a toast, all through the bridge", async ({
  page,
  screenshot,
}) => {
  await setBoardCookie(page);
  await page.goto(`${seed.baseUrl}/${seed.prefix}/dashboard`);
  const iframe = page.locator(FRAME);
  await iframe.waitFor({ timeout: 15_000 });
  const sandbox = (await iframe.getAttribute("sandbox")) ?? "";
  expect(sandbox.split(" ")).toContain("allow-scripts");
  expect(sandbox).not.toContain("allow-same-origin");
  expect(await iframe.getAttribute("src")).toMatch(
    new RegExp(`^/_plugins/${seed.pluginId}/ui-frame\\?v=.+#[0-9a-f]{32}$`),
  );

  const frame = page.frameLocator(FRAME);
  await frame.getByText("Rendered in a sandboxed frame").waitFor({ timeout: 15_000 });
  await expect(frame.getByTestId("sbx-companyId").textContent()).resolves.toBe(seed.companyId);
  await expect(frame.getByText("sandboxed", { exact: true }).count()).resolves.toBe(1);
  // The plugin's DOM is the frame's, not the board's.
  await expect(page.getByTestId("sbx-widget").count()).resolves.toBe(0);
  // The frame runs on an opaque origin.
  const origin = await page
    .frame({ url: /\/ui-frame\?/ })
    ?.evaluate(() => (globalThis as unknown as { origin: string }).origin);
  expect(origin).toBe("null");

  // Chromium does not paint a cross-origin frame outside the viewport (no animation frames): bring it in view.
  await iframe.scrollIntoViewIfNeeded();
  await frame.getByTestId("sbx-stream").filter({ hasText: "connected" }).waitFor({ timeout: 15_000 });
  await frame.getByTestId("sbx-bump").click();
  await frame.getByTestId("sbx-count").filter({ hasText: "count 1" }).waitFor();
  // Three stream events, emitted by the action on the company's channel, relayed by the board.
  await frame.getByTestId("sbx-last-tick").filter({ hasText: "1.3" }).waitFor({ timeout: 10_000 });
  // The toast is the board's (its DOM, not the frame's).
  await page.getByText("Sandbox probe bumped to 1", { exact: true }).waitFor();
  // The iframe took its content's height.
  const box = await iframe.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThan(150);
  await shots(page, screenshot, "widget");
});

test("probes from inside the frame: cookies, DOM, address, storage, the API and foreign bridge calls all fail", async ({
  host,
  page,
  problems,
  screenshot,
}) => {
  problems.allow(CSP_REFUSALS);
  await setBoardCookie(page);
  await page.goto(`${seed.baseUrl}/${seed.prefix}/sandbox-probes`);
  await expect(page.evaluate(() => document.cookie)).resolves.toContain(SECRET);
  const frame = await shownFrame(page);
  await frame.getByTestId("sbx-other-plugin").fill(seed.kitchenSinkId, { timeout: 15_000 });
  await frame.getByTestId("sbx-other-company").fill(seed.otherCompanyId);
  await frame.getByTestId("sbx-run-probes").click();
  await frame.getByTestId("sbx-results").waitFor({ timeout: 20_000 });
  const probe = async (name: string) => (await frame.getByTestId(`probe-${name}`).textContent()) ?? "";

  // (a) the board's cookies (b) the board's DOM and address, and storage: an opaque origin reaches none of them.
  for (const name of ["cookie", "parentDocument", "topLocation", "localStorage"]) {
    expect(await probe(name), name).toMatch(/^blocked: SecurityError/);
  }
  // (c) the API with the user's session: the CSP allows no connection at all.
  for (const name of ["fetchRelative", "fetchAbsolute"]) {
    expect(await probe(name), name).toMatch(/^blocked: TypeError: Failed to fetch/);
  }
  // The plugin's own bridge call, hand-made the same way, works: the refusals below are the board's checks.
  expect(await probe("ownData")).toMatch(/^allowed: .*Rendered in a sandboxed frame/);
  // (d) another plugin's data, another company's data or issues, a method the bridge does not have.
  expect(await probe("otherPlugin")).toBe(
    `blocked: INVOCATION_SCOPE_DENIED: This frame belongs to plugin ${seed.pluginId}; it may not act for plugin ${seed.kitchenSinkId}`,
  );
  expect(await probe("otherCompany")).toBe(
    `blocked: INVOCATION_SCOPE_DENIED: This frame is mounted in company ${seed.companyId}; it may not act for company ${seed.otherCompanyId}`,
  );
  expect(await probe("otherCompanyIssues")).toMatch(
    /^blocked: INVOCATION_SCOPE_DENIED: This frame is mounted in company/,
  );
  expect(await probe("unknownMethod")).toMatch(
    /^blocked: CAPABILITY_DENIED: A sandboxed plugin frame may not call "api.write"/,
  );
  const all = await frame.getByTestId("sbx-results").textContent();
  expect(all).not.toContain(SECRET);
  const companies = await host.api<{ name: string }[]>("GET", "/api/companies");
  expect(companies.map((company) => company.name)).not.toContain("Pwned");
  await shots(page, screenshot, "probes");
});

test("a sandboxed modal: Escape in the frame reaches the overlay, onBeforeClose keeps it open, bounds change live", async ({
  page,
  screenshot,
}) => {
  await page.goto(`${seed.baseUrl}/${seed.prefix}/dashboard`);
  await page.getByRole("button", { name: "Sandbox modal" }).click();
  const dialog = page.getByRole("dialog", { name: "Sandbox modal" });
  const frame = await shownFrame(dialog);
  await frame.getByTestId("sbx-modal").waitFor();
  await expect(frame.getByTestId("sbx-environment").textContent()).resolves.toBe("hostOverlay");
  await expect(frame.getByTestId("sbx-bounds").textContent()).resolves.toBe("default");

  await frame.getByTestId("sbx-keep-open").check();
  // Focus is in the frame: the key never reaches the board's document, the frame forwards it.
  await page.keyboard.press("Escape");
  await frame.getByTestId("sbx-refused").filter({ hasText: "refused: escapeKey" }).waitFor();
  await expect(dialog.isVisible()).resolves.toBe(true);

  const before = (await dialog.boundingBox())?.width ?? 0;
  await frame.getByTestId("sbx-widen").click();
  await page.waitForFunction(
    () => document.querySelector('[data-plugin-overlay="modal"]')?.getAttribute("data-bounds") === "wide",
  );
  await frame.getByTestId("sbx-bounds").filter({ hasText: "wide" }).waitFor();
  expect((await dialog.boundingBox())?.width ?? 0).toBeGreaterThan(before);
  await shots(page, screenshot, "modal");

  await frame.getByTestId("sbx-keep-open").uncheck();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
});

test("the admin switches it to same-origin; the same UI runs in the board, where the probes succeed", async ({
  host,
  page,
  problems,
  screenshot,
}) => {
  problems.allow(CSP_REFUSALS);
  await setBoardCookie(page);
  await page.goto(`${seed.baseUrl}/instance/settings/plugins/${seed.pluginId}?tab=ui-isolation`);
  const card = page.getByRole("radiogroup", { name: "UI isolation" });
  await card.waitFor({ timeout: 15_000 });
  await expect(page.getByTestId("ui-isolation-mode").textContent()).resolves.toBe("Sandboxed");
  await expect(card.getByRole("radio", { name: /Plugin default \(sandboxed\)/ }).isChecked()).resolves.toBe(
    true,
  );
  await shots(page, screenshot, "admin");

  await card.getByRole("radio", { name: /^Same-origin/ }).check();
  await page.getByText("UI isolation: same-origin", { exact: true }).waitFor();
  await expect(page.getByTestId("ui-isolation-mode").textContent()).resolves.toBe("Same-origin");
  expect(await host.api("GET", `/api/plugins/${seed.pluginId}/ui-isolation`)).toMatchObject({
    mode: "same-origin",
    source: "operator",
  });

  await page.goto(`${seed.baseUrl}/${seed.prefix}/dashboard`);
  const widget = page.getByTestId("sbx-widget");
  await widget.scrollIntoViewIfNeeded({ timeout: 15_000 });
  await widget.getByText("Rendered in a sandboxed frame").waitFor({ timeout: 15_000 });
  await expect(page.locator(FRAME).count()).resolves.toBe(0);
  await expect(widget.getByText("same-origin", { exact: true }).count()).resolves.toBe(1);
  await widget.getByTestId("sbx-stream").filter({ hasText: "connected" }).waitFor({ timeout: 15_000 });
  await widget.getByTestId("sbx-bump").click();
  await widget.getByTestId("sbx-count").filter({ hasText: "count 2" }).waitFor();
  await widget.getByTestId("sbx-last-tick").filter({ hasText: "2.3" }).waitFor({ timeout: 10_000 });
  await page.getByText("Sandbox probe bumped to 2", { exact: true }).waitFor();

  await page.goto(`${seed.baseUrl}/${seed.prefix}/sandbox-probes`);
  await page.getByTestId("sbx-run-probes").click();
  await page.getByTestId("sbx-results").waitFor({ timeout: 20_000 });
  // Same-origin, the plugin reads the board's cookie and calls the API as the user: what the sandbox prevents.
  await expect(page.getByTestId("probe-cookie").textContent()).resolves.toContain(SECRET);
  await expect(page.getByTestId("probe-fetchRelative").textContent()).resolves.toBe("allowed: HTTP 200");
  await expect(page.getByTestId("probe-parentDocument").textContent()).resolves.toContain(SECRET);

  await host.api("PUT", `/api/plugins/${seed.pluginId}/ui-isolation`, { mode: null });
});
