export * from "./codes.js";
export * from "./envelope-scan.js";
export * from "./framing.js";
export * from "./messages.js";
export * from "./methods.js";
export * from "./peer.js";
export type * from "./typed-messages.js";
