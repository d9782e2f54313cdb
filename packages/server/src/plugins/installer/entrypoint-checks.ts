/**
 * The files a manifest points at must exist inside the package: the worker the supervisor will
 * spawn, and the UI folder the host will serve. Paths leaving the package (`..`, absolute paths,
 * symlinks out) are refused, since the host would otherwise run or serve arbitrary files.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { isInsidePackage } from "./paths.js";
import { asRecord, asString, issue, type PluginValidationIssue } from "./validation-issues.js";

export async function checkEntrypoints(
  manifest: unknown,
  packageDir: string,
): Promise<PluginValidationIssue[]> {
  const issues: PluginValidationIssue[] = [];
  const entrypoints = asRecord(asRecord(manifest)?.entrypoints);
  const worker = asString(entrypoints?.worker);
  // A missing or non-string worker is the manifest schema's to report.
  if (worker !== undefined && worker.trim() !== "") {
    const problem = await checkFile(packageDir, worker, "entrypoints.worker");
    if (problem) issues.push(problem);
  }
  const ui = asString(entrypoints?.ui);
  if (ui !== undefined && ui.trim() !== "") {
    const problem = await checkFolder(packageDir, ui, "entrypoints.ui");
    if (problem) issues.push(problem);
  }
  return issues;
}

/**
 * The `paperclipPlugin` paths in package.json are hints for tools (the host runs what the manifest
 * names), but a path leading out of the package is never legitimate, so it is refused too.
 */
export async function checkPackageJsonPaths(
  packageJson: { paperclipPlugin?: unknown },
  packageDir: string,
): Promise<PluginValidationIssue[]> {
  const issues: PluginValidationIssue[] = [];
  const declared = asRecord(packageJson.paperclipPlugin);
  for (const key of ["manifest", "worker", "ui"]) {
    const value = asString(declared?.[key]);
    if (value === undefined || value.trim() === "") continue;
    if (!(await isInsidePackage(packageDir, path.resolve(packageDir, value), key === "ui"))) {
      const field = `package.json paperclipPlugin.${key}`;
      issues.push(
        issue(field, "entrypoint_outside_package", `${field} "${value}" points outside the package folder`),
      );
    }
  }
  return issues;
}

async function checkFile(
  packageDir: string,
  declared: string,
  field: string,
): Promise<PluginValidationIssue | null> {
  const resolved = path.resolve(packageDir, declared);
  if (!(await isInsidePackage(packageDir, resolved))) {
    return issue(
      field,
      "entrypoint_outside_package",
      `${field} "${declared}" points outside the package folder`,
    );
  }
  const info = await stat(resolved).catch(() => null);
  if (!info) {
    return issue(
      field,
      "worker_entrypoint_missing",
      `${field} "${declared}" does not exist in the package (looked for ${resolved}; is the plugin built?)`,
    );
  }
  if (!info.isFile()) {
    return issue(field, "worker_entrypoint_not_file", `${field} "${declared}" is not a file`);
  }
  return null;
}

async function checkFolder(
  packageDir: string,
  declared: string,
  field: string,
): Promise<PluginValidationIssue | null> {
  const resolved = path.resolve(packageDir, declared);
  if (!(await isInsidePackage(packageDir, resolved, true))) {
    return issue(
      field,
      "entrypoint_outside_package",
      `${field} "${declared}" points outside the package folder`,
    );
  }
  const info = await stat(resolved).catch(() => null);
  if (!info) {
    return issue(
      field,
      "ui_entrypoint_missing",
      `${field} "${declared}" does not exist in the package (looked for the folder ${resolved}; is the UI built?)`,
    );
  }
  if (!info.isDirectory()) {
    return issue(
      field,
      "ui_entrypoint_not_folder",
      `${field} "${declared}" must be a folder (the UI bundle directory)`,
    );
  }
  return null;
}
