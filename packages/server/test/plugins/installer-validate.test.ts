import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ExistingPlugin,
  formatPluginValidationIssues,
  type PluginValidationIssue,
  validatePluginPackage,
} from "../../src/plugins/installer/index.js";
import { tempDirs, validManifest } from "./fixtures/installer/helpers.js";

const temp = tempDirs();
afterAll(() => temp.cleanup());

let packageDir: string;
let outsideDir: string;

beforeAll(async () => {
  packageDir = await temp.make("package");
  outsideDir = await temp.make("outside");
  await mkdir(path.join(packageDir, "dist", "ui"), { recursive: true });
  await writeFile(path.join(packageDir, "dist", "worker.js"), "process.exit(0);\n");
  await writeFile(path.join(packageDir, "dist", "ui", "index.js"), "export {};\n");
  await writeFile(path.join(packageDir, "dist", "ui-file.js"), "export {};\n");
  await writeFile(path.join(outsideDir, "worker.js"), "process.exit(0);\n");
  await symlink(path.join(outsideDir, "worker.js"), path.join(packageDir, "dist", "linked-worker.js"));
});

async function validate(
  manifest: Record<string, unknown>,
  options: { hostVersion?: string; existingPlugins?: ExistingPlugin[] } = {},
) {
  return validatePluginPackage({
    manifest,
    packageJson: { name: "paperclip-plugin-validation-fixture", version: "1.0.0" },
    packageDir,
    hostVersion: options.hostVersion ?? "1.4.0",
    existingPlugins: options.existingPlugins ?? [],
  });
}

async function errorsOf(
  manifest: Record<string, unknown>,
  options?: Parameters<typeof validate>[1],
): Promise<PluginValidationIssue[]> {
  const result = await validate(manifest, options);
  if (result.ok) throw new Error("expected the manifest to be rejected");
  return result.errors;
}

const pageSlot = (id: string, routePath: string) => ({
  type: "page",
  id,
  displayName: `Page ${id}`,
  exportName: "Page",
  routePath,
});

const uiManifest = (slots: unknown[], capabilities = ["ui.page.register", "ui.sidebar.register"]) =>
  validManifest({
    capabilities,
    entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
    ui: { slots },
  });

