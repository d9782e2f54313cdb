// The board's plugin surfaces, one component per place the seed puts a slot or launcher zone (reference §10.1):
// top bar, company sidebar (items, panels, per-project items), dashboard grid, entity page headers (toolbar
// buttons and the ⋮ menu), detail tabs, the issue's task detail views, each comment's annotations and ⋮ menu,
// the plugin settings page and company settings links. Each renders nothing while no plugin fills it.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { ChevronRight, EllipsisVertical, Puzzle } from "lucide-react";
import { Popover as PopoverPrimitive } from "radix-ui";
import { type ReactNode, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { useCompanies } from "@/api/companies";
import { useOptionalCompany } from "@/app/CompanyContext";
import { lastCompanyPrefix } from "@/app/lastCompany";
import { paths } from "@/app/paths";
import { Card, IconButton, type UrlTab, UrlTabs } from "@/components/ui";
import { cn } from "@/lib/cn";
import type { SlotMount } from "@/plugin-ui";
import { type EntityContext, useBoardHostContext, useLauncherMounts, useSlotMounts } from "./context";
import { LauncherButton, PluginLaunchers } from "./PluginLaunchers";
import { PluginSlots, SlotMountView, slotKey } from "./PluginSlots";

/** `?tab=` value of a plugin detail tab (reference §10.1): `plugin:<pluginKey>:<slotId>`. */
export function pluginTabValue(mount: SlotMount): string {
  return `plugin:${mount.contribution.pluginKey}:${mount.slot.id}`;
}

// ── top bar ─────────────────────────────────────────────────────────────────────────────────────

/** `globalToolbarButton` slots and launchers, for the top bar's GlobalToolbarSlot. */
export function PluginGlobalToolbar() {
  const context = useBoardHostContext();
  return (
    <>
      <PluginSlots type="globalToolbarButton" context={context} itemClassName="flex items-center" />
      <PluginLaunchers zone="globalToolbarButton" context={context} />
    </>
  );
}

// ── company sidebar ─────────────────────────────────────────────────────────────────────────────

/** `sidebar` slots and launchers: entries under the company navigation. */
export function PluginSidebarItems() {
  const context = useBoardHostContext();
  const slots = useSlotMounts("sidebar");
  const launchers = useLauncherMounts("sidebar");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <ul className="mt-1 grid gap-px" aria-label="Plugins">
      <PluginSlots
        type="sidebar"
        context={context}
        renderItem={(mount, content) => (
          <li
            data-plugin-slot={mount.slot.id}
            data-plugin={mount.contribution.pluginKey}
            className="flex min-h-8 items-center gap-2.5 rounded-md px-2 text-sm font-medium text-sidebar-foreground hover:bg-sidebar-accent/70 hover:text-foreground [&_a]:min-w-0 [&_a]:flex-1 [&_a]:truncate [&_a]:py-1.5"
          >
            <Puzzle aria-hidden className="size-4 shrink-0 text-muted-foreground" />
            {content}
          </li>
        )}
      />
      <PluginLaunchers zone="sidebar" context={context} variant="nav" asListItems />
    </ul>
  );
}

/** `sidebarPanel` slots and launchers: panels below the sidebar navigation. */
export function PluginSidebarPanels() {
  const context = useBoardHostContext();
  const slots = useSlotMounts("sidebarPanel");
  const launchers = useLauncherMounts("sidebarPanel");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <section aria-label="Plugin panels" className="mt-5 grid gap-2">
      <PluginSlots
        type="sidebarPanel"
        context={context}
        renderItem={(mount, content) => (
          <div
            data-plugin-slot={mount.slot.id}
            data-plugin={mount.contribution.pluginKey}
            className="min-w-0 overflow-hidden rounded-lg border border-sidebar-border bg-background/60 p-2 text-xs [overflow-wrap:anywhere]"
          >
            {content}
          </div>
        )}
      />
      <PluginLaunchers zone="sidebarPanel" context={context} variant="nav" className="grid gap-px" />
    </section>
  );
}

/** `projectSidebarItem` slots and launchers, once per project under its row in the sidebar Projects list. */
export function PluginProjectSidebarItems({ projectId }: { projectId: string }) {
  const context = useBoardHostContext({ entityType: "project", entityId: projectId, projectId });
  const slots = useSlotMounts("projectSidebarItem", "project");
  const launchers = useLauncherMounts("projectSidebarItem", "project");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <ul className="ml-[1.1rem] grid gap-px border-l border-sidebar-border pl-2" aria-label="Project plugins">
      <PluginSlots
        type="projectSidebarItem"
        entityType="project"
        context={context}
        renderItem={(mount, content) => (
          <li
            data-plugin-slot={mount.slot.id}
            data-plugin={mount.contribution.pluginKey}
            className="flex min-h-7 items-center rounded-md px-2 text-[13px] text-muted-foreground hover:bg-sidebar-accent/70 hover:text-foreground [&_a]:min-w-0 [&_a]:flex-1 [&_a]:truncate [&_a]:py-1"
          >
            {content}
          </li>
        )}
      />
      <PluginLaunchers
        zone="projectSidebarItem"
        entityType="project"
        context={context}
        variant="subtle"
        asListItems
      />
    </ul>
  );
}

