// The domain pages in a real browser: projects (list, detail tabs, add a workspace), agents (list, detail, runs,
// a run's page), goals (tree, create, detail), approvals (approve one with a note), activity (filter), costs
// (chart, by agent and project, budget), company settings, and not-found pages for deep links to a missing
// project or agent. Every main page is saved in light and dark under e2e/artifacts/domain-*.png.
import type { Browser, Page } from "playwright-core";
import { type PageProblems, saveScreenshot, watchPage } from "./support/browser.js";
import type { E2eHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

interface Seed {
  companyId: string;
  agentKey: string;
  runId: string;
  teamGoalId: string;
}

/** Demo data beyond the host's own seed, created once per file through the API. */
let seeded: Promise<Seed> | null = null;
function seed(host: E2eHost): Promise<Seed> {
  seeded ??= (async () => {
    const [company] = await host.api("GET", "/api/companies");
    const c = company.id;
    const [ada] = await host.api("GET", `/api/companies/${c}/agents`);
    const [project] = await host.api("GET", `/api/companies/${c}/projects`);
    const [rootGoal] = await host.api("GET", `/api/companies/${c}/goals`);
    const bob = await host.api("POST", `/api/companies/${c}/agents`, {
      name: "Bob",
      role: "cto",
      title: "Chief technology officer",
    });
    const team = await host.api("POST", `/api/companies/${c}/goals`, {
      title: "Reliable firmware",
      level: "team",
      status: "active",
      parentId: rootGoal.id,
      ownerAgentId: bob.id,
      description: "Every robot boots in under 2 seconds.",
    });
    await host.api("POST", `/api/companies/${c}/goals`, {
      title: "Boot-time benchmark",
      level: "task",
      parentId: team.id,
      ownerAgentId: ada.id,
    });
    await host.api("PATCH", `/api/projects/${project.id}`, {
      goalIds: [rootGoal.id, team.id],
      leadAgentId: bob.id,
    });
    await host.api("POST", `/api/projects/${project.id}/workspaces`, {
      name: "website",
      sourceType: "git_repo",
      cwd: "/srv/acme/website",
      repoUrl: "https://github.com/acme/website",
      repoRef: "main",
    });
    // Ada is the seed's echo agent: the run really executes, and the page shows a finished run.
    const run = await host.api("POST", `/api/agents/${ada.id}/wakeup`, {
      source: "on_demand",
      reason: "Check the boot benchmark",
      payload: { prompt: "Check the boot benchmark\nBoot takes 2.4 s" },
    });
    for (let waited = 0; ; waited += 100) {
      const current = await host.api("GET", `/api/heartbeat-runs/${run.id}`);
      if (current.status === "succeeded") break;
      if (waited > 20_000) throw new Error(`Ada's run is still ${current.status} after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const day = 86_400_000;
    for (let i = 0; i < 8; i++) {
      await host.api("POST", `/api/companies/${c}/cost-events`, {
        agentId: i % 2 ? ada.id : bob.id,
        provider: "anthropic",
        model: "claude-sonnet",
        costCents: 40 + i * 17,
        occurredAt: new Date(Date.now() - (i % 4) * day).toISOString(),
        projectId: i % 3 ? project.id : undefined,
        heartbeatRunId: i === 1 ? run.id : undefined,
        inputTokens: 1000 * i,
        outputTokens: 200 * i,
      });
    }
    await host.api("PATCH", `/api/companies/${c}`, { budgetMonthlyCents: 5000 });
    await host.api("POST", `/api/companies/${c}/approvals`, {
      type: "hire_agent",
      payload: { name: "Cleo", role: "designer", reason: "Website redesign" },
      requestedByAgentId: bob.id,
    });
    await host.api("POST", `/api/companies/${c}/approvals`, {
      type: "approve_ceo_strategy",
      payload: { plan: "Focus on firmware reliability" },
      requestedByAgentId: bob.id,
    });
    return { companyId: c, agentKey: ada.urlKey, runId: run.id, teamGoalId: team.id };
  })();
  return seeded;
}

/** Wait until the page shows `text` somewhere in its main content. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole("main").getByText(text).first().waitFor({ state: "visible", timeout: 30_000 });
}

/** Open `url` in a dark-scheme context, wait for `text`, save `<name>-dark.png`, fail on page errors. */
async function darkShot(browser: Browser, url: string, text: string | RegExp, name: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
  try {
    const page = await context.newPage();
    const problems: PageProblems = watchPage(page);
    await page.goto(url);
    await shows(page, text);
    await page.waitForLoadState("networkidle");
    await saveScreenshot(page, `${name}-dark`);
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
}

async function lightShot(page: Page, screenshot: (name: string) => Promise<string>, name: string) {
  await page.waitForLoadState("networkidle");
  await screenshot(`${name}-light`);
}

test("projects: list, detail tabs following ?tab=, add a workspace", async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  await seed(host);
  await page.goto(`${host.baseUrl}/ACM/projects`);
  await shows(page, "Website");
  await lightShot(page, screenshot, "domain-projects");
  await darkShot(browser, `${host.baseUrl}/ACM/projects`, "Website", "domain-projects");

  await page.getByRole("main").getByRole("link", { name: "Website" }).click();
  await page.waitForURL(/\/ACM\/projects\/website$/);
  // The page is lazy-loaded: wait for its own heading rather than reading the previous one.
  await page.getByRole("heading", { level: 1, name: "Website", exact: true }).waitFor();
  await shows(page, "Reliable firmware");
  await lightShot(page, screenshot, "domain-project");

  await page.getByRole("tab", { name: /Workspaces/ }).click();
  await page.waitForURL(/\?tab=workspaces$/);
  await shows(page, "/srv/acme/website");
  await page.getByRole("button", { name: "Add workspace" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("firmware");
  await dialog.getByLabel("Folder path").fill("/srv/acme/firmware");
  await dialog.getByRole("button", { name: "Add workspace" }).click();
  await shows(page, "/srv/acme/firmware");
  await lightShot(page, screenshot, "domain-project-workspaces");

  // A shared link opens the same tab.
  await page.goto(`${host.baseUrl}/ACM/projects/website?tab=goals`);
  await expect(page.getByRole("tab", { selected: true }).textContent()).resolves.toContain("Goals");
  await shows(page, "Ship the first release");
  await darkShot(
    browser,
    `${host.baseUrl}/ACM/projects/website?tab=workspaces`,
    "/srv/acme/firmware",
    "domain-project",
  );
});

test("agents: list, detail, runs tab, a run's page, wake up", async ({ host, page, browser, screenshot }) => {
  const data = await seed(host);
  await page.goto(`${host.baseUrl}/ACM/agents`);
  await shows(page, "Bob");
  await lightShot(page, screenshot, "domain-agents");
  await darkShot(browser, `${host.baseUrl}/ACM/agents`, "Bob", "domain-agents");

  await page.goto(`${host.baseUrl}/ACM/agents/${data.agentKey}?tab=runs`);
  await shows(page, "Succeeded");
  await lightShot(page, screenshot, "domain-agent-runs");
  await page.getByRole("link", { name: data.runId.slice(0, 8) }).click();
  await page.waitForURL(new RegExp(`/runs/${data.runId}$`));
  await shows(page, "Check the boot benchmark");
  await shows(page, "echo: Boot takes 2.4 s");
  await lightShot(page, screenshot, "domain-run");
  await page.getByRole("tab", { name: /Costs/ }).click();
  await shows(page, "claude-sonnet");
  await darkShot(
    browser,
    `${host.baseUrl}/ACM/agents/${data.agentKey}/runs/${data.runId}`,
    "echo: Boot takes 2.4 s",
    "domain-run",
  );

  await page.goto(`${host.baseUrl}/ACM/agents/${data.agentKey}?tab=runs`);
  await shows(page, "Succeeded");
  const before = await page.getByRole("main").getByRole("row").count();
  await page.getByRole("button", { name: "Wake up" }).click();
  await expect
    .poll(() => page.getByRole("main").getByRole("row").count(), { timeout: 10_000 })
    .toBeGreaterThan(before);
  await darkShot(
    browser,
    `${host.baseUrl}/ACM/agents/${data.agentKey}?tab=runs`,
    "Succeeded",
    "domain-agent-runs",
  );
});

test("goals: a tree, create a sub-goal, a goal's page", async ({ host, page, browser, screenshot }) => {
  const data = await seed(host);
  await page.goto(`${host.baseUrl}/ACM/goals`);
  await shows(page, "Boot-time benchmark");
  // The tree nests the task goal two levels below the company goal.
  const nested = page.getByRole("list", { name: "Goals" }).locator("ul ul").getByText("Boot-time benchmark");
  await expect(nested.count()).resolves.toBe(1);
  await lightShot(page, screenshot, "domain-goals");
  await darkShot(browser, `${host.baseUrl}/ACM/goals`, "Boot-time benchmark", "domain-goals");

  await page.getByRole("button", { name: "Actions for Reliable firmware" }).click();
  await page.getByRole("menuitem", { name: "Add sub-goal…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Title").fill("Cold-boot under 2 s");
  await dialog.getByRole("button", { name: "Create goal" }).click();
  await shows(page, "Cold-boot under 2 s");

  await page.getByRole("link", { name: "Reliable firmware" }).click();
  await page.waitForURL(new RegExp(`/ACM/goals/${data.teamGoalId}$`));
  // The page is lazy-loaded: wait for its own heading rather than reading the previous one.
  await page.getByRole("heading", { level: 1, name: "Reliable firmware", exact: true }).waitFor();
  await page.getByRole("tab", { name: /Sub-goals/ }).click();
  await shows(page, "Cold-boot under 2 s");
  await lightShot(page, screenshot, "domain-goal");
  await darkShot(browser, `${host.baseUrl}/ACM/goals/${data.teamGoalId}`, "Every robot boots", "domain-goal");
});

test("approvals: approve one with a note, see it under Decided", async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  await seed(host);
  await page.goto(`${host.baseUrl}/ACM/approvals`);
  await shows(page, "Hire an agent");
  await lightShot(page, screenshot, "domain-approvals");
  await darkShot(browser, `${host.baseUrl}/ACM/approvals`, "Hire an agent", "domain-approvals");

  const card = page.getByRole("main").getByRole("listitem").filter({ hasText: "Hire an agent" });
  await card.getByRole("button", { name: "Approve" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Decision note").fill("Welcome aboard, Cleo");
  await dialog.getByRole("button", { name: "Approve" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expect
    .poll(() => page.getByRole("main").getByText("Hire an agent").count(), { timeout: 10_000 })
    .toBe(0);

  await page.getByRole("tab", { name: "Decided" }).click();
  await page.waitForURL(/\?status=decided$/);
  await shows(page, "Welcome aboard, Cleo");
  await lightShot(page, screenshot, "domain-approvals-decided");
  const approvals = await host.api("GET", `/api/companies/${(await seed(host)).companyId}/approvals`);
  expect(approvals.find((approval: { type: string }) => approval.type === "hire_agent")).toMatchObject({
    status: "approved",
    decisionNote: "Welcome aboard, Cleo",
  });
});

test("activity: the feed, filtered by entity type in the URL", async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  await seed(host);
  await page.goto(`${host.baseUrl}/ACM/activity`);
  await shows(page, /reported a cost/);
  await lightShot(page, screenshot, "domain-activity");
  await darkShot(browser, `${host.baseUrl}/ACM/activity`, /reported a cost/, "domain-activity");

  await page.getByRole("combobox", { name: "Show activity for" }).click();
  await page.getByRole("option", { name: "Goals" }).click();
  await page.waitForURL(/\?type=goal$/);
  await shows(page, /Reliable firmware/);
  // The previous page stays on screen until the filtered one arrives.
  await expect
    .poll(
      () =>
        page
          .getByRole("main")
          .getByText(/reported a cost/)
          .count(),
      { timeout: 10_000 },
    )
    .toBe(0);
});

test("costs: spend against the budget, per day, per agent and per project", async ({
  host,
  page,
  browser,
  screenshot,
}) => {
  await seed(host);
  await page.goto(`${host.baseUrl}/ACM/costs`);
  await shows(page, "By project");
  await shows(page, /of \$50 budget/);
  await page.getByRole("img", { name: /Spend per day/ }).waitFor();
  const byProject = page.getByRole("main").locator("section").filter({ hasText: "By project" });
  await byProject.getByText("Website").waitFor();
  await byProject.getByText("No project").waitFor();
  await lightShot(page, screenshot, "domain-costs");
  await darkShot(browser, `${host.baseUrl}/ACM/costs`, "By project", "domain-costs");
});

test("company settings show the company and save a change", async ({ host, page, browser, screenshot }) => {
  await seed(host);
  await page.goto(`${host.baseUrl}/ACM/company/settings`);
  await expect(page.getByLabel("Name").inputValue()).resolves.toBe("Acme Robotics");
  await expect(page.getByLabel("Monthly budget (USD)").inputValue()).resolves.toBe("50");
  await page.getByRole("checkbox", { name: /Board approval for new agents/ }).waitFor();
  await page.getByLabel("Description").fill("Robots that build robots.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect
    .poll(async () => (await host.api("GET", `/api/companies/${(await seed(host)).companyId}`)).description)
    .toBe("Robots that build robots.");
  await lightShot(page, screenshot, "domain-company-settings");
  await darkShot(browser, `${host.baseUrl}/ACM/company/settings`, "Danger zone", "domain-company-settings");
});

test("deep links to a missing project, agent, goal or run show a not-found page", async ({
  host,
  page,
  problems,
  screenshot,
}) => {
  const data = await seed(host);
  // The failed API requests are expected.
  problems.allow(/status of 404/);
  for (const [path, title, back] of [
    ["/ACM/projects/no-such-project", "This project does not exist", "All projects"],
    ["/ACM/agents/no-such-agent", "This agent does not exist", "All agents"],
    ["/ACM/goals/00000000-0000-4000-8000-000000000000", "This goal does not exist", "All goals"],
    [
      `/ACM/agents/${data.agentKey}/runs/00000000-0000-4000-8000-000000000000`,
      "This run does not exist",
      "Runs of",
    ],
  ] as const) {
    await page.goto(`${host.baseUrl}${path}`);
    await shows(page, title);
    await expect(
      page
        .getByRole("main")
        .getByRole("link", { name: new RegExp(back) })
        .count(),
    ).resolves.toBe(1);
  }
  await page.goto(`${host.baseUrl}/ACM/projects/no-such-project`);
  await shows(page, "This project does not exist");
  await screenshot("domain-project-not-found");
});
