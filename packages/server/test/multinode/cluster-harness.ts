// Several real host processes (`paperclip start`) on one fresh PostgreSQL database, for the multi-node suite
// (docs/scale-out.md). Each node has its own instance folder and port and a fixed node id; nodes can be stopped
// gracefully (SIGTERM), killed (SIGKILL) and started again with the same id, folder and port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createScratchPostgres } from "../support/database.js";

const CLI = path.resolve(import.meta.dirname, "../../bin/paperclip.js");
const START_TIMEOUT_MS = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface NodeOptions {
  /** Extra environment for this node (PAPERCLIP_* settings). */
  env?: Record<string, string>;
  /** Extra `paperclip start` flags. */
  args?: string[];
}

export class ClusterNode {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** Everything the process wrote, stdout and stderr, across its starts. */
  output = "";

  constructor(
    readonly nodeId: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly databaseUrl: string,
    private readonly options: NodeOptions,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start the process and wait until it listens (the plugin workers have started by then). */
  async start(): Promise<void> {
    if (this.running) throw new Error(`Node ${this.nodeId} is already running`);
    const from = this.output.length;
    const child = spawn(
      process.execPath,
      [
        CLI,
        "start",
        "--port",
        String(this.port),
        "--data-dir",
        this.dataDir,
        "--database-url",
        this.databaseUrl,
        "--node-id",
        this.nodeId,
        "--no-seed",
        ...(this.options.args ?? []),
      ],
      {
        env: {
          ...process.env,
          PAPERCLIP_LOG_FORMAT: "json",
          PAPERCLIP_LOG_LEVEL: "info",
          PAPERCLIP_HOME: this.dataDir,
          ...this.options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child = child;
    child.stdout?.on("data", (chunk) => (this.output += chunk));
    child.stderr?.on("data", (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const since = this.output.slice(from);
      if (/Paperclip host \S+ listening on/.test(since)) break;
      if (!this.running) throw new Error(`Node ${this.nodeId} exited while starting:\n${since.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`Node ${this.nodeId} did not start:\n${since.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Listening is logged before plugin workers start; wait for the start to finish too.
    await this.waitForLog(new RegExp(`Node ${this.nodeId} started`), from, START_TIMEOUT_MS);
  }

  /** Graceful stop (SIGTERM): what a deploy or a scale-down does. Resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return null;
    this.child?.kill("SIGTERM");
    return this.exited;
  }

  /** Hard kill (SIGKILL): a crashed machine. Leases it held expire; nothing is handed over. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Wait until the log (written since `fromOffset`) matches. */
  async waitForLog(pattern: RegExp, fromOffset = 0, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.slice(fromOffset).match(pattern);
      if (match) return match[0];
      if (Date.now() > deadline)
        throw new Error(`Node ${this.nodeId}: no log line matching ${pattern}:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A JSON request to this node's API; the body is parsed when it is JSON. */
  async api<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }
}

export interface Cluster {
  readonly nodes: ClusterNode[];
  readonly databaseUrl: string;
  /** Kill every node still running, drop the database, remove the folders. */
  dispose(): Promise<void>;
}

/**
 * `count` nodes named node-1…node-N on a new database. They start one after another (the first applies the
 * migrations); `start: false` leaves them stopped.
 */
export async function startCluster(
  count: number,
  options: NodeOptions & { start?: boolean } = {},
): Promise<Cluster> {
  const scratch = await createScratchPostgres();
  const root = mkdtempSync(path.join(tmpdir(), "paperclip-cluster-"));
  const nodes: ClusterNode[] = [];
  for (let index = 1; index <= count; index++) {
    const dataDir = path.join(root, `node-${index}`);
    nodes.push(new ClusterNode(`node-${index}`, await freePort(), dataDir, scratch.url, options));
  }
  const dispose = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await scratch.drop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    if (options.start !== false) for (const node of nodes) await node.start();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { nodes, databaseUrl: scratch.url, dispose };
}
