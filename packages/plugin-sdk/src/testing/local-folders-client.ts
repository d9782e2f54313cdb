/**
 * `ctx.localFolders` over a virtual file tree per (company, folderKey): a test configures a
 * folder, the plugin reads and writes below it, and the host's path rules apply (relative
 * paths only, no `..`, no backslashes, declared folder keys only, read-only folders refuse
 * writes). No real disk is touched.
 */
import path from "node:path";
import type {
  PluginContext,
  PluginLocalFolderDeclaration,
  PluginLocalFolderEntry,
  PluginLocalFolderProblem,
  PluginLocalFolderStatus,
} from "../types/index.js";
import type { HarnessRuntime } from "./runtime.js";
import { requireNonEmptyString, requireOneOf, requirePlainObject } from "./validate.js";

interface VirtualFolder {
  path: string;
  access: "read" | "readWrite";
  requiredDirectories: string[];
  requiredFiles: string[];
  files: Map<string, { contents: string; modifiedAt: string }>;
}

/** The host's relative-path rule: no leading "/", no "..", no "\\", no empty or "." segments. */
function requireRelativePath(value: unknown, where: string): string {
  const relative = requireNonEmptyString(value, where);
  const segments = relative.split("/");
  if (
    relative.startsWith("/") ||
    relative.includes("\\") ||
    segments.some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new Error(
      `${where}: path_traversal: ${JSON.stringify(relative)} must stay inside the folder (relative, no "..", "\\", empty or "." segments)`,
    );
  }
  return relative;
}

