// A signed-in user's API keys for scripts ("pck_<48 hex>", sent as `Authorization: Bearer …`): the caller then acts
// as that user, with the user's memberships and admin flag as they are at each request. Only sha256 hashes are
// stored (like the agent keys, src/agents/agent-keys.ts); the token is shown once, when the key is created.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { authUsers, userApiKeys } from "../db/schema.js";
import { notFound } from "../errors.js";
import { isUuid } from "./shared.js";

export const USER_KEY_PREFIX = "pck_";
const TOKEN_SHAPE = /^pck_[0-9a-f]{48}$/;
/** How often a key's last use is written: not on every request of a busy script. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface UserApiKeySummary {
  id: string;
  name: string;
  /** the first characters of the token, to tell keys apart */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface UserKeyCredential {
  keyId: string;
  userId: string;
  name: string;
  email: string;
  isInstanceAdmin: boolean;
}

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

function summaryOf(row: typeof userApiKeys.$inferSelect): UserApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export class UserApiKeys {
  constructor(private readonly db: Database) {}

  /** The token is in this answer only. */
  async create(
    userId: string,
    name: string,
    expiresAt: Date | null = null,
  ): Promise<UserApiKeySummary & { token: string }> {
    const token = `${USER_KEY_PREFIX}${randomBytes(24).toString("hex")}`;
    const [row] = await this.db.orm
      .insert(userApiKeys)
      .values({ userId, name, keyHash: hashToken(token), keyPrefix: token.slice(0, 12), expiresAt })
      .returning();
    return { ...summaryOf(row!), token };
  }

  /** Newest first, revoked ones included (marked); never a token or hash. */
  async list(userId: string): Promise<UserApiKeySummary[]> {
    if (!isUuid(userId)) return [];
    const rows = await this.db.orm
      .select()
      .from(userApiKeys)
      .where(eq(userApiKeys.userId, userId))
      .orderBy(desc(userApiKeys.createdAt), desc(userApiKeys.id));
    return rows.map(summaryOf);
  }

  /** Revoking twice is fine; a key of another user is "not found". */
  async revoke(userId: string, keyId: string): Promise<UserApiKeySummary> {
    if (!isUuid(keyId)) throw notFound("API key not found");
    const [row] = await this.db.orm
      .select()
      .from(userApiKeys)
      .where(and(eq(userApiKeys.id, keyId), eq(userApiKeys.userId, userId)))
      .limit(1);
    if (!row) throw notFound("API key not found");
    if (row.revokedAt) return summaryOf(row);
    const [updated] = await this.db.orm
      .update(userApiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(userApiKeys.id, keyId), isNull(userApiKeys.revokedAt)))
      .returning();
    return summaryOf(updated ?? row);
  }

  /** The key's user, or null for an unknown, revoked or expired key. */
  async authenticate(token: string): Promise<UserKeyCredential | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const [row] = await this.db.orm
      .select({
        keyId: userApiKeys.id,
        userId: userApiKeys.userId,
        expiresAt: userApiKeys.expiresAt,
        revokedAt: userApiKeys.revokedAt,
        lastUsedAt: userApiKeys.lastUsedAt,
        name: authUsers.name,
        email: authUsers.email,
        isInstanceAdmin: authUsers.isInstanceAdmin,
      })
      .from(userApiKeys)
      .innerJoin(authUsers, eq(authUsers.id, userApiKeys.userId))
      .where(eq(userApiKeys.keyHash, hashToken(token)))
      .limit(1);
    if (!row || row.revokedAt) return null;
    const now = Date.now();
    if (row.expiresAt && row.expiresAt.getTime() <= now) return null;
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.orm
        .update(userApiKeys)
        .set({ lastUsedAt: new Date(now) })
        .where(eq(userApiKeys.id, row.keyId));
    }
    return {
      keyId: row.keyId,
      userId: row.userId,
      name: row.name,
      email: row.email,
      isInstanceAdmin: row.isInstanceAdmin,
    };
  }
}
