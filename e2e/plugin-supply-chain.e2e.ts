// Supply chain in a real browser (docs/supply-chain.md), on a host whose operator allows the npm scopes @acme and
// @paperclipai only: the install dialog shows the allowed scopes, an install outside them shows the host's 403;
// then an @acme plugin is upgraded to a version that asks for a new capability: the upgrade dialog shows the
// diff against the approved capabilities and holds it; a second upgrade while it waits still shows what was never
// approved (and what it gave up); "Approve and enable" starts the new version. Screenshots light and dark go to
// e2e/artifacts/.
//
// The plugin is packages/server/test/security/fixtures/adversary-raw (a worker without dependencies), copied and
// renamed @acme/supply-chain-e2e; each "new version" rewrites its manifest in place and upgrades from the folder.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { darkScreenshot } from "./support/browser.js";
import { type E2eHost, REPO_ROOT, startHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

const FIXTURE = path.join(REPO_ROOT, "packages/server/test/security/fixtures/adversary-raw");
const KEY = "e2e.supply-chain";
const NAME = "Supply chain e2e";
const SETTLE_MS = 60_000;

let host: E2eHost;
const folders: string[] = [];

beforeAll(async () => {
  // The bundled examples (unscoped names) are refused at first start, so there is nothing to wait for.
  host = await startHost({
    env: { PAPERCLIP_PLUGIN_ALLOWED_SCOPES: "@acme,@paperclipai" },
    waitForPlugins: false,
  });
});

afterAll(async () => {
  await host?.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture with this package name, manifest version and capabilities. */
function pluginFolder(packageName: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "paperclip-e2e-supply-chain-"));
  folders.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const packageJson = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ ...packageJson, name: packageName }, null, 2),
  );
  release(dir, "1.0.0", ["companies.read"]);
  return dir;
}

function release(dir: string, version: string, capabilities: string[]): void {
  writeFileSync(
    path.join(dir, "manifest.js"),
    `export default ${JSON.stringify({
      id: KEY,
      apiVersion: 1,
      version,
      displayName: NAME,
      description: "A plugin the supply-chain browser test upgrades.",
      author: "Paperclip e2e",
      categories: ["automation"],
      capabilities,
      entrypoints: { worker: "./worker.mjs" },
    })};\n`,
  );
}

async function pluginId(): Promise<string> {
  const list = await host.api<Array<{ id: string; pluginKey: string }>>("GET", "/api/plugins");
  const found = list.find((plugin) => plugin.pluginKey === KEY);
  if (!found) throw new Error(`${KEY} is not installed`);
  return found.id;
}

/** The same page in a dark-scheme context, made ready by `ready`, saved as `name`. */
async function openInstallDialog(page: Page) {
  await page.goto(`${host.baseUrl}/instance/settings/plugins`);
  await page.getByRole("heading", { name: "Plugins", level: 1 }).waitFor({ timeout: SETTLE_MS });
  await page.getByRole("button", { name: "Install plugin" }).first().click();
  return page.getByRole("dialog", { name: "Install a plugin" });
}

test("the install dialog shows the allowed scopes and the host's refusal of another package", {
  timeout: 120_000,
}, async ({ page, browser, problems, screenshot }) => {
  const dialog = await openInstallDialog(page);
  const scopes = dialog.getByRole("region", { name: "Allowed package scopes" });
  await scopes.waitFor({ timeout: SETTLE_MS });
  await expect(scopes.textContent({ timeout: SETTLE_MS })).resolves.toMatch(
    /@acme.*@paperclipai.*PAPERCLIP_PLUGIN_ALLOWED_SCOPES/s,
  );
  await screenshot("supply-chain-install-dialog-light");

  // An unscoped package is refused by the host; the dialog shows its message.
  problems.allow(/403/);
  await dialog.getByRole("tab", { name: "Local folder" }).click();
  await dialog.getByLabel("Folder path").fill(pluginFolder("paperclip-plugin-unscoped"));
  await dialog.getByRole("button", { name: "Install", exact: true }).click();
  const failure = dialog.getByRole("alert");
  await failure.waitFor({ timeout: SETTLE_MS });
  await expect(failure.textContent({ timeout: SETTLE_MS })).resolves.toContain(
    'package.json name "paperclip-plugin-unscoped" has no npm scope, and unscoped packages are not allowed',
  );
  await expect(failure.textContent({ timeout: SETTLE_MS })).resolves.toContain("HTTP 403");
  await screenshot("supply-chain-install-refused-light");

  await darkScreenshot(
    browser,
    `${host.baseUrl}/instance/settings/plugins`,
    "supply-chain-install-dialog-dark",
    async (dark) => {
      await dark.getByRole("button", { name: "Install plugin" }).first().click();
      await dark.getByRole("region", { name: "Allowed package scopes" }).waitFor({ timeout: SETTLE_MS });
    },
  );
});

