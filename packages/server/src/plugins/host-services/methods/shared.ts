// Small helpers the method tables share: schema pieces, "not found → null", ownership checks.
import { DomainError } from "../../../errors.js";
import { int, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { HostCall } from "../call.js";
import { callFailed } from "../errors.js";

export const id = nonEmpty(LIMITS.key);
export const text = (max: number = LIMITS.text) => str(max);
export const optionalText = (max: number = LIMITS.text) => ({ type: ["string", "null"], maxLength: max });
export const page = { limit: int(1, 10_000), offset: int(0, 10_000_000) };
export const jsonObject = { type: "object" };
export const nullableObject = { type: ["object", "null"] };
export const idList = (maxItems = 100) => ({ type: "array", items: id, maxItems });

/** The value, or null when the service says the record does not exist. */
export async function orNull<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") return null;
    throw error;
  }
}

/** A record named by id must belong to the company the call names; otherwise it does not exist for the call. */
export function ownedBy<T extends { companyId: string }>(record: T | null, companyId: string): T | null {
  return record && record.companyId === companyId ? record : null;
}

/** Like ownedBy, but a missing record is an error naming what was looked for. */
export function requireOwned<T extends { companyId: string }>(
  call: HostCall,
  record: T | null,
  companyId: string,
  what: string,
  recordId: string,
): T {
  const owned = ownedBy(record, companyId);
  if (!owned) throw callFailed(call.method, `${what} "${recordId}" not found in company "${companyId}"`);
  return owned;
}