// ── dashboard ───────────────────────────────────────────────────────────────────────────────────

/** `dashboardWidget` slots as cards in the dashboard grid, plus the zone's launchers. */
export function PluginDashboardWidgets({ className }: { className?: string }) {
  const context = useBoardHostContext();
  const slots = useSlotMounts("dashboardWidget");
  const launchers = useLauncherMounts("dashboardWidget");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <section aria-labelledby="plugin-widgets-title" className={cn("mb-8", className)}>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h2 id="plugin-widgets-title" className="flex-1 text-sm font-semibold">
          From plugins
        </h2>
        <PluginLaunchers zone="dashboardWidget" context={context} className="flex flex-wrap gap-2" />
      </div>
      <PluginSlots
        type="dashboardWidget"
        context={context}
        className="grid gap-4 md:grid-cols-2"
        renderItem={(mount, content) => (
          <Card
            data-plugin-slot={mount.slot.id}
            data-plugin={mount.contribution.pluginKey}
            className="min-w-0 gap-0 overflow-hidden p-0"
          >
            <h3 className="flex items-center gap-2 border-b px-4 py-2.5 text-sm font-medium">
              <span className="min-w-0 flex-1 truncate">{mount.slot.displayName}</span>
              <span className="shrink-0 text-xs font-normal text-muted-foreground">
                {mount.contribution.displayName}
              </span>
            </h3>
            <div className="min-w-0 overflow-auto p-4">{content}</div>
          </Card>
        )}
      />
    </section>
  );
}

// ── entity pages ────────────────────────────────────────────────────────────────────────────────

/** A ⋮ menu of plugin entries (slot components and launcher items) on a Radix Popover, so Tab reaches them. */
function PluginMenu({
  label,
  children,
  size = "icon-sm",
  className,
}: {
  label: string;
  children: (close: () => void, anchor: () => HTMLElement | null) => ReactNode;
  size?: "icon" | "icon-sm";
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement | null>(null);
  return (
    <PopoverPrimitive.Root open={open} onOpenChange={setOpen}>
      <PopoverPrimitive.Trigger asChild>
        <IconButton
          ref={trigger}
          label={label}
          icon={<EllipsisVertical />}
          variant="ghost"
          size={size}
          className={className}
          tooltip={false}
          aria-haspopup="dialog"
        />
      </PopoverPrimitive.Trigger>
      <PopoverPrimitive.Portal>
        <PopoverPrimitive.Content
          aria-label={label}
          align="end"
          sideOffset={4}
          collisionPadding={8}
          className="z-50 grid max-h-(--radix-popover-content-available-height) w-72 gap-1 overflow-y-auto rounded-lg border bg-popover p-1 text-popover-foreground shadow-lg animate-pop-in focus:outline-none"
        >
          {children(
            () => setOpen(false),
            () => trigger.current,
          )}
        </PopoverPrimitive.Content>
      </PopoverPrimitive.Portal>
    </PopoverPrimitive.Root>
  );
}

function MenuSlotItem({ content, mount }: { content: ReactNode; mount: SlotMount }) {
  return (
    <div
      data-plugin-slot={mount.slot.id}
      data-plugin={mount.contribution.pluginKey}
      className="min-w-0 rounded-md px-2 py-1.5 text-sm [overflow-wrap:anywhere]"
    >
      {content}
    </div>
  );
}

/** `contextMenuItem` slots and launchers of an entity, in a ⋮ menu (nothing while empty). */
export function PluginEntityMenu(props: EntityContext & { entityType: string; entityId: string }) {
  const context = useBoardHostContext(props);
  const slots = useSlotMounts("contextMenuItem", props.entityType);
  const launchers = useLauncherMounts("contextMenuItem", props.entityType);
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <PluginMenu label={`More ${props.entityType} actions`} size="icon">
      {(close, anchor) => (
        <>
          <PluginSlots
            type="contextMenuItem"
            entityType={props.entityType}
            context={context}
            renderItem={(mount, content) => <MenuSlotItem mount={mount} content={content} />}
          />
          <PluginLaunchers
            zone="contextMenuItem"
            entityType={props.entityType}
            context={context}
            variant="menu"
            anchor={anchor}
            onLaunched={close}
          />
        </>
      )}
    </PluginMenu>
  );
}

