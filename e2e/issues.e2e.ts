// The issues pages in a real browser: the dashboard at /, creating an issue through the dialog, finding it
// by search, opening it, commenting and changing its status; an issue created through the API appearing in
// the open list without a reload; screenshots of the list and the detail in light and dark.
import type { Browser } from "playwright-core";
import { saveScreenshot, watchPage } from "./support/browser.js";
import type { E2eHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

async function companyId(host: E2eHost): Promise<string> {
  const companies = await host.api<Array<{ id: string; issuePrefix: string }>>("GET", "/api/companies");
  const acme = companies.find((company) => company.issuePrefix === "ACM");
  if (!acme) throw new Error("the demo company ACM is missing");
  return acme.id;
}

test("/ lands on the dashboard", async ({ host, page }) => {
  await page.goto(`${host.baseUrl}/`);
  await page.waitForURL(/\/ACM\/dashboard$/);
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
});

test("create an issue, find it, open it, comment and change its status", async ({
  host,
  page,
  problems,
  screenshot,
}) => {
  const title = `Calibrate the gripper ${Date.now()}`;
  await page.goto(`${host.baseUrl}/ACM/issues`);
  await page.getByRole("heading", { level: 1, name: "Issues" }).waitFor();

  // Validation is shown on the field.
  await page
    .getByRole("button", { name: /New issue/ })
    .first()
    .click();
  const dialog = page.getByRole("dialog", { name: "New issue" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Create issue" }).click();
  await dialog.getByText("Give the issue a title").waitFor();
  await expect(dialog.getByLabel("Title").getAttribute("aria-invalid")).resolves.toBe("true");

  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Description").fill("The **left** finger drifts.");
  await dialog.getByLabel("Priority").click();
  await page.getByRole("option", { name: "High" }).click();
  await dialog.getByRole("button", { name: "Create issue" }).click();

  // Creating opens the new issue.
  await page.waitForURL(/\/ACM\/issues\/ACM-\d+$/);
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  const identifier = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

  // Find it in the list by search (?q= in the URL).
  await page.goto(`${host.baseUrl}/ACM/issues`);
  await page.getByRole("searchbox", { name: "Search issues by title" }).fill("gripper");
  await page.waitForURL(/[?&]q=gripper/);
  const row = page.getByRole("link", { name: new RegExp(title) });
  await row.waitFor();
  await page.getByText(/^1–1 of 1$/).waitFor();
  await row.click();
  await page.waitForURL(new RegExp(`/ACM/issues/${identifier}$`));
  await page.getByText("drifts.").waitFor();

  // Comment.
  await page.getByRole("textbox", { name: "Comment" }).fill("Measured: **2 mm** off.");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  await page.getByRole("list", { name: "Comments" }).getByText("2 mm").waitFor();
  await expect(page.getByRole("textbox", { name: "Comment" }).inputValue()).resolves.toBe("");

  // Change the status in the properties panel.
  await page.getByRole("complementary", { name: "Properties" }).getByLabel("Status").click();
  await page.getByRole("option", { name: "In review" }).click();
  await expect
    .poll(async () => (await host.api("GET", `/api/issues/${identifier}`)).status, { timeout: 10_000 })
    .toBe("in_review");

  // The tab bar follows ?tab= both ways.
  await page.getByRole("tab", { name: /Activity/ }).click();
  await page.waitForURL(/[?&]tab=activity/);
  await page.goto(`${host.baseUrl}/ACM/issues/${identifier}?tab=documents`);
  await expect(page.getByRole("tab", { name: /Documents/ }).getAttribute("aria-selected")).resolves.toBe(
    "true",
  );
  await page.goto(`${host.baseUrl}/ACM/issues/${identifier}`);
  await page.getByRole("list", { name: "Comments" }).waitFor();
  await screenshot("issue-detail-light");

  // A missing identifier shows a not-found page with a way back (the browser logs the API's 404).
  problems.allow(/status of 404 .*\/api\/issues\/ACM-99999/);
  await page.goto(`${host.baseUrl}/ACM/issues/ACM-99999`);
  await page.getByText("Issue ACM-99999 does not exist").waitFor();
  await page.getByRole("link", { name: "All issues" }).waitFor();
});

test("an issue created through the API appears in the open list without a reload", async ({
  host,
  page,
  screenshot,
}) => {
  const id = await companyId(host);
  await page.goto(`${host.baseUrl}/ACM/issues`);
  await page.getByRole("list", { name: "Issues" }).waitFor();
  const title = `Created elsewhere ${Date.now()}`;
  const response = await fetch(`${host.baseUrl}/api/companies/${id}/issues`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title, priority: "critical" }),
  });
  expect(response.status).toBe(201);
  await page.getByRole("link", { name: new RegExp(title) }).waitFor({ timeout: 5_000 });
  await screenshot("issues-list-light");
});

test("the list and the detail in dark mode", async ({ host, browser }) => {
  await darkScreens(browser as Browser, host);
});

async function darkScreens(browser: Browser, host: E2eHost) {
  const context = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watchPage(page);
  try {
    await page.goto(`${host.baseUrl}/ACM/issues`);
    await page.getByRole("list", { name: "Issues" }).waitFor();
    await saveScreenshot(page, "issues-list-dark");
    await page.goto(`${host.baseUrl}/ACM/issues/ACM-1`);
    await page.getByRole("complementary", { name: "Properties" }).waitFor();
    await page.getByRole("tab", { name: /Comments/ }).waitFor();
    await page.waitForTimeout(300);
    await saveScreenshot(page, "issue-detail-dark");
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
}
