// The plugin Network tab in a real browser: a fixture plugin (packages/server/test/security/fixtures/egress-plugin)
// makes outbound calls through the host (refused: loopback, cloud metadata, a file: URL; completed with 200 and
// 404; failed at its deadline) and the table shows each with its result in colour; the policy form shows the
// host's 400 under the field it names, then saves. Light and dark screenshots go to e2e/artifacts/. Nothing leaves
// the machine: every target is a server on 127.0.0.1 or an address refused before connecting.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { darkScreenshot } from "./support/browser.js";
import { type E2eHost, REPO_ROOT } from "./support/host.js";
import { expect, test } from "./support/test.js";

const FIXTURE = path.join(REPO_ROOT, "packages/server/test/security/fixtures/egress-plugin");
const made: string[] = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url?.startsWith("/missing")) {
      response.statusCode = 404;
      response.end("not here");
    } else if (request.url?.startsWith("/slow")) {
      response.writeHead(200);
      response.write("…");
    } else {
      response.end(JSON.stringify({ ok: true, items: [1, 2, 3] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function installFixture(host: E2eHost): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "paperclip-e2e-egress-"));
  made.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  // The SDK resolves from the repository's node_modules, as for the examples in place.
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const plugin = await host.api<{ id: string; status: string }>("POST", "/api/plugins/install", {
    packageName: dir,
    isLocalPath: true,
  });
  expect(plugin.status).toBe("ready");
  return plugin.id;
}

async function fetchVia(host: E2eHost, pluginId: string, url: string) {
  const answer = await host.api<{ data: { ok: boolean; error?: { message: string } } }>(
    "POST",
    `/api/plugins/${pluginId}/actions/fetch`,
    { params: { url } },
  );
  return answer.data;
}

test("the Network tab shows outbound calls and edits the egress policy", { timeout: 120_000 }, async ({
  host,
  page,
  browser,
  problems,
  screenshot,
}) => {
  const pluginId = await installFixture(host);
  const url = `${host.baseUrl}/instance/settings/plugins/${pluginId}?tab=network`;

  // Empty state first.
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(url);
  await page.getByText("No outbound calls yet").waitFor();
  await expect(page.getByText("Default policy").isVisible()).resolves.toBe(true);
  await page.getByText("No outbound calls yet").scrollIntoViewIfNeeded();
  await screenshot("plugin-network-empty");

  // Calls: refused (loopback, metadata, file:), then granted ones (200, 404) and one at its deadline.
  expect((await fetchVia(host, pluginId, `http://127.0.0.1:${port}/refused?token=secret`)).ok).toBe(false);
  expect((await fetchVia(host, pluginId, "http://169.254.169.254/latest/meta-data/")).ok).toBe(false);
  expect((await fetchVia(host, pluginId, "file:///etc/passwd")).ok).toBe(false);
  await host.api("PUT", `/api/plugins/${pluginId}/egress`, {
    mode: "any-public",
    privateGrants: ["127.0.0.1"],
    timeoutMs: 300,
  });
  expect((await fetchVia(host, pluginId, `http://127.0.0.1:${port}/v1/items?page=2`)).ok).toBe(true);
  expect((await fetchVia(host, pluginId, `http://127.0.0.1:${port}/missing`)).ok).toBe(true);
  expect((await fetchVia(host, pluginId, `http://127.0.0.1:${port}/slow`)).ok).toBe(false);

  await page.getByRole("button", { name: "Reload outbound calls" }).click();
  const rows = page.getByRole("table", { name: "Outbound calls, newest first" }).locator("tbody tr");
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(6);
  await expect(page.locator('[data-outcome="refused"]').count()).resolves.toBe(3);
  await expect(
    page
      .locator('[data-outcome="failed"]')
      .getByText(/timed out after 300 ms/)
      .count(),
  ).resolves.toBe(1);
  await expect(page.getByText("token=secret").count()).resolves.toBe(0);

  // The form: a URL as an allowed entry is refused by the host (the browser logs the 400), under the field.
  problems.allow(/status of 400 \(Bad Request\).*\/egress/);
  await page.reload();
  await page.getByText("Allow-list only").click();
  const allowed = page.getByLabel("Allowed hosts");
  await allowed.fill(`https://api.example.com\n127.0.0.1:${port}/v1`);
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.getByText(/"https:\/\/api\.example\.com": leave out the scheme/).waitFor();
  await screenshot("plugin-network-error");

  await allowed.fill(`api.example.com/v1\n127.0.0.1:${port}/v1`);
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.getByText(/Changed .* by local-board/).waitFor();
  const saved = await host.api<{ mode: string; allow: string[] }>("GET", `/api/plugins/${pluginId}/egress`);
  expect(saved).toMatchObject({ mode: "allow-list", allow: ["api.example.com/v1", `127.0.0.1:${port}/v1`] });

  // Under the new policy a path outside /v1 is refused on the next call.
  expect((await fetchVia(host, pluginId, `http://127.0.0.1:${port}/admin`)).error?.message).toMatch(
    /outside the allowed path prefixes/,
  );
  await page.getByRole("button", { name: "Reload outbound calls" }).click();
  await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(7);
  await page.waitForTimeout(300);
  await screenshot("plugin-network");
  await rows.last().scrollIntoViewIfNeeded();
  await screenshot("plugin-network-calls");
  const tall = { width: 1280, height: 1000 };
  await darkScreenshot(
    browser,
    url,
    "plugin-network-top-dark",
    (dark) => dark.getByRole("table", { name: "Outbound calls, newest first" }).waitFor(),
    tall,
  );
  await darkScreenshot(
    browser,
    url,
    "plugin-network-dark",
    async (dark) => {
      const table = dark.getByRole("table", { name: "Outbound calls, newest first" });
      await table.waitFor();
      await table.scrollIntoViewIfNeeded();
    },
    tall,
  );
});
