/**
 * Conformance of our constant vocabularies with the published Paperclip release: the values
 * travel on the wire and in manifests, so they must match exactly, in order.
 */

import * as ours from "@paperclipai/plugin-sdk/types";
import * as published from "@paperclipai/shared/constants";
import { describe, expect, it } from "vitest";

const SHARED_CONSTANTS = [
  "PLUGIN_API_VERSION",
  "PLUGIN_STATUSES",
  "PLUGIN_CATEGORIES",
  "PLUGIN_CAPABILITIES",
  "PLUGIN_DATABASE_NAMESPACE_MODES",
  "PLUGIN_DATABASE_NAMESPACE_STATUSES",
  "PLUGIN_DATABASE_MIGRATION_STATUSES",
  "PLUGIN_DATABASE_CORE_READ_TABLES",
  "PLUGIN_API_ROUTE_METHODS",
  "PLUGIN_API_ROUTE_AUTH_MODES",
  "PLUGIN_API_ROUTE_CHECKOUT_POLICIES",
  "PLUGIN_UI_SLOT_TYPES",
  "PLUGIN_UI_SLOT_ENTITY_TYPES",
  "PLUGIN_RESERVED_COMPANY_ROUTE_SEGMENTS",
  "PLUGIN_RESERVED_COMPANY_SETTINGS_ROUTE_SEGMENTS",
  "PLUGIN_LAUNCHER_PLACEMENT_ZONES",
  "PLUGIN_LAUNCHER_ACTIONS",
  "PLUGIN_LAUNCHER_BOUNDS",
  "PLUGIN_LAUNCHER_RENDER_ENVIRONMENTS",
  "PLUGIN_STATE_SCOPE_KINDS",
  "PLUGIN_JOB_STATUSES",
  "PLUGIN_JOB_RUN_STATUSES",
  "PLUGIN_JOB_RUN_TRIGGERS",
  "PLUGIN_WEBHOOK_DELIVERY_STATUSES",
  "PLUGIN_EVENT_TYPES",
  "PLUGIN_BRIDGE_ERROR_CODES",
  "PERMISSION_KEYS",
  "HUMAN_COMPANY_MEMBERSHIP_ROLES",
  "HUMAN_COMPANY_MEMBERSHIP_ROLE_LABELS",
  "MEMBERSHIP_STATUSES",
  "PRINCIPAL_TYPES",
  "INVITE_JOIN_TYPES",
] as const;

// Plain copies, so the table below can look constants up by name.
const publishedByName: Record<string, unknown> = { ...published };
const oursByName: Record<string, unknown> = { ...ours };

describe("constants match the published @paperclipai/shared 2026.916.1", () => {
  it.each(SHARED_CONSTANTS)("%s", (name) => {
    expect(publishedByName[name]).toBeDefined();
    expect(oursByName[name]).toEqual(publishedByName[name]);
  });

  it("has the documented sizes", () => {
    expect(ours.PLUGIN_CAPABILITIES).toHaveLength(79);
    expect(ours.PLUGIN_EVENT_TYPES).toHaveLength(33);
    expect(ours.PLUGIN_UI_SLOT_TYPES).toHaveLength(15);
    expect(ours.PLUGIN_LAUNCHER_PLACEMENT_ZONES).toHaveLength(13);
  });

  it("lists no value twice", () => {
    for (const name of SHARED_CONSTANTS) {
      const value = oursByName[name];
      if (Array.isArray(value)) expect(new Set(value).size, name).toBe(value.length);
    }
  });
});

describe("install-time capability maps (inventory §2.3)", () => {
  const capabilities = new Set<string>(ours.PLUGIN_CAPABILITIES);

  it("gives every UI slot type a known capability", () => {
    expect(Object.keys(ours.PLUGIN_UI_SLOT_CAPABILITIES).sort()).toEqual(
      [...ours.PLUGIN_UI_SLOT_TYPES].sort(),
    );
    for (const capability of Object.values(ours.PLUGIN_UI_SLOT_CAPABILITIES))
      expect(capabilities).toContain(capability);
    expect(ours.PLUGIN_UI_SLOT_CAPABILITIES.routeSidebar).toBe("ui.sidebar.register");
    expect(ours.PLUGIN_UI_SLOT_CAPABILITIES.taskDetailView).toBe("ui.detailTab.register");
    expect(ours.PLUGIN_UI_SLOT_CAPABILITIES.commentContextMenuItem).toBe("ui.action.register");
    expect(ours.PLUGIN_UI_SLOT_CAPABILITIES.companySettingsPage).toBe("instance.settings.register");
  });

  it("gives every launcher zone the same capability as the slot of that name", () => {
    expect(Object.keys(ours.PLUGIN_LAUNCHER_ZONE_CAPABILITIES).sort()).toEqual(
      [...ours.PLUGIN_LAUNCHER_PLACEMENT_ZONES].sort(),
    );
    for (const zone of ours.PLUGIN_LAUNCHER_PLACEMENT_ZONES) {
      expect(ours.PLUGIN_LAUNCHER_ZONE_CAPABILITIES[zone]).toBe(ours.PLUGIN_UI_SLOT_CAPABILITIES[zone]);
    }
  });

  it("maps declared features to known capabilities", () => {
    expect(ours.PLUGIN_FEATURE_CAPABILITIES.objectReferences).toEqual([
      "external.objects.detect",
      "external.objects.read",
    ]);
    for (const list of Object.values(ours.PLUGIN_FEATURE_CAPABILITIES)) {
      for (const capability of list) expect(capabilities).toContain(capability);
    }
  });

  it("allows each render environment only its documented launcher bounds", () => {
    expect(ours.PLUGIN_LAUNCHER_BOUNDS_BY_RENDER_ENVIRONMENT).toEqual({
      hostInline: ["inline", "compact", "default"],
      hostOverlay: ["compact", "default", "wide", "full"],
      hostRoute: ["default", "wide", "full"],
      external: [],
      iframe: ["compact", "default", "wide", "full"],
    });
  });
});

describe("no-op tracer", () => {
  it("hands out a span that accepts every call and records nothing", () => {
    const span = ours.NOOP_PLUGIN_TRACER.startSpan("sync", { attributes: { items: 3 } });
    expect(span).toBe(ours.NOOP_PLUGIN_SPAN);
    expect(() => {
      span.setAttribute("ok", true);
      span.setStatus({ code: 2, message: "failed" });
      span.end();
    }).not.toThrow();
    expect(Object.isFrozen(ours.NOOP_PLUGIN_SPAN)).toBe(true);
  });
});
