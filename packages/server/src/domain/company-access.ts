// "What role does this actor have in company C?" — the one answer every route, bridge call and tool call uses.
// The instance admin is owner everywhere (in local trusted mode the caller always is the instance admin); a signed-in
// user has their membership's role or none; an agent is a member of its own company and of no other; plugins and
// the system have no role (they never reach company routes over HTTP). Also: which company owns a record named in a
// path (issue, agent, project, …), so entity routes are checked the same way as `/companies/:companyId/…` routes.
import { and, eq } from "drizzle-orm";
import { COMPANY_ROLES } from "../db/auth-schema.js";
import type { Database } from "../db/database.js";
import {
  agents,
  approvals,
  companies,
  companyMemberships,
  goals,
  heartbeatRuns,
  issues,
  projects,
} from "../db/schema.js";
import { forbidden, notFound } from "../errors.js";
import type { Actor } from "./actor.js";
import { isUuid } from "./shared.js";
import type { Mutation } from "./unit-of-work.js";

export { COMPANY_ROLES };
export type CompanyRole = (typeof COMPANY_ROLES)[number];

/** What a request needs in the company: read (viewer and up), write (member and up), owner. */
export type CompanyAccessNeed = "read" | "write" | "owner";

const RANK: Record<CompanyRole, number> = { viewer: 1, member: 2, owner: 3 };
const NEEDED_RANK: Record<CompanyAccessNeed, number> = { read: 1, write: 2, owner: 3 };

/** The records a route may name instead of a company; each belongs to exactly one company. */
export const COMPANY_ENTITIES = ["company", "issue", "agent", "project", "goal", "approval", "run"] as const;
export type CompanyEntity = (typeof COMPANY_ENTITIES)[number];

const ISSUE_IDENTIFIER = /^[A-Z][A-Z0-9]*-\d+$/;

export function isCompanyRole(value: unknown): value is CompanyRole {
  return typeof value === "string" && (COMPANY_ROLES as readonly string[]).includes(value);
}

export function roleSatisfies(role: CompanyRole | null, need: CompanyAccessNeed): boolean {
  return role !== null && RANK[role] >= NEEDED_RANK[need];
}

/** A person who signed in (session or API key), as opposed to the local board, an agent or a plugin. */
export function isSignedInUser(actor: Actor): boolean {
  return actor.type === "user" && typeof actor.userId === "string" && isUuid(actor.userId);
}

/** Inside the company-creating mutation: a signed-in creator becomes the company's first owner. */
export async function recordCreatorAsOwner(m: Mutation, companyId: string): Promise<void> {
  if (!isSignedInUser(m.actor)) return;
  await m.tx.orm
    .insert(companyMemberships)
    .values({ companyId, userId: m.actor.userId!, role: "owner", createdAt: m.now, updatedAt: m.now });
  m.activity({
    companyId,
    action: "company.member_added",
    entityType: "company",
    entityId: companyId,
    details: { userId: m.actor.userId, role: "owner" },
  });
}

export class CompanyAccessService {
  constructor(private readonly db: Database) {}

  /** The actor's role in the company, or null for none. Does not check that the company exists. */
  async roleOf(actor: Actor, companyId: string): Promise<CompanyRole | null> {
    if (actor.isInstanceAdmin) return "owner";
    if (!isUuid(companyId)) return null;
    if (actor.type === "agent") {
      const own = await this.companyOfAgent(actor.agentId ?? actor.id);
      return own === companyId ? "member" : null;
    }
    if (!isSignedInUser(actor)) return null;
    const [row] = await this.db.orm
      .select({ role: companyMemberships.role })
      .from(companyMemberships)
      .where(and(eq(companyMemberships.companyId, companyId), eq(companyMemberships.userId, actor.userId!)))
      .limit(1);
    return isCompanyRole(row?.role) ? row.role : null;
  }

  /**
   * Throws unless the actor has `need` in the company. A caller with no role at all gets the same 404 as for a
   * company that does not exist (ids of other tenants cannot be probed); an agent gets 403 naming its own rule; a
   * member whose role is too low gets 403 naming the role needed and theirs.
   */
  async require(
    actor: Actor,
    companyId: string,
    need: CompanyAccessNeed,
    via?: string,
  ): Promise<CompanyRole> {
    const role = await this.roleOf(actor, companyId);
    if (role === null) {
      const label = via ?? `company ${companyId}`;
      if (actor.type === "agent") {
        throw forbidden(`Agent ${actor.agentId ?? actor.id} may only act for its own company, not ${label}`, {
          companyId,
        });
      }
      if (actor.type !== "user")
        throw forbidden(`A ${actor.type} actor has no company access`, { companyId });
      throw notFound(`${capitalized(label)} not found (or you are not a member of its company)`);
    }
    if (!roleSatisfies(role, need)) {
      const what = need === "owner" ? "Owner access" : need === "write" ? "Write access" : "Read access";
      throw forbidden(`${what} to company ${companyId} required (your role: ${role})`, {
        companyId,
        role,
        required: need === "read" ? "viewer" : need === "write" ? "member" : "owner",
      });
    }
    return role;
  }

