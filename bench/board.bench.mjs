// The board in Chromium on loopback (Debian's /usr/bin/chromium via playwright-core), against a real
// `paperclip start` host serving packages/web/dist:
//   1. JavaScript loaded by the first page (/ACM/dashboard): raw bytes and gzipped (level 9, as Vite reports).
//   2. Navigation → dashboard content visible (h1 and the dashboard's cards), cold cache, median of RUNS.
//   3. Navigation → first page of the issues list visible ("1–50 of 10,003"), with 10,000 issues in the
//      company (bulk-inserted with SQL into a scratch data folder while the host is stopped), cold cache.
// Baseline, same run and host: navigating to a static file of the board (/favicon.svg). Ratios are against it.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { chromium } from "playwright-core";
import { percentile, printTable, repoRoot, round, writeResults } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_BOARD_RUNS ?? 7);
const ISSUES = Number(process.env.BENCH_BOARD_ISSUES ?? 10_000);
const CHROMIUM = process.env.PAPERCLIP_E2E_CHROMIUM || "/usr/bin/chromium";
const cli = join(repoRoot, "packages/server/dist/cli/main.js");

if (!existsSync(join(repoRoot, "packages/web/dist/index.html")) || !existsSync(CHROMIUM)) {
  console.log("skipped: the board is not built (npm run build -w packages/web) or Chromium is missing");
  writeResults("board", { skipped: "board not built or Chromium missing" });
  process.exit(0);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** `paperclip start` on `dataDir` (seeds ACM on first start); resolves once /api/health answers. */
async function startHost(dataDir) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [cli, "start", "--data-dir", dataDir, "--port", String(port), "--log-level", "warn"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) {
        return {
          base,
          stop: () =>
            new Promise((resolve) => {
              child.once("exit", resolve);
              child.kill("SIGTERM");
            }),
        };
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("host did not become healthy");
}

/** 10,000 issues for ACM in one INSERT … SELECT, numbered after the seeded ones. */
async function bulkInsertIssues(dataDir, count) {
  const db = await PGlite.create({ dataDir: join(dataDir, "db") });
  const started = performance.now();
  await db.exec(`
    WITH company AS (SELECT id, issue_prefix, issue_counter FROM companies WHERE issue_prefix = 'ACM')
    INSERT INTO issues (id, company_id, title, description, status, priority, issue_number, identifier,
      created_at, updated_at)
    SELECT gen_random_uuid(), company.id, 'Bulk issue ' || n || ' about ' || (ARRAY['sensors','motors','firmware','docs'])[1 + n % 4],
      'Generated for the board benchmark.', (ARRAY['backlog','todo','in_progress','in_review','done','blocked','cancelled'])[1 + n % 7],
      (ARRAY['critical','high','medium','low'])[1 + n % 4], company.issue_counter + n,
      company.issue_prefix || '-' || (company.issue_counter + n),
      now() - (n || ' minutes')::interval, now() - (n || ' seconds')::interval
    FROM company, generate_series(1, ${count}) AS n;
    UPDATE companies SET issue_counter = issue_counter + ${count} WHERE issue_prefix = 'ACM';
    ANALYZE issues;
  `);
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  return seconds;
}

async function measure(browser, url, waitFor, { collectJs = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const scripts = [];
  if (collectJs) {
    page.on("response", async (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (response.request().resourceType() === "script" || type.includes("javascript")) {
        scripts.push(response.body().then((body) => ({ url: response.url(), body })));
      }
    });
  }
  const started = performance.now();
  await page.goto(url);
  await waitFor(page);
  const ms = performance.now() - started;
  let js;
  if (collectJs) {
    await page.waitForLoadState("networkidle");
    const bodies = await Promise.all(scripts);
    // Plugin bundles (served under /_plugins) are not the board's own JavaScript.
    const own = bodies.filter((item) => !item.url.includes("/_plugins/"));
    js = {
      files: own.length,
      rawKb: round(own.reduce((sum, item) => sum + item.body.length, 0) / 1024, 1),
      gzipKb: round(own.reduce((sum, item) => sum + gzipSync(item.body, { level: 9 }).length, 0) / 1024, 1),
      pluginFiles: bodies.length - own.length,
    };
  }
  await context.close();
  return { ms, js };
}

async function series(browser, url, waitFor) {
  await measure(browser, url, waitFor); // warm the host (not the browser: every run is a new context)
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push((await measure(browser, url, waitFor)).ms);
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p90: percentile(times, 90), min: times[0] };
}

const dataDir = mkdtempSync(join(tmpdir(), "paperclip-board-bench-"));
let host;
let browser;
try {
  // First start seeds ACM (and installs the example plugins); then stop, bulk-insert, start again.
  host = await startHost(dataDir);
  await host.stop();
  const insertSeconds = await bulkInsertIssues(dataDir, ISSUES);
  host = await startHost(dataDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });

  const baseline = await series(browser, `${host.base}/favicon.svg`, (page) => page.waitForLoadState("load"));
  const dashboardVisible = (page) =>
    page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor({ timeout: 30_000 });
  const first = await measure(browser, `${host.base}/ACM/dashboard`, dashboardVisible, { collectJs: true });
  const dashboard = await series(browser, `${host.base}/ACM/dashboard`, dashboardVisible);
  const total = new Intl.NumberFormat("en-US").format(ISSUES + 3);
  const issues = await series(browser, `${host.base}/ACM/issues?status=all`, (page) =>
    page.getByText(`1–50 of ${total}`).waitFor({ timeout: 30_000 }),
  );
  const apiTimes = [];
  const company = (await (await fetch(`${host.base}/api/companies`)).json()).find(
    (c) => c.issuePrefix === "ACM",
  );
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await (await fetch(`${host.base}/api/companies/${company.id}/issues?limit=50&includeTotal=true`)).json();
    apiTimes.push(performance.now() - started);
  }
  apiTimes.sort((a, b) => a - b);

  const rows = {
    "baseline: static file (favicon.svg)": {
      medianMs: round(baseline.median, 1),
      p90Ms: round(baseline.p90, 1),
      ratio: 1,
    },
    "dashboard content visible": {
      medianMs: round(dashboard.median, 1),
      p90Ms: round(dashboard.p90, 1),
      ratio: round(dashboard.median / baseline.median, 1),
    },
    [`issues list first page (${total} issues)`]: {
      medianMs: round(issues.median, 1),
      p90Ms: round(issues.p90, 1),
      ratio: round(issues.median / baseline.median, 1),
    },
    "API: first page + total (50 of all)": {
      medianMs: round(percentile(apiTimes, 50), 1),
      p90Ms: round(percentile(apiTimes, 90), 1),
      ratio: round(percentile(apiTimes, 50) / baseline.median, 2),
    },
  };
  printTable(`Board in Chromium on loopback (median of ${RUNS} cold-cache navigations)`, rows);
  printTable("JavaScript loaded by /ACM/dashboard (board's own, plugin bundles aside)", [first.js]);
  console.log(`bulk insert of ${ISSUES} issues: ${round(insertSeconds, 2)} s`);
  writeResults("board", {
    runs: RUNS,
    issues: ISSUES + 3,
    firstPageJs: first.js,
    timings: rows,
    budgets: { gzipKb: 250, dashboardMs: 1000, issuesListMs: 1000 },
  });
} finally {
  await browser?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
