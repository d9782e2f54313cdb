// The external tracker as Issue Sync sees it: the issue shape, strict parsing of what the tracker sends (its
// API answers and its webhook bodies), and the one API call the sync job makes.
import type { PluginContext } from "@paperclipai/plugin-sdk";

export interface TrackerIssue {
  /** The tracker's own id, e.g. "TRK-12": the key of the mapping to a Paperclip issue. */
  id: string;
  title: string;
  description: string | null;
  state: "open" | "closed";
  /** ISO time of the tracker's last change: the sync cursor moves to the newest one seen. */
  updatedAt: string;
}

/** What the tracker posts to the webhook. */
export interface TrackerEvent {
  action: "issue.created" | "issue.updated";
  issue: TrackerIssue;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses one tracker issue; `where` names the place in the input for the error message. */
export function parseTrackerIssue(value: unknown, where: string): TrackerIssue {
  if (!isRecord(value)) throw new Error(`${where} must be an object`);
  const { id, title, description, state, updatedAt } = value;
  if (typeof id !== "string" || id === "") throw new Error(`${where}.id must be a non-empty string`);
  if (typeof title !== "string" || title.trim() === "")
    throw new Error(`${where}.title must be a non-empty string`);
  if (description !== undefined && description !== null && typeof description !== "string")
    throw new Error(`${where}.description must be a string or null`);
  if (state !== "open" && state !== "closed") throw new Error(`${where}.state must be "open" or "closed"`);
  if (typeof updatedAt !== "string" || Number.isNaN(Date.parse(updatedAt)))
    throw new Error(`${where}.updatedAt must be an ISO date-time`);
  return { id, title: title.trim(), description: description ?? null, state, updatedAt };
}

export function parseTrackerEvent(body: unknown): TrackerEvent {
  if (!isRecord(body)) throw new Error("the webhook body must be a JSON object");
  if (body.action !== "issue.created" && body.action !== "issue.updated")
    throw new Error('the webhook body\'s action must be "issue.created" or "issue.updated"');
  return { action: body.action, issue: parseTrackerIssue(body.issue, "the webhook body's issue") };
}

/** `GET <trackerUrl>/issues?updated_since=<cursor>` through the host (egress policy, outbound log). */
export async function fetchChangedIssues(
  http: PluginContext["http"],
  trackerUrl: string,
  since: string | null,
): Promise<TrackerIssue[]> {
  const url = new URL("issues", trackerUrl.endsWith("/") ? trackerUrl : `${trackerUrl}/`);
  if (since) url.searchParams.set("updated_since", since);
  const response = await http.fetch(url.toString(), { headers: { accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`the tracker answered ${response.status} for GET ${url.origin}${url.pathname}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(`the tracker's answer to GET ${url.origin}${url.pathname} is not JSON`);
  }
  if (!isRecord(body) || !Array.isArray(body.issues))
    throw new Error(`the tracker's answer to GET ${url.origin}${url.pathname} has no "issues" array`);
  return body.issues.map((issue, index) => parseTrackerIssue(issue, `issues[${index}]`));
}
