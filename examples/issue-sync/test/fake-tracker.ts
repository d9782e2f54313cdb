// A stand-in for the external tracker: a real HTTP server on 127.0.0.1 answering
// `GET /issues?updated_since=<ISO>` with the issues changed after that time, and recording each request.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TrackerIssue } from "../src/tracker.js";

export class FakeTracker {
  private readonly issues = new Map<string, TrackerIssue>();
  /** `updated_since` of each GET /issues, null when absent. */
  readonly requests: Array<string | null> = [];
  /** Set to answer every request with this status instead. */
  failWith: number | null = null;
  private server: Server | null = null;

  /** Adds or replaces an issue (the tracker's own change). */
  put(issue: TrackerIssue): void {
    this.issues.set(issue.id, issue);
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://tracker.test");
      if (request.method !== "GET" || url.pathname !== "/issues") {
        response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      const since = url.searchParams.get("updated_since");
      this.requests.push(since);
      if (this.failWith !== null) {
        response.writeHead(this.failWith, { "content-type": "application/json" }).end('{"error":"down"}');
        return;
      }
      const changed = [...this.issues.values()]
        .filter((issue) => since === null || Date.parse(issue.updatedAt) > Date.parse(since))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ issues: changed }));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
