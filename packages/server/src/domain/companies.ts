// Companies: the tenant of everything else. Each has a unique issue prefix (also its UI URL prefix). Writes to
// the companies table are here, except the issue counter, which creating an issue bumps in its own statement.
import { asc, eq, inArray, like } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { companies } from "../db/schema.js";
import { notFound } from "../errors.js";
import type { Actor } from "./actor.js";
import { syncMonthlyBudgetPolicy } from "./budget-policies.js";
import { recordCreatorAsOwner } from "./company-access.js";
import { type Changes, changedValues, diff, isUuid, monthKey, type Page, pageOf } from "./shared.js";
import type { Mutation, MutationRunner } from "./unit-of-work.js";

export type CompanyRow = typeof companies.$inferSelect;
export const COMPANY_STATUSES = ["active", "paused", "archived"] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export interface CreateCompanyInput {
  name: string;
  description?: string | null;
  budgetMonthlyCents?: number;
  defaultResponsibleUserId?: string | null;
  requireBoardApprovalForNewAgents?: boolean;
}

export interface UpdateCompanyInput {
  name?: string;
  description?: string | null;
  status?: CompanyStatus;
  budgetMonthlyCents?: number;
  defaultResponsibleUserId?: string | null;
  requireBoardApprovalForNewAgents?: boolean;
}

export function toCompany(row: CompanyRow, now: Date) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status as CompanyStatus,
    pauseReason: row.pauseReason,
    pausedAt: row.pausedAt,
    issuePrefix: row.issuePrefix,
    issueCounter: row.issueCounter,
    budgetMonthlyCents: row.budgetMonthlyCents,
    // Spend is kept per UTC month; a stored figure from an earlier month means nothing was spent yet this month.
    spentMonthlyCents: row.spentMonth === monthKey(now) ? row.spentMonthlyCents : 0,
    defaultResponsibleUserId: row.defaultResponsibleUserId,
    requireBoardApprovalForNewAgents: row.requireBoardApprovalForNewAgents,
    interactionResolverGovernance: {},
    feedbackDataSharingEnabled: false,
    feedbackDataSharingConsentAt: null,
    feedbackDataSharingConsentByUserId: null,
    feedbackDataSharingTermsVersion: null,
    logoAssetId: null,
    logoUrl: null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type Company = ReturnType<typeof toCompany>;

/** Upper-case letters of the name, first three; "CMP" when the name has none. */
export function basePrefixOf(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, "");
  return letters.slice(0, 3) || "CMP";
}

export class CompaniesService {
  constructor(
    private readonly db: Database,
    private readonly runner: MutationRunner,
  ) {}

  /** `onlyIds`: just these companies (the ones the caller may see); absent: all of them. */
  async list(page?: Page, onlyIds?: readonly string[]): Promise<Company[]> {
    const { limit, offset } = pageOf(page, 100, 500);
    if (onlyIds?.length === 0) return [];
    const rows = await this.db.orm
      .select()
      .from(companies)
      .where(onlyIds ? inArray(companies.id, [...onlyIds]) : undefined)
      .orderBy(asc(companies.createdAt), asc(companies.id))
      .limit(limit)
      .offset(offset);
    const now = new Date();
    return rows.map((row) => toCompany(row, now));
  }

  async get(id: string): Promise<Company> {
    return toCompany(await this.row(id), new Date());
  }

  async row(id: string): Promise<CompanyRow> {
    if (!isUuid(id)) throw notFound("Company not found");
    const [row] = await this.db.orm.select().from(companies).where(eq(companies.id, id)).limit(1);
    if (!row) throw notFound("Company not found");
    return row;
  }

