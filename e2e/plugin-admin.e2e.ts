// Plugin administration in a real browser: install examples/hello-world through the admin page by local path and
// watch it become ready; submit its settings with an invalid value (the server's field error shows on the field),
// then a valid one; run a job from the UI and see the run; disable and enable the plugin. Screenshots of the list
// and the overview, settings, logs and jobs tabs, light and dark, go to e2e/artifacts/.
//
// The host installs hello-world on first start, so the spec purges that install through the API and installs a
// fresh copy of the example from a temporary folder. examples/hello-world declares no settings and no jobs, so the
// copy wraps its built manifest and worker: the same plugin plus an `instanceConfigSchema` (with a secret-ref
// field) and one job, "e2e-greet", whose handler logs a line. Everything else is the example as built.
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { darkScreenshot } from "./support/browser.js";
import { type E2eHost, REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

const EXAMPLE = path.join(REPO_ROOT, "examples/hello-world");
const KEY = "paperclip.hello-world";
const SETTLE_MS = 60_000;

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the built example with a config schema and a job added (see the file comment). */
function prepareHelloWorldCopy(): string {
  if (!existsSync(path.join(EXAMPLE, "dist/worker.js"))) {
    throw new Error("examples/hello-world is not built (npx tsc -b)");
  }
  const dir = mkdtempSync(path.join(tmpdir(), "paperclip-e2e-hello-world-"));
  copies.push(dir);
  cpSync(path.join(EXAMPLE, "package.json"), path.join(dir, "package.json"));
  cpSync(path.join(EXAMPLE, "dist"), path.join(dir, "dist"), { recursive: true });
  // The SDK resolves from the repository's node_modules, as it does for the example in place.
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  renameSync(path.join(dir, "dist/manifest.js"), path.join(dir, "dist/manifest.base.js"));
  renameSync(path.join(dir, "dist/worker.js"), path.join(dir, "dist/worker.base.js"));
  writeFileSync(
    path.join(dir, "dist/manifest.js"),
    `import base from "./manifest.base.js";
const manifest = {
  ...base,
  capabilities: [...new Set([...(base.capabilities ?? []), "jobs.schedule"])],
  instanceConfigSchema: {
    type: "object",
    properties: {
      greeting: { type: "string", title: "Greeting", description: "What the plugin says to new issues.", minLength: 1, maxLength: 40, default: "Hello" },
      repeat: { type: "integer", title: "Repeat", description: "How many times to say it (1 to 5).", minimum: 1, maximum: 5, default: 1 },
      tone: { type: "string", title: "Tone", enum: ["friendly", "formal"] },
      loud: { type: "boolean", title: "Shout", description: "Greet in capitals." },
      apiToken: { type: "string", format: "secret-ref", title: "API token", description: "A secret of the company." },
    },
    required: ["greeting"],
    additionalProperties: false,
  },
  jobs: [
    ...(base.jobs ?? []).filter((job) => job.jobKey !== "e2e-greet"),
    { jobKey: "e2e-greet", displayName: "Greet", description: "Logs a greeting.", schedule: "0 9 * * 1-5" },
  ],
};
export default manifest;
`,
  );
  writeFileSync(
    path.join(dir, "dist/worker.js"),
    `import { definePlugin, runWorker } from "@paperclipai/plugin-sdk";
import base from "./worker.base.js";
const plugin = definePlugin({
  ...base.definition,
  async setup(ctx) {
    ctx.jobs.register("e2e-greet", async (job) => {
      ctx.logger.info("E2E greet job ran", { runId: job.runId });
    });
    await base.definition.setup(ctx);
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`,
  );
  return dir;
}

interface PluginRow {
  id: string;
  pluginKey: string;
  status: string;
}

async function findPlugin(host: E2eHost): Promise<PluginRow | undefined> {
  const list = await host.api<PluginRow[]>("GET", "/api/plugins");
  return list.find((plugin) => plugin.pluginKey === KEY);
}

async function pluginId(host: E2eHost): Promise<string> {
  const plugin = await findPlugin(host);
  if (!plugin) throw new Error(`${KEY} is not installed`);
  return plugin.id;
}

async function companyId(host: E2eHost): Promise<string> {
  const companies = await host.api<{ id: string; issuePrefix: string }[]>("GET", "/api/companies");
  const acme = companies.find((company) => company.issuePrefix === "ACM") ?? companies[0];
  if (!acme) throw new Error("the host has no company");
  return acme.id;
}

test("installs examples/hello-world by local path and watches it become ready", { timeout: 180_000 }, async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  // The host installed the example on first start: purge it so this install is a real one.
  const existing = await findPlugin(host);
  if (existing) await host.api("DELETE", `/api/plugins/${existing.id}?purge=true`);
  const folder = prepareHelloWorldCopy();

  await page.goto(`${host.baseUrl}/instance/settings/plugins`);
  await page.getByRole("heading", { name: "Plugins", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Install plugin" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Install a plugin" });
  await dialog.getByRole("tab", { name: "Local folder" }).click();
  await dialog.getByLabel("Folder path").fill(folder);
  await dialog.getByRole("button", { name: "Install", exact: true }).click();

  // Progress lines arrive from the host's stream, then the result.
  const log = dialog.getByRole("log", { name: "Install progress" });
  await expect(
    log.getByText(/Using local package paperclip-plugin-hello-world/).waitFor({ timeout: SETTLE_MS }),
  ).resolves.toBeUndefined();
  const installed = dialog.getByRole("status").filter({ hasText: "Installed" });
  await installed.waitFor({ timeout: SETTLE_MS });
  await expect(installed.textContent()).resolves.toMatch(/Hello World.*v0\.1\.0.*Ready/s);
  await screenshot("plugin-admin-install");

  await dialog.getByRole("button", { name: "Close", exact: true }).first().click();
  const row = page.getByRole("row").filter({ hasText: KEY });
  await row.getByText("Ready").waitFor({ timeout: SETTLE_MS });
  await screenshot("plugin-admin-list-light");
  await darkScreenshot(
    browser,
    `${host.baseUrl}/instance/settings/plugins`,
    "plugin-admin-list-dark",
    (dark) => dark.getByRole("row").filter({ hasText: KEY }).getByText("Ready").waitFor(),
  );

  // An install that fails shows the host's exact message.
  await page.getByRole("button", { name: "Install plugin" }).first().click();
  await dialog.getByRole("tab", { name: "Local folder" }).click();
  await dialog.getByLabel("Folder path").fill("/nonexistent/paperclip-plugin");
  await dialog.getByRole("button", { name: "Install", exact: true }).click();
  const failure = dialog.getByRole("alert");
  await failure.waitFor({ timeout: SETTLE_MS });
  await expect(failure.textContent()).resolves.toContain(
    'local: the path "/nonexistent/paperclip-plugin" does not exist',
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The overview shows the running worker.
  const id = await pluginId(host);
  await page.goto(`${host.baseUrl}/instance/settings/plugins/${id}`);
  await page.getByRole("heading", { name: "Hello World", level: 1 }).waitFor();
  await page.getByText("Process id").waitFor();
  await page.getByText("Healthy", { exact: true }).waitFor({ timeout: SETTLE_MS });
  await screenshot("plugin-admin-overview-light");
  await darkScreenshot(
    browser,
    `${host.baseUrl}/instance/settings/plugins/${id}`,
    "plugin-admin-overview-dark",
    (dark) => dark.getByText("Healthy", { exact: true }).waitFor({ timeout: SETTLE_MS }),
  );
});

test("settings: the server's field error shows on its field, then a valid value saves", {
  timeout: 90_000,
}, async ({ host, page, problems, browser, screenshot }) => {
  // The invalid save is answered 400 {error, fieldErrors}; the browser logs that failed request.
  problems.allow(/status of 400 \(Bad Request\).*\/config/);
  const id = await pluginId(host);
  const url = `${host.baseUrl}/instance/settings/plugins/${id}?tab=settings`;
  await page.goto(url);
  const repeat = page.getByLabel("Repeat");
  await repeat.waitFor();
  // Labels are tied to their controls.
  await page.getByLabel("Greeting").waitFor();
  await page.getByRole("checkbox", { name: "Shout" }).waitFor();
  await page.getByRole("combobox", { name: "API token" }).waitFor();

  await repeat.fill("9");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const fieldError = page.locator("#config_repeat__error");
  await fieldError.waitFor();
  await expect(fieldError.textContent()).resolves.toContain("must be <= 5");
  await expect(repeat.getAttribute("aria-invalid")).resolves.toBe("true");
  await expect(repeat.getAttribute("aria-describedby")).resolves.toContain("config_repeat__error");
  await expect(page.getByRole("alert").filter({ hasText: "highlighted field" }).count()).resolves.toBe(1);
  await screenshot("plugin-admin-settings-error-light");

  await repeat.fill("3");
  // Editing the field clears its stale error.
  await fieldError.waitFor({ state: "detached" });
  await page.getByLabel("Greeting").fill("Hello from the e2e test");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Settings saved for Acme Robotics", { exact: true }).waitFor();
  const saved = await host.api<{ configJson: Record<string, unknown> }>(
    "GET",
    `/api/plugins/${id}/config?companyId=${await companyId(host)}`,
  );
  expect(saved.configJson).toMatchObject({ repeat: 3, greeting: "Hello from the e2e test" });

  // "Test configuration" answers too (hello-world has no validateConfig of its own).
  await page.getByRole("button", { name: "Test configuration" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /configuration|schema/ })
    .first()
    .waitFor();
  await screenshot("plugin-admin-settings-light");
  await darkScreenshot(browser, url, "plugin-admin-settings-dark", (dark) =>
    dark.getByLabel("Repeat").waitFor(),
  );
});

test("jobs: run a job from the UI and see the run with its log", { timeout: 90_000 }, async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  const id = await pluginId(host);
  const url = `${host.baseUrl}/instance/settings/plugins/${id}?tab=jobs`;
  await page.goto(url);
  const job = page.getByRole("region", { name: "Greet" });
  await job.getByText("At 09:00, Monday through Friday").waitFor();
  await job.getByRole("button", { name: "Run now" }).click();
  const run = job.locator('[data-run-status="succeeded"]').first();
  await run.waitFor({ timeout: 30_000 });
  await run.getByRole("button", { name: /Show the log of this run/ }).click();
  await run.getByText(/E2E greet job ran/).waitFor();
  await screenshot("plugin-admin-jobs-light");
  await darkScreenshot(browser, url, "plugin-admin-jobs-dark", (dark) =>
    dark.locator('[data-run-status="succeeded"]').first().waitFor(),
  );

  // The job's log line is in the plugin's logs too.
  const logsUrl = `${host.baseUrl}/instance/settings/plugins/${id}?tab=logs`;
  await page.goto(logsUrl);
  await page.getByText("E2E greet job ran").first().waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "Live tail" }).click();
  await page.getByText("Following new entries").waitFor();
  await screenshot("plugin-admin-logs-light");
  await darkScreenshot(browser, logsUrl, "plugin-admin-logs-dark", (dark) =>
    dark.getByText("E2E greet job ran").first().waitFor(),
  );
});

