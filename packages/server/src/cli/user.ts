// `paperclip user create|list|reset-password`: people who sign in to an authenticated host, written straight into
// the instance's database (the first admin has nobody to ask over HTTP). With the embedded database the host must
// be stopped meanwhile (PGlite has one owner at a time); with DATABASE_URL it may run. Migrations are applied first,
// so the first admin can be created before the first start. Returns an exit code, so tests drive it in-process.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { type ConfigInput, loadConfig } from "../config.js";
import { type Database, openDatabase } from "../db/database.js";
import { acquireFolderLock, type FolderLock, FolderLockedError } from "../db/folder-lock.js";
import { runMigrations } from "../db/migrate.js";
import { PRIVATE_DIR_MODE, PRIVATE_UMASK } from "../db/private-files.js";
import { DomainError } from "../errors.js";
import { embeddedDatabaseDir } from "../host.js";
import type { AuthUser, PaperclipAuth } from "../http/auth/better-auth.js";
import { MIN_PASSWORD_LENGTH } from "../http/auth/password-policy.js";

export interface UserCliIo {
  out(text: string): void;
  err(text: string): void;
  /** everything on standard input (for --password-stdin) */
  readStdin(): Promise<string>;
}

const processIo: UserCliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  },
};

const INSTANCE_OPTIONS = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const PASSWORD_OPTIONS = {
  password: { type: "string" },
  "password-stdin": { type: "boolean" },
} as const;

