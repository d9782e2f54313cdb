// Builds the egress pieces of one host (the host-services factory calls it once): the outbound client with the
// host's defaults, the outbound call log and the service over both. Host defaults come from the options, else
// the environment (docs/egress.md), else the built-in values.
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { OutboundHttp, type OutboundHttpOptions } from "../host-services/outbound-http.js";
import { EgressService } from "./egress-service.js";
import { OutboundCallLog, type OutboundLogOptions } from "./outbound-log.js";
import { RESPONSE_BYTES_RANGE, TIMEOUT_RANGE } from "./policy.js";

export const EGRESS_ENV = {
  timeoutMs: "PAPERCLIP_PLUGIN_HTTP_TIMEOUT_MS",
  maxResponseBytes: "PAPERCLIP_PLUGIN_HTTP_MAX_RESPONSE_BYTES",
  logMaxRows: "PAPERCLIP_PLUGIN_OUTBOUND_LOG_MAX_ROWS",
  logRetentionDays: "PAPERCLIP_PLUGIN_OUTBOUND_LOG_RETENTION_DAYS",
} as const;

export interface EgressOptions {
  /** The outbound client: host defaults (deadline, response cap, DNS deadline) and the DNS step (tests). */
  http?: OutboundHttpOptions;
  /** The outbound log's batching and bounds. */
  log?: Partial<Omit<OutboundLogOptions, "db" | "clock" | "logger">>;
}

export interface EgressSetup {
  db: Database;
  services: DomainServices;
  logger: Logger;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** Raw PAPERCLIP_PLUGIN_ALLOWED_HOSTS entries. */
  instanceGrants: readonly string[];
  options?: EgressOptions;
}

/** A whole number in [min, max] from the environment, or undefined when unset; anything else stops the host. */
function fromEnv(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function createEgress(setup: EgressSetup): { outbound: OutboundHttp; egress: EgressService } {
  const { env, options = {} } = setup;
  const outbound = new OutboundHttp({
    timeoutMs: fromEnv(env, EGRESS_ENV.timeoutMs, TIMEOUT_RANGE.min, TIMEOUT_RANGE.max),
    maxResponseBytes: fromEnv(
      env,
      EGRESS_ENV.maxResponseBytes,
      RESPONSE_BYTES_RANGE.min,
      RESPONSE_BYTES_RANGE.max,
    ),
    ...definedOnly(options.http ?? {}),
  });
  const log = new OutboundCallLog({
    db: setup.db,
    clock: setup.clock,
    logger: setup.logger,
    maxRowsPerPlugin: fromEnv(env, EGRESS_ENV.logMaxRows, 10, 1_000_000),
    retentionDays: fromEnv(env, EGRESS_ENV.logRetentionDays, 1, 3_650),
    ...definedOnly(options.log ?? {}),
  });
  const egress = new EgressService({
    db: setup.db,
    services: setup.services,
    log,
    outbound,
    instanceGrants: setup.instanceGrants,
  });
  return { outbound, egress };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
