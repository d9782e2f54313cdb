// The Nodes tab of a plugin in a real browser, on a single host: one row, this node's worker of the bundled
// hello-world example — ready, with the pid and version the host reports. Screenshots of the tab, light and dark,
// go to e2e/artifacts/.
import { saveScreenshot, watchPage } from "./support/browser.js";
import { expect, test } from "./support/test.js";

const KEY = "paperclip.hello-world";

interface NodeWorker {
  nodeId: string;
  self: boolean;
  status: string;
  pid: number | null;
  version: string | null;
}

test("lists this node's worker of a running example in the Nodes tab", {
  timeout: 120_000,
}, async ({ host, page, browser, screenshot }) => {
  const plugins = await host.api<{ id: string; pluginKey: string; status: string }[]>("GET", "/api/plugins");
  const plugin = plugins.find((item) => item.pluginKey === KEY);
  expect(plugin?.status).toBe("ready");
  const id = plugin?.id as string;
  const answer = await host.api<{ nodeId: string; nodes: NodeWorker[] }>("GET", `/api/plugins/${KEY}/nodes`);
  expect(answer.nodes).toHaveLength(1);
  const [worker] = answer.nodes as [NodeWorker];
  expect(worker).toMatchObject({ nodeId: answer.nodeId, self: true, status: "ready", version: "0.1.0" });
  expect(worker.pid).toBeGreaterThan(0);

  const url = `${host.baseUrl}/instance/settings/plugins/${id}?tab=nodes`;
  await page.setViewportSize({ width: 1440, height: 720 });
  await page.goto(url);
  await page.getByRole("heading", { name: "Hello World", level: 1 }).waitFor();
  await page.getByText("Workers by node").waitFor();
  const row = page.getByRole("row").filter({ hasText: worker.nodeId });
  await row.waitFor();
  await row.getByText("this node").waitFor();
  await row.getByText("ready", { exact: true }).waitFor();
  await row.getByText(String(worker.pid)).waitFor();
  await row.getByText("v0.1.0").waitFor();
  expect(await page.getByRole("row").count()).toBe(2);
  await screenshot("plugin-nodes-light");

  const context = await browser.newContext({ viewport: { width: 1440, height: 720 }, colorScheme: "dark" });
  const dark = await context.newPage();
  const problems = watchPage(dark);
  try {
    await dark.goto(url);
    await dark
      .getByRole("row")
      .filter({ hasText: worker.nodeId })
      .getByText("ready", { exact: true })
      .waitFor();
    await dark.waitForTimeout(300);
    await saveScreenshot(dark, "plugin-nodes-dark");
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
});
