// `process`: runs a local command per run (a script, Claude Code, Codex…). The command gets the PAPERCLIP_* variables
// and the run context as JSON on stdin; each stdout/stderr line becomes a run event. It starts detached in its own
// process group, so a cancel, a timeout or a host stop kills the whole tree, and whatever the command left behind
// when it exits is killed too. Result and usage conventions: ./output.ts and docs/agents.md.
import { type ChildProcess, spawn } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { LineSplitter, ResultCollector } from "./output.js";
import {
  type AdapterResult,
  type AdapterRunContext,
  type AgentAdapter,
  configString,
  configStringRecord,
} from "./types.js";

/** Host variables a command may need to work at all; nothing else of the host's environment leaks in. */
const PASSED_ENV = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "TERM",
  "SSL_CERT_FILE",
  "NODE_EXTRA_CA_CERTS",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
];

/** SIGTERM first; whatever still runs this long after gets SIGKILL. */
const KILL_GRACE_MS = 2_000;
const STDERR_IN_ERROR = 500;

export const processAdapter: AgentAdapter = {
  type: "process",
  async execute(context) {
    const config = context.agent.adapterConfig;
    let command: string;
    let args: string[] | undefined;
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    try {
      command = configString(config, "command") ?? "";
      if (!command.trim())
        return { status: "failed", error: "adapterConfig.command is required (process adapter)" };
      args = readArgs(config.args);
      const configCwd = configString(config, "cwd");
      cwd = configCwd ? (isAbsolute(configCwd) ? configCwd : resolve(context.cwd, configCwd)) : context.cwd;
      env = buildEnv(context, configStringRecord(config, "env"), config.inheritEnv === true);
    } catch (error) {
      return { status: "failed", error: (error as Error).message, errorCode: "adapter_config_invalid" };
    }
    // Without args the command is a shell line, so presets can say "$PAPERCLIP_PROMPT".
    const child = args
      ? spawn(command, args, { cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] })
      : spawn("/bin/sh", ["-c", command], { cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    return supervise(child, command, context);
  },
};

function readArgs(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw new Error("adapterConfig.args must be an array of strings");
  }
  return value as string[];
}

function buildEnv(
  context: AdapterRunContext,
  extra: Record<string, string>,
  inherit: boolean,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (inherit) Object.assign(env, process.env);
  else for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  Object.assign(env, extra, {
    PAPERCLIP_RUN_ID: context.run.id,
    PAPERCLIP_AGENT_ID: context.run.agentId,
    PAPERCLIP_COMPANY_ID: context.run.companyId,
    PAPERCLIP_API_URL: context.apiUrl,
    PAPERCLIP_API_KEY: context.token,
    PAPERCLIP_WAKE_REASON: context.run.wakeReason ?? "",
    PAPERCLIP_PROMPT: context.run.prompt,
  });
  return env;
}

function supervise(child: ChildProcess, command: string, context: AdapterRunContext) {
  const collector = new ResultCollector();
  let stderrTail = "";
  const stdout = new LineSplitter((line) => {
    collector.stdout(line);
    context.line("stdout", line);
  });
  const stderr = new LineSplitter((line) => {
    stderrTail = line.trim() ? line : stderrTail;
    context.line("stderr", line);
  });
  child.stdout?.on("data", (chunk: Buffer) => stdout.write(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderr.write(chunk));
  child.stdin?.on("error", () => {}); // a command that never reads stdin closes it: EPIPE is fine
  child.stdin?.end(
    `${JSON.stringify({
      runId: context.run.id,
      agentId: context.run.agentId,
      companyId: context.run.companyId,
      issueId: context.run.issueId,
      wakeReason: context.run.wakeReason,
      prompt: context.run.prompt,
      apiUrl: context.apiUrl,
      context: context.run.context,
    })}\n`,
  );

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  let graceTimer: NodeJS.Timeout | null = null;
  const onAbort = () => {
    killGroup("SIGTERM");
    graceTimer ??= setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
  };
  if (context.signal.aborted) onAbort();
  else context.signal.addEventListener("abort", onAbort, { once: true });
  // The command is done when it exits: children it left behind (holding its pipes open) are killed then.
  child.on("exit", () => killGroup("SIGKILL"));

  return new Promise<AdapterResult>((resolveResult) => {
    let settled = false;
    const done = (result: AdapterResult) => {
      if (settled) return;
      settled = true;
      if (graceTimer) clearTimeout(graceTimer);
      context.signal.removeEventListener("abort", onAbort);
      resolveResult(result);
    };
    child.on("error", (error) => {
      // Only a spawn failure (no pid) ends the run here; later errors (a failed kill) are followed by "close".
      if (child.pid === undefined)
        done({ status: "failed", error: `Could not start "${command}": ${error.message}` });
    });
    child.on("close", (code, signal) => {
      stdout.end();
      stderr.end();
      const usage = collector.usage;
      if (code === 0)
        return done({ status: "succeeded", exitCode: 0, finalText: collector.finalText(), usage });
      const tail = stderrTail ? `: ${stderrTail.slice(0, STDERR_IN_ERROR)}` : "";
      done({
        status: "failed",
        exitCode: code,
        error:
          code !== null
            ? `Process exited with code ${code}${tail}`
            : `Process was killed by ${signal}${tail}`,
        errorCode: code !== null ? "process_exit" : "process_signal",
        finalText: collector.finalText() || null,
        usage,
      });
    });
  });
}
