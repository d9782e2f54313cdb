/** Plugin streams: worker `streams.*` notifications → stream bus → Server-Sent Events. See docs/plugin-bridge.md. */
export { ChannelBuffer } from "./channel-buffer.js";
export {
  MAX_CHANNEL_LENGTH,
  type StreamMethod,
  streamNotificationHandler,
  streamParamsProblem,
  withStreamBus,
} from "./notifications.js";
export {
  DEFAULT_KEEP_ALIVE_MS,
  KEEP_ALIVE_ENV,
  keepAliveFromEnv,
  registerStreamRoutes,
  type StreamRouteOptions,
} from "./routes.js";
export { SSE_HEADERS, SseConnection } from "./sse-connection.js";
export {
  formatFrame,
  LocalStreamBus,
  type StreamBus,
  type StreamBusOptions,
  type StreamChannelRef,
  type StreamEventType,
  type StreamListener,
  type StreamSubscription,
} from "./stream-bus.js";
