// The shape of a run event, shared by the event store and the hub (run-events.ts re-exports it).

export type RunEventType = "chunk" | "status" | "tool_call" | "system";

export interface RunEvent {
  id: string;
  companyId: string;
  runId: string;
  agentId: string;
  /** 1, 2, 3… per run */
  seq: number;
  eventType: RunEventType;
  stream: "stdout" | "stderr" | "system" | null;
  level: "info" | "warn" | "error" | null;
  message: string | null;
  payload: Record<string, unknown> | null;
  /** ISO */
  createdAt: string;
}

export type NewRunEvent = Pick<RunEvent, "eventType"> &
  Partial<Pick<RunEvent, "stream" | "level" | "message" | "payload">>;
