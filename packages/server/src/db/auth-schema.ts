// The authenticated deployment mode's tables (hand-written migration 0620): people who sign in (better-auth's user,
// session, account, verification and rate-limit models, under our names), their company memberships with a role,
// and their API keys (sha256 hashes only). The better-auth tables keep the library's field names as the JS keys (its
// Drizzle adapter looks columns up by them) over snake_case columns.
import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";

import { companies } from "./domain-schema.js";
import { createdAt, ts, updatedAt } from "./schema-columns.js";

export const authUsers = pgTable(
  "auth_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** stored lower-case (better-auth lower-cases on sign-in; `paperclip user create` too) */
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    /** may manage plugins and every company; set by `paperclip user create --admin` or an instance admin */
    isInstanceAdmin: boolean("is_instance_admin").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("auth_users_email_key").on(t.email)],
);

export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    expiresAt: ts("expires_at").notNull(),
    token: text("token").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
  },
  (t) => [unique("auth_sessions_token_key").on(t.token), index("auth_sessions_user_idx").on(t.userId)],
);

export const authAccounts = pgTable(
  "auth_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: ts("access_token_expires_at"),
    refreshTokenExpiresAt: ts("refresh_token_expires_at"),
    scope: text("scope"),
    /** the password hash (better-auth's scrypt) for the "credential" provider */
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("auth_accounts_user_idx").on(t.userId)],
);

export const authVerifications = pgTable(
  "auth_verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: ts("expires_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("auth_verifications_identifier_idx").on(t.identifier)],
);

/** better-auth's rate limiter, kept in the database so every host node sharing it counts the same attempts. */
export const authRateLimits = pgTable(
  "auth_rate_limits",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
    /** epoch milliseconds */
    lastRequest: bigint("last_request", { mode: "number" }).notNull(),
  },
  (t) => [unique("auth_rate_limits_key_key").on(t.key)],
);

export const COMPANY_ROLES = ["owner", "member", "viewer"] as const;

export const companyMemberships = pgTable(
  "company_memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("company_memberships_company_user_key").on(t.companyId, t.userId),
    index("company_memberships_user_idx").on(t.userId),
    check("company_memberships_role_check", sql`${t.role} IN ('owner', 'member', 'viewer')`),
  ],
);

/** A user's API keys ("pck_<48 hex>") for scripts: the caller acts as that user. */
export const userApiKeys = pgTable(
  "user_api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    /** the token's first characters, shown in lists so a person can tell keys apart */
    keyPrefix: text("key_prefix").notNull(),
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("user_api_keys_key_hash_key").on(t.keyHash),
    index("user_api_keys_user_idx").on(t.userId, t.createdAt),
  ],
);