  /** The company a record belongs to, or null when there is no such record. */
  async companyOf(entity: CompanyEntity, ref: string): Promise<string | null> {
    if (entity === "company") return isUuid(ref) ? ref : null;
    if (entity === "issue") {
      const upper = ref.toUpperCase();
      const where = isUuid(ref)
        ? eq(issues.id, ref)
        : ISSUE_IDENTIFIER.test(upper)
          ? eq(issues.identifier, upper)
          : null;
      if (!where) return null;
      const [row] = await this.db.orm
        .select({ companyId: issues.companyId })
        .from(issues)
        .where(where)
        .limit(1);
      return row?.companyId ?? null;
    }
    if (!isUuid(ref)) return null;
    const table = { agent: agents, project: projects, goal: goals, approval: approvals, run: heartbeatRuns }[
      entity
    ];
    const [row] = await this.db.orm
      .select({ companyId: table.companyId })
      .from(table)
      .where(eq(table.id, ref))
      .limit(1);
    return row?.companyId ?? null;
  }

  /**
   * Throws unless the actor has `need` in the company that owns the record; answers its company id. A record that
   * does not exist and one of a company the caller cannot see get the same 404.
   */
  async requireForEntity(
    actor: Actor,
    entity: CompanyEntity,
    ref: string,
    need: CompanyAccessNeed,
  ): Promise<string | null> {
    const companyId = await this.companyOf(entity, ref);
    const label = `${entity} ${ref}`;
    if (companyId === null) {
      // The route answers its own 404 for the instance admin and for agents (as before this check existed); a
      // person learns nothing more than "not found (or not yours)".
      if (actor.isInstanceAdmin || actor.type === "agent") return null;
      throw notFound(`${capitalized(label)} not found (or you are not a member of its company)`);
    }
    await this.require(actor, companyId, need, label);
    return companyId;
  }

  async companyOfAgent(agentId: string): Promise<string | null> {
    if (!isUuid(agentId)) return null;
    const [row] = await this.db.orm
      .select({ companyId: agents.companyId })
      .from(agents)
      .where(eq(agents.id, agentId))
      .limit(1);
    return row?.companyId ?? null;
  }

  /**
   * The companies the actor may see: null means every company (the instance admin); an agent sees its own; a
   * signed-in user those they are a member of.
   */
  async visibleCompanyIds(actor: Actor): Promise<string[] | null> {
    if (actor.isInstanceAdmin) return null;
    if (actor.type === "agent") {
      const own = await this.companyOfAgent(actor.agentId ?? actor.id);
      return own ? [own] : [];
    }
    if (!isSignedInUser(actor)) return [];
    const rows = await this.db.orm
      .select({ companyId: companyMemberships.companyId })
      .from(companyMemberships)
      .where(eq(companyMemberships.userId, actor.userId!));
    return rows.map((row) => row.companyId);
  }

  /** The signed-in user's memberships with the company's name and issue prefix, oldest company first. */
  async membershipsOf(userId: string) {
    if (!isUuid(userId)) return [];
    return this.db.orm
      .select({
        companyId: companies.id,
        companyName: companies.name,
        issuePrefix: companies.issuePrefix,
        role: companyMemberships.role,
      })
      .from(companyMemberships)
      .innerJoin(companies, eq(companies.id, companyMemberships.companyId))
      .where(eq(companyMemberships.userId, userId))
      .orderBy(companies.createdAt, companies.id) as Promise<
      Array<{ companyId: string; companyName: string; issuePrefix: string; role: CompanyRole }>
    >;
  }

  /** Every company as an owner's membership (what the instance admin's "memberships" are). */
  async allCompaniesAsOwner() {
    const rows = await this.db.orm
      .select({ companyId: companies.id, companyName: companies.name, issuePrefix: companies.issuePrefix })
      .from(companies)
      .orderBy(companies.createdAt, companies.id)
      .limit(500);
    return rows.map((row) => ({ ...row, role: "owner" as CompanyRole }));
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
