// Agent runs in a real browser against a real host that executes them: an `echo` agent is run from its page
// with a multi-line prompt (the lines stream onto the run page, the run ends succeeded with the prompt as its
// final text); a `process` agent printing a line every 150 ms is watched live (stdout and stderr, the live-runs
// badge in the sidebar) and cancelled from the UI; the adapter dialog validates and saves; an API key is created
// (token shown once, copied), listed and revoked. Agent and run pages are saved light and dark under
// e2e/artifacts/agent-runs-*.png.
import type { Browser, Page } from "playwright-core";
import { type PageProblems, saveScreenshot, watchPage } from "./support/browser.js";
import type { E2eHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

interface Agent {
  id: string;
  urlKey: string;
  name: string;
  adapterConfig: Record<string, unknown>;
}

let companyId: Promise<string> | null = null;
function company(host: E2eHost): Promise<string> {
  companyId ??= host.api("GET", "/api/companies").then(([first]) => first.id as string);
  return companyId;
}

let echoAgent: Promise<Agent> | null = null;
function echo(host: E2eHost): Promise<Agent> {
  echoAgent ??= company(host).then((c) =>
    host.api("POST", `/api/companies/${c}/agents`, {
      name: "Echo Bot",
      role: "engineer",
      title: "Repeats what it is told",
      adapterType: "echo",
      adapterConfig: { delayMs: 120 },
    }),
  );
  return echoAgent;
}

/** A Node one-liner printing "tick N" every 150 ms (and "warn N" on stderr every third tick), forever. */
const TICKER = [
  "let i = 0;",
  "setInterval(() => {",
  "  i++;",
  "  console.log('tick ' + i);",
  "  if (i % 3 === 0) console.error('warn ' + i);",
  "}, 150);",
].join(" ");

/** The first test also waits for the host to start; runs take a few seconds each. */
const TEST_TIMEOUT_MS = 120_000;

const PROMPT = ["Plan the sprint", "Write the tests", "Ship it"].join("\n");

const main = (page: Page) => page.getByRole("main");

/** The scroll box of an element (the spec is type-checked without the DOM library). */
interface Scrollable {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Wait until the main content shows `text`. */
async function shows(page: Page, text: string | RegExp, timeout = 30_000): Promise<void> {
  await main(page).getByText(text).first().waitFor({ state: "visible", timeout });
}

/** Screenshots are taller than the default page so the run page's panels below the output fit. */
const SHOT_VIEWPORT = { width: 1280, height: 1000 };

/** Open `url` in a dark-scheme context, wait for `text`, save `<name>-dark.png`, fail on page errors. */
async function darkShot(browser: Browser, url: string, text: string | RegExp, name: string): Promise<void> {
  const context = await browser.newContext({ viewport: SHOT_VIEWPORT, colorScheme: "dark" });
  try {
    const page = await context.newPage();
    const problems: PageProblems = watchPage(page);
    await page.goto(url);
    await shows(page, text);
    await page.waitForTimeout(300);
    await saveScreenshot(page, `${name}-dark`);
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
}

async function runNow(page: Page, prompt: string): Promise<string> {
  await main(page).getByRole("button", { name: "Run now" }).click();
  const dialog = page.getByRole("dialog", { name: /^Run .* now$/ });
  await dialog.waitFor();
  // Submitting empty names the field.
  await dialog.getByRole("button", { name: "Start run" }).click();
  await dialog.getByText("Prompt is required").waitFor();
  await dialog.getByLabel("Prompt").fill(prompt);
  await dialog.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  return page.url().split("/runs/")[1]!;
}

test("an echo agent runs from its page: the lines stream in and the run ends with the final text", {
  timeout: TEST_TIMEOUT_MS,
}, async ({ host, page, browser, screenshot }) => {
  await page.setViewportSize(SHOT_VIEWPORT);
  const agent = await echo(host);
  await page.goto(`${host.baseUrl}/ACM/agents/${agent.urlKey}`);
  await page.getByRole("heading", { name: "Echo Bot" }).waitFor();
  await shows(page, "No runs yet");
  await shows(page, "120 ms between lines");

  const runId = await runNow(page, PROMPT);
  const output = page.getByRole("log", { name: "Run output" });
  for (const line of PROMPT.split("\n")) {
    await output.getByText(`echo: ${line}`, { exact: true }).waitFor({ timeout: 15_000 });
  }
  const header = page.getByRole("main").locator("header");
  await header.getByText("Succeeded", { exact: true }).waitFor({ timeout: 15_000 });
  // The lines arrive in order, and the final text panel holds the prompt.
  const stdout = await output.locator("[data-stream=stdout] [data-line]").allTextContents();
  expect(stdout).toEqual(PROMPT.split("\n").map((line) => `echo: ${line}`));
  const finalText = page.getByTestId("run-final-text");
  await finalText.waitFor();
  expect(await finalText.textContent()).toBe(PROMPT);
  await expect(main(page).getByRole("button", { name: "Cancel run" }).count()).resolves.toBe(0);
  const run = await host.api("GET", `/api/heartbeat-runs/${runId}`);
  expect(run).toMatchObject({ status: "succeeded", exitCode: 0, resultJson: { finalText: PROMPT } });

  await page.waitForLoadState("networkidle");
  await screenshot("agent-runs-echo-run-light");
  await darkShot(browser, page.url(), "echo: Ship it", "agent-runs-echo-run");

  // The raw log holds the same lines.
  await page.getByRole("tab", { name: /Raw log/ }).click();
  await shows(page, /echo: Plan the sprint\s+echo: Write the tests/);

  // Back on the agent's page, the run is listed as succeeded with its prompt.
  await page.goto(`${host.baseUrl}/ACM/agents/${agent.urlKey}`);
  const recent = main(page)
    .getByRole("row")
    .filter({ hasText: runId.slice(0, 8) });
  await recent.getByText("Succeeded").waitFor();
  await recent.getByText("Plan the sprint").waitFor();
  await page.waitForLoadState("networkidle");
  await screenshot("agent-runs-agent-light");
  await darkShot(browser, page.url(), runId.slice(0, 8), "agent-runs-agent");
});

test("a process agent streams stdout and stderr live and is cancelled from the run page", {
  timeout: TEST_TIMEOUT_MS,
}, async ({ host, page, browser, screenshot }) => {
  const c = await company(host);
  const agent: Agent = await host.api("POST", `/api/companies/${c}/agents`, {
    name: "Ticker",
    role: "devops",
    title: "Counts forever",
    adapterType: "process",
    adapterConfig: { command: process.execPath, args: ["-e", TICKER], timeoutSec: 120 },
  });
  await page.setViewportSize(SHOT_VIEWPORT);
  await page.goto(`${host.baseUrl}/ACM/agents/${agent.urlKey}`);
  await page.getByRole("heading", { name: "Ticker" }).waitFor();
  await shows(page, "Counts forever");

  const runId = await runNow(page, "count");
  const output = page.getByRole("log", { name: "Run output" });
  await output.getByText("tick 4", { exact: true }).waitFor({ timeout: 20_000 });
  await main(page).getByText("Live", { exact: true }).waitFor();
  // stderr lines are marked (and tinted) as such.
  await output.locator("[data-stream=stderr]").filter({ hasText: "warn 3" }).waitFor();
  await expect(main(page).locator("header").getByText("Running", { exact: true }).count()).resolves.toBe(1);
  // The sidebar counts the run in progress.
  const badge = page.getByTestId("live-runs-badge");
  await badge.waitFor({ timeout: 10_000 });
  expect(await badge.textContent()).toContain("1");
  await screenshot("agent-runs-process-running-light");
  await darkShot(browser, page.url(), "tick 2", "agent-runs-process-running");

  // Scrolling up stops following the output; "Jump to latest" returns to it.
  await output.getByText("tick 26", { exact: true }).waitFor({ timeout: 20_000 });
  const scroll = () =>
    output.evaluate((element) => {
      const { scrollTop, scrollHeight, clientHeight } = element as unknown as Scrollable;
      return { top: scrollTop, fromBottom: scrollHeight - scrollTop - clientHeight };
    });
  // A wheel turn up, as a reader does.
  await output.hover();
  await page.mouse.wheel(0, -5_000);
  const jump = main(page).getByRole("button", { name: "Jump to latest" });
  await jump.waitFor();
  await expect.poll(async () => (await scroll()).top).toBe(0);
  await output.getByText("tick 34", { exact: true }).waitFor({ timeout: 20_000 });
  expect((await scroll()).top).toBe(0);
  await jump.click();
  await expect.poll(async () => (await scroll()).fromBottom).toBeLessThan(30);

  await main(page).getByRole("button", { name: "Cancel run" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Cancel this run?" });
  await confirm.getByRole("button", { name: "Cancel run" }).click();
  await main(page).locator("header").getByText("Cancelled", { exact: true }).waitFor({ timeout: 15_000 });
  await expect(main(page).getByRole("button", { name: "Cancel run" }).count()).resolves.toBe(0);
  await expect
    .poll(async () => (await host.api("GET", `/api/heartbeat-runs/${runId}`)).status)
    .toBe("cancelled");
  // The process is gone: no new output arrives.
  const lines = await output.locator("[data-stream=stdout]").count();
  await page.waitForTimeout(1_000);
  expect(await output.locator("[data-stream=stdout]").count()).toBe(lines);
  await badge.waitFor({ state: "detached", timeout: 10_000 });
  await page.waitForLoadState("networkidle");
  await screenshot("agent-runs-process-cancelled-light");
  await darkShot(browser, page.url(), "Cancelled", "agent-runs-process-cancelled");

  // The agent's page lists the cancelled run and shows the process adapter's settings.
  await page.goto(`${host.baseUrl}/ACM/agents/${agent.urlKey}`);
  await main(page)
    .getByRole("row")
    .filter({ hasText: runId.slice(0, 8) })
    .getByText("Cancelled")
    .waitFor();
  await shows(page, "120 s");
  await page.waitForLoadState("networkidle");
  await screenshot("agent-runs-process-agent-light");
});

test("the adapter dialog validates and saves; an API key is created once, copied and revoked", {
  timeout: TEST_TIMEOUT_MS,
}, async ({ host, page, browser }) => {
  const agent = await echo(host);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`${host.baseUrl}/ACM/agents/${agent.urlKey}`);
  await page.getByRole("heading", { name: "Echo Bot" }).waitFor();

  // ── adapter ──
  const adapter = main(page).getByRole("region", { name: /Adapter/ });
  await adapter.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit the adapter of Echo Bot" });
  await dialog.waitFor();
  const delay = dialog.getByLabel("Delay between lines (ms)");
  await delay.fill("soon");
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await dialog.getByLabel("Variable 1 name").fill("9LIVES");
  await dialog.getByLabel("Variable 1 value").fill("x");
  await dialog.getByRole("button", { name: "Save adapter" }).click();
  await dialog.getByText("Delay must be a whole number of milliseconds from 0 to 60000").waitFor();
  await dialog.getByText(/^Environment: variable 9LIVES/).waitFor();
  await expect(delay.getAttribute("aria-invalid")).resolves.toBe("true");
  await saveScreenshot(page, "agent-runs-adapter-dialog-light");
  await delay.fill("40");
  await dialog.getByLabel("Variable 1 name").fill("LOG_LEVEL");
  await dialog.getByLabel("Variable 1 value").fill("debug");
  // Switching to process asks for a command.
  await dialog.getByRole("combobox", { name: "Adapter type" }).click();
  await page.getByRole("option", { name: "process" }).click();
  await dialog.getByRole("button", { name: "Save adapter" }).click();
  await dialog.getByText("Command is required").waitFor();
  await dialog.getByRole("combobox", { name: "Adapter type" }).click();
  await page.getByRole("option", { name: "echo" }).click();
  await dialog.getByLabel("Delay between lines (ms)").fill("40");
  await dialog.getByRole("button", { name: "Save adapter" }).click();
  await dialog.waitFor({ state: "detached" });
  await adapter.getByText("40 ms between lines").waitFor();
  await adapter.getByText("debug").waitFor();
  const saved: Agent = await host.api("GET", `/api/agents/${agent.id}`);
  expect(saved.adapterConfig).toEqual({ delayMs: 40, env: { LOG_LEVEL: "debug" } });

  // ── API keys ──
  const keys = main(page).getByRole("region", { name: "API keys" });
  await keys.getByText("No API keys").waitFor();
  await keys.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog", { name: "New API key for Echo Bot" });
  await create.getByLabel("Name").fill("ci-runner");
  await create.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByRole("dialog", { name: /Copy the key “ci-runner” now/ });
  const token = (await shown.getByTestId("agent-key-token").textContent()) ?? "";
  expect(token.length).toBeGreaterThan(20);
  await shown.getByRole("button", { name: "Copy token" }).click();
  await shown.getByRole("button", { name: "Copied" }).waitFor();
  const clipboard = () =>
    page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
  await expect(clipboard()).resolves.toBe(token);
  await saveScreenshot(page, "agent-runs-key-token-light");
  await shown.getByRole("button", { name: "Done" }).click();
  await shown.waitFor({ state: "detached" });
  // The token is never shown again; the key is listed.
  await keys.getByText("ci-runner").waitFor();
  await expect(page.getByText(token).count()).resolves.toBe(0);
  const listed = await host.api("GET", `/api/agents/${agent.id}/keys`);
  expect(listed.map((key: { name: string }) => key.name)).toContain("ci-runner");

  await keys.getByRole("button", { name: "Revoke key ci-runner" }).click();
  const revoke = page.getByRole("alertdialog", { name: /Revoke the key "ci-runner"/ });
  await revoke.getByRole("button", { name: "Revoke key" }).click();
  await revoke.waitFor({ state: "detached" });
  await expect
    .poll(async () => {
      const after = await host.api("GET", `/api/agents/${agent.id}/keys`);
      const key = after.find((item: { name: string }) => item.name === "ci-runner");
      return !key || Boolean(key.revokedAt);
    })
    .toBe(true);
  await expect.poll(() => keys.getByRole("button", { name: "Revoke key ci-runner" }).count()).toBe(0);
  await darkShot(browser, page.url(), "40 ms between lines", "agent-runs-agent-settings");
});

test("the dashboard shows the runs in progress", { timeout: TEST_TIMEOUT_MS }, async ({
  host,
  page,
  screenshot,
}) => {
  const c = await company(host);
  const agent: Agent = await host.api("POST", `/api/companies/${c}/agents`, {
    name: "Slow Echo",
    role: "qa",
    adapterType: "echo",
    adapterConfig: { delayMs: 400 },
  });
  // The card follows the company event stream, which starts when it opens: wake the agent only after that.
  const streamOpen = page.waitForResponse((response) =>
    /\/api\/companies\/[^/]+\/events\/stream/.test(response.url()),
  );
  await page.goto(`${host.baseUrl}/ACM/dashboard`);
  await streamOpen;
  const card = main(page).getByRole("region", { name: "Live runs" });
  await card.getByText("No agent is working right now").waitFor();
  const lines = Array.from({ length: 12 }, (_, index) => `step ${index + 1}`).join("\n");
  await host.api("POST", `/api/agents/${agent.id}/wakeup`, { payload: { prompt: lines } });
  // The company event stream refreshes the card: the run appears, then leaves once done.
  await card.getByText("Slow Echo").waitFor({ timeout: 15_000 });
  await card.getByText("step 1").waitFor();
  await page.waitForTimeout(500);
  await screenshot("agent-runs-dashboard-light");
  await card.getByText("No agent is working right now").waitFor({ timeout: 30_000 });
});
