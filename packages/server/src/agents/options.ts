// Operator settings of the run executor from the environment, checked (a bad value stops the start, naming it).
import type { RunExecutorOptions } from "./run-executor.js";

const SETTINGS = {
  PAPERCLIP_MAX_CONCURRENT_RUNS: { key: "maxConcurrentRuns", min: 1, max: 1000 },
  PAPERCLIP_RUN_LEASE_MS: { key: "leaseMs", min: 300, max: 3_600_000 },
  PAPERCLIP_RUN_POLL_MS: { key: "pollMs", min: 50, max: 600_000 },
} as const;

export function executorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RunExecutorOptions {
  const options: RunExecutorOptions = {};
  for (const [name, { key, min, max }] of Object.entries(SETTINGS)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    }
    options[key] = value;
  }
  return options;
}