describe("validatePluginPackage", () => {
  it("accepts a valid package and returns the parsed manifest", async () => {
    const result = await validate(validManifest());
    expect(result).toEqual({
      ok: true,
      manifest: expect.objectContaining({ id: "paperclip.validation-fixture" }),
    });
  });

  it("reports the SDK's manifest rules with the field path", async () => {
    const { displayName: _omitted, ...withoutName } = validManifest();
    const errors = await errorsOf({
      ...withoutName,
      jobs: [{ jobKey: "sync", displayName: "Sync", schedule: "* * *" }],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "displayName", rule: "required" }),
        expect.objectContaining({ path: "jobs[0].schedule", rule: "cron_five_fields" }),
      ]),
    );
    for (const error of errors) expect(error.message).toContain(error.path);
  });

  it("checks job schedules with croner, naming jobs[i].schedule and the reason", async () => {
    const withJobs = (...schedules: string[]) =>
      validManifest({
        capabilities: ["jobs.schedule"],
        jobs: schedules.map((schedule, index) => ({ jobKey: `job-${index}`, displayName: "Job", schedule })),
      });
    const errors = await errorsOf(withJobs("*/15 * * * *", "61 * * * *", "0 0 31 2 *"));
    expect(errors).toEqual([
      {
        path: "jobs[1].schedule",
        rule: "cron_range",
        message: 'jobs[1].schedule "61 * * * *" can never run: minute value 61 is out of range (0-59)',
      },
      {
        path: "jobs[2].schedule",
        rule: "cron_schedule_never_fires",
        message: 'jobs[2].schedule "0 0 31 2 *" never fires (no such date in any year)',
      },
    ]);
    expect((await validate(withJobs("5/15 * * * *", "0 0 * * 7", "0 9 1-5 * 1-5"))).ok).toBe(true);
  });

  it("refuses a manifest nested deeper than 64 levels before any rule walks it", async () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < 5_000; level++) deep = { type: "object", properties: { a: deep } };
    const errors = await errorsOf(validManifest({ instanceConfigSchema: deep }));
    expect(errors).toEqual([
      expect.objectContaining({
        rule: "manifest_too_deep",
        message: expect.stringMatching(
          /^instanceConfigSchema\.properties\.a.* is nested deeper than 64 levels$/,
        ),
      }),
    ]);
  });

  it("rejects an unsupported apiVersion once, saying what the host supports", async () => {
    const errors = await errorsOf(validManifest({ apiVersion: 2 }));
    const apiErrors = errors.filter((error) => error.path === "apiVersion");
    expect(apiErrors).toEqual([
      {
        path: "apiVersion",
        rule: "api_version_unsupported",
        message: "apiVersion 2 is not supported by this host (supported: 1)",
      },
    ]);
  });

  it("compares minimumHostVersion with the host version, 0.0.0 included", async () => {
    const tooNew = await errorsOf(validManifest({ minimumHostVersion: "2.0.0" }), { hostVersion: "1.9.9" });
    expect(tooNew).toEqual([
      expect.objectContaining({
        path: "minimumHostVersion",
        rule: "host_version_too_low",
        message: expect.stringContaining(
          'minimumHostVersion "2.0.0" is higher than this host\'s version 1.9.9',
        ),
      }),
    ]);
    // The original treated an unknown host version (0.0.0) as "skip the check"; we do not.
    const zeroHost = await errorsOf(validManifest({ minimumHostVersion: "0.1.0" }), { hostVersion: "0.0.0" });
    expect(zeroHost.map((error) => error.rule)).toEqual(["host_version_too_low"]);
    expect((await validate(validManifest({ minimumHostVersion: "1.4.0" }))).ok).toBe(true);
    expect((await validate(validManifest({ minimumHostVersion: "1.4.0-rc.1" }))).ok).toBe(true);
    const legacy = await errorsOf(
      validManifest({ minimumHostVersion: "3.0.0", minimumPaperclipVersion: "3.0.0" }),
      { hostVersion: "2.0.0" },
    );
    expect(legacy.map((error) => error.path).sort()).toEqual([
      "minimumHostVersion",
      "minimumPaperclipVersion",
    ]);
  });

  it("refuses to run without a usable host version", async () => {
    await expect(validate(validManifest(), { hostVersion: "dev" })).rejects.toThrow(
      /hostVersion "dev" is not a semver version/,
    );
  });

  it("names the slot or launcher that needs a missing capability", async () => {
    const errors = await errorsOf(
      validManifest({
        capabilities: ["plugin.state.read"],
        entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
        ui: {
          slots: [pageSlot("main", "reports")],
          launchers: [
            {
              id: "open",
              displayName: "Open",
              placementZone: "globalToolbarButton",
              action: { type: "navigate", target: "reports" },
            },
          ],
        },
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "ui.slots[0]",
          rule: "capability_required",
          message: expect.stringContaining('needs capability "ui.page.register"'),
        }),
        expect.objectContaining({
          path: "ui.launchers[0]",
          rule: "capability_required",
          message: expect.stringContaining('needs capability "ui.action.register"'),
        }),
      ]),
    );
  });

  it("reports a slot's missing capability alongside the schema's own capability errors, each once", async () => {
    const errors = await errorsOf(
      validManifest({
        capabilities: ["plugin.state.read"],
        jobs: [{ jobKey: "sync", displayName: "Sync" }],
        entrypoints: { worker: "./dist/worker.js", ui: "./dist/ui" },
        ui: { slots: [pageSlot("main", "reports")] },
      }),
    );
    const capabilityErrors = errors.filter((error) => error.rule === "capability_required");
    expect(capabilityErrors).toHaveLength(2);
    expect(capabilityErrors.filter((error) => error.message.includes('"jobs.schedule"'))).toHaveLength(1);
    expect(capabilityErrors).toContainEqual(
      expect.objectContaining({
        path: "ui.slots[0]",
        message: expect.stringContaining('"ui.page.register"'),
      }),
    );
  });

  it("refuses a page routePath another installed plugin already uses, but not the plugin's own", async () => {
    const existingPlugins: ExistingPlugin[] = [
      { pluginKey: "acme.reports", manifest: uiManifest([pageSlot("r", "reports")]) },
      { pluginKey: "paperclip.validation-fixture", manifest: uiManifest([pageSlot("old", "mine")]) },
      { pluginKey: "broken.record", manifest: null },
    ];
    const errors = await errorsOf(uiManifest([pageSlot("a", "reports"), pageSlot("b", "mine")]), {
      existingPlugins,
    });
    expect(errors).toEqual([
      {
        path: "ui.slots[0].routePath",
        rule: "route_path_collision",
        message:
          'ui.slots[0].routePath "reports" is already the page route of installed plugin "acme.reports"',
      },
    ]);
  });

  it("refuses two pages of one plugin on the same routePath", async () => {
    const errors = await errorsOf(uiManifest([pageSlot("a", "board"), pageSlot("b", "board")]));
    expect(errors).toEqual([
      expect.objectContaining({
        path: "ui.slots[1].routePath",
        rule: "route_path_duplicate",
        message: expect.stringContaining("already used by ui.slots[0]"),
      }),
    ]);
  });

  it("refuses API routes that differ only in parameter names", async () => {
    const route = (routeKey: string, routePath: string) => ({
      routeKey,
      method: "GET",
      path: routePath,
      auth: "board",
      capability: "api.routes.register",
    });
    const errors = await errorsOf(
      validManifest({
        capabilities: ["api.routes.register"],
        apiRoutes: [
          route("one", "/items/:id"),
          route("two", "/items/:itemId"),
          route("three", "/items/:id/comments"),
        ],
      }),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        path: "apiRoutes[1].path",
        rule: "api_route_ambiguous",
        message: expect.stringContaining('matches the same requests as apiRoutes[0] ("GET /items/:id")'),
      }),
    ]);
  });

  it("checks the worker entrypoint exists inside the package", async () => {
    const cases: [string, string][] = [
      ["./dist/missing.js", "worker_entrypoint_missing"],
      ["../outside/worker.js", "entrypoint_outside_package"],
      ["./dist/linked-worker.js", "entrypoint_outside_package"],
      [path.join(outsideDir, "worker.js"), "entrypoint_outside_package"],
      ["./dist", "worker_entrypoint_not_file"],
    ];
    for (const [worker, rule] of cases) {
      const errors = await errorsOf(validManifest({ entrypoints: { worker } }));
      expect(errors, worker).toEqual([
        expect.objectContaining({
          path: "entrypoints.worker",
          rule,
          message: expect.stringContaining(worker),
        }),
      ]);
    }
  });

  it("checks a declared UI entry folder exists inside the package", async () => {
    const withUi = (ui: string) => validManifest({ entrypoints: { worker: "./dist/worker.js", ui } });
    expect((await errorsOf(withUi("./dist/no-ui")))[0]).toMatchObject({
      path: "entrypoints.ui",
      rule: "ui_entrypoint_missing",
    });
    expect((await errorsOf(withUi("./dist/ui-file.js")))[0]).toMatchObject({
      rule: "ui_entrypoint_not_folder",
    });
    expect((await errorsOf(withUi("../../")))[0]).toMatchObject({ rule: "entrypoint_outside_package" });
    expect((await validate(withUi("./dist/ui"))).ok).toBe(true);
  });

  it("refuses package.json paperclipPlugin paths that lead out of the package", async () => {
    const result = await validatePluginPackage({
      manifest: validManifest(),
      packageJson: { name: "p", paperclipPlugin: { worker: "../../bin/sh", ui: "./dist/ui" } },
      packageDir,
      hostVersion: "1.0.0",
      existingPlugins: [],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "package.json paperclipPlugin.worker",
          rule: "entrypoint_outside_package",
          message: 'package.json paperclipPlugin.worker "../../bin/sh" points outside the package folder',
        },
      ],
    });
  });

  it("reports every problem at once, and formats them for an operator", async () => {
    const errors = await errorsOf(
      validManifest({
        apiVersion: 7,
        version: "one",
        entrypoints: { worker: "./nope.js" },
        minimumHostVersion: "9.0.0",
      }),
    );
    expect(errors.map((error) => error.rule).sort()).toEqual(
      ["api_version_unsupported", "host_version_too_low", "semver", "worker_entrypoint_missing"].sort(),
    );
    const report = formatPluginValidationIssues("paperclip-plugin-validation-fixture@1.0.0", errors);
    expect(report.split("\n")[0]).toBe(
      "paperclip-plugin-validation-fixture@1.0.0 cannot be installed (4 problems):",
    );
    expect(report).toContain("[worker_entrypoint_missing]");
  });

  it("rejects input that is not an object without crashing", async () => {
    for (const manifest of [null, "manifest", 42, []]) {
      const result = await validatePluginPackage({
        manifest,
        packageJson: {},
        packageDir,
        hostVersion: "1.0.0",
        existingPlugins: [],
      });
      expect(result.ok, JSON.stringify(manifest)).toBe(false);
    }
  });
});
