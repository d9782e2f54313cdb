// The Metrics tab of a plugin in a real browser: first the empty state of an example nobody has called yet, then the
// figures and charts after a few seconds of bridge actions (the host samples every 500 ms here instead of 10 s, so
// the history fills within the test). Screenshots, light and dark, go to e2e/artifacts/.
import { afterAll, beforeAll } from "vitest";
import { saveScreenshot, watchPage } from "./support/browser.js";
import { type E2eHost, startHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

const KEY = "paperclip.hello-world";
let host: E2eHost;

beforeAll(async () => {
  host = await startHost({ env: { PAPERCLIP_METRICS_SAMPLE_MS: "500" } });
}, 120_000);

afterAll(async () => {
  await host?.stop();
});

test("shows a plugin's empty metrics, then charts of its calls, in light and dark", {
  timeout: 120_000,
}, async ({ page, browser, screenshot }) => {
  const plugins = await host.api<{ id: string; pluginKey: string; status: string }[]>("GET", "/api/plugins");
  const plugin = plugins.find((item) => item.pluginKey === KEY);
  expect(plugin?.status).toBe("ready");
  const url = `${host.baseUrl}/instance/settings/plugins/${plugin?.id}?tab=metrics`;

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  await page.getByRole("heading", { name: "Hello World", level: 1 }).waitFor();
  await page.getByText("No traffic yet").waitFor();
  await page.getByText("Restarts", { exact: true }).waitFor();
  await screenshot("plugin-metrics-empty-light");

  // A few seconds of traffic: pings spread over several samples, and calls of an action the worker does not have.
  const [company] = await host.api<{ id: string }[]>("GET", "/api/companies");
  for (let round = 0; round < 8; round++) {
    for (let call = 0; call < 5; call++) {
      await host.api("POST", `/api/plugins/${KEY}/actions/ping`, {
        companyId: company?.id,
        params: { message: `round ${round}` },
      });
    }
    if (round % 3 === 0) {
      await host.api("POST", `/api/plugins/${KEY}/actions/no-such-action`, { companyId: company?.id }, true);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const view = await host.api<{ current: { calls: number; errors: number }; history: unknown[] }>(
    "GET",
    `/api/plugins/${KEY}/metrics`,
  );
  expect(view.current.calls).toBeGreaterThanOrEqual(43);
  expect(view.current.errors).toBeGreaterThanOrEqual(3);
  expect(view.history.length).toBeGreaterThan(3);

  await page.reload();
  await page.getByRole("heading", { name: "Calls per second" }).waitFor();
  await page.getByRole("img", { name: /Latency p50 and p95/ }).waitFor();
  await page.getByRole("heading", { name: "Calls by method" }).waitFor();
  await page.getByRole("cell", { name: "performAction" }).waitFor();
  expect(await page.getByText("No traffic yet").count()).toBe(0);
  await screenshot("plugin-metrics-light");

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: "dark" });
  const dark = await context.newPage();
  const problems = watchPage(dark);
  try {
    await dark.goto(url);
    await dark.getByRole("heading", { name: "Calls by method" }).waitFor();
    await dark.waitForTimeout(300);
    await saveScreenshot(dark, "plugin-metrics-dark");
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
});
