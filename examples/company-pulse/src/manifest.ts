// The Company Pulse manifest: a dashboard widget and a sidebar panel, both charting the company's issue
// activity from one data handler that reads issues through ctx.issues.
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

export const PLUGIN_ID = "paperclip.company-pulse";
export const ACTIVITY_DATA_KEY = "issue-activity";

const manifest: PaperclipPluginManifestV1 = {
  id: PLUGIN_ID,
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Company Pulse",
  description:
    "Charts a company's issue activity: issues created and closed per day over the last two weeks.",
  author: "Paperclip plugin platform",
  categories: ["ui"],
  capabilities: ["issues.read", "ui.dashboardWidget.register", "ui.sidebar.register"],
  entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
  ui: {
    slots: [
      {
        type: "dashboardWidget",
        id: "pulse-widget",
        displayName: "Issue activity",
        exportName: "CompanyPulseWidget",
      },
      {
        type: "sidebarPanel",
        id: "pulse-panel",
        displayName: "Company pulse",
        exportName: "CompanyPulsePanel",
      },
    ],
  },
};

export default manifest;
