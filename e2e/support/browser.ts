// Debian's Chromium driven by playwright-core (no browser download: /usr/bin/chromium, from apt). One browser per
// test run, launched on first use with a fresh, empty profile folder that is removed when the run ends; each test
// gets its own browser context (no cookies or storage carried over) and page.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "./host.js";

export const CHROMIUM_PATH = process.env.PAPERCLIP_E2E_CHROMIUM || "/usr/bin/chromium";

/** As the machine notes say: without the background-networking flags Chromium calls out on every start. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS_DIR = path.join(REPO_ROOT, "e2e/artifacts");

/** Wait for Chromium to appear (an `apt-get install chromium` may still be running), up to `timeoutMs`. */
export async function waitForChromium(timeoutMs = 10 * 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!existsSync(CHROMIUM_PATH)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y chromium\` ` +
          "(or point PAPERCLIP_E2E_CHROMIUM at a Chromium binary)",
      );
    }
    if (!told) {
      told = true;
      console.warn(`Waiting for Chromium at ${CHROMIUM_PATH} (is apt-get still installing it?)…`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return CHROMIUM_PATH;
}

/**
 * Launch headless Chromium. Playwright starts it with a new temporary `--user-data-dir` of its own (a fresh,
 * empty profile for this run), which it deletes on close.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await waitForChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface PageProblems {
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[];
  /** Tolerate errors matching `pattern` (e.g. an expected failing request) in this test. */
  allow(pattern: RegExp): void;
  /** The errors not allowed. */
  unexpected(): string[];
}

/** Record the console errors and uncaught exceptions of a page. */
export function watchPage(page: Page): PageProblems {
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    const where = message.location();
    const at = where.url ? ` (${where.url}:${where.lineNumber})` : "";
    errors.push(`console.error: ${message.text()}${at}`);
  });
  page.on("pageerror", (error) => {
    errors.push(`uncaught ${error.name}: ${error.message}`);
  });
  return {
    errors,
    allow: (pattern) => {
      allowed.push(pattern);
    },
    unexpected: () => errors.filter((error) => !allowed.some((pattern) => pattern.test(error))),
  };
}

/** Save a PNG of the page as e2e/artifacts/<name>.png and return its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const safe = name.replace(/[^a-zA-Z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "screenshot";
  const file = path.join(ARTIFACTS_DIR, `${safe}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A dark-mode screenshot of `url` in a context of its own (`colorScheme: "dark"`), once `ready` resolves; the page
 * must show no unexpected console error. The light one is the test's own page.
 */
export async function darkScreenshot(
  browser: Browser,
  url: string,
  name: string,
  ready: (page: Page) => Promise<unknown>,
  viewport = { width: 1280, height: 800 },
): Promise<void> {
  const context = await browser.newContext({ viewport, colorScheme: "dark" });
  const page = await context.newPage();
  const problems = watchPage(page);
  try {
    await page.goto(url);
    await ready(page);
    await page.waitForTimeout(300);
    await saveScreenshot(page, name);
    if (problems.unexpected().length > 0) {
      throw new Error(`The dark page ${url} logged errors:\n${problems.unexpected().join("\n")}`);
    }
  } finally {
    await context.close();
  }
}
