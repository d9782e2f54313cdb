// Activity log rows → a sentence a person reads: actor, verb, target (with a link when the target has a page).
// Used by the dashboard's recent activity and the activity page; extend `describe` when the host logs new actions.

import type { ActivityEvent, Agent } from "@/api/types";
import { bindCompanyPaths } from "@/app/paths";
import { formatCents, humanize } from "./format";

export interface ActivityDescription {
  actor: string;
  actorKind: "user" | "agent" | "system" | "plugin";
  /** "created", "moved", "commented on" */
  verb: string;
  /** The thing acted on: "ACM-3 Publish the landing page", "project Website". */
  target?: { label: string; detail?: string; to?: string };
  /** After the target: "to Done", "($1.20)" */
  suffix?: string;
}

type Details = Record<string, unknown>;
/** "issue.created", "plugin.config.updated": a dotted identifier rather than a sentence. */
const ACTION_ID = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/i;
const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

interface Change {
  from: unknown;
  to: unknown;
}

function changesOf(details: Details): Record<string, Change> {
  const changes = details.changes;
  return changes && typeof changes === "object" ? (changes as Record<string, Change>) : {};
}

export function describeActivity(
  event: ActivityEvent,
  context: { prefix: string; agents: Map<string, Agent> },
): ActivityDescription {
  const details: Details = event.details ?? {};
  const to = bindCompanyPaths(context.prefix);
  const [domain = "", ...rest] = event.action.split(".");
  const action = rest.join(".");

  const actorKind = event.actorType;
  const actor =
    actorKind === "user"
      ? "Board"
      : actorKind === "agent"
        ? (context.agents.get(event.actorId)?.name ?? "An agent")
        : actorKind === "plugin"
          ? (str(details.pluginKey) ?? str((details.loggedBy as Details | undefined)?.id) ?? "A plugin")
          : "System";
  const base = { actor, actorKind };

  // Plugins and the activity API may log free text ("Hello World saw issue …"): show it as written.
  if (!ACTION_ID.test(event.action)) return { ...base, verb: event.action };

  if (domain === "issue") {
    const identifier = str(details.identifier);
    const title = str(details.title) ?? str(details.issueTitle);
    const target = {
      label: identifier ?? "an issue",
      detail: title,
      to: action === "deleted" ? undefined : to.issue(identifier ?? event.entityId),
    };
    switch (action) {
      case "created":
        return { ...base, verb: "created", target };
      case "deleted":
        return { ...base, verb: "deleted", target };
      case "comment_added":
        return { ...base, verb: "commented on", target };
      case "comment_deleted":
        return { ...base, verb: "deleted a comment on", target };
      case "checked_out":
        return { ...base, verb: "checked out", target };
      case "released":
        return { ...base, verb: "released", target };
      case "blockers_updated":
        return { ...base, verb: "updated the blockers of", target };
      case "assignment_wakeup_requested":
        return { ...base, verb: "woke the assignee of", target };
      case "document_created":
      case "document_updated":
      case "document_deleted":
        return {
          ...base,
          verb: `${action.replace("document_", "")} document ${str(details.key) ?? ""} on`.replace("  ", " "),
          target,
        };
      case "updated": {
        const changes = changesOf(details);
        if (changes.status) {
          return { ...base, verb: "moved", target, suffix: `to ${humanize(String(changes.status.to))}` };
        }
        if (changes.priority) {
          return {
            ...base,
            verb: "set the priority of",
            target,
            suffix: `to ${humanize(String(changes.priority.to))}`,
          };
        }
        if (changes.assigneeAgentId || changes.assigneeUserId) {
          const agentId = changes.assigneeAgentId?.to;
          const name = typeof agentId === "string" ? context.agents.get(agentId)?.name : undefined;
          return name
            ? { ...base, verb: "assigned", target, suffix: `to ${name}` }
            : { ...base, verb: "changed the assignee of", target };
        }
        if (changes.title) return { ...base, verb: "renamed", target };
        return { ...base, verb: "updated", target };
      }
      default:
        return { ...base, verb: humanize(action).toLowerCase(), target };
    }
  }

  if (domain === "project" || domain === "goal" || domain === "agent") {
    const name = str(details.name) ?? str(details.title) ?? "";
    const link =
      action === "deleted"
        ? undefined
        : domain === "project"
          ? to.project(event.entityId)
          : domain === "agent"
            ? to.agent(event.entityId)
            : to.goals();
    const target = { label: `${domain} ${name}`.trim(), to: link };
    if (domain === "agent" && action === "status_changed") {
      return {
        ...base,
        verb: "changed the status of",
        target,
        suffix: `to ${humanize(String(details.status ?? ""))}`,
      };
    }
    if (domain === "agent" && action === "error_cleared")
      return { ...base, verb: "cleared the error of", target };
    if (action.startsWith("workspace_")) {
      return { ...base, verb: `${action.replace("workspace_", "")} a workspace of`, target };
    }
    return { ...base, verb: humanize(action).toLowerCase(), target };
  }

  if (domain === "approval") {
    const target = {
      label: `${humanize(str(details.type) ?? "approval").toLowerCase()} request`,
      to: to.approvals(),
    };
    const verbs: Record<string, string> = {
      created: "requested a",
      approved: "approved the",
      rejected: "rejected the",
      revision_requested: "asked for changes to the",
      resubmitted: "resubmitted the",
    };
    return { ...base, verb: verbs[action] ?? humanize(action).toLowerCase(), target };
  }

  if (domain === "cost") {
    const cents = typeof details.costCents === "number" ? details.costCents : undefined;
    return {
      ...base,
      verb: "reported a cost",
      suffix: [
        cents !== undefined ? formatCents(cents) : null,
        str(details.model) ? `on ${details.model}` : null,
      ]
        .filter(Boolean)
        .join(" "),
    };
  }

  if (domain === "company") {
    return {
      ...base,
      verb: action === "created" ? "created the company" : `${humanize(action).toLowerCase()} the company`,
    };
  }

  if (domain === "plugin") {
    const key = str(details.pluginKey) ?? "a plugin";
    const verb =
      action === "config.updated"
        ? "configured"
        : action === "settings.updated"
          ? "changed settings of"
          : action === "error"
            ? "reported an error in"
            : humanize(action).toLowerCase();
    return { ...base, verb, target: { label: `plugin ${key}` } };
  }

  if (domain === "heartbeat") {
    const agent = event.agentId ? context.agents.get(event.agentId) : undefined;
    const verbs: Record<string, string> = {
      invoked: "woke",
      started: "started a run of",
      succeeded: "finished a run of",
      failed: "saw a failed run of",
      timed_out: "saw a timed-out run of",
      cancelled: "cancelled a run of",
      interrupted: "saw an interrupted run of",
    };
    return {
      ...base,
      verb: verbs[action] ?? humanize(action).toLowerCase(),
      target: agent ? { label: agent.name, to: to.agent(agent.urlKey) } : { label: "an agent" },
    };
  }

  if (domain === "budget") {
    return { ...base, verb: humanize(action).toLowerCase(), target: { label: "budget", to: to.costs() } };
  }

  return { ...base, verb: humanize(event.action).toLowerCase() };
}
