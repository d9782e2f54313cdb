import { darkScreenshot } from "./support/browser.js";
import type { E2eHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

const KEY = "paperclip.hello-world";
/** A grant change restarts the worker before the answer comes back: allow for a slow, shared machine. */
const RESTART = { timeout: 30_000 };

async function pluginId(host: E2eHost): Promise<string> {
  const plugins = await host.api<{ id: string; pluginKey: string; status: string }[]>("GET", "/api/plugins");
  const plugin = plugins.find((item) => item.pluginKey === KEY);
  if (!plugin) throw new Error(`${KEY} is not installed`);
  expect(plugin.status).toBe("ready");
  return plugin.id;
}

test("shows the sandbox of a running example and grants and revokes child processes", {
  timeout: 180_000,
}, async ({ host, page, browser, screenshot }) => {
  // The host said at start, before any worker ran, what the sandbox covers here.
  expect(host.output()).toMatch(/plugin sandbox: Node v\d+\.\d+\.\d+ permission model/);
  expect(host.output()).toMatch(
    /plugin network isolation: each worker runs in its own empty network namespace/,
  );
  const id = await pluginId(host);
  const url = `${host.baseUrl}/instance/settings/plugins/${id}?tab=sandbox`;
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.goto(url);
  await page.getByRole("heading", { name: "Hello World", level: 1 }).waitFor();
  const isolation = page.getByText("Isolation", { exact: true });
  await isolation.waitFor();
  await expect.poll(() => page.getByText("Sandboxed", { exact: true }).count()).toBe(1);
  await page.getByText("Own namespace").waitFor();
  await page.getByText(/^May read \(\d+\)$/).waitFor();
  await page
    .getByText(/plugin-data\/paperclip\.hello-world/)
    .first()
    .waitFor();
  expect(await page.getByText("Nothing granted").count()).toBe(1);
  await screenshot("plugin-sandbox-light");
  await darkScreenshot(
    browser,
    url,
    "plugin-sandbox-dark",
    (dark) => dark.getByText(/^May read \(\d+\)$/).waitFor(),
    { width: 1280, height: 1100 },
  );

  // Granting asks first, naming the risk.
  const childProcesses = page.getByRole("switch", { name: "Child processes" });
  expect(await childProcesses.getAttribute("aria-checked")).toBe("false");
  await childProcesses.click();
  const confirm = page.getByRole("alertdialog", {
    name: /Grant “Child processes” to paperclip\.hello-world\?/,
  });
  await confirm.waitFor();
  await confirm.getByText(/Child processes run outside Node's permission model/).waitFor();
  await screenshot("plugin-sandbox-confirm");
  await confirm.getByRole("button", { name: "Grant and restart" }).click();
  await confirm.waitFor({ state: "detached", ...RESTART });
  await expect.poll(() => childProcesses.getAttribute("aria-checked"), RESTART).toBe("true");
  await page.getByText(/Granted childProcess: Child processes run outside/).waitFor(RESTART);
  const sandbox = await host.api<{
    grants: { childProcess: boolean };
    worker: { grants: { childProcess: boolean } };
  }>("GET", `/api/plugins/${id}/sandbox`);
  expect(sandbox.grants.childProcess).toBe(true);
  expect(sandbox.worker.grants.childProcess).toBe(true);
  await screenshot("plugin-sandbox-granted");

  // Revoking needs no confirmation: it only narrows the sandbox.
  await childProcesses.click();
  await expect.poll(() => childProcesses.getAttribute("aria-checked"), RESTART).toBe("false");
  await expect.poll(() => page.getByText(/Granted childProcess/).count(), RESTART).toBe(0);
  const after = await host.api<{ grants: { childProcess: boolean } }>("GET", `/api/plugins/${id}/sandbox`);
  expect(after.grants.childProcess).toBe(false);
});
