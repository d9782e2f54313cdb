// `plugin.ui.updated` (reference §10.2): installing, disabling, enabling, upgrading and uninstalling a plugin
// sends `{type: "plugin.ui.updated", payload: {pluginId, action}}` on every open company event stream, with no
// `id:` line (it is not a domain event and must not move a client's Last-Event-ID).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { copyFixture, type RuntimeHost, startRuntimeHost, tempFolders } from "./fixtures/runtime/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

interface Frame {
  id: string | null;
  data: any;
}

/** Reads an SSE response with fetch, collecting `data:` frames (and their `id:` lines). */
function openStream(url: string) {
  const controller = new AbortController();
  const frames: Frame[] = [];
  let text = "";
  const opened = fetch(url, { signal: controller.signal }).then(async (response) => {
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const chunk = await reader?.read().catch(() => null);
        if (!chunk || chunk.done) return;
        text += decoder.decode(chunk.value, { stream: true });
        for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          let id: string | null = null;
          let data: string | null = null;
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4);
            if (line.startsWith("data: ")) data = line.slice(6);
          }
          if (data !== null) frames.push({ id, data: JSON.parse(data) });
        }
      }
    })();
  });
  return { frames, opened, close: () => controller.abort() };
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(ENGINES)("plugin.ui.updated on %s", (engine) => {
  let host: RuntimeHost;
  let companies: string[];

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    companies = [
      (await host.request("POST", "/api/companies", { name: "Board One" })).body.id,
      (await host.request("POST", "/api/companies", { name: "Board Two" })).body.id,
    ];
  });
  afterAll(async () => host?.close());

  it("reaches every open company stream on install, disable, enable, upgrade and uninstall", async () => {
    const streams = companies.map((id) => openStream(`${host.baseUrl}/api/companies/${id}/events/stream`));
    await Promise.all(streams.map((stream) => stream.opened));
    const updates = (index: number) =>
      (streams[index]?.frames ?? []).filter((frame) => frame.data.type === "plugin.ui.updated");
    const expectUpdate = async (pluginId: string, action: string) => {
      for (const [index, companyId] of companies.entries()) {
        const frame = await waitFor(
          () => updates(index).find((item) => item.data.payload.action === action),
          `${action} on the stream of company ${index}`,
        );
        expect(frame.id).toBeNull();
        expect(frame.data).toMatchObject({
          type: "plugin.ui.updated",
          entityType: "plugin",
          entityId: pluginId,
          companyId,
          payload: { pluginId, action },
        });
      }
    };
    try {
      const folder = copyFixture("basic-plugin", temp.make("ui-updated"));
      const installed = await host.request("POST", "/api/plugins/install", {
        packageName: folder,
        isLocalPath: true,
      });
      expect(installed.status).toBe(200);
      const pluginId = installed.body.id as string;
      await expectUpdate(pluginId, "installed");

      expect((await host.request("POST", `/api/plugins/${pluginId}/disable`, {})).status).toBe(200);
      await expectUpdate(pluginId, "disabled");
      expect((await host.request("POST", `/api/plugins/${pluginId}/enable`, {})).status).toBe(200);
      await expectUpdate(pluginId, "enabled");
      expect((await host.request("POST", `/api/plugins/${pluginId}/upgrade`, {})).status).toBe(200);
      await expectUpdate(pluginId, "upgraded");
      expect((await host.request("DELETE", `/api/plugins/${pluginId}`)).status).toBe(200);
      await expectUpdate(pluginId, "uninstalled");

      // Exactly one notice per change and stream; a failed request (enable of an uninstalled plugin) sends none.
      await host.request("POST", `/api/plugins/${pluginId}/enable`, {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const index of companies.keys()) {
        expect(updates(index).map((frame) => frame.data.payload.action)).toEqual([
          "installed",
          "disabled",
          "enabled",
          "upgraded",
          "uninstalled",
        ]);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});
