// Every board URL is built here, so links and routes cannot drift apart. Company URLs start with the
// company's issue prefix (`/ACM/issues/ACM-12`); instance settings have none.

const enc = encodeURIComponent;

export const paths = {
  home: () => "/",
  dashboard: (prefix: string) => `/${prefix}/dashboard`,
  issues: (prefix: string) => `/${prefix}/issues`,
  /** `ref` is the identifier (preferred, "ACM-12") or the id. */
  issue: (prefix: string, ref: string) => `/${prefix}/issues/${enc(ref)}`,
  projects: (prefix: string) => `/${prefix}/projects`,
  /** `ref` is the urlKey (preferred) or the id. */
  project: (prefix: string, ref: string) => `/${prefix}/projects/${enc(ref)}`,
  agents: (prefix: string) => `/${prefix}/agents`,
  /** `ref` is the urlKey (preferred) or the id. */
  agent: (prefix: string, ref: string) => `/${prefix}/agents/${enc(ref)}`,
  goals: (prefix: string) => `/${prefix}/goals`,
  goal: (prefix: string, goalId: string) => `/${prefix}/goals/${enc(goalId)}`,
  /** A heartbeat run of an agent; `agentRef` is the agent's urlKey (preferred) or id. */
  agentRun: (prefix: string, agentRef: string, runId: string) =>
    `/${prefix}/agents/${enc(agentRef)}/runs/${enc(runId)}`,
  approvals: (prefix: string) => `/${prefix}/approvals`,
  activity: (prefix: string) => `/${prefix}/activity`,
  costs: (prefix: string) => `/${prefix}/costs`,
  companySettings: (prefix: string) => `/${prefix}/company/settings`,
  /** A plugin `page` slot by its routePath (`/ACM/kitchen-sink`). */
  pluginRoute: (prefix: string, routePath: string) => `/${prefix}/${routePath.replace(/^\/+/, "")}`,
  /** A plugin's page by id or key (`/ACM/plugins/paperclip.kitchen-sink`). */
  pluginPage: (prefix: string, pluginRef: string) => `/${prefix}/plugins/${enc(pluginRef)}`,
  /** A launcher surface rendered as a page (render environment `hostRoute`). */
  pluginLauncher: (prefix: string, pluginRef: string, launcherId: string) =>
    `/${prefix}/plugins/${enc(pluginRef)}/launchers/${enc(launcherId)}`,
  /** A plugin `companySettingsPage` slot by its routePath. */
  companyPluginSettings: (prefix: string, routePath: string) =>
    `/${prefix}/company/settings/${routePath.replace(/^\/+/, "")}`,
  plugins: () => "/instance/settings/plugins",
  plugin: (pluginId: string) => `/instance/settings/plugins/${enc(pluginId)}`,
  /** The host nodes sharing this instance's database (docs/scale-out.md). */
  nodes: () => "/instance/settings/nodes",
  /** The signed-in person's API keys (authenticated mode). */
  apiKeys: () => "/instance/account/api-keys",
} as const;

/** The company-scoped builders with the prefix filled in: `bind("ACM").issue("ACM-1")`. */
export function bindCompanyPaths(prefix: string) {
  return {
    dashboard: () => paths.dashboard(prefix),
    issues: () => paths.issues(prefix),
    issue: (ref: string) => paths.issue(prefix, ref),
    projects: () => paths.projects(prefix),
    project: (ref: string) => paths.project(prefix, ref),
    agents: () => paths.agents(prefix),
    agent: (ref: string) => paths.agent(prefix, ref),
    goals: () => paths.goals(prefix),
    goal: (goalId: string) => paths.goal(prefix, goalId),
    agentRun: (agentRef: string, runId: string) => paths.agentRun(prefix, agentRef, runId),
    approvals: () => paths.approvals(prefix),
    activity: () => paths.activity(prefix),
    costs: () => paths.costs(prefix),
    companySettings: () => paths.companySettings(prefix),
  };
}

export type CompanyPaths = ReturnType<typeof bindCompanyPaths>;
