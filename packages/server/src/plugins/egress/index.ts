// Egress: each plugin's outbound HTTP policy (operator-set allow-list, path prefixes, private grants, limits)
// and the log of its outbound calls. The outbound client that applies the rules is host-services/outbound-http.ts.
export {
  type EgressPlugin,
  EgressService,
  type EgressServiceDeps,
  type EgressView,
} from "./egress-service.js";
export {
  DEFAULT_OUTBOUND_MAX_ROWS,
  DEFAULT_OUTBOUND_RETENTION_DAYS,
  OUTBOUND_OUTCOMES,
  type OutboundCall,
  OutboundCallLog,
  type OutboundCallPage,
  type OutboundCallQuery,
  type OutboundLogEntry,
  type OutboundLogOptions,
} from "./outbound-log.js";
export {
  DEFAULT_EGRESS_POLICY,
  EGRESS_MODES,
  type EgressMode,
  type EgressPolicy,
  EgressRules,
  MAX_POLICY_ENTRIES,
  parseAllowEntry,
  parsePrivateGrant,
  pathUnder,
  RESPONSE_BYTES_RANGE,
  TIMEOUT_RANGE,
  validateEgressPolicy,
} from "./policy.js";
export { EgressPolicyStore, type StoredEgressPolicy } from "./policy-store.js";
export { createEgress, EGRESS_ENV, type EgressOptions } from "./setup.js";