/**
 * The plugin part of an entity page header: `toolbarButton` slots and launchers, then the ⋮ menu of
 * `contextMenuItem` entries. Put it in the page's `actions`.
 */
export function PluginEntityActions(props: EntityContext & { entityType: string; entityId: string }) {
  const context = useBoardHostContext(props);
  return (
    <div className="flex flex-wrap items-center gap-2 empty:hidden" data-plugin-surface="entity-actions">
      <PluginSlots
        type="toolbarButton"
        entityType={props.entityType}
        context={context}
        itemClassName="flex items-center"
      />
      <PluginLaunchers zone="toolbarButton" entityType={props.entityType} context={context} />
      <PluginEntityMenu {...props} />
    </div>
  );
}

/** The `detailTab` slots of an entity as UrlTabs tabs (`?tab=plugin:<key>:<slotId>`). */
export function usePluginDetailTabs(entity: EntityContext & { entityType: string; entityId: string | null }) {
  const context = useBoardHostContext(entity);
  const slots = useSlotMounts("detailTab", entity.entityType);
  return useMemo<UrlTab[]>(
    () =>
      entity.entityId
        ? slots.map((mount) => ({
            value: pluginTabValue(mount),
            label: mount.slot.displayName,
            icon: <Puzzle aria-hidden />,
            content: (
              <div data-plugin-slot={mount.slot.id} data-plugin={mount.contribution.pluginKey}>
                <SlotMountView mount={mount} context={context} />
              </div>
            ),
          }))
        : [],
    [slots, context, entity.entityId],
  );
}

/**
 * `<UrlTabs>` with the entity's plugin detail tabs after the page's own, and the `detailTab` zone's launchers
 * above the tab list. A drop-in replacement: pass the page's tabs and the entity.
 */
export function PluginUrlTabs({
  entityType,
  entityId,
  projectId,
  parentEntityId,
  tabs,
  ...rest
}: EntityContext & { entityType: string; entityId: string } & Parameters<typeof UrlTabs>[0]) {
  const entity = { entityType, entityId, projectId, parentEntityId };
  const pluginTabs = usePluginDetailTabs(entity);
  const context = useBoardHostContext(entity);
  return (
    <>
      <PluginLaunchers
        zone="detailTab"
        entityType={entityType}
        context={context}
        className={cn("flex flex-wrap justify-end gap-2", rest.className ? "mt-8 -mb-6" : "mb-2")}
      />
      <UrlTabs {...rest} tabs={[...tabs, ...pluginTabs]} />
    </>
  );
}

/** `taskDetailView` slots (and launchers) inside the issue detail layout. */
export function PluginTaskDetailViews({
  issueId,
  projectId,
  className,
}: {
  issueId: string;
  projectId?: string | null;
  className?: string;
}) {
  const context = useBoardHostContext({ entityType: "issue", entityId: issueId, projectId });
  const slots = useSlotMounts("taskDetailView", "issue");
  const launchers = useLauncherMounts("taskDetailView", "issue");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <section aria-label="Plugin views" className={cn("mt-6 grid gap-3", className)}>
      <PluginSlots type="taskDetailView" entityType="issue" context={context} className="grid gap-3" />
      <PluginLaunchers
        zone="taskDetailView"
        entityType="issue"
        context={context}
        className="flex flex-wrap gap-2"
      />
    </section>
  );
}

interface CommentProps {
  commentId: string;
  issueId: string;
  projectId?: string | null;
  /** Class of the ⋮ button (PluginCommentMenu). */
  className?: string;
}

function useCommentContext({ commentId, issueId, projectId }: CommentProps): PluginHostContext {
  return useBoardHostContext({
    entityType: "comment",
    entityId: commentId,
    parentEntityId: issueId,
    projectId: projectId ?? null,
  });
}

/** `commentAnnotation` slots and launchers under one comment. */
export function PluginCommentAnnotations(props: CommentProps) {
  const context = useCommentContext(props);
  const slots = useSlotMounts("commentAnnotation", "comment");
  const launchers = useLauncherMounts("commentAnnotation", "comment");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <div className="mt-3 grid gap-2 border-t pt-3" data-plugin-surface="comment-annotations">
      <PluginSlots type="commentAnnotation" entityType="comment" context={context} className="grid gap-2" />
      <PluginLaunchers
        zone="commentAnnotation"
        entityType="comment"
        context={context}
        className="flex flex-wrap gap-2"
      />
    </div>
  );
}

