// `paperclip plugin list|install|enable|disable|upgrade|uninstall|logs|examples|health|jobs|job-run|verify`: manage the plugins of a
// running host through its HTTP API. Returns an exit code instead of exiting, so tests can drive it in-process.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config.js";
import { formatJobTable, formatRun, type JobSummary, type RunSummary } from "../plugins/jobs/cli-format.js";
import {
  createPluginApiClient,
  HostRequestError,
  HostUnreachableError,
  type PluginApiClient,
} from "./plugin-client.js";
import { runPluginDev } from "./plugin-dev.js";
import { diagnosePlugin, formatDoctor } from "./plugin-doctor.js";
import {
  formatHealth,
  formatLogs,
  formatPluginLine,
  formatPluginTable,
  type PluginSummary,
} from "./plugin-format.js";
import { runPluginInit } from "./plugin-init.js";
import { formatIntegrity, type IntegritySummary } from "./plugin-verify.js";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const CONNECTION_OPTIONS = {
  url: { type: "string" },
  port: { type: "string", short: "p" },
  "data-dir": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const COMMAND_OPTIONS = {
  list: { status: { type: "string" } },
  install: { version: { type: "string" }, local: { type: "boolean" } },
  enable: {},
  disable: { reason: { type: "string" } },
  upgrade: { version: { type: "string" } },
  uninstall: { purge: { type: "boolean" } },
  logs: { limit: { type: "string" }, level: { type: "string" }, since: { type: "string" } },
  examples: {},
  health: {},
  jobs: {},
  "job-run": { wait: { type: "boolean" } },
  verify: { accept: { type: "boolean" } },
  doctor: {},
  dev: { "no-build": { type: "boolean" }, "build-command": { type: "string" } },
} as const;

type Command = keyof typeof COMMAND_OPTIONS;

/** Every `paperclip plugin` command (the top-level help lists them all). */
export const PLUGIN_COMMANDS = [...(Object.keys(COMMAND_OPTIONS) as Command[]), "init"];

export const PLUGIN_HELP = `Usage: paperclip plugin <command> [options]

Manage the plugins of a running host (it talks to the host's HTTP API).

Commands:
  list [--status <s>]                     Installed plugins (uninstalled ones with --status uninstalled)
  install <name|name@version|tarball|folder> [--version <v>] [--local]
                                          Install from npm, a tarball file, or a local folder (used in place);
                                          prints npm's progress as it runs
  enable <plugin>                         Start a disabled or failed plugin (also approves an upgrade)
  disable <plugin> [--reason <text>]      Stop it; the reason is shown as its last error
  upgrade <plugin> [--version <v>]        Fetch a new version; new capabilities wait for "enable"
  uninstall <plugin> [--purge]            Mark it uninstalled (data kept); --purge deletes its data and files
  logs <plugin> [--limit n] [--level l] [--since ISO]
                                          Its persisted logs, newest first
  examples                                The example plugins bundled with this host
  health <plugin>                         Status, worker and database checks
  jobs <plugin>                           Its jobs: schedule, time zone, next and last run
  job-run <plugin> <jobKey> [--wait]      Trigger a job now; --wait prints the run's result and log lines
  verify <plugin> [--accept]              Check its installed files against the digest recorded at install;
                                          --accept trusts the current files (e.g. a rebuilt local folder)
  doctor <plugin>                         Manifest, capabilities, worker start, health ping and recent errors,
                                          each problem with its fix; exits 1 when something is wrong
  init <name> [--template default|connector|ui] [--output <dir>] ...
                                          Create a plugin project (paperclip plugin init --help for options)
  dev <folder> [--no-build] [--build-command "<cmd>"]
                                          Build the folder, install it in dev mode, then rebuild and reload it
                                          into the host on every change (Ctrl-C stops; it stays installed)

<plugin> is the plugin key (e.g. paperclip.hello-world) or its id.

Options:
      --url <url>          Host to talk to (default: env PAPERCLIP_URL, else http://<bind>:<port> of the config)
                           A host in authenticated mode needs an instance admin's API key: env PAPERCLIP_API_KEY
  -p, --port <n>           Port of a host on this machine
      --data-dir <path>    Instance folder whose config names the port
      --json               Print the API's JSON instead of text
  -h, --help               Show this help
`;

export async function runPluginCommand(
  args: string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(PLUGIN_HELP);
    return 0;
  }
  // The scaffolder parses its own flags and needs no host.
  if (command === "init") return runPluginInit(rest, io);
  if (!(command in COMMAND_OPTIONS)) {
    io.err(`paperclip plugin: unknown command "${command}". Run paperclip plugin --help for the list.\n`);
    return 1;
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...CONNECTION_OPTIONS, ...COMMAND_OPTIONS[command as Command] },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    io.err(
      `paperclip plugin ${command}: ${(error as Error).message}. Run paperclip plugin --help for usage.\n`,
    );
    return 1;
  }
  if (parsed.values.help) {
    io.out(PLUGIN_HELP);
    return 0;
  }
  try {
    const client = createPluginApiClient(hostUrl(parsed.values, env), fetch, env.PAPERCLIP_API_KEY || null);
    return await dispatch(command as Command, parsed.values, parsed.positionals, client, io);
  } catch (error) {
    if (
      error instanceof HostRequestError ||
      error instanceof HostUnreachableError ||
      error instanceof UsageError
    ) {
      io.err(`paperclip plugin ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

class UsageError extends Error {}

function hostUrl(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): string {
  if (typeof values.url === "string") return values.url;
  if (env.PAPERCLIP_URL && values.port === undefined) return env.PAPERCLIP_URL;
  try {
    const config = loadConfig(
      { dataDir: values["data-dir"] as string | undefined, port: values.port as string | undefined },
      env,
    );
    const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function pluginArgument(positionals: string[], command: string): string {
  const [plugin, extra] = positionals;
  if (!plugin) throw new UsageError(`name the plugin: paperclip plugin ${command} <plugin key or id>`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return encodeURIComponent(plugin);
}

async function dispatch(
  command: Command,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  client: PluginApiClient,
  io: CliIo,
): Promise<number> {
  const json = values.json === true;
  const print = (value: unknown, text: () => string) =>
    io.out(json ? `${JSON.stringify(value, null, 2)}\n` : text());
  switch (command) {
    case "list": {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const query = typeof values.status === "string" ? `?status=${encodeURIComponent(values.status)}` : "";
      const plugins = await client.get<PluginSummary[]>(`/api/plugins${query}`);
      print(plugins, () => formatPluginTable(plugins));
      return 0;
    }
    case "install": {
      const [spec, extra] = positionals;
      if (!spec) throw new UsageError("name what to install: an npm name, a tarball file or a plugin folder");
      if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
      const body = installBody(spec, values);
      io.err(
        `Installing ${body.packageName}${body.version ? `@${body.version}` : ""} on ${client.baseUrl}\n`,
      );
      const plugin = await client.stream<PluginSummary>("/api/plugins/install", body, (line) =>
        io.err(`  ${line}\n`),
      );
      print(plugin, () => formatPluginLine("Installed", plugin));
      return plugin.status === "ready" ? 0 : 1;
    }
    case "enable": {
      const plugin = await client.send<PluginSummary>(
        "POST",
        `/api/plugins/${pluginArgument(positionals, command)}/enable`,
      );
      print(plugin, () => formatPluginLine("Enabled", plugin));
      return plugin.status === "ready" ? 0 : 1;
    }
    case "disable": {
      const reason = typeof values.reason === "string" ? values.reason : undefined;
      const plugin = await client.send<PluginSummary>(
        "POST",
        `/api/plugins/${pluginArgument(positionals, command)}/disable`,
        reason === undefined ? {} : { reason },
      );
      print(plugin, () => formatPluginLine("Disabled", plugin));
      return 0;
    }
    case "upgrade": {
      const target = pluginArgument(positionals, command);
      const body = typeof values.version === "string" ? { version: values.version } : {};
      const plugin = await client.stream<PluginSummary>(`/api/plugins/${target}/upgrade`, body, (line) =>
        io.err(`  ${line}\n`),
      );
      print(plugin, () => formatPluginLine("Upgraded", plugin));
      return plugin.status === "ready" || plugin.status === "upgrade_pending" ? 0 : 1;
    }
    case "uninstall": {
      const purge = values.purge === true;
      const plugin = await client.send<PluginSummary>(
        "DELETE",
        `/api/plugins/${pluginArgument(positionals, command)}${purge ? "?purge=true" : ""}`,
      );
      print(plugin, () => formatPluginLine(purge ? "Purged" : "Uninstalled", plugin));
      return 0;
    }
    case "logs": {
      const query = new URLSearchParams();
      for (const key of ["limit", "level", "since"] as const) {
        if (typeof values[key] === "string") query.set(key, values[key] as string);
      }
      const suffix = query.size > 0 ? `?${query}` : "";
      const rows = await client.get<unknown[]>(
        `/api/plugins/${pluginArgument(positionals, command)}/logs${suffix}`,
      );
      print(rows, () => formatLogs(rows));
      return 0;
    }
    case "examples": {
      const examples =
        await client.get<Array<{ pluginKey: string; localPath: string; hasBuiltEntrypoints: boolean }>>(
          "/api/plugins/examples",
        );
      print(examples, () =>
        examples.length === 0
          ? "No bundled examples.\n"
          : examples
              .map((e) => `${e.pluginKey}  ${e.localPath}${e.hasBuiltEntrypoints ? "" : "  (not built)"}\n`)
              .join(""),
      );
      return 0;
    }
    case "jobs": {
      const jobs = await client.get<JobSummary[]>(
        `/api/plugins/${pluginArgument(positionals, command)}/jobs`,
      );
      print(jobs, () => formatJobTable(jobs));
      return 0;
    }
    case "job-run": {
      const [plugin, jobKey, extra] = positionals;
      if (!plugin || !jobKey)
        throw new UsageError("name the plugin and the job: paperclip plugin job-run <plugin> <jobKey>");
      if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
      const base = `/api/plugins/${encodeURIComponent(plugin)}/jobs/${encodeURIComponent(jobKey)}`;
      const started = await client.send<{ runId: string; jobId: string }>("POST", `${base}/trigger`);
      if (values.wait !== true) {
        print(started, () => `Triggered job ${jobKey} of ${plugin}: run ${started.runId}\n`);
        return 0;
      }
      let run = await client.get<RunSummary>(`${base}/runs/${started.runId}`);
      while (run.status === "queued" || run.status === "running" || run.status === "pending") {
        await new Promise((resolve) => setTimeout(resolve, 250));
        run = await client.get<RunSummary>(`${base}/runs/${started.runId}`);
      }
      print(run, () => formatRun(run));
      return run.status === "succeeded" ? 0 : 1;
    }
    case "verify": {
      const accept = values.accept === true;
      const report = await client.send<IntegritySummary>(
        "POST",
        `/api/plugins/${pluginArgument(positionals, command)}/verify`,
        accept ? { accept: true } : {},
      );
      print(report, () => formatIntegrity(report, accept));
      return accept || report.state !== "changed" ? 0 : 1;
    }
    case "dev": {
      const [folder, extra] = positionals;
      if (!folder) throw new UsageError("name the plugin's folder: paperclip plugin dev <folder>");
      if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        return await runPluginDev(
          {
            folder,
            noBuild: values["no-build"] === true,
            buildCommand: typeof values["build-command"] === "string" ? values["build-command"] : null,
            signal: stop.signal,
          },
          client,
          io,
        );
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    case "doctor": {
      const report = await diagnosePlugin(client, decodeURIComponent(pluginArgument(positionals, command)));
      print(report, () => formatDoctor(report));
      return report.ok ? 0 : 1;
    }
    case "health": {
      const report = await client.get<Parameters<typeof formatHealth>[0]>(
        `/api/plugins/${pluginArgument(positionals, command)}/health`,
      );
      print(report, () => formatHealth(report));
      return report.healthy ? 0 : 1;
    }
  }
}

/** A folder or tarball on this machine is sent as an absolute path; anything else is an npm spec. */
function installBody(spec: string, values: Record<string, string | boolean | undefined>) {
  const version = typeof values.version === "string" ? values.version : undefined;
  const local = values.local === true || (existsSync(spec) && statSync(spec).isDirectory());
  if (local) return { packageName: path.resolve(spec), isLocalPath: true };
  if (/\.(tgz|tar\.gz|tar)$/i.test(spec) && existsSync(spec)) return { packageName: path.resolve(spec) };
  return version ? { packageName: spec, version } : { packageName: spec };
}
