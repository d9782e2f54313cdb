/**
 * Schemas of UI slots and launchers, including the slot/route rules and the launcher
 * action × render-environment × bounds matrix.
 */
import { z } from "zod";
import {
  PLUGIN_ENTITY_SCOPED_UI_PLACEMENTS,
  PLUGIN_LAUNCHER_ACTIONS,
  PLUGIN_LAUNCHER_BOUNDS,
  PLUGIN_LAUNCHER_BOUNDS_BY_RENDER_ENVIRONMENT,
  PLUGIN_LAUNCHER_PLACEMENT_ZONES,
  PLUGIN_LAUNCHER_RENDER_ENVIRONMENTS,
  PLUGIN_RESERVED_COMPANY_ROUTE_SEGMENTS,
  PLUGIN_RESERVED_COMPANY_SETTINGS_ROUTE_SEGMENTS,
  PLUGIN_UI_SLOT_ENTITY_TYPES,
  PLUGIN_UI_SLOT_TYPES,
  type PluginUiSlotEntityType,
} from "../constants.js";
import { addRuleIssue, patternString, ROUTE_PATH_PATTERN, text } from "./rules.js";

const ENTITY_SCOPED: readonly string[] = PLUGIN_ENTITY_SCOPED_UI_PLACEMENTS;
const ROUTE_SLOT_TYPES: readonly string[] = ["page", "routeSidebar", "companySettingsPage"];
const RESERVED_ROUTES: readonly string[] = PLUGIN_RESERVED_COMPANY_ROUTE_SEGMENTS;
const RESERVED_SETTINGS_ROUTES: readonly string[] = PLUGIN_RESERVED_COMPANY_SETTINGS_ROUTE_SEGMENTS;

/** Placements that render against one entity kind and must list it in `entityTypes`. */
const REQUIRED_ENTITY_TYPE: Readonly<Record<string, PluginUiSlotEntityType>> = {
  projectSidebarItem: "project",
  commentAnnotation: "comment",
  commentContextMenuItem: "comment",
};

/** Shared entity-type rules for slots (by type) and launchers (by placement zone). */
function checkEntityTypes(
  ctx: z.RefinementCtx,
  placement: string,
  entityTypes: readonly PluginUiSlotEntityType[] | undefined,
  noun: "slots" | "launchers",
  requiredKinds: Readonly<Record<string, PluginUiSlotEntityType>>,
): void {
  if (ENTITY_SCOPED.includes(placement) && (!entityTypes || entityTypes.length === 0)) {
    addRuleIssue(
      ctx,
      "entity_types_required",
      `must list at least one entity type for ${placement} ${noun}`,
      ["entityTypes"],
    );
    return;
  }
  const required = requiredKinds[placement];
  if (required && entityTypes && !entityTypes.includes(required)) {
    addRuleIssue(ctx, "entity_types_must_include", `must include "${required}" for ${placement} ${noun}`, [
      "entityTypes",
    ]);
  }
}

export const pluginUiSlotDeclarationSchema = z
  .object({
    type: z.enum(PLUGIN_UI_SLOT_TYPES),
    id: text(),
    displayName: text(),
    exportName: text(),
    entityTypes: z.array(z.enum(PLUGIN_UI_SLOT_ENTITY_TYPES)).optional(),
    routePath: patternString(
      ROUTE_PATH_PATTERN,
      "route_path_format",
      "must be a single lowercase path segment (letters, digits, hyphens)",
    ).optional(),
    order: z.number().int().optional(),
  })
  .superRefine((slot, ctx) => {
    checkEntityTypes(ctx, slot.type, slot.entityTypes, "slots", REQUIRED_ENTITY_TYPE);

    const routePath = slot.routePath;
    if (routePath === undefined) {
      if (slot.type === "routeSidebar" || slot.type === "companySettingsPage") {
        addRuleIssue(ctx, "route_path_required", `is required for ${slot.type} slots`, ["routePath"]);
      }
      return;
    }
    if (!ROUTE_SLOT_TYPES.includes(slot.type)) {
      addRuleIssue(
        ctx,
        "route_path_not_allowed",
        `is only allowed on page, routeSidebar and companySettingsPage slots, not ${slot.type}`,
        ["routePath"],
      );
    }
    if (RESERVED_ROUTES.includes(routePath)) {
      addRuleIssue(ctx, "route_path_reserved", `must not be "${routePath}", a route reserved by the host`, [
        "routePath",
      ]);
    }
    if (slot.type === "companySettingsPage" && RESERVED_SETTINGS_ROUTES.includes(routePath)) {
      addRuleIssue(
        ctx,
        "route_path_reserved",
        `must not be "${routePath}", a company settings route reserved by the host`,
        ["routePath"],
      );
    }
  });

