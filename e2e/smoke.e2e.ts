// Smoke: a host started as `npm start` starts it serves the board at / and at deep links, and Chromium opens it
// without a console error.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { WEB_DIST } from "./support/host.js";
import { expect, test } from "./support/test.js";

const boardBuilt = existsSync(path.join(WEB_DIST, "index.html"));

test("the host answers / and deep links with the board's HTML", async ({ host }) => {
  const health = await host.api("GET", "/api/health");
  expect(health).toMatchObject({ status: "ok" });
  const root = await fetch(`${host.baseUrl}/`);
  const rootHtml = await root.text();
  const deep = await fetch(`${host.baseUrl}/XYZ/issues/XYZ-1`);
  const deepHtml = await deep.text();
  expect(root.headers.get("content-type")).toBe("text/html; charset=utf-8");
  if (boardBuilt) {
    expect(root.status).toBe(200);
    expect(rootHtml).toBe(readFileSync(path.join(WEB_DIST, "index.html"), "utf8"));
    expect(deep.status).toBe(200);
    expect(deepHtml).toBe(rootHtml);
  } else {
    // Only while packages/web has no build (global setup builds it whenever packages/web has sources).
    expect(root.status).toBe(503);
    expect(rootHtml).toContain("The Paperclip board is not built");
    expect(deepHtml).toBe(rootHtml);
  }
  // The API keeps its JSON 404s.
  const missing = await fetch(`${host.baseUrl}/api/nope`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: "API route not found" });
});

test("Chromium opens the board", async ({ host, page, problems, screenshot }) => {
  if (!boardBuilt) problems.allow(/status of 503/);
  const response = await page.goto(`${host.baseUrl}/`, { waitUntil: "networkidle" });
  expect(response?.status()).toBe(boardBuilt ? 200 : 503);
  if (boardBuilt) {
    // The app mounted something into the page.
    await page.waitForFunction("document.body.innerText.trim().length > 0", undefined, {
      timeout: 15_000,
    });
  } else {
    await expect(page.locator("h1").textContent()).resolves.toContain("board is not built");
  }
  const file = await screenshot("smoke-home");
  expect(existsSync(file)).toBe(true);
});
