// The `test` every browser spec uses: Vitest's, with fixtures.
//   host        a real host (`paperclip start`, fresh instance folder, free port), one per spec file
//   browser     headless Chromium, one per test run (specs run one after another in a single worker)
//   page        a new page in a new browser context per test; the test FAILS if the page logged a console
//               error or threw an uncaught exception (tolerate an expected one with `problems.allow(/…/)`)
//   problems    the page's console errors and page errors so far
//   screenshot  screenshot(name) saves a PNG of the page as e2e/artifacts/<name>.png
// A failing test also leaves e2e/artifacts/failed-<test name>.png (errors-<test name>.png for page errors).
import type { Browser, Page } from "playwright-core";
import { test as base } from "vitest";
import { launchBrowser, type PageProblems, saveScreenshot, watchPage } from "./browser.js";
import { type E2eHost, startHost } from "./host.js";

export { expect } from "vitest";

export interface E2eFixtures {
  host: E2eHost;
  browser: Browser;
  page: Page;
  problems: PageProblems;
  screenshot: (name: string) => Promise<string>;
}

interface PageState {
  page: Page;
  problems: PageProblems;
}

export const test = base
  .extend<{ browser: Browser }>({
    browser: [
      // biome-ignore lint/correctness/noEmptyPattern: Vitest reads the fixtures a fixture needs from this pattern.
      async ({}, use) => {
        const browser = await launchBrowser();
        await use(browser);
        await browser.close();
      },
      { scope: "worker" },
    ],
  })
  .extend<{ host: E2eHost }>({
    host: [
      // biome-ignore lint/correctness/noEmptyPattern: Vitest reads the fixtures a fixture needs from this pattern.
      async ({}, use) => {
        const host = await startHost();
        await use(host);
        await host.stop();
      },
      { scope: "file" },
    ],
  })
  .extend<{ pageState: PageState }>({
    pageState: async ({ browser, task }, use) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems = watchPage(page);
      await use({ page, problems });
      if (task.result?.state === "fail") await saveScreenshot(page, `failed-${task.name}`).catch(() => {});
      // Let late errors (a rejected fetch after the last assertion) surface before judging.
      await page.waitForTimeout(100).catch(() => {});
      const unexpected = problems.unexpected();
      if (unexpected.length > 0) await saveScreenshot(page, `errors-${task.name}`).catch(() => {});
      await context.close();
      if (unexpected.length > 0) {
        throw new Error(`The page reported ${unexpected.length} error(s):\n${unexpected.join("\n")}`);
      }
    },
  })
  .extend<Omit<E2eFixtures, "host" | "browser">>({
    page: async ({ pageState }, use) => use(pageState.page),
    problems: async ({ pageState }, use) => use(pageState.problems),
    screenshot: async ({ pageState }, use) => use((name: string) => saveScreenshot(pageState.page, name)),
  });
