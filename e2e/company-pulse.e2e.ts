// Company Pulse (examples/company-pulse) in the board: installed by local path (the bundled examples are, on a
// fresh instance), its dashboard widget and sidebar panel chart the company's issue activity from the plugin's
// data handler. The test adds issues and closes some, checks both surfaces count them, and saves cropped light and
// dark screenshots of each into e2e/artifacts/ and examples/company-pulse/docs/ (the README shows them).
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

const KEY = "paperclip.company-pulse";
const DOCS = path.join(REPO_ROOT, "examples/company-pulse/docs");
const ARTIFACTS = path.join(REPO_ROOT, "e2e/artifacts");

async function crop(page: Page, target: Locator, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(50);
    for (const folder of [ARTIFACTS, DOCS]) {
      await target.screenshot({ path: path.join(folder, `${name}-${scheme}.png`), animations: "disabled" });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("the widget and the sidebar panel chart issues created and closed today", { timeout: 90_000 }, async ({
  host,
  page,
}) => {
  const plugin = await host.api<{ status: string; packagePath: string | null }>("GET", `/api/plugins/${KEY}`);
  expect(plugin).toMatchObject({
    status: "ready",
    packagePath: path.join(REPO_ROOT, "examples/company-pulse"),
  });

  const companies = await host.api<Array<{ id: string; issuePrefix: string }>>("GET", "/api/companies");
  const company = companies.find((item) => item.issuePrefix === "ACM") ?? companies[0]!;
  for (const title of [
    "Pulse: flaky deploy",
    "Pulse: slow search",
    "Pulse: typo on pricing",
    "Pulse: add SSO",
  ]) {
    const issue = await host.api<{ id: string }>("POST", `/api/companies/${company.id}/issues`, { title });
    if (title.includes("typo") || title.includes("flaky")) {
      await host.api("PATCH", `/api/issues/${issue.id}`, { status: "done" });
    }
  }
  const issues = await host.api<Array<{ status: string }>>("GET", `/api/companies/${company.id}/issues`);
  const open = issues.filter((issue) => issue.status !== "done" && issue.status !== "cancelled").length;

  await page.goto(`${host.baseUrl}/${company.issuePrefix}/dashboard`);
  const widget = page.locator(`[data-plugin-slot="pulse-widget"]`);
  await widget.getByTestId("pulse-chart-full").waitFor({ timeout: 20_000 });
  await expect(widget.getByTestId("pulse-created").textContent()).resolves.toBe(String(issues.length));
  await expect(widget.getByTestId("pulse-closed").textContent()).resolves.toBe("2");
  await expect(widget.getByTestId("pulse-open-now").textContent()).resolves.toBe(String(open));
  // Fourteen day columns; today's holds every issue created and the two closed.
  await expect(widget.locator("svg g[data-date]").count()).resolves.toBe(14);
  const today = widget.locator("svg g[data-date]").last();
  await expect(today.locator("title").textContent()).resolves.toMatch(
    new RegExp(`: ${issues.length} created, 2 closed$`),
  );

  const panel = page.locator(`[data-plugin-slot="pulse-panel"]`);
  await panel.getByTestId("pulse-chart-compact").waitFor();
  await expect(panel.textContent()).resolves.toContain(`${issues.length} created`);

  await crop(page, widget, "company-pulse-widget");
  await crop(page, panel, "company-pulse-panel");
});
