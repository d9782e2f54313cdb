/**
 * Declarations this host accepts only when it can honour them: managed routines and skills need domain
 * concepts (routines, a skills library) this host does not have, so a manifest declaring them is refused at
 * install — naming the declaration — instead of installing `ready` and failing later. A `database`
 * declaration's migrations folder must exist inside the package, so a broken package fails here, not mid-install.
 */
import { resolveMigrationsDir } from "../database/migrations.js";
import { asArray, asRecord, asString, type PluginValidationIssue } from "./validation-issues.js";

const UNSUPPORTED_MANAGED: Array<{ field: string; keyField: string; what: string }> = [
  { field: "routines", keyField: "routineKey", what: "managed routines" },
  { field: "skills", keyField: "skillKey", what: "managed skills" },
];

export async function checkHostFeatures(raw: unknown, packageDir: string): Promise<PluginValidationIssue[]> {
  const record = asRecord(raw);
  if (!record) return [];
  const issues: PluginValidationIssue[] = [];
  for (const { field, keyField, what } of UNSUPPORTED_MANAGED) {
    const declared = asArray(record[field]);
    if (declared.length === 0) continue;
    const keys = declared.map((entry) => asString(asRecord(entry)?.[keyField])).filter(Boolean);
    issues.push({
      path: field,
      rule: "feature_not_supported",
      message:
        `${field} declares ${what}${keys.length > 0 ? ` (${keys.join(", ")})` : ""}, which this host does not ` +
        `support (it has no ${field === "routines" ? "routines" : "company skills library"}); remove manifest.${field} ` +
        "to install the plugin here",
    });
  }
  const database = asRecord(record.database);
  const migrationsDir = asString(database?.migrationsDir);
  if (migrationsDir && !migrationsDir.includes("..") && !migrationsDir.startsWith("/")) {
    try {
      await resolveMigrationsDir(packageDir, migrationsDir);
    } catch (error) {
      issues.push({
        path: "database.migrationsDir",
        rule: "migrations_dir_missing",
        message: (error as Error).message,
      });
    }
  }
  return issues;
}