test("an upgrade that asks for more waits for approval, shows the diff, and runs once approved", {
  timeout: 180_000,
}, async ({ page, browser, screenshot }) => {
  const folder = pluginFolder("@acme/supply-chain-e2e");
  const dialog = await openInstallDialog(page);
  await dialog.getByRole("tab", { name: "Local folder" }).click();
  await dialog.getByLabel("Folder path").fill(folder);
  await dialog.getByRole("button", { name: "Install", exact: true }).click();
  await dialog.getByRole("status").filter({ hasText: "Installed" }).waitFor({ timeout: SETTLE_MS });
  const id = await pluginId();

  // v2 asks for issues.read besides what v1 had.
  release(folder, "2.0.0", ["companies.read", "issues.read"]);
  await page.goto(`${host.baseUrl}/instance/settings/plugins/${id}`);
  await page.getByRole("heading", { name: NAME, level: 1 }).waitFor({ timeout: SETTLE_MS });
  await page.getByRole("button", { name: "Upgrade", exact: true }).click();
  const upgrade = page.getByRole("dialog", { name: `Upgrade ${NAME}` });
  await upgrade.getByRole("button", { name: "Upgrade", exact: true }).click();
  await upgrade.getByText("waits for approval").waitFor({ timeout: SETTLE_MS });
  const added = upgrade.getByRole("region", { name: /New capabilities to approve/ });
  await expect(added.textContent({ timeout: SETTLE_MS })).resolves.toContain("issues.read");
  await screenshot("supply-chain-upgrade-pending-light");
  await upgrade.getByRole("button", { name: "Not now" }).click();
  await expect(host.api("GET", `/api/plugins/${id}`)).resolves.toMatchObject({ status: "upgrade_pending" });

  // v3 drops companies.read and keeps issues.read: against v2 it adds nothing, against what was approved it
  // still adds issues.read — the dialog shows the approved view.
  release(folder, "3.0.0", ["issues.read"]);
  await page.getByRole("button", { name: "Upgrade", exact: true }).click();
  await upgrade.getByRole("button", { name: "Upgrade", exact: true }).click();
  await upgrade.getByText("waits for approval").waitFor({ timeout: SETTLE_MS });
  await expect(
    upgrade.getByRole("region", { name: /New capabilities to approve/ }).textContent({ timeout: SETTLE_MS }),
  ).resolves.toContain("issues.read");
  await expect(
    upgrade.getByRole("region", { name: /No longer requested/ }).textContent({ timeout: SETTLE_MS }),
  ).resolves.toContain("companies.read");
  await screenshot("supply-chain-upgrade-second-light");
  await upgrade.getByRole("button", { name: "Not now" }).click();

  // The plugin page's own "Review and enable" shows the same diff from the host's record.
  await page.getByRole("button", { name: "Review and enable" }).click();
  const review = page.getByRole("alertdialog", { name: `Approve the upgrade of ${NAME}?` });
  await expect(
    review.getByRole("region", { name: /New capabilities to approve/ }).textContent({ timeout: SETTLE_MS }),
  ).resolves.toContain("issues.read");
  await expect(
    review.getByRole("region", { name: /No longer requested/ }).textContent({ timeout: SETTLE_MS }),
  ).resolves.toContain("companies.read");
  await screenshot("supply-chain-review-light");
  await darkScreenshot(
    browser,
    `${host.baseUrl}/instance/settings/plugins/${id}`,
    "supply-chain-review-dark",
    async (dark) => {
      await dark.getByRole("button", { name: "Review and enable" }).click();
      await dark
        .getByRole("alertdialog")
        .getByRole("region", { name: /No longer requested/ })
        .waitFor({ timeout: SETTLE_MS });
    },
  );

  await review.getByRole("button", { name: "Approve and enable" }).click();
  const header = page.locator("header").filter({ has: page.getByRole("heading", { name: NAME, level: 1 }) });
  await header.getByText("Ready").waitFor({ timeout: SETTLE_MS });
  await expect(host.api("GET", `/api/plugins/${id}`)).resolves.toMatchObject({
    status: "ready",
    version: "3.0.0",
  });
  await expect(host.api("GET", `/api/plugins/${id}/capabilities`)).resolves.toMatchObject({
    approved: ["issues.read"],
    added: [],
    awaitingApproval: false,
  });
});
