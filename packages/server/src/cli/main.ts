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
  doctor    Check the instance folder, the database and its migrations (reads only; creates nothing)
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

Options:
      --data-dir <path>    Instance folder to check
      --database-url <url> Check this PostgreSQL server instead of the embedded database
  -h, --help               Show this help
`;

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
  let host: Awaited<ReturnType<typeof startHost>>;
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
  const stop = (signal: string) => {
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
    host.close().then(
      () => {
        logger.info("Stopped");
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
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
  const values = parse(COMMON_OPTIONS, args);
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
  const ok = await runDoctor(config, (line) => process.stdout.write(`${line}\n`));
  process.exit(ok ? 0 : 1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
    case "doctor":
      return doctor(rest);
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