test("disable and enable the plugin", { timeout: 90_000 }, async ({ host, page }) => {
  const id = await pluginId(host);
  await page.goto(`${host.baseUrl}/instance/settings/plugins/${id}`);
  const header = page
    .locator("header")
    .filter({ has: page.getByRole("heading", { name: "Hello World", level: 1 }) });
  await header.getByText("Ready").waitFor();

  await page.getByRole("button", { name: "Disable", exact: true }).click();
  const confirmDisable = page.getByRole("alertdialog", { name: "Disable Hello World?" });
  await confirmDisable.getByLabel("Reason").fill("Paused by the e2e test");
  await confirmDisable.getByRole("button", { name: "Disable", exact: true }).click();
  await header.getByText("Disabled").waitFor();
  await page.getByText("Paused by the e2e test").first().waitFor();
  await expect(findPlugin(host)).resolves.toMatchObject({ status: "disabled" });

  await page.getByRole("button", { name: "Enable", exact: true }).click();
  const confirmEnable = page.getByRole("alertdialog", { name: "Enable Hello World?" });
  await confirmEnable.getByRole("button", { name: "Enable", exact: true }).click();
  await header.getByText("Ready").waitFor({ timeout: SETTLE_MS });
  await expect(findPlugin(host)).resolves.toMatchObject({ status: "ready" });
});
