// Reading the people who sign in (authenticated mode): the user directory. Accounts are created and their passwords
// set through better-auth (http/auth/better-auth.ts); this is what the rest of the host reads about them.
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { authUsers } from "../db/schema.js";
import { isUuid } from "./shared.js";

export interface UserSummary {
  id: string;
  name: string;
  email: string;
  isInstanceAdmin: boolean;
  createdAt: string;
}

export function userSummaryOf(row: typeof authUsers.$inferSelect): UserSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    isInstanceAdmin: row.isInstanceAdmin,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Everyone, oldest account first. */
export async function listUsers(db: Database): Promise<UserSummary[]> {
  const rows = await db.orm.select().from(authUsers).orderBy(asc(authUsers.createdAt), asc(authUsers.id));
  return rows.map(userSummaryOf);
}

export async function findUser(db: Database, id: string): Promise<UserSummary | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.orm.select().from(authUsers).where(eq(authUsers.id, id)).limit(1);
  return row ? userSummaryOf(row) : null;
}
