// Who is acting. Every service call takes an actor; it is written to the activity log and the event envelope.

export type ActorType = "user" | "agent" | "system" | "plugin";

export interface Actor {
  type: ActorType;
  /** user id, agent id, "system", or the plugin key */
  id: string;
  /** set for agent actors */
  agentId?: string | null;
  /** the agent run this action belongs to (agents acting inside a run) */
  runId?: string | null;
  /** set for user actors */
  userId?: string | null;
  isInstanceAdmin?: boolean;
}

/** The implicit caller in local trusted mode: the instance admin, no login. */
export const LOCAL_BOARD_ACTOR: Actor = Object.freeze({
  type: "user",
  id: "local-board",
  userId: "local-board",
  isInstanceAdmin: true,
});

export const SYSTEM_ACTOR: Actor = Object.freeze({ type: "system", id: "system" });

export function agentActor(agentId: string, runId: string | null = null): Actor {
  return { type: "agent", id: agentId, agentId, runId };
}

export function pluginActor(pluginKey: string): Actor {
  return { type: "plugin", id: pluginKey };
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
