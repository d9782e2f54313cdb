// Small helpers every service uses: id checks, paging, change sets, month windows, url keys.
import { eq } from "drizzle-orm";
import type { Orm } from "../db/database.js";
import { companies } from "../db/schema.js";
import { notFound, unprocessable } from "../errors.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUID-shaped can never match a row; callers answer 404 instead of a database error. */
export function isUuid(value: unknown): boolean {
  return typeof value === "string" && UUID_RE.test(value);
}

export interface Page {
  limit?: number;
  offset?: number;
}

export function pageOf(page: Page | undefined, defaultLimit: number, maxLimit: number) {
  const limit = Math.min(Math.max(1, Math.trunc(page?.limit ?? defaultLimit)), maxLimit);
  const offset = Math.max(0, Math.trunc(page?.offset ?? 0));
  return { limit, offset };
}

export type Changes = Record<string, { from: unknown; to: unknown }>;

/** Fields of `patch` whose value differs from `current` (deep-compared as JSON). */
export function diff(current: Record<string, unknown>, patch: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [key, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    const from = current[key];
    if (!sameValue(from, to)) changes[key] = { from: toJsonValue(from), to: toJsonValue(to) };
  }
  return changes;
}

function toJsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(toJsonValue(a)) === JSON.stringify(toJsonValue(b));
}

/** The values of a change set, ready for an UPDATE. */
export function changedValues(changes: Changes, patch: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) values[key] = patch[key];
  return values;
}

/** "YYYY-MM" of a date in UTC: the budget window key. */
export function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function nextMonthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** Lower case, runs of other characters become "-", trimmed; non-ASCII names get an id suffix. */
export function urlKeyOf(name: string, id: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting non-ASCII on purpose
  const hasNonAscii = /[^\u0000-\u007f]/.test(name);
  if (!base) return id.replace(/-/g, "").slice(0, 8);
  return hasNonAscii ? `${base}-${id.replace(/-/g, "").slice(0, 8)}` : base;
}

export async function requireCompanyRow(orm: Orm, companyId: string) {
  if (!isUuid(companyId)) throw notFound("Company not found");
  const [row] = await orm.select().from(companies).where(eq(companies.id, companyId)).limit(1);
  if (!row) throw notFound("Company not found");
  return row;
}

/** A referenced record must exist and belong to the same company. */
export function assertSameCompany(
  row: { companyId: string } | undefined,
  companyId: string,
  what: string,
  field: string,
): void {
  if (!row) throw notFound(`${field}: ${what} not found`, { field });
  if (row.companyId !== companyId)
    throw unprocessable(`${field}: ${what} belongs to another company`, { field });
}

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