export const pluginLauncherActionDeclarationSchema = z
  .object({
    type: z.enum(PLUGIN_LAUNCHER_ACTIONS),
    target: text(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((action, ctx) => {
    if (action.type === "performAction" && action.target.includes("/")) {
      addRuleIssue(
        ctx,
        "launcher_action_target",
        "must be an action key for performAction launchers, not a route or URL",
        ["target"],
      );
    }
    if (action.type === "navigate" && /^https?:\/\//.test(action.target)) {
      addRuleIssue(
        ctx,
        "launcher_action_target",
        "must be a host route for navigate launchers, not an absolute http(s) URL",
        ["target"],
      );
    }
  });

export const pluginLauncherRenderDeclarationSchema = z
  .object({
    environment: z.enum(PLUGIN_LAUNCHER_RENDER_ENVIRONMENTS),
    bounds: z.enum(PLUGIN_LAUNCHER_BOUNDS).optional(),
  })
  .superRefine((render, ctx) => {
    if (render.bounds === undefined) return;
    const allowed = PLUGIN_LAUNCHER_BOUNDS_BY_RENDER_ENVIRONMENT[render.environment];
    if (!allowed.includes(render.bounds)) {
      const expectation = allowed.length > 0 ? `must be one of ${allowed.join(", ")}` : "must be omitted";
      addRuleIssue(
        ctx,
        "launcher_bounds",
        `${expectation} for the ${render.environment} render environment (got "${render.bounds}")`,
        ["bounds"],
      );
    }
  });

/** Launcher zones: only projectSidebarItem pins an entity kind (comment zones don't, like the original). */
const LAUNCHER_REQUIRED_ENTITY_TYPE: Readonly<Record<string, PluginUiSlotEntityType>> = {
  projectSidebarItem: "project",
};

/** Actions that open a surface need render metadata, in one of these environments. */
const ENVIRONMENTS_BY_ACTION: Readonly<Record<string, readonly string[]>> = {
  openModal: ["hostOverlay", "hostRoute", "external", "iframe"],
  openDrawer: ["hostOverlay", "iframe"],
  openPopover: ["hostInline", "hostOverlay", "external", "iframe"],
};

export const pluginLauncherDeclarationSchema = z
  .object({
    id: text(),
    displayName: text(),
    description: z.string().optional(),
    placementZone: z.enum(PLUGIN_LAUNCHER_PLACEMENT_ZONES),
    exportName: text().optional(),
    entityTypes: z.array(z.enum(PLUGIN_UI_SLOT_ENTITY_TYPES)).optional(),
    order: z.number().int().optional(),
    action: pluginLauncherActionDeclarationSchema,
    render: pluginLauncherRenderDeclarationSchema.optional(),
  })
  .superRefine((launcher, ctx) => {
    checkEntityTypes(
      ctx,
      launcher.placementZone,
      launcher.entityTypes,
      "launchers",
      LAUNCHER_REQUIRED_ENTITY_TYPE,
    );

    const actionType = launcher.action.type;
    if (actionType === "performAction" && launcher.render) {
      addRuleIssue(ctx, "launcher_render_forbidden", "must be omitted for performAction launchers", [
        "render",
      ]);
    }
    const allowedEnvironments = ENVIRONMENTS_BY_ACTION[actionType];
    if (!allowedEnvironments) return;
    if (!launcher.render) {
      addRuleIssue(ctx, "launcher_render_required", `is required for ${actionType} launchers`, ["render"]);
      return;
    }
    if (!allowedEnvironments.includes(launcher.render.environment)) {
      addRuleIssue(
        ctx,
        "launcher_render_environment",
        `must be one of ${allowedEnvironments.join(", ")} for ${actionType} launchers (got "${launcher.render.environment}")`,
        ["render", "environment"],
      );
    }
  });
