// The Issue Sync worker. The `sync` job pulls the issues each configured company's tracker changed since that
// company's cursor; the `tracker` webhook applies one pushed change after checking its HMAC signature against
// the company's secret. Both go through mirrorIssue, so the same tracker issue never becomes two issues.
import {
  definePlugin,
  type PluginContext,
  type PluginWebhookInput,
  runWorker,
} from "@paperclipai/plugin-sdk";
import { verifyWebhookSignature } from "@paperclipai/plugin-sdk/webhooks";
import { readConfig, type SyncConfig, validateConfig } from "./config.js";
import { SYNC_JOB, WEBHOOK_ENDPOINT } from "./manifest.js";
import { type MirrorOutcome, mirrorIssue } from "./mirror.js";
import { fetchChangedIssues, parseTrackerEvent } from "./tracker.js";

export const SIGNATURE_HEADER = "x-tracker-signature";

/** Per-company state: where the next pull starts, and what the last one did. */
export const cursorKey = (companyId: string) =>
  ({ scopeKind: "company", scopeId: companyId, stateKey: "sync-cursor" }) as const;
export const lastSyncKey = (companyId: string) =>
  ({ scopeKind: "company", scopeId: companyId, stateKey: "last-sync" }) as const;

export interface SyncSummary {
  companyId: string;
  created: number;
  updated: number;
  unchanged: number;
  cursor: string | null;
}

/** One company's pull: every issue changed since its cursor, then the cursor moves to the newest change. */
export async function syncCompany(
  ctx: PluginContext,
  companyId: string,
  config: SyncConfig,
): Promise<SyncSummary> {
  const previous = await ctx.state.get(cursorKey(companyId));
  const since = typeof previous === "string" ? previous : null;
  const issues = await fetchChangedIssues(ctx.http, config.trackerUrl, since);
  const counts: Record<MirrorOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  let cursor = since;
  for (const issue of issues) {
    counts[await mirrorIssue(ctx, companyId, issue)] += 1;
    if (cursor === null || Date.parse(issue.updatedAt) > Date.parse(cursor)) cursor = issue.updatedAt;
  }
  if (cursor !== since) await ctx.state.set(cursorKey(companyId), cursor);
  const summary = { companyId, ...counts, cursor };
  await ctx.state.set(lastSyncKey(companyId), { ...summary, at: new Date().toISOString() });
  return summary;
}

function headerValue(headers: PluginWebhookInput["headers"], name: string): string | null {
  const value = headers[name] ?? headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return typeof value === "string" && value !== "" ? value : null;
}

/** Configured companies with a usable config, in the host's order. */
async function configuredCompanies(ctx: PluginContext): Promise<Array<{ id: string; config: SyncConfig }>> {
  const companies = await ctx.companies.list({});
  const configured: Array<{ id: string; config: SyncConfig }> = [];
  for (const company of companies) {
    const config = readConfig(await ctx.config.get(company.id));
    if (config) configured.push({ id: company.id, config });
  }
  return configured;
}

let setupContext: PluginContext | null = null;

function context(): PluginContext {
  if (!setupContext) throw new Error("Issue Sync: setup() has not run");
  return setupContext;
}

const plugin = definePlugin({
  async setup(ctx) {
    setupContext = ctx;
    ctx.jobs.register(SYNC_JOB, async (job) => {
      const companies = await configuredCompanies(ctx);
      if (companies.length === 0) {
        ctx.logger.info("No company has configured Issue Sync yet: nothing to sync");
        return;
      }
      const failures: string[] = [];
      for (const { id, config } of companies) {
        try {
          const summary = await syncCompany(ctx, id, config);
          ctx.logger.info(
            `Synced company ${id}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`,
            { runId: job.runId, trigger: job.trigger },
          );
        } catch (error) {
          failures.push(`company ${id}: ${(error as Error).message}`);
        }
      }
      // One company's broken tracker must not stop the others; the run still fails so an operator sees it.
      if (failures.length > 0) throw new Error(`Sync failed for ${failures.join("; ")}`);
    });
  },

  async onWebhook(input: PluginWebhookInput) {
    if (input.endpointKey !== WEBHOOK_ENDPOINT)
      throw new Error(`Unknown webhook endpoint "${input.endpointKey}"`);
    const ctx = context();
    const signature = headerValue(input.headers, SIGNATURE_HEADER);
    if (!signature) throw new Error(`Rejected: the ${SIGNATURE_HEADER} header is missing`);
    // The endpoint is shared by every company: the secret that verifies the body says whose tracker sent it.
    let companyId: string | null = null;
    for (const { id, config } of await configuredCompanies(ctx)) {
      const secret = await ctx.secrets.resolve(config.webhookSecret, { companyId: id });
      if (verifyWebhookSignature({ rawBody: input.rawBody, signature, secret }).valid) {
        companyId = id;
        break;
      }
    }
    if (!companyId) throw new Error("Rejected: the signature matches no configured company's webhook secret");
    const event = parseTrackerEvent(input.parsedBody ?? safeJson(input.rawBody));
    const outcome = await mirrorIssue(ctx, companyId, event.issue);
    ctx.logger.info(`Webhook ${event.action} for ${event.issue.id}: ${outcome}`, { companyId });
  },

  // Every job run and webhook reads the config afresh, so a saved config needs no restart of the worker.
  async onConfigChanged() {},

  async onValidateConfig(config) {
    return validateConfig(config);
  },

  async onHealth() {
    return { status: "ok", message: "Issue Sync is running" };
  },
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export default plugin;

// Starts the JSON-RPC host only when run as `node dist/worker.js`; importing this file (tests) does nothing.
runWorker(plugin, import.meta.url);
