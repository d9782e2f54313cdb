// secrets.resolve on the host: only a secret the plugin's saved config references for that company (a
// binding) resolves, at most `capacity` times per minute per plugin, and every resolved value is remembered by
// the plugin's redactor so the host never writes it to a log.
import type { Clock } from "../../domain/actor.js";
import { DomainError } from "../../errors.js";
import { DEFAULT_SECRET_RATE_LIMIT, type RateLimitOptions, TokenBucketLimiter } from "./rate-limit.js";
import { SecretRedactor } from "./redactor.js";
import type { CompanySecretsStore } from "./store.js";

export interface ResolveSecretInput {
  pluginId: string;
  pluginKey: string;
  companyId: string;
  secretId: string;
  /** Pinned by the ref; null = whatever the binding says, else the latest. */
  version: number | null;
  configPath?: string | null;
}

export class SecretResolutionError extends Error {
  override readonly name = "SecretResolutionError";
}

export class SecretResolver {
  private readonly limiter: TokenBucketLimiter;
  private readonly redactors = new Map<string, SecretRedactor>();

  constructor(
    private readonly store: CompanySecretsStore,
    clock: Clock,
    private readonly rateLimit: RateLimitOptions = DEFAULT_SECRET_RATE_LIMIT,
  ) {
    this.limiter = new TokenBucketLimiter(rateLimit, clock);
  }

  /** The plugin's redactor (one per plugin, shared by its logs and stderr). */
  redactorFor(pluginId: string): SecretRedactor {
    let redactor = this.redactors.get(pluginId);
    if (!redactor) {
      redactor = new SecretRedactor();
      this.redactors.set(pluginId, redactor);
    }
    return redactor;
  }

  async resolve(input: ResolveSecretInput): Promise<string> {
    const waitMs = this.limiter.take(input.pluginId);
    if (waitMs > 0) {
      throw new SecretResolutionError(
        `rate limit exceeded: plugin "${input.pluginKey}" may resolve ${this.rateLimit.perMinute} secrets per minute ` +
          `(burst ${this.rateLimit.capacity}); retry in ${Math.ceil(waitMs / 1000)} s, and cache resolved values in memory`,
      );
    }
    let bindings = await this.store.bindings(input.pluginId, input.companyId, input.secretId);
    if (input.configPath) bindings = bindings.filter((binding) => binding.configPath === input.configPath);
    if (bindings.length === 0) {
      throw new SecretResolutionError(
        `secret "${input.secretId}" is not bound to plugin "${input.pluginKey}" in company "${input.companyId}"` +
          (input.configPath ? ` at config path "${input.configPath}"` : "") +
          ": only secrets referenced by the plugin's saved config for that company resolve",
      );
    }
    let version = input.version;
    if (version === null) {
      const pinned = [...new Set(bindings.map((binding) => binding.version))];
      if (pinned.length > 1) {
        throw new SecretResolutionError(
          `secret "${input.secretId}" is referenced at several config paths with different versions ` +
            `(${bindings.map((b) => b.configPath).join(", ")}): pass configPath or a version`,
        );
      }
      version = pinned[0] ?? null;
    }
    try {
      const { value } = await this.store.readValue(input.companyId, input.secretId, version);
      this.redactorFor(input.pluginId).remember(value);
      return value;
    } catch (error) {
      if (error instanceof DomainError) throw new SecretResolutionError(error.message);
      throw error;
    }
  }
}
