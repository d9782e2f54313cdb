// Budget policy rows (table budget_policies): every write to them goes through here. A company's or an agent's
// monthly budget is kept in step with its policy, the budgets API upserts policies, and resolving an incident
// raises a policy's amount. The rules around them (thresholds, incidents) live in budgets.ts.
import { eq } from "drizzle-orm";
import { budgetPolicies } from "../db/schema.js";
import type { Mutation } from "./unit-of-work.js";

export type BudgetPolicy = typeof budgetPolicies.$inferSelect;
/** A new policy: its scope (company, type, id, metric, window) and its settings; timestamps are the mutation's. */
export type NewBudgetPolicy = Omit<typeof budgetPolicies.$inferInsert, "id" | "createdAt" | "updatedAt">;
export type BudgetPolicyUpdate = Partial<
  Pick<BudgetPolicy, "amount" | "warnPercent" | "hardStopEnabled" | "notifyEnabled" | "isActive">
>;

/**
 * Insert the policy, or when its scope already has one (same company, scope type and id, metric and window),
 * set `onConflict` on that one instead. Stamps `m.now`: created_at on insert, updated_at either way.
 */
export async function upsertBudgetPolicy(
  m: Mutation,
  policy: NewBudgetPolicy,
  onConflict: BudgetPolicyUpdate,
): Promise<BudgetPolicy> {
  const [row] = await m.tx.orm
    .insert(budgetPolicies)
    .values({ ...policy, createdAt: m.now, updatedAt: m.now })
    .onConflictDoUpdate({
      target: [
        budgetPolicies.companyId,
        budgetPolicies.scopeType,
        budgetPolicies.scopeId,
        budgetPolicies.metric,
        budgetPolicies.windowKind,
      ],
      set: { ...onConflict, updatedAt: m.now },
    })
    .returning();
  return row!;
}

/** Keep a company's or an agent's policy in step with its monthly budget; a zero budget deactivates it. */
export async function syncMonthlyBudgetPolicy(
  m: Mutation,
  scope: { companyId: string; scopeType: "company" | "agent"; scopeId: string },
  amount: number,
): Promise<void> {
  await upsertBudgetPolicy(m, { ...scope, amount }, { amount, isActive: amount > 0 });
}

export async function setBudgetPolicyAmount(m: Mutation, policyId: string, amount: number): Promise<void> {
  await m.tx.orm
    .update(budgetPolicies)
    .set({ amount, updatedAt: m.now })
    .where(eq(budgetPolicies.id, policyId));
}
