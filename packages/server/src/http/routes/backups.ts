// Backups of the embedded database for the instance admin (docs/backups.md): take one now, list them. The
// running host owns the embedded database, so `paperclip backup` asks it here. On PostgreSQL: 409 naming pg_dump.
import type { FastifyInstance } from "fastify";
import {
  BackupError,
  type BackupInfo,
  createBackup,
  listBackups,
  PG_DUMP_HINT,
} from "../../backup/backups.js";
import type { Database } from "../../db/database.js";
import { conflict } from "../../errors.js";
import { dateTime, enumOf, int, nullable, obj } from "../../schema/schema-helpers.js";
import type { RouteAccess } from "../auth/route-access.js";

const ADMIN: RouteAccess = { caller: "admin" };
const TAGS = ["instance"];
const text = { type: "string" };

const backupView = obj(
  {
    file: { ...text, description: "file name in <dataDir>/backups" },
    path: text,
    size: int(0, Number.MAX_SAFE_INTEGER),
    sha256: text,
    format: text,
    hostVersion: text,
    createdAt: dateTime,
    reason: enumOf(["manual", "scheduled", "pre-upgrade"]),
    lastMigration: nullable(text),
    files: {
      type: "array",
      items: obj({ name: text, size: int(0, Number.MAX_SAFE_INTEGER), sha256: text }, [
        "name",
        "size",
        "sha256",
      ]),
    },
  },
  [
    "file",
    "path",
    "size",
    "sha256",
    "format",
    "hostVersion",
    "createdAt",
    "reason",
    "lastMigration",
    "files",
  ],
);

export function registerBackupRoutes(app: FastifyInstance, deps: { db: Database; dataDir: string }): void {
  app.get(
    "/api/instance/backups",
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary: "The backups in <dataDir>/backups, newest first",
        response: { 200: obj({ backups: { type: "array", items: backupView } }, ["backups"]) },
      },
    },
    async () => ({ backups: listBackups(deps.dataDir) }),
  );
  app.post(
    "/api/instance/backups",
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary:
          "Take a backup of the embedded database now (a consistent snapshot while the host runs) with the " +
          "instance's secrets key; 409 on PostgreSQL (use pg_dump)",
        response: { 201: backupView },
      },
    },
    async (_request, reply): Promise<BackupInfo> => {
      if (!deps.db.snapshot) throw conflict(`No backup taken: ${PG_DUMP_HINT}`);
      try {
        return reply.code(201).send(await createBackup(deps.db, deps.dataDir, "manual"));
      } catch (error) {
        if (error instanceof BackupError) throw conflict(error.message);
        throw error;
      }
    },
  );
}
