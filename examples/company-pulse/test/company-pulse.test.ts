// Company Pulse in the SDK test harness: the manifest, and the issue-activity data handler over seeded issues.
import { createTestHarness, type TestHarness } from "@paperclipai/plugin-sdk/testing";
import type { Issue } from "@paperclipai/plugin-sdk/types";
import { getRequiredManifestCapabilities, validateManifest } from "@paperclipai/plugin-sdk/types";
import { describe, expect, it } from "vitest";
import { type IssueActivity, issueActivity } from "../src/activity.js";
import manifest from "../src/manifest.js";
import plugin from "../src/worker.js";

const DAY = 86_400_000;

function issueAt(
  id: string,
  companyId: string,
  created: Date,
  closed?: { at: Date; status?: "done" | "cancelled" },
) {
  return {
    id,
    companyId,
    title: id,
    status: closed ? (closed.status ?? "done") : "todo",
    createdAt: created,
    updatedAt: closed?.at ?? created,
    completedAt: closed && closed.status !== "cancelled" ? closed.at : null,
    cancelledAt: closed?.status === "cancelled" ? closed.at : null,
  } as unknown as Issue;
}

async function startPlugin(issues: Issue[]): Promise<TestHarness> {
  const harness = createTestHarness({ manifest });
  harness.seed({ issues });
  await plugin.definition.setup(harness.ctx);
  return harness;
}

describe("company-pulse manifest", () => {
  it("declares a dashboardWidget and a sidebarPanel with the capabilities they need", () => {
    const result = validateManifest(manifest);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(getRequiredManifestCapabilities(manifest)).toEqual([]);
    expect(manifest.ui?.slots?.map((slot) => [slot.type, slot.exportName])).toEqual([
      ["dashboardWidget", "CompanyPulseWidget"],
      ["sidebarPanel", "CompanyPulsePanel"],
    ]);
  });
});

describe("the issue-activity data handler", () => {
  it("counts issues created and closed per day over the last 14 days, for one company only", async () => {
    const now = Date.now();
    const harness = await startPlugin([
      issueAt("today", "acme", new Date(now)),
      issueAt("closed-today", "acme", new Date(now - 3 * DAY), { at: new Date(now) }),
      issueAt("cancelled", "acme", new Date(now - 3 * DAY), { at: new Date(now - DAY), status: "cancelled" }),
      issueAt("too-old", "acme", new Date(now - 30 * DAY)),
      issueAt("other-company", "globex", new Date(now)),
    ]);

    const activity = await harness.getData<IssueActivity>("issue-activity", { companyId: "acme" });

    expect(activity.days).toHaveLength(14);
    expect(activity.timeZone).toBe("UTC");
    expect(activity.days.at(-1)).toMatchObject({
      date: new Date(now).toISOString().slice(0, 10),
      created: 1,
      closed: 1,
    });
    expect(activity.days.at(-2)).toMatchObject({ closed: 1 });
    expect(activity.days.at(-4)).toMatchObject({ created: 2 });
    expect(activity.totals).toEqual({ created: 3, closed: 2 });
    expect(activity.open).toBe(2);
  });

  it("refuses a call without a company, an unknown time zone and a bad day count, naming each", async () => {
    const harness = await startPlugin([]);
    await expect(harness.getData("issue-activity", {})).rejects.toThrow(
      "issue-activity needs a companyId (call it from a company page)",
    );
    await expect(
      harness.getData("issue-activity", { companyId: "acme", timeZone: "Mars/Olympus" }),
    ).rejects.toThrow('timeZone "Mars/Olympus" is not an IANA time zone');
    await expect(harness.getData("issue-activity", { companyId: "acme", days: 0 })).rejects.toThrow(
      "days must be an integer from 1 to 90",
    );
  });
});

describe("issueActivity", () => {
  it("buckets by calendar day in the viewer's time zone, across a DST change", () => {
    // 2026-03-29 is the night Europe/Berlin moves to summer time; 23:30 UTC on the 28th is the 29th in Berlin.
    const now = new Date("2026-03-30T12:00:00Z");
    const issues = [issueAt("late", "acme", new Date("2026-03-28T23:30:00Z"))];
    const berlin = issueActivity(issues, { now, days: 4, timeZone: "Europe/Berlin" });
    expect(berlin.days.map((day) => [day.date, day.created])).toEqual([
      ["2026-03-27", 0],
      ["2026-03-28", 0],
      ["2026-03-29", 1],
      ["2026-03-30", 0],
    ]);
    const utc = issueActivity(issues, { now, days: 4, timeZone: "UTC" });
    expect(utc.days.find((day) => day.created === 1)?.date).toBe("2026-03-28");
  });
});
