/**
 * `@paperclipai/plugin-sdk/testing` — an in-memory, capability-checked host for unit
 * tests of plugin workers.
 */
export { TestHarnessCapabilityError } from "./capability-gate.js";
export { createTestHarness } from "./create-harness.js";
export type {
  TestHarness,
  TestHarnessActivityEntry,
  TestHarnessLogEntry,
  TestHarnessMetricEntry,
  TestHarnessOptions,
  TestHarnessPerformActionOptions,
  TestHarnessSeed,
  TestHarnessSqlEntry,
  TestHarnessTelemetryEntry,
} from "./harness-types.js";
