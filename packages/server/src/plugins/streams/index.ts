/**
 * Plugin streams: worker `streams.*` notifications → stream bus, served as Server-Sent Events by the
 * HTTP layer (stream-routes.ts). See docs/plugin-bridge.md.
 */
export { ChannelBuffer } from "./channel-buffer.js";
export { ClusterStreamBus, STREAM_FRAME_TOPIC } from "./cluster-stream-bus.js";
export {
  MAX_CHANNEL_LENGTH,
  type StreamMethod,
  streamBusSinks,
  streamNotificationHandler,
  streamParamsProblem,
} from "./notifications.js";
export {
  formatFrame,
  LocalStreamBus,
  type StreamBus,
  type StreamBusOptions,
  type StreamChannelRef,
  type StreamEventType,
  type StreamFrame,
  type StreamListener,
  type StreamSubscription,
} from "./stream-bus.js";
