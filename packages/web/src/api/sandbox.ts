// A plugin's worker sandbox (GET/PUT /api/plugins/:id/sandbox; host side: packages/server/src/http/plugins/
// sandbox-routes.ts, docs/sandbox.md): the host's isolation, what the running worker may read and write, its memory
// caps, and the operator's grants. Every grant widens the sandbox, so turning one on is acknowledged as a risk; the
// host restarts the worker to apply a change. Keys live under ["plugins", …] so a plugin's invalidation covers them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Iso, PluginStatus } from "./types";

/** In the order the host lists them. */
export const SANDBOX_GRANTS = [
  "childProcess",
  "workerThreads",
  "nativeAddons",
  "wasi",
  "unsandboxed",
] as const;
export type SandboxGrant = (typeof SANDBOX_GRANTS)[number];
export type SandboxGrants = Record<SandboxGrant, boolean>;

export interface HostSandboxStatus {
  enabled: boolean;
  /** How the host's sandbox was switched off (null while on). */
  disabledBy: string | null;
  permissionModel: { flag: string | null; nodeVersion: string; description: string };
  network: {
    mode: "netns" | "userns-netns" | "none" | (string & {});
    isolated: boolean;
    description: string;
  };
}

/** What the running worker has. Empty folder lists while not sandboxed: then it may reach every file. */
export interface WorkerSandboxReport {
  sandboxed: boolean;
  permissionFlag: string | null;
  nodeVersion: string;
  /** maskedFolders: covered by an empty tmpfs in its mount namespace (local UNIX sockets live there). */
  network: { isolated: boolean; mode: string; description: string; maskedFolders: string[] };
  readPaths: string[];
  writePaths: string[];
  dataDir: string;
  grants: SandboxGrants;
  warnings: string[];
}

export interface PluginSandbox {
  pluginId: string;
  pluginKey: string;
  pluginStatus: PluginStatus;
  host: HostSandboxStatus;
  grants: SandboxGrants;
  /** Why each grant is a risk, in the host's words. */
  risks: Record<SandboxGrant, string>;
  updatedBy: string | null;
  updatedAt: Iso | null;
  dataDir: string;
  memory: { limitMb: number; residentLimitMb: number | null; source: "plugin" | "host" };
  /** null: no worker of this plugin runs on this host. */
  worker: WorkerSandboxReport | null;
}

export interface SandboxUpdateResult extends PluginSandbox {
  restarted: boolean;
  restartError: string | null;
}

const sandboxKey = (ref: string) => ["plugins", "sandbox", ref] as const;

export function usePluginSandbox(ref: string) {
  return useQuery({
    queryKey: sandboxKey(ref),
    queryFn: ({ signal }) => api.get<PluginSandbox>(`/plugins/${seg(ref)}/sandbox`, undefined, signal),
  });
}

/** Change grants (others keep their value); `acknowledgeRisks` must be true to turn one on. */
export function useUpdateSandboxGrants(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { grants: Partial<SandboxGrants>; acknowledgeRisks?: boolean }) =>
      api.put<SandboxUpdateResult>(`/plugins/${seg(ref)}/sandbox`, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(sandboxKey(ref), saved);
      // The restart changes the worker (pid, status) and may put the plugin in error.
      void queryClient.invalidateQueries({ queryKey: queryKeys.plugins.detail(ref) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.plugins.dashboard(ref) });
      void queryClient.invalidateQueries({ queryKey: ["plugins", "list"] });
    },
  });
}
