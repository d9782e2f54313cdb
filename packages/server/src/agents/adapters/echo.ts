// A deterministic built-in agent: prints "echo: <line>" for every line of the prompt and succeeds with the prompt
// as its final text. `adapterConfig.delayMs` waits that long before each line (for watching a run live).
import type { AgentAdapter } from "./types.js";

export const echoAdapter: AgentAdapter = {
  type: "echo",
  async execute(context) {
    const delay = context.agent.adapterConfig.delayMs;
    if (delay !== undefined && (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0)) {
      return { status: "failed", error: "adapterConfig.delayMs must be a number ≥ 0" };
    }
    for (const line of context.run.prompt.split(/\r?\n/)) {
      if (delay) await sleep(delay, context.signal);
      if (context.signal.aborted) return { status: "failed", error: "aborted" };
      context.line("stdout", `echo: ${line}`);
    }
    return { status: "succeeded", exitCode: 0, finalText: context.run.prompt };
  },
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
