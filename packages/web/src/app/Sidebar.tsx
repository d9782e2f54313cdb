import {
  Activity,
  ArrowLeft,
  Bot,
  CircleDot,
  DollarSign,
  KeyRound,
  LayoutDashboard,
  Puzzle,
  Server,
  Settings,
  ShieldCheck,
  Target,
} from "lucide-react";
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import { useLiveRuns } from "@/api/agents";
import { usePendingApprovalCount } from "@/api/approvals";
import { usePlugins } from "@/api/plugins";
import { useProjects } from "@/api/projects";
import type { Company } from "@/api/types";
import { LiveDot, Skeleton } from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";
import { PluginProjectSidebarItems, PluginSidebarItems, PluginSidebarPanels } from "@/plugin-slots/surfaces";
import { useAccount } from "./AuthGate";
import { CompanySwitcher } from "./CompanySwitcher";
import { lastCompanyPrefix } from "./lastCompany";
import { bindCompanyPaths, paths } from "./paths";

const navItemClasses = ({ isActive }: { isActive: boolean }) =>
  cn(
    "group flex h-8 items-center gap-2.5 rounded-md px-2 text-sm font-medium transition-colors focus-visible:outline-offset-[-2px] [&_svg]:size-4 [&_svg]:shrink-0",
    isActive
      ? "bg-sidebar-accent text-foreground [&_svg]:text-foreground"
      : "text-sidebar-foreground hover:bg-sidebar-accent/70 hover:text-foreground [&_svg]:text-muted-foreground",
  );

function NavItem({
  to,
  icon,
  children,
  badge,
  end,
}: {
  to: string;
  icon: ReactNode;
  children: ReactNode;
  badge?: ReactNode;
  end?: boolean;
}) {
  return (
    <li>
      <NavLink to={to} end={end} className={navItemClasses}>
        {icon}
        <span className="min-w-0 flex-1 truncate">{children}</span>
        {badge}
      </NavLink>
    </li>
  );
}

function SectionTitle({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="mt-5 mb-1 flex h-6 items-center px-2">
      <h2 className="flex-1 text-[11px] font-semibold tracking-wider text-muted-foreground uppercase">
        {children}
      </h2>
      {action}
    </div>
  );
}

function CountBadge({ count, label }: { count: number | undefined; label: string }) {
  if (!count) return null;
  return (
    <span
      className="rounded-full bg-amber-500/15 px-1.5 text-[11px] leading-5 font-semibold text-amber-700 tabular-nums dark:text-amber-300"
      title={label}
    >
      <span className="sr-only">, </span>
      {formatNumber(count)}
      <span className="sr-only"> {label}</span>
    </span>
  );
}

/** Runs in progress in the company (GET /live-runs, refreshed by `agent.run.*` events): a pulsing count. */
function LiveRunsBadge({ companyId }: { companyId: string }) {
  const live = useLiveRuns(companyId);
  const running = live.data?.filter((run) => run.status === "running").length ?? 0;
  const queued = (live.data?.length ?? 0) - running;
  if (!running && !queued) return null;
  const label = [
    running ? `${formatNumber(running)} running` : null,
    queued ? `${formatNumber(queued)} queued` : null,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <span
      data-testid="live-runs-badge"
      className="inline-flex items-center gap-1 rounded-full bg-blue-500/12 px-1.5 text-[11px] leading-5 font-semibold text-blue-700 tabular-nums dark:text-blue-300"
      title={`Runs: ${label}`}
    >
      {running ? <LiveDot /> : null}
      <span className="sr-only">, runs: </span>
      {formatNumber(running || queued)}
      <span className="sr-only"> {running ? "running" : "queued"}</span>
    </span>
  );
}

function ProjectDot({ color, name }: { color: string | null; name: string }) {
  const hues = [210, 150, 35, 280, 350, 190];
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  const fallback = `oklch(0.65 0.15 ${hues[Math.abs(hash) % hues.length]})`;
  return (
    <span aria-hidden className="size-2.5 shrink-0 rounded-[3px]" style={{ background: color ?? fallback }} />
  );
}

