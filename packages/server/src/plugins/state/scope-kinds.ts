// The eight scope kinds of plugin state and entities (PLUGIN_STATE_SCOPE_KINDS).
export const STATE_SCOPE_KINDS = [
  "instance",
  "company",
  "project",
  "project_workspace",
  "agent",
  "issue",
  "goal",
  "run",
] as const;

export type StateScopeKind = (typeof STATE_SCOPE_KINDS)[number];
