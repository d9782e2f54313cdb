// Users, passwords and sessions for the authenticated deployment mode, on better-auth over our own database (its
// Drizzle adapter on the host's ORM, tables in db/auth-schema.ts). Only email + password sign-in is enabled; nobody
// signs up on their own (an instance admin creates accounts: `paperclip user create`, POST /api/users). The rest of
// the host sees the narrow PaperclipAuth interface below, never the library.
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../../db/database.js";
import { authAccounts, authRateLimits, authSessions, authUsers, authVerifications } from "../../db/schema.js";
import { findUser, listUsers, type UserSummary, userSummaryOf } from "../../domain/users.js";
import { badRequest, conflict, notFound } from "../../errors.js";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "./password-policy.js";

/** Where better-auth is mounted. */
export const AUTH_BASE_PATH = "/api/auth";
/** The session cookie's name (better-auth's `<prefix>.session_token`; `__Secure-` in front on https). */
export const SESSION_COOKIE_PREFIX = "paperclip";
/** Set by our handler from the connection's address (never taken from the client): the rate limiter's key. */
export const CLIENT_IP_HEADER = "x-paperclip-client-ip";

/** Sign-in attempts per client address: 5 a minute (better-auth counts every attempt, good or bad). */
export const DEFAULT_SIGN_IN_LIMIT = { window: 60, max: 5 };

export type AuthUser = UserSummary;

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  isInstanceAdmin?: boolean;
}

export interface PaperclipAuth {
  /** better-auth's own routes (sign-in, sign-out, get-session, change-password, …) as a Web Request handler. */
  handler(request: Request): Promise<Response>;
  /** The user of the session cookie in these headers, or null (no cookie, expired or signed out). */
  sessionUser(headers: Headers): Promise<AuthUser | null>;
  /** 400 weak password or bad email, 409 email taken. The first user of an instance is always an admin. */
  createUser(input: CreateUserInput): Promise<AuthUser>;
  /** Replace a user's password (and end their sessions). 404 no such user. */
  resetPassword(email: string, password: string): Promise<AuthUser>;
  listUsers(): Promise<AuthUser[]>;
  getUser(id: string): Promise<AuthUser | null>;
}

export interface AuthOptions {
  db: Database;
  /** signs session cookies; at least 32 characters */
  secret: string;
  /** The board's public URL; null: each request's own origin, among `allowedHosts`. */
  publicUrl: string | null;
  /** host names the board may be reached at (the host guard's list) */
  allowedHosts: readonly string[];
  logger?: Logger | null;
  /** Sign-in attempts allowed per `window` seconds per client address. */
  signInLimit?: { window: number; max: number };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Host patterns better-auth accepts for the request's own origin: every allowed name, on any port. */
function hostPatterns(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const host = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
    return [host, `${host}:*`];
  });
}

export function createAuth(options: AuthOptions): PaperclipAuth {
  const { db } = options;
  const log = options.logger ?? null;
  const auth = betterAuth({
    appName: "Paperclip",
    basePath: AUTH_BASE_PATH,
    baseURL: options.publicUrl ?? { allowedHosts: hostPatterns(options.allowedHosts), protocol: "auto" },
    secret: options.secret,
    database: drizzleAdapter(db.orm, {
      provider: "pg",
      schema: { authUsers, authSessions, authAccounts, authVerifications, authRateLimits },
    }),
    user: {
      modelName: "authUsers",
      additionalFields: {
        isInstanceAdmin: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    session: { modelName: "authSessions" },
    account: { modelName: "authAccounts" },
    verification: { modelName: "authVerifications" },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    rateLimit: {
      enabled: true,
      // In the database: several host nodes on one PostgreSQL count the same attempts, and a restart forgets none.
      storage: "database",
      modelName: "authRateLimits",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": options.signInLimit ?? DEFAULT_SIGN_IN_LIMIT },
    },
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      database: { generateId: "uuid" },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      log: (level, message) => {
        if (!log) return;
        if (level === "error") log.error({ component: "better-auth" }, message);
        else log.warn({ component: "better-auth" }, message);
      },
    },
  });

  async function findByEmail(email: string) {
    const [row] = await db.orm.select().from(authUsers).where(eq(authUsers.email, email)).limit(1);
    return row ?? null;
  }

  return {
    handler: (request) => auth.handler(request),

    async sessionUser(headers) {
      const session = await auth.api.getSession({ headers });
      if (!session) return null;
      const user = session.user as typeof session.user & { isInstanceAdmin?: boolean };
      return {
        id: user.id,
        name: user.name,
        email: user.email,
        isInstanceAdmin: user.isInstanceAdmin === true,
        createdAt: new Date(user.createdAt).toISOString(),
      };
    },

    async createUser(input) {
      const email = input.email.trim().toLowerCase();
      const name = input.name.trim();
      if (!EMAIL.test(email)) throw badRequest(`Not an email address: "${input.email}"`, { field: "email" });
      if (name === "") throw badRequest("A name is required", { field: "name" });
      const weak = passwordProblem(input.password, email);
      if (weak) throw badRequest(weak, { field: "password" });
      if (await findByEmail(email))
        throw conflict(`A user with email ${email} already exists`, { field: "email" });
      const context = await auth.$context;
      const hash = await context.password.hash(input.password);
      // The first account of an instance administers it: otherwise nobody could.
      const [{ count } = { count: 0 }] = await db.query<{ count: number }>(
        "auth_user_count",
        "SELECT count(*)::int AS count FROM auth_users",
        [],
      );
      const row = await db.transaction(async (tx) => {
        const [user] = await tx.orm
          .insert(authUsers)
          .values({ email, name, isInstanceAdmin: input.isInstanceAdmin === true || count === 0 })
          .returning();
        await tx.orm
          .insert(authAccounts)
          .values({ userId: user!.id, accountId: user!.id, providerId: "credential", password: hash });
        return user!;
      });
      return userSummaryOf(row);
    },

    async resetPassword(email, password) {
      const row = await findByEmail(email.trim().toLowerCase());
      if (!row) throw notFound(`No user with email ${email.trim().toLowerCase()}`);
      const weak = passwordProblem(password, row.email);
      if (weak) throw badRequest(weak, { field: "password" });
      const context = await auth.$context;
      const hash = await context.password.hash(password);
      await db.transaction(async (tx) => {
        const updated = await tx.orm
          .update(authAccounts)
          .set({ password: hash, updatedAt: new Date() })
          .where(eq(authAccounts.userId, row.id))
          .returning({ id: authAccounts.id });
        if (updated.length === 0) {
          await tx.orm
            .insert(authAccounts)
            .values({ userId: row.id, accountId: row.id, providerId: "credential", password: hash });
        }
        // A new password ends every session signed in with the old one.
        await tx.orm.delete(authSessions).where(eq(authSessions.userId, row.id));
      });
      return userSummaryOf(row);
    },

    getUser: (id) => findUser(db, id),
    listUsers: () => listUsers(db),
  };
}
