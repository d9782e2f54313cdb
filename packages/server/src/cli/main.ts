#!/usr/bin/env node
// The `paperclip` command: start the host, check an installation, manage plugins, print help.
import { parseArgs } from "node:util";
import { NodeIdInUseError } from "../cluster/node-registry.js";
import { ConfigError, type ConfigInput, loadConfig } from "../config.js";
import { FolderLockedError } from "../db/folder-lock.js";
import { HOST_VERSION } from "../version.js";
import { runDoctor } from "./doctor.js";
import { PLUGIN_COMMANDS } from "./plugin.js";
import { USER_COMMANDS } from "./user.js";

const COMMON_OPTIONS = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const START_OPTIONS = {
  ...COMMON_OPTIONS,
  port: { type: "string", short: "p" },
  host: { type: "string" },
  mode: { type: "string" },
  "public-url": { type: "string" },
  "node-id": { type: "string" },
  "log-level": { type: "string" },
  "no-seed": { type: "boolean" },
} as const;

/** `a, b, c` wrapped to lines of at most `width` characters, continued with `indent`. */
function wrapList(items: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const [index, item] of items.entries()) {
    const piece = index < items.length - 1 ? `${item},` : item;
    if (line !== "" && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else {
      line = line === "" ? piece : `${line} ${piece}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines.join(`\n${indent}`);
}

const MAIN_HELP = `paperclip ${HOST_VERSION} — the Paperclip host

Usage: paperclip <command> [options]

Commands:
  start     Start the host: the board's API and the plugins' workers (embedded database unless
            DATABASE_URL is set)
  doctor    Check the instance folder, the database and its migrations (reads only; creates nothing;
            --fix repairs what is safe to repair)
  backup    Back up the embedded database and the instance's keys (asks the running host, if any)
  restore   Restore a backup into a stopped instance (the current database is kept aside)
  migrate   paperclip migrate status: applied, pending and modified migrations
  plugin    Manage the plugins of a running host (paperclip plugin <command>; alias: plugins):
            ${wrapList(PLUGIN_COMMANDS, 88, "            ")}
  user      People who sign in to an authenticated host (paperclip user <command>; alias: users):
            ${wrapList(USER_COMMANDS, 88, "            ")}
  help      Show this help (also: paperclip <command> --help)

Options:
  -h, --help      Show help
  -v, --version   Print the version
`;

const START_HELP = `Usage: paperclip start [options]

Starts the host and the workers of its ready plugins. On first start it seeds a demo company and installs
the bundled example plugins (examples/, by local path).

Options:
  -p, --port <n>           Port to listen on (default 3100; env PAPERCLIP_PORT or PORT)
      --host <addr>        Address to bind (default 127.0.0.1; env PAPERCLIP_BIND). Local trusted mode
                           refuses anything but a loopback address.
      --mode <mode>        local_trusted (default: no sign-in, loopback only) or authenticated (people sign
                           in; needed to bind other addresses). Env PAPERCLIP_DEPLOYMENT_MODE
      --public-url <url>   The board's public URL in authenticated mode, e.g. https://board.example.com
                           (env PAPERCLIP_PUBLIC_URL; default: the address each request names)
      --data-dir <path>    Instance folder (default $PAPERCLIP_HOME/instances/default,
                           PAPERCLIP_HOME defaults to ~/.paperclip)
      --database-url <url> Use this PostgreSQL server instead of the embedded database (env DATABASE_URL)
      --node-id <name>     This node's name when several hosts share one PostgreSQL (default
                           <hostname>:<port>; env PAPERCLIP_NODE_ID; docs/scale-out.md)
      --log-level <level>  fatal, error, warn, info, debug, trace or silent (default info)
      --no-seed            Do not seed the demo company nor install the example plugins on first start
  -h, --help               Show this help

Settings are read from <data-dir>/config.json, then the environment, then these flags.
`;

const DOCTOR_HELP = `Usage: paperclip doctor [options]

Checks that the instance folder is usable, that the database answers, and whether migrations are pending.
Exits 0 when everything is fine, 1 otherwise (also when there is no instance at the folder). It only reads:
it never creates an instance folder or a database. Safe to run while a host is running.

With --fix it repairs what is safe to repair: a stale lock left by a host that died is removed, and pending
migrations are applied (after a backup, on the embedded database). It lists what it did and what it left for
the operator: edited migrations and changed plugin files are never accepted silently.

Options:
      --fix                Repair what is safe to repair (see above)
      --data-dir <path>    Instance folder to check
      --database-url <url> Check this PostgreSQL server instead of the embedded database
  -h, --help               Show this help
`;

const BACKUP_HELP = `Usage: paperclip backup [options]

Backs up the embedded database (a consistent snapshot, also while the host runs: the running host takes it)
with the instance's secrets key, auth secret and config.json, into <data-dir>/backups/ with a manifest
(docs/backups.md). On PostgreSQL (DATABASE_URL) use pg_dump instead.

Options:
      --data-dir <path>    Instance folder
      --output <file>      Also copy the backup file here
  -h, --help               Show this help
`;

const RESTORE_HELP = `Usage: paperclip restore <backup file> [options]

Restores a backup made by paperclip backup into a stopped instance: refuses while a host runs on the folder,
verifies the file (manifest and sha256), keeps the current database and key files aside (renamed, never
deleted), then swaps the backup in. The file may be a path or a file name in <data-dir>/backups.

Options:
      --data-dir <path>    Instance folder
  -h, --help               Show this help
`;

const MIGRATE_HELP = `Usage: paperclip migrate status [options]

Lists the migrations applied, pending (applied by the next start or paperclip doctor --fix) and modified
after being applied. Exits 1 when one was modified.

Options:
      --data-dir <path>    Instance folder
      --database-url <url> Check this PostgreSQL server instead of the embedded database
  -h, --help               Show this help
`;

const IO = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
};

function configOrFail(values: Record<string, string | boolean | undefined>): ReturnType<typeof loadConfig> {
  try {
    return loadConfig(configFrom(values));
  } catch (error) {
    fail((error as Error).message);
  }
}

async function backup(args: string[]): Promise<void> {
  const values = parse({ ...COMMON_OPTIONS, output: { type: "string" } }, args);
  if (values.help) {
    process.stdout.write(BACKUP_HELP);
    return;
  }
  const { runBackup } = await import("./backup.js");
  process.exitCode = await runBackup(configOrFail(values), (values.output as string) ?? null, IO);
}

async function restore(args: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    fail(`${(error as Error).message}. Run with --help for usage.`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(RESTORE_HELP);
    return;
  }
  const [file, extra] = parsed.positionals;
  if (!file || extra) fail("name one backup file: paperclip restore <file> (see paperclip restore --help)");
  const { runRestore } = await import("./backup.js");
  process.exitCode = await runRestore(configOrFail(values), file, IO);
}

async function migrate(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const values = parse(COMMON_OPTIONS, rest);
  if (sub === undefined || sub === "--help" || sub === "-h" || values.help) {
    process.stdout.write(MIGRATE_HELP);
    return;
  }
  if (sub !== "status") fail(`unknown migrate command "${sub}": only paperclip migrate status exists`);
  const { runMigrateStatus } = await import("./backup.js");
  process.exitCode = await runMigrateStatus(configOrFail(values), IO);
}

function fail(message: string): never {
  process.stderr.write(`paperclip: ${message}\n`);
  process.exit(1);
}

function parse<T extends Record<string, { type: "string" | "boolean"; short?: string }>>(
  options: T,
  args: string[],
) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    fail(`${(error as Error).message}. Run with --help for usage.`);
  }
}

function configFrom(values: Record<string, string | boolean | undefined>): ConfigInput {
  return {
    port: values.port as string | undefined,
    host: values.host as string | undefined,
    dataDir: values["data-dir"] as string | undefined,
    databaseUrl: values["database-url"] as string | undefined,
    logLevel: values["log-level"] as string | undefined,
    deploymentMode: values.mode as string | undefined,
    publicUrl: values["public-url"] as string | undefined,
    nodeId: values["node-id"] as string | undefined,
    seedDemo: values["no-seed"] ? false : undefined,
  };
}

async function start(args: string[]): Promise<void> {
  const values = parse(START_OPTIONS, args);
  if (values.help) {
    process.stdout.write(START_HELP);
    return;
  }
  const { startHost, createLogger } = await import("../host.js");
  let config: ReturnType<typeof loadConfig>;
  let shutdownTimeoutMs: number;
  try {
    config = loadConfig(configFrom(values));
    shutdownTimeoutMs = shutdownTimeoutFromEnv(process.env);
  } catch (error) {
    fail((error as Error).message);
  }
  const logger = createLogger(config.logLevel);
  let host: Awaited<ReturnType<typeof startHost>> | null = null;
  // A signal during start (the listening line is out, workers still starting) stops the host once it has started,
  // instead of killing the process with its workers half started.
  let pendingSignal: string | null = null;
  const onSignal = (signal: string) => {
    if (host) stop(host, signal);
    else pendingSignal ??= signal;
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  try {
    host = await startHost(config, logger);
  } catch (error) {
    if (
      error instanceof FolderLockedError ||
      error instanceof ConfigError ||
      error instanceof NodeIdInUseError
    )
      fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      fail(`port ${config.port} on ${config.host} is already in use; pick another with --port`);
    logger.fatal({ err: error }, "startup failed");
    process.exit(1);
  }
  let stopping = false;
  function stop(running: NonNullable<typeof host>, signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, timeoutMs: shutdownTimeoutMs },
      `Received ${signal}, shutting down (draining first)`,
    );
    // A stuck close must not keep the process alive forever; the drain (work in flight) fits within it.
    const force = setTimeout(() => {
      logger.error(
        `Shutdown took longer than ${shutdownTimeoutMs} ms (PAPERCLIP_SHUTDOWN_TIMEOUT_MS): exiting`,
      );
      process.exit(1);
    }, shutdownTimeoutMs);
    force.unref();
    running.close().then(
      () => {
        logger.info("Stopped");
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  }
  if (pendingSignal) stop(host, pendingSignal);
}

/** PAPERCLIP_SHUTDOWN_TIMEOUT_MS: how long a stop (drain included) may take before the process exits anyway. */
function shutdownTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.PAPERCLIP_SHUTDOWN_TIMEOUT_MS;
  if (raw === undefined || raw === "") return 30_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1_000) {
    throw new Error(
      `PAPERCLIP_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, at least 1000 (got "${raw}")`,
    );
  }
  return value;
}

async function doctor(args: string[]): Promise<void> {
  const values = parse({ ...COMMON_OPTIONS, fix: { type: "boolean" } }, args);
  if (values.help) {
    process.stdout.write(DOCTOR_HELP);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(configFrom(values));
  } catch (error) {
    fail((error as Error).message);
  }
  const ok = await runDoctor(config, (line) => process.stdout.write(`${line}\n`), {
    fix: values.fix === true,
  });
  process.exit(ok ? 0 : 1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
    case "doctor":
      return doctor(rest);
    case "backup":
      return backup(rest);
    case "restore":
      return restore(rest);
    case "migrate":
      return migrate(rest);
    case "user":
    case "users": {
      const { runUserCommand } = await import("./user.js");
      process.exitCode = await runUserCommand(rest);
      return;
    }
    case "plugin":
    case "plugins": {
      const { runPluginCommand } = await import("./plugin.js");
      process.exitCode = await runPluginCommand(rest);
      return;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(MAIN_HELP);
      return;
    case "--version":
    case "-v":
      process.stdout.write(`${HOST_VERSION}\n`);
      return;
    default:
      fail(`unknown command "${command}". Run paperclip --help for the list of commands.`);
  }
}

await main(process.argv.slice(2));
