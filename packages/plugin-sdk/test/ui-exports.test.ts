/**
 * The UI subpaths (`/ui`, `/ui/hooks`, `/ui/types`) against the published 2026.916.1 SDK: the same runtime
 * export names, hooks and components that forward to the host bridge global, the same error when the host
 * has not installed it, and no runtime import of React (bundles keep React external).
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ours from "@paperclipai/plugin-sdk/ui";
import * as oursHooks from "@paperclipai/plugin-sdk/ui/hooks";
import type * as OurTypes from "@paperclipai/plugin-sdk/ui/types";
import * as oursTypes from "@paperclipai/plugin-sdk/ui/types";
import * as published from "published-plugin-sdk/ui";
import * as publishedHooks from "published-plugin-sdk/ui/hooks";
import type * as PublishedTypes from "published-plugin-sdk/ui/types";
import * as publishedTypes from "published-plugin-sdk/ui/types";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";

type Bridge = { react?: unknown; sdkUi?: Record<string, unknown> };
const scope = globalThis as { __paperclipPluginBridge__?: Bridge };

const HOOKS = [
  "useHostContext",
  "useHostLocation",
  "useHostNavigation",
  "usePluginAction",
  "usePluginData",
  "usePluginStream",
  "usePluginToast",
] as const;

const COMPONENTS = [
  "ActionBar",
  "AssigneePicker",
  "DataTable",
  "ErrorBoundary",
  "FileTree",
  "IssuesList",
  "JsonTree",
  "KeyValueList",
  "LogView",
  "ManagedRoutinesList",
  "MarkdownBlock",
  "MarkdownEditor",
  "MetricCard",
  "ProjectPicker",
  "Spinner",
  "StatusBadge",
  "TimeseriesChart",
] as const;

const names = (module: object) => Object.keys(module).sort();

afterEach(() => {
  delete scope.__paperclipPluginBridge__;
});

describe("UI subpath exports", () => {
  it("/ui has the runtime exports of the published SDK", () => {
    expect(names(ours)).toEqual(names(published));
    expect(names(ours)).toEqual([...COMPONENTS, "copyTextToClipboard", ...HOOKS].sort());
  });

  it("/ui/hooks has the runtime exports of the published SDK", () => {
    expect(names(oursHooks)).toEqual(names(publishedHooks));
    expect(names(oursHooks)).toEqual([...HOOKS]);
  });

  it("/ui/types has no runtime exports, like the published SDK", () => {
    expect(names(oursTypes)).toEqual(names(publishedTypes));
    expect(names(oursTypes)).toEqual([]);
  });

  it("every export is a function", () => {
    for (const name of names(ours)) expect(typeof (ours as Record<string, unknown>)[name]).toBe("function");
  });

  it("declares the published prop and context types", () => {
    expectTypeOf<OurTypes.PluginHostContext>().toEqualTypeOf<PublishedTypes.PluginHostContext>();
    expectTypeOf<OurTypes.PluginBridgeError>().toEqualTypeOf<PublishedTypes.PluginBridgeError>();
    expectTypeOf<OurTypes.PluginToastInput>().toEqualTypeOf<PublishedTypes.PluginToastInput>();
    expectTypeOf<OurTypes.PluginDetailTabProps>().toEqualTypeOf<PublishedTypes.PluginDetailTabProps>();
    expectTypeOf<OurTypes.HostLocation>().toEqualTypeOf<PublishedTypes.HostLocation>();
    expectTypeOf<ours.FileTreeProps>().toEqualTypeOf<import("published-plugin-sdk/ui").FileTreeProps>();
    expectTypeOf<ours.AssigneePickerProps>().toEqualTypeOf<
      import("published-plugin-sdk/ui").AssigneePickerProps
    >();
    expectTypeOf<ours.ManagedRoutinesListProps>().toEqualTypeOf<
      import("published-plugin-sdk/ui").ManagedRoutinesListProps
    >();
    expectTypeOf(ours.usePluginData<{ n: number }>).returns.toEqualTypeOf<
      ReturnType<typeof published.usePluginData<{ n: number }>>
    >();
  });
});

describe("hooks forward to the host bridge", () => {
  it("calls the host implementation with the caller's arguments and returns its result", () => {
    const sdkUi: Record<string, ReturnType<typeof vi.fn>> = {};
    for (const hook of HOOKS) sdkUi[hook] = vi.fn((...args: unknown[]) => ({ hook, args }));
    sdkUi.copyTextToClipboard = vi.fn(async (text: string) => void text);
    scope.__paperclipPluginBridge__ = { sdkUi };

    expect(ours.usePluginData("health", { companyId: "c1" })).toEqual({
      hook: "usePluginData",
      args: ["health", { companyId: "c1" }],
    });
    expect(ours.usePluginAction("resync")).toEqual({ hook: "usePluginAction", args: ["resync"] });
    expect(ours.usePluginStream("chat", { companyId: "c1" })).toEqual({
      hook: "usePluginStream",
      args: ["chat", { companyId: "c1" }],
    });
    expect(oursHooks.useHostContext()).toEqual({ hook: "useHostContext", args: [] });
    expect(ours.useHostNavigation()).toEqual({ hook: "useHostNavigation", args: [] });
    expect(ours.useHostLocation()).toEqual({ hook: "useHostLocation", args: [] });
    expect(ours.usePluginToast()).toEqual({ hook: "usePluginToast", args: [] });
    void ours.copyTextToClipboard("hello");
    expect(sdkUi.copyTextToClipboard).toHaveBeenCalledWith("hello");
  });

  it("looks the implementation up at call time, not at import time", () => {
    scope.__paperclipPluginBridge__ = { sdkUi: { useHostContext: () => "first" } };
    expect(ours.useHostContext()).toBe("first");
    scope.__paperclipPluginBridge__ = { sdkUi: { useHostContext: () => "second" } };
    expect(ours.useHostContext()).toBe("second");
  });

  it("throws the published message when the bridge or the hook is missing", () => {
    for (const hook of HOOKS) {
      const call = (ours as unknown as Record<string, () => unknown>)[hook]!;
      const publishedCall = (published as unknown as Record<string, () => unknown>)[hook]!;
      expect(call).toThrow(`Paperclip plugin UI runtime is not initialized for "${hook}"`);
      expect(captureMessage(call)).toBe(captureMessage(publishedCall));
    }
    scope.__paperclipPluginBridge__ = { sdkUi: {} };
    expect(() => ours.usePluginData("x")).toThrow(
      'Paperclip plugin UI runtime is not initialized for "usePluginData"',
    );
    expect(() => ours.copyTextToClipboard("x")).toThrow(
      'Paperclip plugin UI runtime is not initialized for "copyTextToClipboard"',
    );
  });
});

describe("components forward to the host bridge", () => {
  it("renders through the host React's createElement with the host component and the props", () => {
    const createElement = vi.fn((type: unknown, props: unknown) => ({ type, props }));
    const hostComponents: Record<string, () => null> = {};
    for (const name of COMPONENTS) hostComponents[name] = () => null;
    scope.__paperclipPluginBridge__ = { react: { createElement }, sdkUi: hostComponents };

    for (const name of COMPONENTS) {
      const component = (ours as unknown as Record<string, (props: object) => unknown>)[name]!;
      const props = { label: name };
      expect(component(props)).toEqual({ type: hostComponents[name], props });
    }
    expect(createElement).toHaveBeenCalledTimes(COMPONENTS.length);
  });

  it("calls the host component directly when the bridge has no React", () => {
    scope.__paperclipPluginBridge__ = { sdkUi: { StatusBadge: badgeText } };
    expect((ours.StatusBadge as unknown as (p: object) => unknown)({ label: "ok", status: "ok" })).toBe(
      "badge:ok",
    );
  });

  it("throws the published message when the host lacks the component", () => {
    scope.__paperclipPluginBridge__ = { react: { createElement: () => null }, sdkUi: {} };
    for (const name of COMPONENTS) {
      const render = () => (ours as unknown as Record<string, (p: object) => unknown>)[name]!({});
      const publishedRender = () =>
        (published as unknown as Record<string, (p: object) => unknown>)[name]!({});
      expect(render).toThrow(`Paperclip plugin UI runtime is not initialized for "${name}"`);
      expect(captureMessage(render)).toBe(captureMessage(publishedRender));
    }
  });
});

describe("no runtime dependency on React", () => {
  it("the built ui modules import only each other", () => {
    const dir = join(fileURLToPath(new URL(".", import.meta.resolve("@paperclipai/plugin-sdk/ui"))));
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".js"))) {
      const source = readFileSync(join(dir, file), "utf8");
      const specifiers = [...source.matchAll(/^\s*(?:import|export)[^"'\n]*?from\s+["']([^"']+)["']/gm)].map(
        (match) => match[1],
      );
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\//);
      expect(source).not.toMatch(/\bimport\s*\(|\brequire\(/);
    }
  });
});

function badgeText(props: { label: string }): string {
  return `badge:${props.label}`;
}

function captureMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}
