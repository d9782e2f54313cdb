// Project rows and the lookup projects and their workspaces share.
import { and, eq } from "drizzle-orm";
import type { Orm } from "../db/database.js";
import { projects } from "../db/schema.js";
import { conflict, notFound } from "../errors.js";
import { isUuid } from "./shared.js";

export type ProjectRow = typeof projects.$inferSelect;

/** By id, or by url key when `companyId` is given; `lock` row-locks it (by id). */
export async function findProject(
  orm: Orm,
  idOrKey: string,
  companyId?: string,
  lock = false,
): Promise<ProjectRow> {
  let rows: ProjectRow[];
  if (isUuid(idOrKey)) {
    const query = orm.select().from(projects).where(eq(projects.id, idOrKey)).limit(1);
    rows = lock ? await query.for("update") : await query;
  } else if (companyId && isUuid(companyId)) {
    rows = await orm
      .select()
      .from(projects)
      .where(and(eq(projects.companyId, companyId), eq(projects.urlKey, idOrKey.toLowerCase())))
      .limit(2);
    if (rows.length > 1) throw conflict(`Project shortname "${idOrKey}" is ambiguous in this company`);
  } else {
    throw notFound("Project not found");
  }
  if (!rows[0]) throw notFound("Project not found");
  return rows[0];
}
