// The route table. Pages are code-split: each `page(() => import(...))` becomes its own chunk, loaded when
// the route is first visited, so the first load carries only the shell and the page being opened.
//
// To add a page: create src/pages/<area>/<Name>Page.tsx with a default export, add a route here with
// `page(() => import("@/pages/<area>/<Name>Page"))`, and a builder in app/paths.ts for links to it.

import type { ComponentType } from "react";
import { createBrowserRouter, Navigate, Outlet, type RouteObject } from "react-router";
import { NotFoundPage } from "@/pages/NotFoundPage";
import { CompanyLayout, ShellSkeleton } from "./CompanyLayout";
import { InstanceLayout } from "./InstanceLayout";
import { RootRedirect } from "./RootRedirect";
import { RouteErrorPage } from "./RouteErrorPage";

/** A lazily loaded page module (its default export is the page component). */
function page(load: () => Promise<{ default: ComponentType }>): RouteObject["lazy"] {
  return async () => ({ Component: (await load()).default });
}

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <Outlet />,
    errorElement: <RouteErrorPage />,
    HydrateFallback: ShellSkeleton,
    children: [
      { index: true, element: <RootRedirect /> },
      {
        path: "instance",
        element: <InstanceLayout />,
        children: [
          { index: true, element: <Navigate replace to="settings/plugins" /> },
          { path: "settings", element: <Navigate replace to="plugins" /> },
          { path: "settings/plugins", lazy: page(() => import("@/pages/plugins/PluginsPage")) },
          {
            path: "settings/plugins/:pluginId",
            lazy: page(() => import("@/pages/plugins/PluginDetailPage")),
          },
          { path: "settings/nodes", lazy: page(() => import("@/pages/instance/NodesPage")) },
          { path: "account/api-keys", lazy: page(() => import("@/pages/account/ApiKeysPage")) },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
      {
        path: ":prefix",
        element: <CompanyLayout />,
        children: [
          { index: true, element: <Navigate replace to="dashboard" /> },
          { path: "dashboard", lazy: page(() => import("@/pages/dashboard/DashboardPage")) },
          { path: "issues", lazy: page(() => import("@/pages/issues/IssuesListPage")) },
          { path: "issues/:identifier", lazy: page(() => import("@/pages/issues/IssueDetailPage")) },
          { path: "projects", lazy: page(() => import("@/pages/projects/ProjectsListPage")) },
          { path: "projects/:projectRef", lazy: page(() => import("@/pages/projects/ProjectDetailPage")) },
          { path: "agents", lazy: page(() => import("@/pages/agents/AgentsListPage")) },
          { path: "agents/:agentRef", lazy: page(() => import("@/pages/agents/AgentDetailPage")) },
          {
            path: "agents/:agentRef/runs/:runId",
            lazy: page(() => import("@/pages/runs/RunDetailPage")),
          },
          { path: "goals", lazy: page(() => import("@/pages/goals/GoalsPage")) },
          { path: "goals/:goalId", lazy: page(() => import("@/pages/goals/GoalDetailPage")) },
          { path: "approvals", lazy: page(() => import("@/pages/approvals/ApprovalsPage")) },
          { path: "activity", lazy: page(() => import("@/pages/activity/ActivityPage")) },
          { path: "costs", lazy: page(() => import("@/pages/costs/CostsPage")) },
          { path: "company", element: <Navigate replace to="settings" /> },
          { path: "company/settings", lazy: page(() => import("@/pages/settings/CompanySettingsPage")) },
          // Plugin routes (reference §10.1): company settings pages, pages by plugin id, hostRoute launchers,
          // and `page` slots at /:prefix/<routePath> — the fallback, which shows Not found for unknown paths.
          {
            path: "company/settings/:routePath",
            lazy: page(() => import("@/plugin-slots/pages/CompanyPluginSettingsPage")),
          },
          { path: "plugins/:pluginId", lazy: page(() => import("@/plugin-slots/pages/PluginByIdPage")) },
          {
            path: "plugins/:pluginId/launchers/:launcherId",
            lazy: page(() => import("@/plugin-slots/pages/PluginLauncherPage")),
          },
          { path: "*", lazy: page(() => import("@/plugin-slots/pages/PluginRoutePage")) },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