/** A comment's ⋮ menu of `commentContextMenuItem` slots and launchers; absent while no plugin has one. */
export function PluginCommentMenu(props: CommentProps) {
  const context = useCommentContext(props);
  const slots = useSlotMounts("commentContextMenuItem", "comment");
  const launchers = useLauncherMounts("commentContextMenuItem", "comment");
  if (slots.length === 0 && launchers.length === 0) return null;
  return (
    <PluginMenu label="More comment actions" className={props.className}>
      {(close, anchor) => (
        <>
          <PluginSlots
            type="commentContextMenuItem"
            entityType="comment"
            context={context}
            renderItem={(mount, content) => <MenuSlotItem mount={mount} content={content} />}
          />
          <PluginLaunchers
            zone="commentContextMenuItem"
            entityType="comment"
            context={context}
            variant="menu"
            anchor={anchor}
            onLaunched={close}
          />
        </>
      )}
    </PluginMenu>
  );
}

// ── settings ────────────────────────────────────────────────────────────────────────────────────

/** The company of instance pages: the one open last (else the first), for plugin settings contexts. */
function useInstanceCompany(): { id: string | null; prefix: string | null } {
  const current = useOptionalCompany();
  const companies = useCompanies();
  if (current) return { id: current.id, prefix: current.issuePrefix };
  const last = lastCompanyPrefix()?.toLowerCase();
  const list = companies.data ?? [];
  const found = list.find((company) => company.issuePrefix.toLowerCase() === last) ?? list[0];
  return { id: found?.id ?? null, prefix: found?.issuePrefix ?? null };
}

/**
 * The plugin admin page's settings: the plugin's `settingsPage` slot when it has one (it replaces the generated
 * form, reference §10.1), else `children` (the generated form). `settingsPage` launchers sit above either.
 * `company`: the company the settings are for (default: the open or last opened company).
 */
export function PluginSettingsPageOutlet({
  pluginId,
  company: given,
  children,
}: {
  pluginId: string;
  company?: { id: string; issuePrefix: string } | null;
  children: ReactNode;
}) {
  const fallback = useInstanceCompany();
  const company = given ? { id: given.id, prefix: given.issuePrefix } : fallback;
  const context = useBoardHostContext({ companyId: company.id, companyPrefix: company.prefix });
  const slots = useSlotMounts("settingsPage").filter(
    (mount) => mount.contribution.pluginId === pluginId || mount.contribution.pluginKey === pluginId,
  );
  const launchers = useLauncherMounts("settingsPage").filter(
    (mount) => mount.contribution.pluginId === pluginId || mount.contribution.pluginKey === pluginId,
  );
  const launcherRow =
    launchers.length > 0 ? (
      <div className="mb-3 flex flex-wrap gap-2">
        {launchers.map((mount) => (
          <LauncherButton key={mount.launcher.id} mount={mount} context={context} />
        ))}
      </div>
    ) : null;
  if (slots.length === 0) {
    return (
      <>
        {launcherRow}
        {children}
      </>
    );
  }
  return (
    <div data-plugin-surface="settings-page">
      {launcherRow}
      <div className="grid gap-4">
        {slots.map((mount) => (
          <div
            key={slotKey(mount)}
            data-plugin-slot={mount.slot.id}
            data-plugin={mount.contribution.pluginKey}
          >
            <SlotMountView mount={mount} context={context} />
          </div>
        ))}
      </div>
    </div>
  );
}

/** Links to the plugins' company settings pages (`/:prefix/company/settings/<routePath>`). */
export function PluginCompanySettingsLinks({ className }: { className?: string }) {
  const company = useOptionalCompany();
  const slots = useSlotMounts("companySettingsPage").filter((mount) => mount.slot.routePath);
  if (!company || slots.length === 0) return null;
  return (
    <nav aria-label="Plugin settings" className={cn("grid gap-2", className)}>
      <h2 className="text-sm font-semibold">Plugin settings</h2>
      <ul className="grid gap-1.5">
        {slots.map((mount) => (
          <li key={slotKey(mount)}>
            <Link
              to={paths.companyPluginSettings(company.issuePrefix, mount.slot.routePath ?? "")}
              data-plugin-slot-link={mount.slot.id}
              className="flex items-center gap-2 rounded-lg border px-3 py-2 text-sm hover:bg-accent"
            >
              <Puzzle aria-hidden className="size-4 text-muted-foreground" />
              <span className="min-w-0 flex-1 truncate font-medium">{mount.slot.displayName}</span>
              <span className="text-xs text-muted-foreground">{mount.contribution.displayName}</span>
              <ChevronRight aria-hidden className="size-4 text-muted-foreground" />
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
