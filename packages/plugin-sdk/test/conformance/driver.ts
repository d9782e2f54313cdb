// Transcript driver: runs a worker entry file as a real child process (`node <entry>`), plays the scripted
// host conversation over its stdin/stdout one step at a time, answers the worker's requests with the
// scripted host, and records every message in both directions in the order it crossed the pipe.
//
// A step is done when the worker has answered the step's request (or sent the step's terminal message) and
// then stayed quiet for a short settle, so late messages of one step never leak into the next. A worker that
// misbehaves does not abort the run: a step that never completes gets a "driver" note and the conversation
// goes on; a worker that dies gets a note and the remaining steps are left out. The comparison then shows
// every difference at once instead of only the first.

import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { ConversationStep, HostMessage } from "./conversation.js";
import { ScriptedHost } from "./scripted-host.js";

export type Sender = "host" | "worker" | "driver";

export interface RecordedMessage {
  from: Sender;
  /**
   * The parsed JSON message, `{ rawLine }` for a line that was not JSON (or a raw host line), or for the
   * driver `{ incomplete: reason }` when the step could not complete.
   */
  message: unknown;
}

export interface RecordedStep {
  name: string;
  purpose: string;
  messages: RecordedMessage[];
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Transcript {
  steps: RecordedStep[];
  /** How the worker ended; `null` if it was still running after the last step (the driver killed it). */
  exit: WorkerExit | null;
  /** Everything the worker wrote to stderr; kept for debugging, never compared. */
  stderr: string;
}

export interface DriverOptions {
  /** Quiet time after a step's completion condition before the next step starts. */
  settleMs?: number;
  /** Longest a single step may take before it is noted as incomplete and the next step starts. */
  stepTimeoutMs?: number;
}

const DEFAULT_SETTLE_MS = 80;
const DEFAULT_STEP_TIMEOUT_MS = 5_000;

/** Runs the whole conversation against one worker entry file and returns the raw transcript. */
export async function recordTranscript(
  entryFile: string,
  conversation: readonly ConversationStep[],
  options: DriverOptions = {},
): Promise<Transcript> {
  const session = new WorkerSession(entryFile, options);
  try {
    const steps: RecordedStep[] = [];
    const startupStep = {
      name: "(worker start)",
      purpose: "Unprompted output before initialize.",
      messages: session.startup,
    };
    for (const step of conversation) {
      steps.push(await session.play(step));
      if (session.exit !== null && !step.expectExit) break;
    }
    // Anything the worker said before being spoken to is part of the contract too (there should be nothing).
    if (startupStep.messages.length > 0) steps.unshift(startupStep);
    return { steps, exit: session.exit, stderr: session.stderr };
  } finally {
    session.kill();
  }
}

type JsonObject = Record<string, any>;

class WorkerSession {
  readonly child: ChildProcess;
  readonly host = new ScriptedHost();
  exit: WorkerExit | null = null;
  stderr = "";
  private stdoutRest = "";
  private nextRequestId = 1;
  /** Messages the worker sends before the first step (it should send none). */
  readonly startup: RecordedMessage[] = [];
  /** The step being recorded; stays set after a step completes so late messages land in that step. */
  private current: RecordedMessage[] = this.startup;
  /** Called after every recorded worker message and on exit, so the running step can re-check. */
  private onActivity: (() => void) | null = null;
  private readonly settleMs: number;
  private readonly stepTimeoutMs: number;

  constructor(entryFile: string, options: DriverOptions) {
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    // The same minimal environment the Paperclip host gives a worker (reference §12.2).
    this.child = spawn(process.execPath, [entryFile], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", TZ: "UTC" },
    });
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => this.onStdout(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    // Writes after the worker exited fail with EPIPE; the exit itself is what the step reports.
    this.child.stdin!.on("error", () => undefined);
    this.child.on("exit", (code, signal) => {
      this.exit = { code, signal };
      this.onActivity?.();
    });
  }

  kill(): void {
    if (this.exit === null) this.child.kill("SIGKILL");
  }

  /** Sends one step's host message and collects everything until the step is complete and quiet. */
  async play(step: ConversationStep): Promise<RecordedStep> {
    const messages: RecordedMessage[] = [];
    this.current = messages;
    const { line, recorded, requestId } = this.buildHostLine(step.send);
    messages.push({ from: "host", message: recorded });
    this.child.stdin!.write(`${line}\n`);
    try {
      const incomplete = await this.waitForCompletion(step, messages, requestId);
      if (incomplete !== null) messages.push({ from: "driver", message: { incomplete } });
    } finally {
      this.onActivity = null;
    }
    return { name: step.name, purpose: step.purpose, messages };
  }

  private buildHostLine(send: HostMessage): { line: string; recorded: unknown; requestId: number | null } {
    if (send.kind === "raw") return { line: send.line, recorded: { rawLine: send.line }, requestId: null };
    const message: JsonObject = { jsonrpc: "2.0" };
    const requestId = send.kind === "request" ? this.nextRequestId++ : null;
    if (requestId !== null) message.id = requestId;
    message.method = send.method;
    message.params = send.params;
    if (send.invocationCompanyId !== undefined) {
      message.paperclipInvocation = { id: randomUUID(), scope: { companyId: send.invocationCompanyId } };
    }
    return { line: JSON.stringify(message), recorded: message, requestId };
  }

  /** Resolves with `null` once the step is complete and quiet, or with the reason it cannot complete. */
  private waitForCompletion(
    step: ConversationStep,
    messages: RecordedMessage[],
    requestId: number | null,
  ): Promise<string | null> {
    return new Promise((resolve) => {
      let settleTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: string | null) => {
        clearTimeout(settleTimer);
        clearTimeout(deadline);
        resolve(outcome);
      };
      const fromWorker = () =>
        messages.filter((m) => m.from === "worker").map((m) => m.message as JsonObject);
      const missing = (): string[] => {
        const sent = fromWorker();
        const gaps: string[] = [];
        if (requestId !== null && !sent.some((m) => m.id === requestId && ("result" in m || "error" in m))) {
          gaps.push(`no response to request id ${requestId}`);
        }
        if (step.until !== undefined && !sent.some((m) => step.until!(m))) gaps.push("no terminal message");
        if (step.expectExit && this.exit === null) gaps.push("worker did not exit");
        return gaps;
      };
      const deadline = setTimeout(
        () => finish(`step did not complete within ${this.stepTimeoutMs}ms: ${missing().join(", ")}`),
        this.stepTimeoutMs,
      );
      const check = () => {
        clearTimeout(settleTimer);
        if (this.exit !== null && !step.expectExit) {
          finish(`worker exited (code ${this.exit.code}, signal ${this.exit.signal}) during this step`);
          return;
        }
        if (missing().length > 0) return;
        settleTimer = setTimeout(() => finish(null), this.settleMs);
      };
      this.onActivity = check;
      check();
    });
  }

  private onStdout(chunk: string): void {
    const lines = (this.stdoutRest + chunk).split("\n");
    this.stdoutRest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() !== "") this.onWorkerLine(line);
    }
  }

  private onWorkerLine(line: string): void {
    const messages = this.current;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = { rawLine: line };
    }
    messages.push({ from: "worker", message: parsed });
    const message = parsed as JsonObject;
    if (typeof message.method === "string" && message.id !== undefined && message.id !== null) {
      const answer = this.host.answer(message.method, message.params);
      const reply = { jsonrpc: "2.0", id: message.id, ...answer };
      messages.push({ from: "host", message: reply });
      this.child.stdin!.write(`${JSON.stringify(reply)}\n`);
    }
    this.onActivity?.();
  }
}
