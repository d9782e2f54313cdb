// What the plugin lifecycle asks of database namespaces: migrate a version before it runs (install, upgrade,
// every activation — a no-op once applied) and drop the schema on purge. Failures become 400s naming the file.
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import { badRequest } from "../../errors.js";
import { type PluginDatabaseService, PluginMigrationError } from "./plugin-database.js";

/** The part of a plugin record the hooks read. */
export interface NamespaceSubject {
  id: string;
  pluginKey: string;
  manifestJson: PaperclipPluginManifestV1;
  packageDir: string;
}

export interface PluginNamespaces {
  migrate(record: NamespaceSubject): Promise<void>;
  drop(record: NamespaceSubject): Promise<void>;
}

export function namespacesFor(database: PluginDatabaseService): PluginNamespaces {
  return {
    async migrate(record) {
      await database.migrate({
        pluginId: record.id,
        pluginKey: record.pluginKey,
        manifest: record.manifestJson,
        packageDir: record.packageDir,
      });
    },
    drop: (record) =>
      database.drop({ pluginId: record.id, pluginKey: record.pluginKey, manifest: record.manifestJson }),
  };
}

/** A migration failure as the install/upgrade answer (400 with the file and the database's message). */
export function asMigrationFailure(error: unknown): unknown {
  if (!(error instanceof PluginMigrationError)) return error;
  return badRequest(error.message, {
    migration: error.file,
    reason: error.reason,
    refused: error.refused,
  });
}