const COMMAND_OPTIONS = {
  create: {
    email: { type: "string" },
    name: { type: "string" },
    admin: { type: "boolean" },
    ...PASSWORD_OPTIONS,
  },
  list: { json: { type: "boolean" } },
  "reset-password": { email: { type: "string" }, ...PASSWORD_OPTIONS },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

export const USER_COMMANDS = Object.keys(COMMAND_OPTIONS) as Command[];

export const USER_HELP = `Usage: paperclip user <command> [options]

People who sign in to a host in authenticated mode (docs/authentication.md). Works on the instance's database
directly: stop a host that uses the embedded database first (with DATABASE_URL it may keep running).

Commands:
  create --email <e> --name <n> (--password-stdin | --password <p>) [--admin]
                            Create a user who signs in with email and password. The first user of an
                            instance is always an instance admin; --admin makes any other one an admin too.
                            Passwords need at least ${MIN_PASSWORD_LENGTH} characters.
  list [--json]             Every user: email, name, instance admin or not
  reset-password --email <e> (--password-stdin | --password <p>)
                            Set a new password; the user's sessions end

Options:
      --data-dir <path>     Instance folder (default $PAPERCLIP_HOME/instances/default)
      --database-url <url>  The PostgreSQL server of the instance (env DATABASE_URL)
  -h, --help                Show this help

--password-stdin reads the password from standard input (safer than --password, which other users of this machine
can see in the process list): printf '%s' "$PASSWORD" | paperclip user create --email … --password-stdin
`;

class UsageError extends Error {}

async function passwordFrom(values: Record<string, unknown>, io: UserCliIo): Promise<string> {
  if (values["password-stdin"] && typeof values.password === "string") {
    throw new UsageError("give either --password or --password-stdin, not both");
  }
  if (values["password-stdin"]) {
    const text = (await io.readStdin()).replace(/\r?\n$/, "");
    if (text === "") throw new UsageError("--password-stdin: standard input was empty");
    return text;
  }
  if (typeof values.password === "string") return values.password;
  throw new UsageError("a password is required: --password-stdin (recommended) or --password <p>");
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

/** The instance's database, migrated; the embedded one under the folder lock. */
async function openInstance(flags: ConfigInput, env: NodeJS.ProcessEnv, mayCreate: boolean) {
  const config = loadConfig(flags, env);
  let lock: FolderLock | null = null;
  // What the host creates is private (0600 files, 0700 folders); so is what this command creates.
  process.umask(PRIVATE_UMASK);
  if (!config.databaseUrl) {
    if (!existsSync(config.dataDir)) {
      if (!mayCreate) {
        throw new UsageError(
          `no instance at ${config.dataDir} (--data-dir or PAPERCLIP_HOME point at another one)`,
        );
      }
      mkdirSync(config.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    }
    try {
      lock = acquireFolderLock(config.dataDir);
    } catch (error) {
      if (error instanceof FolderLockedError) {
        throw new UsageError(
          `a host is running on ${config.dataDir} with the embedded database (pid ${error.owner.pid}): stop it, ` +
            "run this command, then start it again (a host on DATABASE_URL may keep running)",
        );
      }
      throw error;
    }
  }
  let db: Database | null = null;
  try {
    db = config.databaseUrl
      ? await openDatabase({ kind: "postgres", url: config.databaseUrl, poolMax: 2 })
      : await openDatabase({ kind: "pglite", dataDir: embeddedDatabaseDir(config.dataDir) });
    await runMigrations(db);
  } catch (error) {
    await db?.close().catch(() => {});
    lock?.release();
    throw error;
  }
  const open = db;
  // Only passwords are hashed here; no session is ever signed, so the secret is a throwaway one. better-auth is
  // loaded here, not with the CLI: every other command starts without it.
  const { createAuth } = await import("../http/auth/better-auth.js");
  const auth = createAuth({
    db: open,
    secret: randomBytes(32).toString("hex"),
    publicUrl: null,
    allowedHosts: ["localhost"],
  });
  return {
    auth,
    config,
    async close() {
      await open.close();
      lock?.release();
    },
  };
}

function describe(user: AuthUser): string {
  return `${user.email} (${user.name})${user.isInstanceAdmin ? ", instance admin" : ""}`;
}

async function run(
  command: Command,
  values: Record<string, unknown>,
  io: UserCliIo,
  auth: PaperclipAuth,
  deploymentMode: string,
): Promise<number> {
  switch (command) {
    case "create": {
      const user = await auth.createUser({
        email: required(values, "email"),
        name: required(values, "name"),
        password: await passwordFrom(values, io),
        isInstanceAdmin: values.admin === true,
      });
      io.out(`Created user ${describe(user)} (id ${user.id})\n`);
      if (deploymentMode !== "authenticated") {
        io.out(
          "Note: this instance runs local_trusted (no sign-in). Users sign in once it starts with " +
            "PAPERCLIP_DEPLOYMENT_MODE=authenticated (or --mode authenticated).\n",
        );
      }
      return 0;
    }
    case "list": {
      const users = await auth.listUsers();
      if (values.json) {
        io.out(`${JSON.stringify(users, null, 2)}\n`);
        return 0;
      }
      if (users.length === 0) {
        io.out(
          "No users yet. Create the first (admin) one with: paperclip user create --email … --name … --password-stdin\n",
        );
        return 0;
      }
      const width = Math.max(5, ...users.map((user) => user.email.length));
      io.out(`${"EMAIL".padEnd(width)}  ADMIN  NAME\n`);
      for (const user of users) {
        io.out(
          `${user.email.padEnd(width)}  ${(user.isInstanceAdmin ? "yes" : "no").padEnd(5)}  ${user.name}\n`,
        );
      }
      return 0;
    }
    case "reset-password": {
      const user = await auth.resetPassword(required(values, "email"), await passwordFrom(values, io));
      io.out(`New password set for ${describe(user)}; their sessions have ended\n`);
      return 0;
    }
  }
}

export async function runUserCommand(
  args: string[],
  io: UserCliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USER_HELP);
    return 0;
  }
  if (!(command in COMMAND_OPTIONS)) {
    io.err(`paperclip user: unknown command "${command}". Run paperclip user --help for the list.\n`);
    return 1;
  }
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: rest,
      options: { ...INSTANCE_OPTIONS, ...COMMAND_OPTIONS[command as Command] },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    io.err(`paperclip user ${command}: ${(error as Error).message}. Run paperclip user --help for usage.\n`);
    return 1;
  }
  if (values.help) {
    io.out(USER_HELP);
    return 0;
  }
  let instance: Awaited<ReturnType<typeof openInstance>> | null = null;
  try {
    instance = await openInstance(
      {
        dataDir: values["data-dir"] as string | undefined,
        databaseUrl: values["database-url"] as string | undefined,
      },
      env,
      command === "create",
    );
    return await run(command as Command, values, io, instance.auth, instance.config.deploymentMode);
  } catch (error) {
    const known =
      error instanceof UsageError || error instanceof DomainError || (error as Error).name === "ConfigError";
    io.err(
      `paperclip user ${command}: ${known ? (error as Error).message : `failed: ${(error as Error).message}`}\n`,
    );
    return 1;
  } finally {
    await instance?.close();
  }
}
