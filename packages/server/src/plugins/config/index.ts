export {
  type ConfigTestOutcome,
  type ConfigTestResult,
  type ConfigurablePlugin,
  PluginConfigService,
  type PluginConfigServiceDeps,
} from "./config-service.js";
export type { RunningPluginAccess, WorkerCall } from "./running-access.js";
export {
  ConfigSchemaError,
  type ConfigValidation,
  type FieldError,
  findSecretRefs,
  type SecretRefUse,
  validateConfig,
} from "./schema.js";
export {
  ConfigValidationError,
  HOST_CONFIG_KEYS,
  type PluginConfig,
  type PluginConfigReader,
  PluginConfigStore,
} from "./store.js";
