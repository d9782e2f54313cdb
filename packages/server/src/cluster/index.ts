export { CLUSTER_CHANNEL, ClusterBus, type ClusterBusOptions, type ClusterHandler } from "./bus.js";
export { nodeIdOf } from "./node-id.js";
