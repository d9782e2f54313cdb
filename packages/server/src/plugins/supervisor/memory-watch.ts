// The whole worker process under a memory cap, not only its JavaScript heap: `--max-old-space-size` stops a heap that
// grows, but Buffers and ArrayBuffers live outside it and can take the machine's memory. The supervisor samples the
// worker's resident memory (Linux: /proc/<pid>/status) a few times a second and kills a worker above its cap.
import { readFile } from "node:fs/promises";

/** How often the resident memory is sampled. */
export const MEMORY_SAMPLE_MS = 250;
/** Room above the heap cap for everything else a Node process holds (code, stacks, young generation, buffers). */
const RESIDENT_HEADROOM_MB = 128;

/** The resident-memory cap that goes with a heap cap: twice the heap plus 128 MB; null (no cap) without one. */
export function residentLimitMbFor(heapLimitMb: number | null): number | null {
  return heapLimitMb && heapLimitMb > 0 ? heapLimitMb * 2 + RESIDENT_HEADROOM_MB : null;
}

/** The process's resident memory in MB, or null where it cannot be read (not Linux, or the process is gone). */
export async function residentMemoryMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Samples `pid` until stopped; calls `onOver` once when it is above `limitMb`. */
export class MemoryWatch {
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(
    private readonly pid: number,
    private readonly limitMb: number,
    private readonly onOver: (residentMb: number) => void,
  ) {
    // Where /proc is missing the first sample says so and the watch stops (docs/sandbox.md: Linux only).
    this.timer = setInterval(() => void this.sample(), MEMORY_SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    if (this.sampling || !this.timer) return;
    this.sampling = true;
    try {
      const resident = await residentMemoryMb(this.pid);
      if (resident === null) this.stop();
      else if (resident > this.limitMb && this.timer) {
        this.stop();
        this.onOver(resident);
      }
    } finally {
      this.sampling = false;
    }
  }
}
