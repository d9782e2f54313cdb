// The built UI bundle (scripts/build-ui.mjs): one ESM file importing only what the host provides, one named
// export per slot, and the page rendering its states — loading, no agents, an error, and a conversation with
// its transcript — against a fake host bridge. (A live turn runs in effects, which static rendering does not
// run: the real-process test covers the stream it reads.)
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type ComponentType, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM build script without type declarations
import { buildUi, UI_EXTERNALS } from "../scripts/build-ui.mjs";
import manifest from "../src/manifest.js";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const fakeSdkUi = pathToFileURL(fileURLToPath(new URL("./fixtures/fake-sdk-ui.mjs", import.meta.url))).href;

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; external?: boolean }>; exports: string[] }>;
}

type Component = ComponentType<Record<string, unknown>>;

interface FakeHost {
  context: Record<string, unknown>;
  data: Record<string, unknown>;
  dataErrors: Record<string, { code: string; message: string }>;
  dataCalls: Array<{ key: string; params: unknown }>;
  actionCalls: Array<{ key: string; params: unknown }>;
  streams: Array<{ channel: string; companyId: string | null }>;
  streamEvents: Record<string, unknown[]>;
}

const companyContext = {
  companyId: "company-1",
  companyPrefix: "ACME",
  projectId: null,
  entityId: null,
  entityType: null,
  userId: "user-1",
  renderEnvironment: null,
};

function fakeHost(data: Record<string, unknown> = {}): FakeHost {
  const host: FakeHost = {
    context: companyContext,
    data,
    dataErrors: {},
    dataCalls: [],
    actionCalls: [],
    streams: [],
    streamEvents: {},
  };
  (globalThis as { __agentChatFakeHost__?: FakeHost }).__agentChatFakeHost__ = host;
  return host;
}

let outdir = "";
let metafile: Metafile;
let bundle: Record<string, Component>;

function render(name: string, props: Record<string, unknown> = { context: companyContext }): string {
  return renderToStaticMarkup(createElement(bundle[name] as Component, props));
}

beforeAll(async () => {
  // Inside the package so the bundle's `react` imports resolve from the workspace.
  await mkdir(path.join(packageRoot, "dist"), { recursive: true });
  outdir = await mkdtemp(path.join(packageRoot, "dist", "test-ui-"));
  metafile = (await buildUi({ outdir })) as Metafile;
  // What the host's loader does: point the SDK UI specifiers at its bridge module (here, a fake one).
  const source = await readFile(path.join(outdir, "index.js"), "utf8");
  const rewritten = source.replaceAll(
    /from "@paperclipai\/plugin-sdk\/ui(\/hooks)?"/g,
    `from "${fakeSdkUi}"`,
  );
  const loadable = path.join(outdir, "loadable.mjs");
  await writeFile(loadable, rewritten);
  bundle = (await import(pathToFileURL(loadable).href)) as Record<string, Component>;
});

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe("UI bundle", () => {
  it("is one ESM file whose only imports are the specifiers the host provides", () => {
    const output = metafile.outputs[path.relative(packageRoot, path.join(outdir, "index.js"))];
    expect(output).toBeDefined();
    for (const entry of output!.imports) expect(entry.external).toBe(true);
    const imports = new Set(output!.imports.map((entry) => entry.path));
    expect([...imports].every((specifier) => UI_EXTERNALS.includes(specifier))).toBe(true);
    expect(imports).toEqual(new Set(["react", "react/jsx-runtime", "@paperclipai/plugin-sdk/ui"]));
  });

  it("exports exactly one component per slot", () => {
    const slots = (manifest.ui?.slots ?? []).map((slot) => slot.exportName).sort();
    expect(Object.keys(bundle).sort()).toEqual(slots);
    for (const value of Object.values(bundle)) expect(typeof value).toBe("function");
  });
});

const agents = [
  {
    id: "agent-ada",
    name: "Ada",
    title: "Researcher",
    role: "general",
    icon: null,
    status: "idle",
    adapterType: "echo",
    canChat: true,
  },
  {
    id: "agent-paula",
    name: "Paula",
    title: null,
    role: "engineer",
    icon: null,
    status: "paused",
    adapterType: "process",
    canChat: false,
  },
];

