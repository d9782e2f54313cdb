// A company's Issue Sync config as saved on the plugin's settings page (manifest instanceConfigSchema).
import type { PluginConfigValidationResult } from "@paperclipai/plugin-sdk";

/** The form `ctx.secrets.resolve` takes; the host also stores a bare secret id for a `secret-ref` field. */
export interface SecretRef {
  type: "secret_ref";
  secretId: string;
  version?: number;
}

export interface SyncConfig {
  trackerUrl: string;
  webhookSecret: SecretRef;
}

function secretRefOf(value: unknown): SecretRef | null {
  if (typeof value === "string" && value !== "") return { type: "secret_ref", secretId: value };
  if (typeof value === "object" && value !== null) {
    const ref = value as Record<string, unknown>;
    if (ref.type === "secret_ref" && typeof ref.secretId === "string" && ref.secretId !== "") {
      return typeof ref.version === "number"
        ? { type: "secret_ref", secretId: ref.secretId, version: ref.version }
        : { type: "secret_ref", secretId: ref.secretId };
    }
  }
  return null;
}

/** The problems with a config, each naming its field; empty when it is usable. */
export function configProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const url = config.trackerUrl;
  if (typeof url !== "string" || url === "") {
    problems.push("trackerUrl is required");
  } else {
    let protocol = "";
    try {
      protocol = new URL(url).protocol;
    } catch {
      problems.push(`trackerUrl ${JSON.stringify(url)} is not an absolute URL`);
    }
    if (protocol !== "" && protocol !== "http:" && protocol !== "https:")
      problems.push(`trackerUrl must be an http or https URL (got ${protocol})`);
  }
  if (!secretRefOf(config.webhookSecret)) problems.push("webhookSecret must reference a company secret");
  return problems;
}

/** The usable config, or null when the company has not configured the plugin (completely). */
export function readConfig(config: Record<string, unknown>): SyncConfig | null {
  if (configProblems(config).length > 0) return null;
  return { trackerUrl: config.trackerUrl as string, webhookSecret: secretRefOf(config.webhookSecret)! };
}

export function validateConfig(config: Record<string, unknown>): PluginConfigValidationResult {
  const errors = configProblems(config);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
