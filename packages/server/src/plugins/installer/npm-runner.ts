/**
 * Runs one npm command as a child process, forwarding its output line by line as it arrives and
 * turning a failure (non-zero exit, timeout, npm missing) into an {@link InstallError} that carries
 * npm's own error lines.
 */
import { spawn } from "node:child_process";
import { InstallError, type InstallStep } from "./errors.js";

export type ProgressStream = "stdout" | "stderr" | "installer";

/** Receives each output line of npm (and the installer's own step lines) as it happens. */
export type InstallProgressListener = (
  line: string,
  meta: { step: InstallStep; stream: ProgressStream },
) => void;

export interface RunNpmOptions {
  step: InstallStep;
  args: string[];
  /** How errors name the command, e.g. `npm pack <spec>` (without staging paths). */
  label: string;
  cwd: string;
  npmBin: string;
  timeoutMs: number;
  onProgress?: InstallProgressListener | undefined;
  /** Forward stdout lines to onProgress (off for `--json` output, which is a result, not progress). */
  forwardStdout: boolean;
}

export interface NpmResult {
  stdout: string;
  stderrLines: string[];
}

/** Upper bound on what we keep in memory of one npm run's output. */
const MAX_CAPTURED_CHARS = 4 * 1024 * 1024;
/** How many trailing stderr lines an error quotes when npm printed no `npm error` lines. */
const STDERR_TAIL_LINES = 20;

export function runNpm(options: RunNpmOptions): Promise<NpmResult> {
  const { step, args, cwd, npmBin, timeoutMs, onProgress } = options;
  const commandText = options.label;
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(npmBin, args, {
        cwd,
        env: npmEnvironment(process.env),
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      reject(new InstallError(step, `${step}: could not start npm ("${npmBin}"): ${messageOf(error)}`));
      return;
    }
    let stdout = "";
    const stderrLines: string[] = [];
    const emit = (line: string, stream: ProgressStream) => {
      if (line.trim() === "") return;
      try {
        onProgress?.(line, { step, stream });
      } catch {
        // A listener that throws must not break the install.
      }
    };
    const stdoutLines = lineSplitter((line) => {
      if (options.forwardStdout) emit(line, "stdout");
    });
    const stderrSplitter = lineSplitter((line) => {
      if (stderrLines.length < 10_000) stderrLines.push(line);
      emit(line, "stderr");
    });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < MAX_CAPTURED_CHARS) stdout += chunk;
      stdoutLines.push(chunk);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderrSplitter.push(chunk));

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);

    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint = error.code === "ENOENT" ? " (is npm installed and on PATH?)" : "";
      reject(new InstallError(step, `${step}: could not start npm ("${npmBin}")${hint}: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      stdoutLines.end();
      stderrSplitter.end();
      if (timedOut) {
        reject(
          new InstallError(
            step,
            `${step}: \`${commandText}\` timed out after ${timeoutMs} ms and was killed`,
            {
              npmOutput: stderrLines.slice(-STDERR_TAIL_LINES),
            },
          ),
        );
        return;
      }
      if (code === 0) {
        resolve({ stdout, stderrLines });
        return;
      }
      const npmOutput = npmErrorLines(stderrLines, stdout);
      const reason = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const details = npmOutput.length > 0 ? `\n${npmOutput.join("\n")}` : "";
      reject(
        new InstallError(step, `${step}: \`${commandText}\` ${reason}${details}`, {
          npmOutput,
          exitCode: code,
        }),
      );
    });
  });
}

/**
 * The environment npm runs with: the host's, minus the lower-case `npm_*` variables that an
 * enclosing `npm run`/`npx` injects (they would point npm at the host's own project, e.g.
 * `npm_config_local_prefix`). Operator settings in `NPM_CONFIG_*` and ~/.npmrc still apply.
 */
export function npmEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith("npm_")) continue;
    env[key] = value;
  }
  return env;
}

/** npm's `npm error …` lines; failing that, its `--json` error summary; failing that, stderr's tail. */
function npmErrorLines(stderrLines: string[], stdout: string): string[] {
  const errorLines = stderrLines.filter((line) => /^npm (error|ERR!)/.test(line));
  if (errorLines.length > 0) {
    // The debug-log pointer is noise for an operator reading an API response.
    return errorLines.filter((line) => !/A complete log of this run can be found/.test(line));
  }
  const summary = jsonErrorSummary(stdout);
  if (summary) return [summary];
  return stderrLines.filter((line) => line.trim() !== "").slice(-STDERR_TAIL_LINES);
}

function jsonErrorSummary(stdout: string): string | null {
  try {
    const parsed = JSON.parse(stdout) as { error?: { code?: unknown; summary?: unknown } };
    if (parsed?.error && typeof parsed.error.summary === "string") {
      return typeof parsed.error.code === "string"
        ? `${parsed.error.code}: ${parsed.error.summary}`
        : parsed.error.summary;
    }
  } catch {
    // Not JSON: nothing to extract.
  }
  return null;
}

function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = "";
  return {
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        onLine(pending.slice(0, newline).replace(/\r$/, ""));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
    },
    end() {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
