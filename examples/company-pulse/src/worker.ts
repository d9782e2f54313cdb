// The Company Pulse worker: one data handler, `issue-activity`, that reads the company's issues through
// ctx.issues (page by page) and counts those created and closed per day.
import { definePlugin, type PluginContext, runWorker } from "@paperclipai/plugin-sdk";
import type { Issue } from "@paperclipai/plugin-sdk/types";
import { checkTimeZone, DEFAULT_DAYS, issueActivity, MAX_DAYS } from "./activity.js";
import { ACTIVITY_DATA_KEY } from "./manifest.js";

const PAGE_SIZE = 500;

async function allIssues(ctx: PluginContext, companyId: string): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await ctx.issues.list({ companyId, limit: PAGE_SIZE, offset });
    issues.push(...page);
    if (page.length < PAGE_SIZE) return issues;
  }
}

function daysParam(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_DAYS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DAYS)
    throw new Error(`days must be an integer from 1 to ${MAX_DAYS}`);
  return value;
}

const plugin = definePlugin({
  async setup(ctx) {
    ctx.data.register(ACTIVITY_DATA_KEY, async (params) => {
      const companyId = params.companyId;
      if (typeof companyId !== "string" || companyId === "")
        throw new Error(`${ACTIVITY_DATA_KEY} needs a companyId (call it from a company page)`);
      const timeZone = checkTimeZone(typeof params.timeZone === "string" ? params.timeZone : "UTC");
      const days = daysParam(params.days);
      return issueActivity(await allIssues(ctx, companyId), { now: new Date(), days, timeZone });
    });
  },

  async onHealth() {
    return { status: "ok", message: "Company Pulse is running" };
  },
});

export default plugin;

// Starts the JSON-RPC host only when run as `node dist/worker.js`; importing this file (tests) does nothing.
runWorker(plugin, import.meta.url);