  create(actor: Actor, input: CreateCompanyInput): Promise<Company> {
    return this.runner.run(actor, async (m) => {
      const issuePrefix = await this.freePrefix(m, basePrefixOf(input.name));
      const [row] = await m.tx.orm
        .insert(companies)
        .values({
          name: input.name,
          description: input.description ?? null,
          issuePrefix,
          budgetMonthlyCents: input.budgetMonthlyCents ?? 0,
          defaultResponsibleUserId: input.defaultResponsibleUserId ?? actor.userId ?? null,
          requireBoardApprovalForNewAgents: input.requireBoardApprovalForNewAgents ?? false,
          createdAt: m.now,
          updatedAt: m.now,
        })
        .returning();
      const company = row!;
      // A new company has no policy yet: this inserts one.
      if (company.budgetMonthlyCents > 0)
        await this.syncBudgetPolicy(m, company.id, company.budgetMonthlyCents);
      m.activity({
        companyId: company.id,
        action: "company.created",
        entityType: "company",
        entityId: company.id,
        details: { name: company.name, issuePrefix: company.issuePrefix },
      });
      await recordCreatorAsOwner(m, company.id);
      return toCompany(company, m.now);
    });
  }

  update(actor: Actor, id: string, input: UpdateCompanyInput): Promise<Company> {
    return this.runner.run(actor, async (m) => {
      const current = await this.lockRow(m, id);
      const changes = diff(current, { ...input });
      if (Object.keys(changes).length === 0) return toCompany(current, m.now);
      const values: Partial<CompanyRow> = { ...changedValues(changes, { ...input }), updatedAt: m.now };
      if (changes.status) {
        values.pauseReason = input.status === "paused" ? "manual" : null;
        values.pausedAt = input.status === "paused" ? m.now : null;
      }
      const [row] = await m.tx.orm.update(companies).set(values).where(eq(companies.id, id)).returning();
      if (changes.budgetMonthlyCents) await this.syncBudgetPolicy(m, id, input.budgetMonthlyCents!);
      this.logUpdated(m, row!, changes);
      return toCompany(row!, m.now);
    });
  }

  /** Delete a company and everything in it. Its activity and outbox history stay (they are an audit trail). */
  delete(actor: Actor, id: string): Promise<{ ok: true }> {
    return this.runner.run(actor, async (m) => {
      const current = await this.lockRow(m, id);
      await m.tx.orm.delete(companies).where(eq(companies.id, id));
      m.activity({
        companyId: id,
        action: "company.deleted",
        entityType: "company",
        entityId: id,
        details: { name: current.name, issuePrefix: current.issuePrefix },
      });
      return { ok: true as const };
    });
  }

  /** The company's monthly budget, kept in step with its budget policy. */
  async syncBudgetPolicy(m: Mutation, companyId: string, amount: number): Promise<void> {
    await syncMonthlyBudgetPolicy(m, { companyId, scopeType: "company", scopeId: companyId }, amount);
  }

  logUpdated(m: Mutation, row: CompanyRow, changes: Changes): void {
    m.activity({
      companyId: row.id,
      action: "company.updated",
      entityType: "company",
      entityId: row.id,
      details: { name: row.name, changes },
    });
  }

  /** Read and row-lock a company inside a mutation. */
  async lockRow(m: Mutation, id: string): Promise<CompanyRow> {
    if (!isUuid(id)) throw notFound("Company not found");
    const [row] = await m.tx.orm.select().from(companies).where(eq(companies.id, id)).for("update").limit(1);
    if (!row) throw notFound("Company not found");
    return row;
  }

  private async freePrefix(m: Mutation, base: string): Promise<string> {
    const taken = new Set(
      (
        await m.tx.orm
          .select({ prefix: companies.issuePrefix })
          .from(companies)
          .where(like(companies.issuePrefix, `${base}%`))
      ).map((row) => row.prefix),
    );
    let candidate = base;
    while (taken.has(candidate)) candidate += "A";
    return candidate;
  }
}

/** This month's spend of the company (BudgetsService recomputes it after every cost event). */
export async function recordCompanySpend(
  m: Mutation,
  companyId: string,
  cents: number,
  month: string,
): Promise<void> {
  await m.tx.orm
    .update(companies)
    .set({ spentMonthlyCents: cents, spentMonth: month })
    .where(eq(companies.id, companyId));
}

/** A new monthly budget for the company, set by resolving a budget incident (its policy is updated there). */
export async function setCompanyBudget(m: Mutation, companyId: string, amount: number): Promise<void> {
  await m.tx.orm.update(companies).set({ budgetMonthlyCents: amount }).where(eq(companies.id, companyId));
}
