#!/usr/bin/env node
// `paperclip-plugin-dev-server [--root .] [--ui-dir dist/ui] [--port 4177] [--host 127.0.0.1]`
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startPluginDevServer } from "./server.js";

export const DEV_SERVER_HELP = `Usage: paperclip-plugin-dev-server [options]

Serves a plugin's built UI and sends a "reload" event (GET /__paperclip__/events) whenever a file in it changes.

Options:
      --root <dir>     The plugin project (default: the current folder)
      --ui-dir <dir>   The built UI, relative to --root (default dist/ui)
      --port <n>       Port (default 4177; 0 picks a free one)
      --host <addr>    Address to bind (default 127.0.0.1)
      --poll           Compare the folder every 500 ms instead of watching it
  -h, --help           Show this help
`;

export interface DevServerCliOptions {
  rootDir: string;
  uiDir: string;
  port: number;
  host: string;
  forcePolling: boolean;
}

/** Parsed options, "help", or an Error whose message names the bad flag and the fix. */
export function parseDevServerArgs(args: string[]): DevServerCliOptions | "help" | Error {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        root: { type: "string" },
        "ui-dir": { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        poll: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return new Error(`${(error as Error).message}. Run paperclip-plugin-dev-server --help for usage.`);
  }
  if (values.help) return "help";
  const rawPort = (values.port as string | undefined) ?? "4177";
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    return new Error(`--port must be a number from 0 to 65535 (got "${rawPort}")`);
  }
  return {
    rootDir: path.resolve((values.root as string | undefined) ?? "."),
    uiDir: (values["ui-dir"] as string | undefined) ?? "dist/ui",
    port,
    host: (values.host as string | undefined) ?? "127.0.0.1",
    forcePolling: values.poll === true,
  };
}

async function main(): Promise<void> {
  const parsed = parseDevServerArgs(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(DEV_SERVER_HELP);
    return;
  }
  if (parsed instanceof Error) {
    process.stderr.write(`paperclip-plugin-dev-server: ${parsed.message}\n`);
    process.exit(1);
  }
  const server = await startPluginDevServer(parsed).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === "EADDRINUSE" ? `port ${parsed.port} is in use; pick another with --port` : error.message;
    process.stderr.write(`paperclip-plugin-dev-server: ${reason}\n`);
    process.exit(1);
  });
  process.stdout.write(
    `Serving ${path.resolve(parsed.rootDir, parsed.uiDir)} at ${server.url} (reload events: ${server.url}/__paperclip__/events)\n`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Run only as the bin (npm's bin link is a symlink, hence realpath), not when a test imports the parser.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
