export { CLUSTER_CHANNEL, ClusterBus, type ClusterBusOptions, type ClusterHandler } from "./bus.js";
export { type DrainStep, NodeDrain } from "./drain.js";
export { NODE_DRAIN_TOPIC, NodeAdmin, type NodeList, type NodeView } from "./node-admin.js";
export { nodeIdOf } from "./node-id.js";
export {
  type ClusterNodeRecord,
  type ClusterNodeStatus,
  NODE_CHANGED_TOPIC,
  type NodeChange,
  NodeIdInUseError,
  NodeRegistry,
} from "./node-registry.js";
