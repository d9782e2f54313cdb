// Authenticated mode in the browser: a host started with PAPERCLIP_DEPLOYMENT_MODE=authenticated and a first admin
// made with `paperclip user create` shows its sign-in page; a wrong password gets a clear error; the right one
// opens the board; the user menu names the person and signs out. Screenshots light and dark, plus the API keys page
// and the members section of the company settings.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { saveScreenshot, watchPage } from "./support/browser.js";
import { type E2eHost, HOST_CLI, REPO_ROOT, startHost } from "./support/host.js";
import { expect, test } from "./support/test.js";

const EMAIL = "ada@example.com";
const PASSWORD = "analytical engine 1843";

let host: E2eHost;
let instance: string;

/** `paperclip user create` on the instance folder before the host starts (it then owns the embedded database). */
function createUser(email: string, name: string, password: string): void {
  const result = spawnSync(
    process.execPath,
    [
      HOST_CLI,
      "user",
      "create",
      "--data-dir",
      instance,
      "--email",
      email,
      "--name",
      name,
      "--password-stdin",
    ],
    { cwd: REPO_ROOT, input: password, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } },
  );
  if (result.status !== 0) throw new Error(`paperclip user create failed: ${result.stderr}${result.stdout}`);
}

beforeAll(async () => {
  instance = mkdtempSync(path.join(tmpdir(), "paperclip-e2e-auth-"));
  createUser(EMAIL, "Ada Lovelace", PASSWORD);
  createUser("grace@example.com", "Grace Hopper", "cobol and compilers");
  host = await startHost({
    // The later --data-dir wins: the instance folder that already holds the users.
    args: ["--data-dir", instance],
    env: {
      PAPERCLIP_DEPLOYMENT_MODE: "authenticated",
      PAPERCLIP_AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123",
    },
    // Plugins are listed only to signed-in people; the board does not wait for them here.
    waitForPlugins: false,
  });
}, 180_000);

afterAll(async () => {
  await host?.stop();
  rmSync(instance, { recursive: true, force: true });
});

async function signIn(page: Page, password = PASSWORD) {
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("signs in, sees the board, and signs out", { timeout: 120_000 }, async ({
  page,
  problems,
  screenshot,
}) => {
  // Asking who is signed in before signing in, and the wrong password, answer 401 on purpose.
  problems.allow(/status of 401/);
  const anonymous = await fetch(`${host.baseUrl}/api/companies`);
  expect(anonymous.status).toBe(401);

  await page.goto(`${host.baseUrl}/`);
  await page.getByRole("heading", { name: "Sign in to Paperclip" }).waitFor();
  await screenshot("auth-login-light");

  // Empty fields are named before anything is sent.
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Enter your email address").waitFor();

  await signIn(page, "not the password");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toContain("Invalid email or password");
  await screenshot("auth-login-error-light");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The board: the demo company's dashboard with the person in the top bar.
  await page.waitForURL(/\/ACM\/dashboard$/, { timeout: 30_000 });
  const menu = page.getByTestId("user-menu");
  await menu.waitFor();
  expect(await menu.getAttribute("aria-label")).toBe("Account: Ada Lovelace");
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await page.getByText("Open issues", { exact: true }).waitFor();
  await screenshot("auth-board-light");

  await menu.click();
  await page.getByRole("menuitem", { name: "Sign out" }).waitFor();
  await screenshot("auth-user-menu-light");
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Paperclip" }).waitFor();
  // The session is gone on the host too.
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === "paperclip.session_token");
  const after = await fetch(`${host.baseUrl}/api/me`, {
    headers: session ? { cookie: `${session.name}=${session.value}` } : {},
  });
  expect(after.status).toBe(401);
});

test("API keys and company members, light and dark", { timeout: 120_000 }, async ({
  page,
  problems,
  browser,
  screenshot,
}) => {
  problems.allow(/status of 401/);
  await page.goto(`${host.baseUrl}/instance/account/api-keys`);
  await signIn(page);
  await page.getByRole("heading", { name: "API keys" }).waitFor();
  await page.getByText("No API keys yet").waitFor();
  await page.getByRole("button", { name: "Create key" }).first().click();
  await page.getByLabel("Name").fill("deploy-script");
  await page.getByRole("dialog").getByRole("button", { name: "Create key" }).click();
  const token = (await page.getByTestId("api-key-token").textContent()) ?? "";
  expect(token).toMatch(/^pck_[0-9a-f]{48}$/);
  await screenshot("auth-api-key-created-light");
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByText("deploy-script").waitFor();
  await screenshot("auth-api-keys-light");
  // The token works for a script.
  const scripted = await fetch(`${host.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(((await scripted.json()) as { user: { email: string } }).user.email).toBe(EMAIL);

  // Members of the demo company: add Grace (as a member, the default role).
  await page.goto(`${host.baseUrl}/ACM/company/settings`);
  await page.getByRole("heading", { name: "Members" }).waitFor();
  await page.getByRole("button", { name: "Add member" }).click();
  await page.getByRole("dialog").getByLabel("Email").fill("grace@example.com");
  await page.getByRole("dialog").getByRole("button", { name: "Add member" }).click();
  await page.getByRole("list", { name: "Members" }).getByText("Grace Hopper").waitFor();
  await page.getByRole("button", { name: "Dismiss notification" }).click();
  await showMembers(page);
  await screenshot("auth-members-light");

  await darkShots(browser);
});

/** Scroll the board's main area so the members section is at the top of the screenshot. */
async function showMembers(page: Page) {
  await page
    .getByRole("heading", { name: "Members" })
    // The e2e files are typed without the DOM library: the element is described by what is called on it.
    .evaluate((heading) =>
      (heading as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: "start" }),
    );
  await page.waitForTimeout(200);
}

/** The same screens in a dark color scheme (its own context: signs in again). */
async function darkShots(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
  const page = await context.newPage();
  const problems = watchPage(page);
  problems.allow(/status of 401/);
  try {
    await page.goto(`${host.baseUrl}/`);
    await page.getByRole("heading", { name: "Sign in to Paperclip" }).waitFor();
    await saveScreenshot(page, "auth-login-dark");
    await signIn(page, "still not the password");
    await page.getByRole("alert").waitFor();
    await saveScreenshot(page, "auth-login-error-dark");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/ACM\/dashboard$/, { timeout: 30_000 });
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await saveScreenshot(page, "auth-board-dark");
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).waitFor();
    await saveScreenshot(page, "auth-user-menu-dark");
    await page.keyboard.press("Escape");
    await page.goto(`${host.baseUrl}/instance/account/api-keys`);
    await page.getByText("deploy-script").waitFor();
    await saveScreenshot(page, "auth-api-keys-dark");
    await page.goto(`${host.baseUrl}/ACM/company/settings`);
    await page.getByRole("list", { name: "Members" }).getByText("Grace Hopper").waitFor();
    await showMembers(page);
    await saveScreenshot(page, "auth-members-dark");
    expect(problems.unexpected()).toEqual([]);
  } finally {
    await context.close();
  }
}
