// Company memberships: who belongs to a company and with which role. The one writer of company_memberships (besides
// the first owner, written with the company: company-access.ts recordCreatorAsOwner). Every change is an activity row
// in the company; a company always keeps at least one owner (changes are serialised per company by locking its row).
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { authUsers, companies, companyMemberships } from "../db/schema.js";
import { conflict, notFound, unprocessable } from "../errors.js";
import type { Actor } from "./actor.js";
import type { CompanyRole } from "./company-access.js";
import { isUuid } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export interface CompanyMember {
  userId: string;
  name: string;
  email: string;
  role: CompanyRole;
  createdAt: string;
  updatedAt: string;
}

export class CompanyMembersService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  /** Owners first, then members, then viewers; by name within a role. */
  async list(companyId: string): Promise<CompanyMember[]> {
    if (!isUuid(companyId)) throw notFound("Company not found");
    const rows = await this.db.orm
      .select({
        userId: companyMemberships.userId,
        name: authUsers.name,
        email: authUsers.email,
        role: companyMemberships.role,
        createdAt: companyMemberships.createdAt,
        updatedAt: companyMemberships.updatedAt,
      })
      .from(companyMemberships)
      .innerJoin(authUsers, eq(authUsers.id, companyMemberships.userId))
      .where(eq(companyMemberships.companyId, companyId))
      .orderBy(asc(authUsers.name), asc(authUsers.id));
    const order: Record<string, number> = { owner: 0, member: 1, viewer: 2 };
    return rows
      .map((row) => ({
        ...row,
        role: row.role as CompanyRole,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      }))
      .sort((a, b) => (order[a.role] ?? 3) - (order[b.role] ?? 3));
  }

  /** Add an existing user (by email) to the company. 404 no such user, 409 already a member. */
  add(actor: Actor, companyId: string, email: string, role: CompanyRole): Promise<CompanyMember> {
    return this.runner.run(actor, async (m) => {
      await lockCompany(m, companyId);
      const normalised = email.trim().toLowerCase();
      const [user] = await m.tx.orm.select().from(authUsers).where(eq(authUsers.email, normalised)).limit(1);
      if (!user) {
        throw notFound(
          `No user with email ${normalised}: an instance admin creates accounts (POST /api/users or ` +
            "`paperclip user create`)",
          { field: "email" },
        );
      }
      const existing = await membership(m, companyId, user.id);
      if (existing) {
        throw conflict(`${normalised} is already a member of this company (role: ${existing.role})`, {
          userId: user.id,
          role: existing.role,
        });
      }
      const [row] = await m.tx.orm
        .insert(companyMemberships)
        .values({ companyId, userId: user.id, role, createdAt: m.now, updatedAt: m.now })
        .returning();
      m.activity({
        companyId,
        action: "company.member_added",
        entityType: "company",
        entityId: companyId,
        details: { userId: user.id, email: user.email, role },
      });
      return memberOf(row!, user);
    });
  }

  setRole(actor: Actor, companyId: string, userId: string, role: CompanyRole): Promise<CompanyMember> {
    return this.runner.run(actor, async (m) => {
      await lockCompany(m, companyId);
      const current = await requireMembership(m, companyId, userId);
      if (current.role === role) return this.member(m, current);
      if (current.role === "owner") await assertAnotherOwner(m, companyId, "demoted");
      const [row] = await m.tx.orm
        .update(companyMemberships)
        .set({ role, updatedAt: m.now })
        .where(eq(companyMemberships.id, current.id))
        .returning();
      m.activity({
        companyId,
        action: "company.member_role_changed",
        entityType: "company",
        entityId: companyId,
        details: { userId, from: current.role, to: role },
      });
      return this.member(m, row!);
    });
  }

  remove(actor: Actor, companyId: string, userId: string): Promise<{ ok: true }> {
    return this.runner.run(actor, async (m) => {
      await lockCompany(m, companyId);
      const current = await requireMembership(m, companyId, userId);
      if (current.role === "owner") await assertAnotherOwner(m, companyId, "removed");
      await m.tx.orm.delete(companyMemberships).where(eq(companyMemberships.id, current.id));
      m.activity({
        companyId,
        action: "company.member_removed",
        entityType: "company",
        entityId: companyId,
        details: { userId, role: current.role },
      });
      return { ok: true as const };
    });
  }

  private async member(m: Mutation, row: MembershipRow): Promise<CompanyMember> {
    const [user] = await m.tx.orm.select().from(authUsers).where(eq(authUsers.id, row.userId)).limit(1);
    return memberOf(row, user!);
  }
}

type MembershipRow = typeof companyMemberships.$inferSelect;

function memberOf(row: MembershipRow, user: { name: string; email: string }): CompanyMember {
  return {
    userId: row.userId,
    name: user.name,
    email: user.email,
    role: row.role as CompanyRole,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function lockCompany(m: Mutation, companyId: string): Promise<void> {
  if (!isUuid(companyId)) throw notFound("Company not found");
  const [row] = await m.tx.orm
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.id, companyId))
    .for("update")
    .limit(1);
  if (!row) throw notFound("Company not found");
}

async function membership(m: Mutation, companyId: string, userId: string): Promise<MembershipRow | null> {
  if (!isUuid(userId)) return null;
  const [row] = await m.tx.orm
    .select()
    .from(companyMemberships)
    .where(and(eq(companyMemberships.companyId, companyId), eq(companyMemberships.userId, userId)))
    .limit(1);
  return row ?? null;
}

async function requireMembership(m: Mutation, companyId: string, userId: string): Promise<MembershipRow> {
  const row = await membership(m, companyId, userId);
  if (!row) throw notFound(`User ${userId} is not a member of this company`);
  return row;
}

/** A company keeps at least one owner: the last one can be neither demoted nor removed. */
async function assertAnotherOwner(m: Mutation, companyId: string, change: string): Promise<void> {
  const owners = await m.tx.orm
    .select({ userId: companyMemberships.userId })
    .from(companyMemberships)
    .where(and(eq(companyMemberships.companyId, companyId), eq(companyMemberships.role, "owner")))
    .limit(2);
  if (owners.length < 2) {
    throw unprocessable(
      `The last owner of a company cannot be ${change}: make another member an owner first`,
      { code: "LAST_OWNER" },
    );
  }
}
