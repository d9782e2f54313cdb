// The core domain event types (inventory §5.1) and which activity action produces which event.
import { PLUGIN_EVENT_TYPES } from "@paperclipai/plugin-sdk/types";

/** The core event types are the SDK's PLUGIN_EVENT_TYPES: one list, so host and plugins cannot drift. */
export const CORE_EVENT_TYPES = PLUGIN_EVENT_TYPES;

export type CoreEventType = (typeof CORE_EVENT_TYPES)[number];

/**
 * Activity action → the domain event it emits. Actions not listed emit only `activity.logged`
 * (every activity row does). Unlike the original, costs, children, agent status changes and runs all emit.
 */
export const ACTION_EVENT: Readonly<Record<string, CoreEventType>> = {
  "company.created": "company.created",
  "company.updated": "company.updated",
  "project.created": "project.created",
  "project.updated": "project.updated",
  "project.workspace_created": "project.workspace_created",
  "project.workspace_updated": "project.workspace_updated",
  "project.workspace_deleted": "project.workspace_deleted",
  "issue.created": "issue.created",
  "issue.updated": "issue.updated",
  "issue.comment_added": "issue.comment.created",
  "issue.document_created": "issue.document.created",
  "issue.document_updated": "issue.document.updated",
  "issue.document_deleted": "issue.document.deleted",
  "issue.blockers_updated": "issue.relations.updated",
  "issue.checked_out": "issue.checked_out",
  "issue.released": "issue.released",
  "issue.assignment_wakeup_requested": "issue.assignment_wakeup_requested",
  "agent.created": "agent.created",
  "agent.updated": "agent.updated",
  "agent.paused": "agent.status_changed",
  "agent.resumed": "agent.status_changed",
  "agent.terminated": "agent.status_changed",
  "agent.status_changed": "agent.status_changed",
  "agent.error_cleared": "agent.error_cleared",
  "heartbeat.started": "agent.run.started",
  "heartbeat.succeeded": "agent.run.finished",
  "heartbeat.failed": "agent.run.failed",
  "heartbeat.timed_out": "agent.run.failed",
  "heartbeat.cancelled": "agent.run.cancelled",
  "goal.created": "goal.created",
  "goal.updated": "goal.updated",
  "approval.created": "approval.created",
  "approval.approved": "approval.decided",
  "approval.rejected": "approval.decided",
  "approval.revision_requested": "approval.decided",
  "budget.soft_threshold_crossed": "budget.incident.opened",
  "budget.hard_threshold_crossed": "budget.incident.opened",
  "budget.incident_resolved": "budget.incident.resolved",
  "cost.reported": "cost_event.created",
};

/** The envelope of inventory §5.2, as delivered to plugins. */
export interface DomainEvent<TPayload = Record<string, unknown>> {
  eventId: string;
  eventType: string;
  occurredAt: string;
  actorId?: string;
  actorType?: "user" | "agent" | "system" | "plugin";
  entityId?: string;
  entityType?: string;
  companyId: string;
  payload: TPayload;
}

/** An event as stored in the outbox: the envelope plus its position in the global order. */
export interface StoredDomainEvent extends DomainEvent {
  seq: number;
}

/**
 * An event as an outbox read would return it, from what was written: `payload` is the JSON the insert sent,
 * parsed again (a copy, with dates and the like in their stored form).
 */
export function storedEvent(event: DomainEvent, seq: number, payload: unknown): StoredDomainEvent {
  const stored: StoredDomainEvent = {
    seq,
    eventId: event.eventId,
    eventType: event.eventType,
    occurredAt: new Date(event.occurredAt).toISOString(),
    companyId: event.companyId,
    payload: payload as StoredDomainEvent["payload"],
  };
  if (event.actorId != null) stored.actorId = event.actorId;
  if (event.actorType != null) stored.actorType = event.actorType;
  if (event.entityId != null) stored.entityId = event.entityId;
  if (event.entityType != null) stored.entityType = event.entityType;
  return stored;
}
