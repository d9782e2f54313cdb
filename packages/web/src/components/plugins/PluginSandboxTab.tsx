// The Sandbox tab: how this plugin's worker is confined (docs/sandbox.md) — sandboxed or not, its network isolation,
// the folders it may read and write, its memory caps — and the operator's grants. Each grant lifts one limit, so it
// is shown as a risk and turned on only after a confirmation; the host restarts the worker to apply a change.
import {
  Box,
  Cpu,
  FolderLock,
  Network,
  RefreshCw,
  Shield,
  ShieldAlert,
  ShieldCheck,
  ShieldOff,
  TriangleAlert,
} from "lucide-react";
import { type ReactNode, useState } from "react";
import {
  type PluginSandbox,
  SANDBOX_GRANTS,
  type SandboxGrant,
  usePluginSandbox,
  useUpdateSandboxGrants,
} from "@/api/sandbox";
import {
  Badge,
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  ConfirmDialog,
  CopyButton,
  EmptyState,
  IconButton,
  QueryView,
  RelativeTime,
  Skeleton,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";

/** How each grant reads on the board; the risk text itself comes from the host. */
const GRANT_LABELS: Record<SandboxGrant, { title: string; what: string }> = {
  childProcess: { title: "Child processes", what: "child_process: spawn, exec and fork other programs" },
  workerThreads: { title: "Worker threads", what: "worker_threads: run more JavaScript threads" },
  nativeAddons: { title: "Native addons", what: "process.dlopen and .node modules" },
  wasi: { title: "WASI", what: "node:wasi: WebAssembly with system access" },
  unsandboxed: { title: "No sandbox at all", what: "the last resort for a plugin that cannot run sandboxed" },
};

export function PluginSandboxTab({ pluginId }: { pluginId: string }) {
  const sandbox = usePluginSandbox(pluginId);
  return (
    <QueryView
      query={sandbox}
      loading={
        <div className="grid gap-4 lg:grid-cols-2">
          <Skeleton className="h-56 w-full rounded-xl" />
          <Skeleton className="h-56 w-full rounded-xl" />
          <Skeleton className="h-72 w-full rounded-xl lg:col-span-2" />
        </div>
      }
      errorTitle="Could not load the sandbox"
    >
      {(data) => (
        <div className="grid gap-4 lg:grid-cols-2">
          <WarningsCard data={data} />
          <IsolationCard data={data} refresh={() => void sandbox.refetch()} refreshing={sandbox.isFetching} />
          <FoldersCard data={data} />
          <GrantsCard data={data} pluginId={pluginId} />
        </div>
      )}
    </QueryView>
  );
}

// ── what the operator should know first ───────────────────────────────────────────────────────────────

function WarningsCard({ data }: { data: PluginSandbox }) {
  const warnings = data.worker?.warnings ?? hostWarnings(data);
  if (warnings.length === 0) return null;
  const off = data.worker ? !data.worker.sandboxed : !data.host.enabled || data.grants.unsandboxed;
  return (
    <Card
      className={cn("lg:col-span-2", off ? "border-destructive/30" : "border-amber-500/40")}
      role="region"
      aria-labelledby="sandbox-warnings"
    >
      <CardHeader>
        <TriangleAlert
          aria-hidden
          className={cn("size-4 shrink-0", off ? "text-destructive" : "text-amber-600 dark:text-amber-400")}
        />
        <CardTitle id="sandbox-warnings">{off ? "Not sandboxed" : "Sandbox warnings"}</CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="grid list-disc gap-1 pl-5 text-sm text-muted-foreground">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}

/** Without a running worker: what the host's own status says about every worker. */
function hostWarnings(data: PluginSandbox): string[] {
  const warnings: string[] = [];
  if (!data.host.enabled)
    warnings.push(`The sandbox is switched off for every plugin (${data.host.disabledBy}).`);
  else if (!data.host.network.isolated)
    warnings.push(`No network isolation: ${data.host.network.description}.`);
  return warnings;
}

// ── isolation summary ─────────────────────────────────────────────────────────────────────────────────

function IsolationCard({
  data,
  refresh,
  refreshing,
}: {
  data: PluginSandbox;
  refresh: () => void;
  refreshing: boolean;
}) {
  const worker = data.worker;
  const sandboxed = worker ? worker.sandboxed : data.host.enabled && !data.grants.unsandboxed;
  const isolated = worker ? worker.network.isolated : data.host.enabled && data.host.network.isolated;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Isolation</CardTitle>
        <CardAction>
          <IconButton
            label="Refresh the sandbox"
            icon={<RefreshCw className={refreshing ? "animate-spin" : undefined} />}
            size="icon-sm"
            onClick={refresh}
          />
        </CardAction>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-2.5 text-sm">
          <Row label="Sandbox">
            {sandboxed ? (
              <Badge tone="success">
                <ShieldCheck aria-hidden />
                Sandboxed
              </Badge>
            ) : (
              <Badge tone="danger">
                <ShieldOff aria-hidden />
                Not sandboxed
              </Badge>
            )}
            {worker ? null : <span className="ml-2 text-muted-foreground">(its next start)</span>}
          </Row>
          <Row label="Permissions">
            {(worker?.permissionFlag ?? data.host.permissionModel.flag) ? (
              <>
                <span className="font-mono text-xs">
                  {worker?.permissionFlag ?? data.host.permissionModel.flag}
                </span>
                <span className="text-muted-foreground"> · Node {data.host.permissionModel.nodeVersion}</span>
              </>
            ) : (
              <span className="text-muted-foreground">
                None: Node {data.host.permissionModel.nodeVersion}
              </span>
            )}
          </Row>
          <Row label="Network">
            {isolated ? (
              <Badge tone="success">
                <Network aria-hidden />
                Own namespace
              </Badge>
            ) : (
              <Badge tone="warning">
                <Network aria-hidden />
                Shares the host's
              </Badge>
            )}
            <p className="mt-1 text-xs text-muted-foreground">
              {isolated
                ? "No sockets of its own: ctx.http.fetch through the host is its only way out."
                : (worker?.network.description ?? data.host.network.description)}
            </p>
            {worker?.network.maskedFolders.length ? (
              <p className="mt-1 text-xs text-muted-foreground">
                Local sockets hidden in{" "}
                <span className="font-mono">{worker.network.maskedFolders.join(", ")}</span>
              </p>
            ) : null}
          </Row>
          <Row label="Memory cap">
            {data.memory.limitMb > 0 ? (
              <>
                {data.memory.limitMb} MB heap
                {data.memory.residentLimitMb ? ` · ${data.memory.residentLimitMb} MB process` : ""}
                <span className="text-muted-foreground">
                  {" "}
                  · {data.memory.source === "plugin" ? "this plugin's setting" : "host default"}
                </span>
              </>
            ) : (
              <span className="text-muted-foreground">No cap</span>
            )}
          </Row>
          <Row label="Data folder">
            <span className="flex min-w-0 items-start gap-1">
              <span className="min-w-0 font-mono text-xs break-all">{data.dataDir}</span>
              <CopyButton value={data.dataDir} label="Copy the data folder path" iconOnly size="icon-sm" />
            </span>
          </Row>
        </dl>
      </CardContent>
    </Card>
  );
}

// ── folders ───────────────────────────────────────────────────────────────────────────────────────────

function FoldersCard({ data }: { data: PluginSandbox }) {
  const worker = data.worker;
  return (
    <Card>
      <CardHeader>
        <div className="min-w-0 flex-1">
          <CardTitle>Folders</CardTitle>
          <CardDescription>
            What the running worker may read and write; everything else is refused.
          </CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        {!worker ? (
          <EmptyState
            compact
            icon={<FolderLock />}
            title="No worker running on this host"
            description="Its folders are listed while its worker runs. Enable the plugin to start it."
          />
        ) : !worker.sandboxed ? (
          <EmptyState
            compact
            icon={<ShieldOff />}
            title="No file-system limits"
            description="Without the sandbox the worker may read and write every file the host's user can."
          />
        ) : (
          <div className="grid gap-4 text-sm">
            <FolderList title="May read" folders={worker.readPaths} />
            <FolderList title="May write" folders={worker.writePaths} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function FolderList({ title, folders }: { title: string; folders: string[] }) {
  return (
    <div>
      <p className="mb-1.5 text-xs font-medium text-muted-foreground">
        {title} <span className="tabular-nums">({folders.length})</span>
      </p>
      <ul className="grid gap-1 rounded-md bg-muted/60 p-2.5">
        {folders.map((folder) => (
          <li key={folder} className="font-mono text-xs break-all">
            {folder}
          </li>
        ))}
      </ul>
    </div>
  );
}

// ── grants ────────────────────────────────────────────────────────────────────────────────────────────

function GrantsCard({ data, pluginId }: { data: PluginSandbox; pluginId: string }) {
  const update = useUpdateSandboxGrants(pluginId, { silent: true });
  const [confirming, setConfirming] = useState<SandboxGrant | null>(null);
  const granted = SANDBOX_GRANTS.filter((grant) => data.grants[grant]).length;

  const apply = async (grant: SandboxGrant, on: boolean) => {
    const result = await update.mutateAsync({ grants: { [grant]: on }, acknowledgeRisks: on });
    const name = GRANT_LABELS[grant].title;
    if (result.restartError) {
      toast.error(
        `${name} ${on ? "granted" : "revoked"}, but the worker did not restart`,
        result.restartError,
      );
    } else {
      toast.success(
        `${name} ${on ? "granted" : "revoked"}${result.restarted ? "; the worker restarted with it" : "; applies at its next start"}`,
      );
    }
  };
  const revoke = (grant: SandboxGrant) => {
    apply(grant, false).catch((error) => toast.error("Could not change the grant", error));
  };

  return (
    <Card className="lg:col-span-2">
      <CardHeader className="border-b">
        <div className="min-w-0 flex-1">
          <CardTitle>Grants</CardTitle>
          <CardDescription>
            Each grant lifts one limit of the sandbox for this plugin only. Grant only what a plugin you trust
            needs; the worker restarts to apply a change.
          </CardDescription>
        </div>
        <CardAction className="text-xs text-muted-foreground">
          {data.updatedAt ? (
            <span>
              Changed <RelativeTime date={data.updatedAt} />
              {data.updatedBy ? ` by ${data.updatedBy}` : ""}
            </span>
          ) : (
            <Badge tone="neutral">Nothing granted</Badge>
          )}
        </CardAction>
      </CardHeader>
      <CardContent className="pt-2">
        <ul className="divide-y" aria-label={`Sandbox grants, ${granted} on`}>
          {SANDBOX_GRANTS.map((grant) => {
            const on = data.grants[grant];
            const severe = grant === "unsandboxed" || grant === "nativeAddons" || grant === "childProcess";
            return (
              <li key={grant} className="flex items-start gap-4 py-3.5">
                <GrantIcon grant={grant} on={on} />
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="text-sm font-medium" id={`grant-${grant}`}>
                      {GRANT_LABELS[grant].title}
                    </span>
                    {on ? (
                      <Badge tone={severe ? "danger" : "warning"}>Granted</Badge>
                    ) : (
                      <Badge tone="neutral">Not granted</Badge>
                    )}
                  </div>
                  <p className="mt-0.5 text-xs text-muted-foreground">{GRANT_LABELS[grant].what}</p>
                  <p
                    className={cn(
                      "mt-2 flex items-start gap-1.5 rounded-md px-2.5 py-1.5 text-xs",
                      on
                        ? "bg-amber-500/12 text-amber-800 dark:text-amber-300"
                        : "bg-muted/60 text-muted-foreground",
                    )}
                  >
                    <ShieldAlert aria-hidden className="mt-px size-3.5 shrink-0" />
                    <span>
                      <span className="font-medium">Risk: </span>
                      {data.risks[grant]}
                    </span>
                  </p>
                </div>
                <Toggle
                  checked={on}
                  disabled={update.isPending}
                  labelledBy={`grant-${grant}`}
                  onChange={(next) => (next ? setConfirming(grant) : revoke(grant))}
                />
              </li>
            );
          })}
        </ul>
      </CardContent>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
        title={confirming ? `Grant “${GRANT_LABELS[confirming].title}” to ${data.pluginKey}?` : ""}
        description={confirming ? data.risks[confirming] : undefined}
        confirmLabel="Grant and restart"
        destructive
        onConfirm={() => (confirming ? apply(confirming, true) : undefined)}
      >
        <p className="text-sm text-muted-foreground">
          The plugin's worker restarts now with this grant. You can revoke it here at any time.
        </p>
      </ConfirmDialog>
    </Card>
  );
}

function GrantIcon({ grant, on }: { grant: SandboxGrant; on: boolean }) {
  const icon =
    grant === "unsandboxed" ? (
      <ShieldOff />
    ) : grant === "nativeAddons" ? (
      <Cpu />
    ) : grant === "wasi" ? (
      <Box />
    ) : (
      <Shield />
    );
  return (
    <div
      aria-hidden
      className={cn(
        "mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-lg border [&_svg]:size-4",
        on
          ? "border-amber-500/40 bg-amber-500/12 text-amber-700 dark:text-amber-300"
          : "bg-muted/50 text-muted-foreground",
      )}
    >
      {icon}
    </div>
  );
}

/** An on/off switch (role="switch"): the board has no switch component yet. */
function Toggle({
  checked,
  disabled,
  labelledBy,
  onChange,
}: {
  checked: boolean;
  disabled?: boolean;
  labelledBy: string;
  onChange: (next: boolean) => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-labelledby={labelledBy}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={cn(
        "relative mt-1 inline-flex h-5 w-9 shrink-0 cursor-pointer items-center rounded-full border transition-colors",
        "focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background focus-visible:outline-none",
        "disabled:cursor-not-allowed disabled:opacity-50",
        checked ? "border-amber-600 bg-amber-500" : "border-border bg-input dark:bg-muted",
      )}
    >
      <span
        aria-hidden
        className={cn(
          "inline-block size-3.5 rounded-full bg-background shadow-sm transition-transform",
          checked ? "translate-x-[18px]" : "translate-x-[2px]",
        )}
      />
    </button>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[7.5rem_1fr] gap-3">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