describe("the page", () => {
  it("shows a spinner while the agents load", () => {
    const host = fakeHost();
    const markup = render("AgentChatPage");
    expect(markup).toContain('data-testid="agent-chat-page"');
    expect(markup).toContain("Loading the company&#x27;s agents");
    expect(host.dataCalls).toEqual([{ key: "agents", params: null }]);
  });

  it("says so when the company has no agents, with a link to create one", () => {
    fakeHost({ agents: { companyId: "company-1", agents: [] } });
    const markup = render("AgentChatPage");
    expect(markup).toContain('data-testid="agent-chat-empty"');
    expect(markup).toContain("This company has no agents yet");
    expect(markup).toContain('href="/ACME/agents"');
  });

  it("shows a load error with a retry", () => {
    const host = fakeHost();
    host.dataErrors.agents = { code: "WORKER_UNAVAILABLE", message: "worker is down" };
    const markup = render("AgentChatPage");
    expect(markup).toContain('data-testid="agent-chat-agents-error"');
    expect(markup).toContain("Could not load the agents: worker is down");
    expect(markup).toContain(">Retry</button>");
  });

  it("lists the agents, selects the first one that can chat and asks for its conversation", () => {
    const host = fakeHost({ agents: { companyId: "company-1", agents: [...agents].reverse() } });
    const markup = render("AgentChatPage");
    expect(markup).toContain('data-agent-id="agent-ada" aria-pressed="true"');
    expect(markup).toContain('data-agent-id="agent-paula" aria-pressed="false"');
    expect(markup).toContain("engineer · paused");
    expect(host.dataCalls).toEqual([
      { key: "agents", params: null },
      { key: "conversation", params: { agentId: "agent-ada" } },
    ]);
    // No conversation yet: the empty transcript, a composer, no live stream.
    expect(markup).toContain('data-testid="agent-chat-transcript-empty"');
    expect(markup).toContain("Say hello to Ada.");
    expect(markup).toContain('data-testid="agent-chat-input"');
    expect(markup).not.toContain("agent-chat-new");
    expect(host.streams).toEqual([]);
  });

  it("shows the transcript of the conversation: replies, their run output, failures", () => {
    const message = (fields: Record<string, unknown>) => ({
      output: [],
      status: "done",
      error: null,
      runId: "run-1",
      at: "2026-01-01T00:00:00.000Z",
      ...fields,
    });
    const host = fakeHost({
      agents: { companyId: "company-1", agents },
      conversation: {
        conversation: {
          sessionId: "s-1",
          agentId: "agent-ada",
          companyId: "company-1",
          createdAt: "2026-01-01T00:00:00.000Z",
          channel: "agent-chat:s-1",
          replying: false,
          messages: [
            message({ id: "m1", role: "user", text: "hello", status: "sent", runId: null }),
            message({ id: "m2", role: "agent", text: "hello", output: ["echo: hello"] }),
            message({ id: "m3", role: "user", text: "again", status: "sent", runId: null }),
            message({ id: "m4", role: "agent", text: "", status: "error", error: "Run failed" }),
          ],
        },
      },
    });
    const markup = render("AgentChatPage");
    expect(host.dataCalls.at(-1)).toEqual({ key: "conversation", params: { agentId: "agent-ada" } });
    const bubbles = [
      ...markup.matchAll(/data-testid="agent-chat-message" data-role="(\w+)"(?: data-status="(\w+)")?/g),
    ];
    expect(bubbles.map((match) => [match[1], match[2] ?? null])).toEqual([
      ["user", null],
      ["agent", "done"],
      ["user", null],
      ["agent", "error"],
    ]);
    expect(markup).toContain("Run output (1 line)");
    expect(markup).toContain("echo: hello");
    expect(markup).toContain("Run failed");
    expect(markup).toContain('data-testid="agent-chat-new"');
    expect(markup).not.toContain("agent-chat-transcript-empty");
    expect(host.streams).toEqual([]);
  });

  it("says what to do without a company", () => {
    fakeHost({ agents: { companyId: "company-1", agents } });
    const markup = render("AgentChatPage", { context: { ...companyContext, companyId: null } });
    expect(markup).toContain("Open this page from a company");
  });
});

describe("the sidebar entry", () => {
  it("links to the page", () => {
    fakeHost();
    const markup = render("AgentChatSidebar");
    expect(markup).toBe('<a href="/ACME/agent-chat" data-testid="agent-chat-sidebar-link">Agent Chat</a>');
  });
});
