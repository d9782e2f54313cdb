// Dev mode in the board (docs/authoring/dev-loop.md): a local-path plugin in dev mode shows its dashboard widget; its
// source changes, it is rebuilt and reloaded (POST /api/plugins/:id/dev/reload, what `paperclip plugin dev` calls),
// and the open dashboard shows the new text WITHOUT a page reload — a marker set on the window survives — both for
// the same-origin module loader and for the sandboxed frame. The plugin's admin page shows a "Dev mode" badge.
// Screenshots (light and dark) go to e2e/artifacts/plugin-dev-mode-*.png.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

// Callbacks passed to page.evaluate run in the browser; the test project has no DOM lib, so name its globals here.
declare const window: any;

const FIXTURE = path.join(REPO_ROOT, "packages/server/test/plugins/fixtures/dev-mode/dev-plugin");
const KEY = "fixtures.dev-mode";
const FRAME = `iframe[data-plugin-sandbox="${KEY}"]`;

let temp: string;
let folder: string;
let seed: { baseUrl: string; prefix: string; pluginId: string };

beforeAll(() => {
  // A copy the test edits, with the SDK and esbuild linked in, built by its own build script.
  temp = fs.mkdtempSync(path.join(os.tmpdir(), "pc-e2e-dev-mode-"));
  folder = path.join(temp, "dev-plugin");
  fs.cpSync(FIXTURE, folder, { recursive: true });
  fs.mkdirSync(path.join(folder, "node_modules", "@paperclipai"), { recursive: true });
  fs.symlinkSync(
    path.join(REPO_ROOT, "packages/plugin-sdk"),
    path.join(folder, "node_modules/@paperclipai/plugin-sdk"),
  );
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules/esbuild"), path.join(folder, "node_modules/esbuild"));
  build();
});
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function build() {
  execFileSync(process.execPath, ["build.mjs"], { cwd: folder, stdio: "pipe" });
}

function setAnswer(answer: string) {
  fs.writeFileSync(path.join(folder, "src/answer.js"), `export const ANSWER = ${JSON.stringify(answer)};\n`);
}

async function shots(page: Page, screenshot: (name: string) => Promise<string>, name: string) {
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForTimeout(150);
  await screenshot(`plugin-dev-mode-${name}-light`);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForTimeout(150);
  await screenshot(`plugin-dev-mode-${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}

test("setup: install the folder and turn dev mode on", async ({ host }) => {
  const installed = await host.api("POST", "/api/plugins/install", {
    packageName: folder,
    isLocalPath: true,
  });
  expect(installed.status).toBe("ready");
  const devMode = await host.api("POST", `/api/plugins/${installed.id}/dev`, { enabled: true });
  expect(devMode).toMatchObject({ enabled: true, sourceDir: folder });
  const companies = await host.api<{ id: string; issuePrefix: string }[]>("GET", "/api/companies");
  const company = companies.find((item) => item.issuePrefix === "ACM") ?? companies[0]!;
  seed = { baseUrl: host.baseUrl, prefix: company.issuePrefix, pluginId: installed.id };
});

test("a reload swaps the widget's code in the open dashboard, without a page reload", async ({
  host,
  page,
  screenshot,
}) => {
  await page.goto(`${seed.baseUrl}/${seed.prefix}/dashboard`);
  const answer = page.getByTestId("dev-widget-answer");
  await answer.waitFor({ timeout: 15_000 });
  await expect(answer.textContent()).resolves.toBe("Answer: first answer");
  await page.evaluate(() => {
    window.__devModeMarker = "still the same page";
  });

  setAnswer("reloaded without a refresh");
  build();
  const report = await host.api("POST", `/api/plugins/${seed.pluginId}/dev/reload`, {});
  expect(report.plugin.status).toBe("ready");
  await page.getByText("Answer: reloaded without a refresh").waitFor({ timeout: 10_000 });
  await expect(page.evaluate(() => window.__devModeMarker)).resolves.toBe("still the same page");
  await page.getByText("Answer: reloaded without a refresh").scrollIntoViewIfNeeded();
  await shots(page, screenshot, "dashboard");
});

test("the sandboxed frame loads the new build too", async ({ host, page, screenshot }) => {
  await host.api("PUT", `/api/plugins/${seed.pluginId}/ui-isolation`, { mode: "sandboxed" });
  await page.goto(`${seed.baseUrl}/${seed.prefix}/dashboard`);
  const frame = page.frameLocator(FRAME);
  await frame.getByText("Answer: reloaded without a refresh").waitFor({ timeout: 15_000 });
  await page.evaluate(() => {
    window.__devModeMarker = "sandboxed, same page";
  });

  setAnswer("new build in the frame");
  build();
  await host.api("POST", `/api/plugins/${seed.pluginId}/dev/reload`, {});
  await frame.getByText("Answer: new build in the frame").waitFor({ timeout: 10_000 });
  await expect(page.evaluate(() => window.__devModeMarker)).resolves.toBe("sandboxed, same page");
  await page.locator(FRAME).scrollIntoViewIfNeeded();
  await shots(page, screenshot, "sandboxed");
  await host.api("PUT", `/api/plugins/${seed.pluginId}/ui-isolation`, { mode: null });
});

test("the plugin's admin page shows the Dev mode badge with its folder", async ({ page, screenshot }) => {
  await page.goto(`${seed.baseUrl}/instance/settings/plugins/${seed.pluginId}`);
  const badge = page.getByTestId("plugin-dev-mode-badge");
  await badge.waitFor({ timeout: 15_000 });
  await expect(badge.textContent()).resolves.toBe("Dev mode");
  await badge.hover();
  await page.getByText(`Running from ${folder}`).waitFor({ timeout: 5_000 });
  await page.getByText(/reloaded 2 times/).waitFor();
  await shots(page, screenshot, "admin");
});
