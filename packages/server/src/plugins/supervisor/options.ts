/** Option checking and defaults: a misconfigured supervisor fails at construction, naming the field. */
import path from "node:path";
import {
  checkNonNegative,
  DEFAULT_CRASH_POLICY,
  DEFAULT_LIMITS,
  DEFAULT_METHOD_TIMEOUTS,
  DEFAULT_TIMEOUTS,
} from "./defaults.js";
import type { CrashPolicy, FloodLimits, SupervisorTimeouts, WorkerSupervisorOptions } from "./types.js";

export interface ResolvedSettings {
  timeouts: SupervisorTimeouts;
  crashPolicy: CrashPolicy;
  limits: FloodLimits;
  methodTimeouts: Record<string, number>;
}

function requireString(field: string, value: unknown): void {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new TypeError(`${field} must be a non-empty string (got ${JSON.stringify(value)})`);
  }
}

function requireAtLeastOne(field: string, value: number): void {
  if (!(value >= 1)) throw new RangeError(`${field} must be at least 1 (got ${value})`);
}

export function resolveSettings(options: WorkerSupervisorOptions): ResolvedSettings {
  requireString("pluginId", options.pluginId);
  requireString("manifest.id", options.manifest?.id);
  if (typeof options.manifest.apiVersion !== "number") {
    throw new TypeError(
      `manifest.apiVersion must be a number (got ${JSON.stringify(options.manifest.apiVersion)})`,
    );
  }
  requireString("entrypoint", options.entrypoint);
  if (!path.isAbsolute(options.entrypoint)) {
    throw new TypeError(`entrypoint must be an absolute path (got "${options.entrypoint}")`);
  }
  requireString("packageDir", options.packageDir);
  requireString("instanceInfo.instanceId", options.instanceInfo?.instanceId);
  requireString("instanceInfo.hostVersion", options.instanceInfo.hostVersion);
  requireString("instanceInfo.deploymentMode", options.instanceInfo.deploymentMode);
  requireString("instanceInfo.deploymentExposure", options.instanceInfo.deploymentExposure);

  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const crashPolicy = { ...DEFAULT_CRASH_POLICY, ...options.crashPolicy };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const methodTimeouts = { ...DEFAULT_METHOD_TIMEOUTS, ...options.methodTimeouts };
  checkNonNegative("timeouts", timeouts);
  checkNonNegative("crashPolicy", crashPolicy);
  checkNonNegative("limits", limits);
  checkNonNegative("methodTimeouts", methodTimeouts);
  requireAtLeastOne("crashPolicy.maxConsecutiveCrashes", crashPolicy.maxConsecutiveCrashes);
  requireAtLeastOne("crashPolicy.healthFailureThreshold", crashPolicy.healthFailureThreshold);
  if (crashPolicy.backoffJitter >= 1) {
    throw new RangeError(`crashPolicy.backoffJitter must be below 1 (got ${crashPolicy.backoffJitter})`);
  }
  requireAtLeastOne("limits.maxMessagesPerSecond", limits.maxMessagesPerSecond);
  requireAtLeastOne("limits.maxPendingWorkerRequests", limits.maxPendingWorkerRequests);
  requireAtLeastOne("limits.maxLineBytes", limits.maxLineBytes);
  requireAtLeastOne("limits.maxStderrLineChars", limits.maxStderrLineChars);
  return { timeouts, crashPolicy, limits, methodTimeouts };
}
