// Company secret management as the board uses it (its routes: the HTTP layer's secret-routes.ts): create,
// list (metadata only), rotate — each for an existing company, each change written to the activity log with the
// secret's name and version, never its value. Plugins reach a value only through secrets.resolve.
import type { Actor, Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import type { CompanySecretsStore, SecretMetadata, SecretVersionMetadata } from "./store.js";

export interface CompanySecretServiceDeps {
  secrets: CompanySecretsStore;
  services: Pick<DomainServices, "companies" | "activity">;
  clock?: Clock;
}

export class CompanySecretService {
  private readonly secrets: CompanySecretsStore;
  private readonly services: CompanySecretServiceDeps["services"];
  private readonly clock: Clock;

  constructor(deps: CompanySecretServiceDeps) {
    this.secrets = deps.secrets;
    this.services = deps.services;
    this.clock = deps.clock ?? systemClock;
  }

  async create(actor: Actor, companyId: string, name: string, value: string): Promise<SecretVersionMetadata> {
    await this.services.companies.get(companyId);
    const created = await this.secrets.create(companyId, name.trim(), value, this.clock.now());
    await this.logChange(actor, companyId, "secret.created", created);
    return created;
  }

  async list(companyId: string): Promise<SecretMetadata[]> {
    await this.services.companies.get(companyId);
    return this.secrets.list(companyId);
  }

  /** Add a version holding the new value; earlier versions stay readable by configs that pin them. */
  async rotate(
    actor: Actor,
    companyId: string,
    secretId: string,
    value: string,
  ): Promise<SecretVersionMetadata> {
    await this.services.companies.get(companyId);
    const rotated = await this.secrets.rotate(companyId, secretId, value, this.clock.now());
    await this.logChange(actor, companyId, "secret.rotated", rotated);
    return rotated;
  }

  private async logChange(
    actor: Actor,
    companyId: string,
    action: "secret.created" | "secret.rotated",
    secret: SecretVersionMetadata,
  ): Promise<void> {
    await this.services.activity.log(actor, companyId, {
      actorType: actor.type,
      actorId: actor.id,
      action,
      entityType: "secret",
      entityId: secret.id,
      details: { name: secret.name, version: secret.version },
    });
  }
}