export function buildLocalFoldersClient(runtime: HarnessRuntime): PluginContext["localFolders"] {
  const { gate, manifest } = runtime;
  const folders = new Map<string, VirtualFolder>();
  const keyOf = (companyId: string, folderKey: string) => `${companyId}\u0000${folderKey}`;

  const declared = (folderKey: unknown, where: string): PluginLocalFolderDeclaration => {
    const key = requireNonEmptyString(folderKey, `${where}: folderKey`);
    const declaration = (manifest.localFolders ?? []).find((folder) => folder.folderKey === key);
    if (!declaration)
      throw new Error(`${where}: folderKey '${key}' is not declared in manifest.localFolders`);
    return declaration;
  };

  const statusOf = (companyId: string, folderKey: string): PluginLocalFolderStatus => {
    const folder = folders.get(keyOf(companyId, folderKey));
    const checkedAt = new Date().toISOString();
    if (!folder) {
      return {
        folderKey,
        configured: false,
        path: null,
        realPath: null,
        access: declared(folderKey, "ctx.localFolders.status").access ?? "readWrite",
        readable: false,
        writable: false,
        requiredDirectories: [],
        requiredFiles: [],
        missingDirectories: [],
        missingFiles: [],
        healthy: false,
        problems: [
          {
            code: "not_configured",
            message: `Local folder '${folderKey}' is not configured for this company`,
          },
        ],
        checkedAt,
      };
    }
    const files = [...folder.files.keys()];
    const missingFiles = folder.requiredFiles.filter((file) => !folder.files.has(file));
    const missingDirectories = folder.requiredDirectories.filter(
      (dir) => !files.some((file) => file.startsWith(`${dir}/`)),
    );
    const problems: PluginLocalFolderProblem[] = [
      ...(path.isAbsolute(folder.path)
        ? []
        : [{ code: "not_absolute" as const, message: "Folder path must be absolute", path: folder.path }]),
      ...missingDirectories.map((dir) => ({
        code: "missing_directory" as const,
        message: `Missing directory ${dir}`,
        path: dir,
      })),
      ...missingFiles.map((file) => ({
        code: "missing_file" as const,
        message: `Missing file ${file}`,
        path: file,
      })),
    ];
    return {
      folderKey,
      configured: true,
      path: folder.path,
      realPath: folder.path,
      access: folder.access,
      readable: true,
      writable: folder.access === "readWrite",
      requiredDirectories: folder.requiredDirectories,
      requiredFiles: folder.requiredFiles,
      missingDirectories,
      missingFiles,
      healthy: problems.length === 0,
      problems,
      checkedAt,
    };
  };

  const configured = (companyId: unknown, folderKey: unknown, where: string) => {
    gate.require("local.folders");
    const company = requireNonEmptyString(companyId, `${where}: companyId`);
    const key = declared(folderKey, where).folderKey;
    const folder = folders.get(keyOf(company, key));
    if (!folder) throw new Error(`${where}: local folder '${key}' is not configured for company ${company}`);
    return { company, key, folder };
  };

  return {
    declarations: () => manifest.localFolders ?? [],
    async configure(input) {
      gate.require("local.folders");
      const fields = requirePlainObject(input, "ctx.localFolders.configure: input");
      const company = requireNonEmptyString(fields.companyId, "ctx.localFolders.configure: companyId");
      const declaration = declared(fields.folderKey, "ctx.localFolders.configure");
      const access =
        fields.access === undefined
          ? (declaration.access ?? "readWrite")
          : requireOneOf(fields.access, ["read", "readWrite"] as const, "ctx.localFolders.configure: access");
      const required = (list: unknown, field: string) =>
        ((list as unknown[] | undefined) ?? []).map((entry, index) =>
          requireRelativePath(entry, `ctx.localFolders.configure: ${field}[${index}]`),
        );
      const previous = folders.get(keyOf(company, declaration.folderKey));
      folders.set(keyOf(company, declaration.folderKey), {
        path: requireNonEmptyString(fields.path, "ctx.localFolders.configure: path"),
        access,
        requiredDirectories: required(
          fields.requiredDirectories ?? declaration.requiredDirectories,
          "requiredDirectories",
        ),
        requiredFiles: required(fields.requiredFiles ?? declaration.requiredFiles, "requiredFiles"),
        files: previous?.files ?? new Map(),
      });
      return statusOf(company, declaration.folderKey);
    },
    async status(companyId, folderKey) {
      gate.require("local.folders");
      const company = requireNonEmptyString(companyId, "ctx.localFolders.status: companyId");
      return statusOf(company, declared(folderKey, "ctx.localFolders.status").folderKey);
    },
    async list(companyId, folderKey, options) {
      const { key, folder } = configured(companyId, folderKey, "ctx.localFolders.list");
      const opts = options ?? {};
      const base = opts.relativePath
        ? requireRelativePath(opts.relativePath, "ctx.localFolders.list: relativePath")
        : null;
      const entries = new Map<string, PluginLocalFolderEntry>();
      for (const [file, { contents, modifiedAt }] of folder.files) {
        if (base && !file.startsWith(`${base}/`)) continue;
        const rest = (base ? file.slice(base.length + 1) : file).split("/");
        const depth = opts.recursive ? rest.length : 1;
        for (let level = 1; level <= depth; level++) {
          const relative = [...(base ? [base] : []), ...rest.slice(0, level)].join("/");
          const isFile = level === rest.length;
          entries.set(relative, {
            path: relative,
            name: rest[level - 1]!,
            kind: isFile ? "file" : "directory",
            size: isFile ? Buffer.byteLength(contents) : null,
            modifiedAt: isFile ? modifiedAt : null,
          });
        }
      }
      // Code-point order, so listings are identical on every machine and locale.
      const sorted = [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const max = opts.maxEntries ?? sorted.length;
      return {
        folderKey: key,
        relativePath: base,
        entries: sorted.slice(0, max),
        truncated: sorted.length > max,
      };
    },
    async readText(companyId, folderKey, relativePath) {
      const { folder } = configured(companyId, folderKey, "ctx.localFolders.readText");
      const file = requireRelativePath(relativePath, "ctx.localFolders.readText: relativePath");
      const entry = folder.files.get(file);
      if (!entry) throw new Error(`ctx.localFolders.readText: file not found: ${file}`);
      return entry.contents;
    },
    async writeTextAtomic(companyId, folderKey, relativePath, contents) {
      const { company, key, folder } = configured(companyId, folderKey, "ctx.localFolders.writeTextAtomic");
      const file = requireRelativePath(relativePath, "ctx.localFolders.writeTextAtomic: relativePath");
      if (folder.access !== "readWrite") {
        throw new Error(
          `ctx.localFolders.writeTextAtomic: local folder '${key}' is read-only (access "read")`,
        );
      }
      if (typeof contents !== "string")
        throw new TypeError("ctx.localFolders.writeTextAtomic: contents must be a string");
      folder.files.set(file, { contents, modifiedAt: new Date().toISOString() });
      return statusOf(company, key);
    },
    async deleteFile(companyId, folderKey, relativePath) {
      const { company, key, folder } = configured(companyId, folderKey, "ctx.localFolders.deleteFile");
      const file = requireRelativePath(relativePath, "ctx.localFolders.deleteFile: relativePath");
      if (folder.access !== "readWrite") {
        throw new Error(`ctx.localFolders.deleteFile: local folder '${key}' is read-only (access "read")`);
      }
      folder.files.delete(file);
      return statusOf(company, key);
    },
  };
}
