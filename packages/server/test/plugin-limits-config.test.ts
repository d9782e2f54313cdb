// The host-wide plugin resource limits: defaults, config.json merged with the environment per limit, and
// refusals that name the bad setting.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { DEFAULT_PLUGIN_LIMITS, effectivePluginLimits } from "../src/plugins/lifecycle/limits.js";

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "paperclip-limits-"));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("plugin limits settings", () => {
  it("default to 512 MB heap, 64 events in flight, 3 000 lines / 1 MiB per minute, 300 mirrored, 32 MiB kept", () => {
    expect(loadConfig({ dataDir: tempDir() }, {}).pluginLimits).toEqual({
      memoryLimitMb: 512,
      eventMaxInFlight: 64,
      logLinesPerMinute: 3_000,
      logBytesPerMinute: 1024 * 1024,
      logMirrorLinesPerMinute: 300,
      logMaxStoredBytes: 32 * 1024 * 1024,
    });
  });

  it("merge config.json and the environment limit by limit (the environment wins)", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ pluginLimits: { memoryLimitMb: 1024, logLinesPerMinute: 100 } }),
    );
    const config = loadConfig(
      { dataDir: dir },
      { PAPERCLIP_PLUGIN_LOG_LINES_PER_MINUTE: "50", PAPERCLIP_PLUGIN_EVENT_MAX_IN_FLIGHT: "1" },
    );
    expect(config.pluginLimits).toMatchObject({
      memoryLimitMb: 1024,
      logLinesPerMinute: 50,
      eventMaxInFlight: 1,
    });
  });

  it("refuse bad values, naming the limit and the range", () => {
    const dir = tempDir();
    expect(() => loadConfig({ dataDir: dir }, { PAPERCLIP_PLUGIN_MEMORY_LIMIT_MB: "lots" })).toThrow(
      'Invalid setting "pluginLimits": pluginLimits.memoryLimitMb must be a whole number from 0 to 65536 (got "lots")',
    );
    expect(() => loadConfig({ dataDir: dir }, { PAPERCLIP_PLUGIN_EVENT_MAX_IN_FLIGHT: "0" })).toThrow(
      "pluginLimits.eventMaxInFlight must be a whole number from 1 to 1024",
    );
    writeFileSync(join(dir, "config.json"), JSON.stringify({ pluginLimits: { heap: 5 } }));
    expect(() => loadConfig({ dataDir: dir }, {})).toThrow('pluginLimits: unknown limit "heap"');
    writeFileSync(join(dir, "config.json"), JSON.stringify({ pluginLimits: 5 }));
    expect(() => loadConfig({ dataDir: dir }, {})).toThrow("pluginLimits must be an object");
  });

  it("a plugin's own limits override the host's, which override the built-in defaults", () => {
    expect(
      effectivePluginLimits({ memoryLimitMb: 256, eventMaxInFlight: 8 }, { eventMaxInFlight: 1 }),
    ).toEqual({
      ...DEFAULT_PLUGIN_LIMITS,
      memoryLimitMb: 256,
      eventMaxInFlight: 1,
    });
  });
});
