// Drizzle table definitions: the single description of the host's relational schema, domain and plugin runtime.
// The committed SQL in packages/server/migrations is what databases actually run; this file must describe the
// database those migrations build, exactly (test/db-schema.test.ts compares the two). See migrations/README.md.
// The tables live in domain-schema.ts and plugin-schema.ts; import them from here.

export * from "./artifacts-schema.js";
export * from "./auth-schema.js";
export * from "./cluster-schema.js";
export * from "./dev-mode-schema.js";
export * from "./domain-schema.js";
export * from "./egress-schema.js";
export * from "./node-workers-schema.js";
export * from "./nodes-schema.js";
export * from "./plugin-schema.js";
export * from "./sandbox-schema.js";
export * from "./supply-chain-schema.js";
export * from "./ui-sandbox-schema.js";
