export {
  MAX_MESSAGE_CHARS,
  MAX_META_CHARS,
  PLUGIN_LOG_LEVELS,
  type PluginLogInput,
  type PluginLogLevel,
  type PluginLogQuery,
  type PluginLogRecord,
  PluginLogService,
  type PluginLogServiceOptions,
} from "./log-service.js";
export {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_LOG_RETENTION_INTERVAL_MS,
  LogRetentionJob,
  type LogRetentionOptions,
} from "./retention.js";
