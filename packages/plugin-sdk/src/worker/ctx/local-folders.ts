// ctx.localFolders → localFolders.configure | .status | .list | .readText | .writeTextAtomic | .deleteFile
import type { PaperclipPluginManifestV1, PluginLocalFoldersClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildLocalFoldersClient(
  host: HostLink,
  requireManifest: () => PaperclipPluginManifestV1,
): PluginLocalFoldersClient {
  return {
    // Answered from the manifest: no `localFolders.declarations` round trip.
    declarations: () => requireManifest().localFolders ?? [],
    configure: (input) =>
      host.call("localFolders.configure", {
        companyId: input.companyId,
        folderKey: input.folderKey,
        path: input.path,
        access: input.access,
        requiredDirectories: input.requiredDirectories,
        requiredFiles: input.requiredFiles,
      }),
    status: (companyId, folderKey) => host.call("localFolders.status", { companyId, folderKey }),
    list: (companyId, folderKey, options = {}) =>
      host.call("localFolders.list", {
        companyId,
        folderKey,
        relativePath: options.relativePath,
        recursive: options.recursive,
        maxEntries: options.maxEntries,
      }),
    readText: (companyId, folderKey, relativePath) =>
      host.call("localFolders.readText", { companyId, folderKey, relativePath }),
    writeTextAtomic: (companyId, folderKey, relativePath, contents) =>
      host.call("localFolders.writeTextAtomic", { companyId, folderKey, relativePath, contents }),
    deleteFile: (companyId, folderKey, relativePath) =>
      host.call("localFolders.deleteFile", { companyId, folderKey, relativePath }),
  };
}
