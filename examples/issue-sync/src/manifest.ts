// The Issue Sync manifest: a connector that mirrors an external tracker's issues into Paperclip. A scheduled job
// pulls changes, a signed webhook pushes them; per company config names the tracker and the webhook secret.
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export const PLUGIN_ID = "paperclip.issue-sync";
export const SYNC_JOB = "sync";
export const WEBHOOK_ENDPOINT = "tracker";

const manifest: PaperclipPluginManifestV1 = {
  id: PLUGIN_ID,
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Issue Sync",
  description:
    "Mirrors an external issue tracker into Paperclip issues: a scheduled sync job pulls changes and a signed webhook pushes them.",
  author: "Paperclip plugin platform",
  categories: ["connector"],
  capabilities: [
    "companies.read",
    "issues.read",
    "issues.create",
    "issues.update",
    "plugin.state.read",
    "plugin.state.write",
    "jobs.schedule",
    "webhooks.receive",
    "http.outbound",
    "secrets.read-ref",
  ],
  entrypoints: { worker: "./dist/worker.js" },
  instanceConfigSchema: {
    type: "object",
    properties: {
      trackerUrl: {
        type: "string",
        format: "uri",
        title: "Tracker API URL",
        description: "Base URL of the tracker's API; the sync job reads <trackerUrl>/issues.",
      },
      webhookSecret: {
        format: "secret-ref",
        title: "Webhook signing secret",
        description:
          "The secret the tracker signs webhook bodies with (HMAC-SHA256, header x-tracker-signature).",
      },
    },
    required: ["trackerUrl", "webhookSecret"],
    additionalProperties: false,
  },
  jobs: [
    {
      jobKey: SYNC_JOB,
      displayName: "Sync from the tracker",
      description: "Pulls issues changed since the last sync into Paperclip, for every configured company.",
      schedule: "*/15 * * * *",
    },
  ],
  webhooks: [
    {
      endpointKey: WEBHOOK_ENDPOINT,
      displayName: "Tracker events",
      description: "Signed issue.created / issue.updated deliveries from the tracker.",
    },
  ],
};

export default manifest;
