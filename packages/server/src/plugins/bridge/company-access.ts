// Who may act for which company on the delivery routes. Local trusted mode has one board user, the instance
// admin, who may use every existing company; an agent (a request naming its run in X-Paperclip-Run-Id) may
// use its own company only. Company existence and an agent's company are kept in memory for a few seconds,
// so a bridge call with a companyId costs no database query once warm.
import type { Actor } from "../../domain/actor.js";
import type { CompanyAccessNeed } from "../../domain/company-access.js";
import type { DomainServices } from "../../domain/services.js";
import { DomainError, forbidden, notFound } from "../../errors.js";

export interface CompanyAccessOptions {
  /** How long a company's existence or an agent's company is remembered. Default 5 000 ms. */
  maxAgeMs?: number;
  /** Entries remembered at most per map. Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

interface Remembered<T> {
  value: T;
  at: number;
}

/** `access` (roles of signed-in users, docs/authentication.md) is optional for callers that only know these two. */
type Lookups = Pick<DomainServices, "companies" | "agents"> & Partial<Pick<DomainServices, "access">>;

export class CompanyAccess {
  private readonly companies = new Map<string, Remembered<boolean>>();
  private readonly agentCompanies = new Map<string, Remembered<string | null>>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly services: Lookups,
    options: CompanyAccessOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Throws 404 when the company does not exist, 403 when the actor may not act for it. The instance admin (the
   * local trusted board) may use every company; a signed-in user the companies they are a member of, with `need`
   * (read: any role; write: member or owner); agents their own; anyone else none.
   */
  async assert(actor: Actor, companyId: string, need: CompanyAccessNeed = "read"): Promise<void> {
    if (actor.type === "agent") {
      const own = actor.agentId ? await this.companyOfAgent(actor.agentId) : null;
      if (own !== companyId) {
        throw forbidden(
          `Agent ${actor.agentId ?? actor.id} may only act for its own company, not ${companyId}`,
          {
            companyId,
          },
        );
      }
      return;
    }
    if (actor.type !== "user") throw forbidden(`A ${actor.type} actor has no company access`, { companyId });
    if (!actor.isInstanceAdmin) {
      if (!this.services.access) throw forbidden("Company access requires the instance admin", { companyId });
      await this.services.access.require(actor, companyId, need);
      return;
    }
    if (!(await this.companyExists(companyId))) throw notFound("Company not found", { companyId });
  }

  /** The company an agent belongs to, or null when there is no such agent. */
  async companyOfAgent(agentId: string): Promise<string | null> {
    const cached = this.fresh(this.agentCompanies.get(agentId));
    if (cached) return cached.value;
    let companyId: string | null;
    try {
      companyId = (await this.services.agents.get(agentId)).companyId;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "not_found") throw error;
      companyId = null;
    }
    this.remember(this.agentCompanies, agentId, companyId);
    return companyId;
  }

  async companyExists(companyId: string): Promise<boolean> {
    const cached = this.fresh(this.companies.get(companyId));
    if (cached) return cached.value;
    let exists: boolean;
    try {
      await this.services.companies.get(companyId);
      exists = true;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== "not_found") throw error;
      exists = false;
    }
    this.remember(this.companies, companyId, exists);
    return exists;
  }

  private fresh<T>(entry: Remembered<T> | undefined): Remembered<T> | undefined {
    return entry && this.now() - entry.at <= this.maxAgeMs ? entry : undefined;
  }

  private remember<T>(map: Map<string, Remembered<T>>, key: string, value: T): void {
    if (map.size >= this.maxEntries) map.clear();
    map.set(key, { value, at: this.now() });
  }
}