function ProjectsSection({ company }: { company: Company }) {
  const projects = useProjects(company.id);
  const to = bindCompanyPaths(company.issuePrefix);
  return (
    <>
      <SectionTitle
        action={
          <NavLink
            to={to.projects()}
            end
            className="rounded px-1 text-[11px] font-medium text-muted-foreground hover:text-foreground focus-visible:outline-offset-0"
          >
            All
          </NavLink>
        }
      >
        Projects
      </SectionTitle>
      {projects.isPending ? (
        <div className="grid gap-2 px-2 py-1" role="status" aria-label="Loading projects">
          <Skeleton className="h-4 w-3/4" />
          <Skeleton className="h-4 w-1/2" />
        </div>
      ) : projects.isError ? (
        <button
          type="button"
          onClick={() => void projects.refetch()}
          className="cursor-pointer px-2 py-1 text-left text-xs text-muted-foreground hover:text-foreground"
        >
          Could not load projects · Retry
        </button>
      ) : projects.data.length === 0 ? (
        <p className="px-2 py-1 text-xs text-muted-foreground">No projects yet</p>
      ) : (
        <ul className="grid gap-px" aria-label="Projects">
          {projects.data.map((project) => (
            <li key={project.id}>
              <NavLink to={to.project(project.urlKey)} className={navItemClasses}>
                <span className="flex size-4 items-center justify-center">
                  <ProjectDot color={project.color} name={project.name} />
                </span>
                <span className="min-w-0 flex-1 truncate">{project.name}</span>
              </NavLink>
              <PluginProjectSidebarItems projectId={project.id} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The sidebar of company pages: switcher, navigation, projects. */
export function CompanySidebar({ company }: { company: Company }) {
  const to = bindCompanyPaths(company.issuePrefix);
  const pendingApprovals = usePendingApprovalCount(company.id);
  return (
    <SidebarFrame header={<CompanySwitcher current={company} />}>
      <nav aria-label="Company">
        <ul className="grid gap-px">
          <NavItem to={to.dashboard()} icon={<LayoutDashboard />}>
            Dashboard
          </NavItem>
          <NavItem to={to.issues()} icon={<CircleDot />}>
            Issues
          </NavItem>
          <NavItem to={to.goals()} icon={<Target />}>
            Goals
          </NavItem>
          <NavItem
            to={to.approvals()}
            icon={<ShieldCheck />}
            badge={<CountBadge count={pendingApprovals} label="pending" />}
          >
            Approvals
          </NavItem>
          <NavItem to={to.agents()} icon={<Bot />} badge={<LiveRunsBadge companyId={company.id} />}>
            Agents
          </NavItem>
        </ul>
        <PluginSidebarItems />
        <ProjectsSection company={company} />
        <SectionTitle>Company</SectionTitle>
        <ul className="grid gap-px">
          <NavItem to={to.activity()} icon={<Activity />}>
            Activity
          </NavItem>
          <NavItem to={to.costs()} icon={<DollarSign />}>
            Costs
          </NavItem>
          <NavItem to={to.companySettings()} icon={<Settings />}>
            Settings
          </NavItem>
        </ul>
      </nav>
      <PluginSidebarPanels />
    </SidebarFrame>
  );
}

/** The sidebar of instance settings (/instance/settings/…): back to the board, plugins and their pages. */
export function InstanceSidebar() {
  const lastPrefix = lastCompanyPrefix();
  const plugins = usePlugins();
  const { mode } = useAccount();
  return (
    <SidebarFrame
      header={
        <NavLink
          to={lastPrefix ? paths.dashboard(lastPrefix) : paths.home()}
          className="flex h-10 items-center gap-2 rounded-lg px-2 text-sm font-medium text-sidebar-foreground hover:bg-sidebar-accent hover:text-foreground"
        >
          <ArrowLeft aria-hidden className="size-4" />
          Back to the board
        </NavLink>
      }
    >
      <nav aria-label="Instance settings">
        <SectionTitle>Instance settings</SectionTitle>
        <ul className="grid gap-px">
          <NavItem to={paths.plugins()} icon={<Puzzle />} end>
            Plugins
          </NavItem>
          {plugins.data?.map((plugin) => (
            <li key={plugin.id}>
              <NavLink
                to={paths.plugin(plugin.id)}
                className={(state) => cn(navItemClasses(state), "pl-8 text-[13px]")}
              >
                <span className="min-w-0 flex-1 truncate">
                  {plugin.manifestJson.displayName || plugin.pluginKey}
                </span>
              </NavLink>
            </li>
          ))}
          <NavItem to={paths.nodes()} icon={<Server />}>
            Nodes
          </NavItem>
        </ul>
        {mode === "authenticated" ? (
          <>
            <SectionTitle>Your account</SectionTitle>
            <ul className="grid gap-px">
              <NavItem to={paths.apiKeys()} icon={<KeyRound />}>
                API keys
              </NavItem>
            </ul>
          </>
        ) : null}
      </nav>
    </SidebarFrame>
  );
}

function SidebarFrame({ header, children }: { header: ReactNode; children: ReactNode }) {
  return (
    <div className="flex h-full flex-col">
      <div className="shrink-0 p-2">{header}</div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-4 scrollbar-thin">{children}</div>
      {/* Plugin `sidebarPanel` slot goes here (pinned to the bottom). */}
      <div className="shrink-0 border-t border-sidebar-border p-2">
        <NavLink
          to={paths.plugins()}
          className={({ isActive }) =>
            cn(
              "flex h-8 items-center gap-2.5 rounded-md px-2 text-xs font-medium transition-colors focus-visible:outline-offset-[-2px]",
              isActive
                ? "bg-sidebar-accent text-foreground"
                : "text-muted-foreground hover:bg-sidebar-accent/70 hover:text-foreground",
            )
          }
        >
          <Puzzle aria-hidden className="size-3.5" />
          Plugins &amp; instance settings
        </NavLink>
      </div>
    </div>
  );
}
