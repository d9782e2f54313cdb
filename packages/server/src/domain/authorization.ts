// Who may call what, checked the same way (and refused with the same 403 words) wherever a route or service asks.
// Local trusted mode has one board user, the instance admin; agents act through their runs; public routes (the
// webhook intake) and plugins are neither.
import { forbidden } from "../errors.js";
import type { Actor } from "./actor.js";

/** A board user (a person at the board, not an agent or a plugin). */
export function requireBoardUser(actor: Actor): void {
  if (actor.type !== "user") throw forbidden("Board access required");
}

/** A board user or an agent: callers that act for a company (tools, bridge actions). */
export function requireBoardOrAgent(actor: Actor): void {
  if (actor.type !== "user" && actor.type !== "agent") throw forbidden("Board or agent access required");
}

/** The instance admin. `why` names the rule when the route alone does not make it obvious. */
export function requireInstanceAdmin(actor: Actor, why?: string): void {
  if (actor.isInstanceAdmin) return;
  throw forbidden(why ? `Instance admin access required (${why})` : "Instance admin access required");
}
