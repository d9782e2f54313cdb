// The Nodes page in a real browser (docs/scale-out.md): a single host (embedded database) reached from the instance
// settings navigation lists itself as the one active node, with its heartbeat, version, uptime, the bundled
// examples' workers and its leases; Drain asks first, then the row reads Draining while the board keeps working.
// Screenshots light and dark go to e2e/artifacts/.
import type { Page } from "playwright-core";
import { darkScreenshot } from "./support/browser.js";
import { expect, test } from "./support/test.js";

const SETTLE_MS = 30_000;

interface NodeList {
  nodeId: string;
  nodes: Array<{ nodeId: string; status: string; self: boolean }>;
}

const statusCell = (page: Page, nodeId: string, status: string) =>
  page.getByRole("row").filter({ hasText: nodeId }).getByText(status, { exact: true });

test("a single host shows itself as the one active node; draining it shows Draining", {
  timeout: 120_000,
}, async ({ host, page, browser, screenshot }) => {
  const { nodeId } = await host.api<NodeList>("GET", "/api/instance/nodes");

  // Reached from the instance settings navigation, next to Plugins.
  await page.goto(`${host.baseUrl}/instance/settings/plugins`);
  await page.getByRole("heading", { name: "Plugins", level: 1 }).waitFor({ timeout: SETTLE_MS });
  await page
    .getByRole("navigation", { name: "Instance settings" })
    .getByRole("link", { name: "Nodes" })
    .click();
  await page.getByRole("heading", { name: "Nodes", level: 1 }).waitFor({ timeout: SETTLE_MS });
  expect(new URL(page.url()).pathname).toBe("/instance/settings/nodes");

  const row = page.getByRole("row").filter({ hasText: nodeId });
  await statusCell(page, nodeId, "Active").waitFor({ timeout: SETTLE_MS });
  await expect(row.getByText("This node").count()).resolves.toBe(1);
  await expect(row.textContent()).resolves.toMatch(/\d+ s ago/);
  await expect(page.getByRole("row").count()).resolves.toBe(2);
  // The bundled examples run their workers here.
  await row.getByText("paperclip.hello-world").waitFor({ timeout: SETTLE_MS });
  await screenshot("nodes-light");
  await darkScreenshot(browser, `${host.baseUrl}/instance/settings/nodes`, "nodes-dark", (dark) =>
    statusCell(dark, nodeId, "Active").waitFor({ timeout: SETTLE_MS }),
  );

  // Drain asks first: Cancel leaves it active.
  await row.getByRole("button", { name: `Drain ${nodeId}` }).click();
  const dialog = page.getByRole("alertdialog", { name: `Drain ${nodeId}?` });
  await dialog.waitFor({ timeout: SETTLE_MS });
  await expect(dialog.textContent()).resolves.toContain("No other node is active");
  await screenshot("nodes-drain-dialog-light");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden", timeout: SETTLE_MS });
  await expect((await host.api<NodeList>("GET", "/api/instance/nodes")).nodes[0]?.status).toBe("active");

  await row.getByRole("button", { name: `Drain ${nodeId}` }).click();
  await dialog.getByRole("button", { name: "Drain node" }).click();
  await statusCell(page, nodeId, "Draining").waitFor({ timeout: SETTLE_MS });
  await expect(row.getByRole("button", { name: `Drain ${nodeId}` }).isDisabled()).resolves.toBe(true);
  await expect((await host.api<NodeList>("GET", "/api/instance/nodes")).nodes[0]?.status).toBe("draining");
  await screenshot("nodes-draining-light");
  await darkScreenshot(browser, `${host.baseUrl}/instance/settings/nodes`, "nodes-draining-dark", (dark) =>
    statusCell(dark, nodeId, "Draining").waitFor({ timeout: SETTLE_MS }),
  );

  // The board keeps working on a draining node.
  await page.getByRole("link", { name: "Plugins", exact: true }).first().click();
  await page.getByRole("heading", { name: "Plugins", level: 1 }).waitFor({ timeout: SETTLE_MS });
});
