// Lifecycle actions of one plugin — enable (approving a pending upgrade), disable (with a reason), upgrade (with
// progress and the capability diff to approve), uninstall (optionally purging its data) — each behind a
// confirmation. `layout="header"` draws buttons for the plugin page; `layout="menu"` a compact menu for list rows.
import { ArrowUpCircle, EllipsisVertical, ExternalLink, Play, Power, Trash2 } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { errorMessage } from "@/api/client";
import { type PluginDetail, usePluginLifecycle, useUninstallPlugin, useUpgradePlugin } from "@/api/plugins";
import { usePluginCapabilities } from "@/api/supply-chain";
import { paths } from "@/app/paths";
import {
  Badge,
  Button,
  ConfirmDialog,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
  Field,
  IconButton,
  Input,
  Textarea,
  toast,
} from "@/components/ui";
import { CapabilityDiff, diffCapabilities, pendingCapabilities } from "./CapabilityDiff";
import { ProgressLog } from "./ProgressLog";

type Dialogs = "enable" | "disable" | "upgrade" | "uninstall" | null;

const nameOf = (plugin: PluginDetail) => plugin.manifestJson?.displayName || plugin.pluginKey;
const canEnable = (plugin: PluginDetail) => ["disabled", "error", "upgrade_pending"].includes(plugin.status);
const canDisable = (plugin: PluginDetail) => plugin.status === "ready";
const canUpgrade = (plugin: PluginDetail) => ["ready", "upgrade_pending"].includes(plugin.status);

export function PluginActions({ plugin, layout }: { plugin: PluginDetail; layout: "header" | "menu" }) {
  const [open, setOpen] = useState<Dialogs>(null);
  const name = nameOf(plugin);
  const close = (next: boolean) => {
    if (!next) setOpen(null);
  };

  const dialogs = (
    <>
      <EnableDialog plugin={plugin} open={open === "enable"} onOpenChange={close} />
      <DisableDialog plugin={plugin} open={open === "disable"} onOpenChange={close} />
      {open === "upgrade" ? <UpgradeDialog plugin={plugin} onOpenChange={close} /> : null}
      <UninstallDialog plugin={plugin} open={open === "uninstall"} onOpenChange={close} />
    </>
  );

  if (layout === "menu") {
    return (
      <>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <IconButton
              label={`Actions for ${name}`}
              icon={<EllipsisVertical />}
              size="icon-sm"
              tooltip={false}
            />
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem asChild>
              <Link to={paths.plugin(plugin.id)}>
                <ExternalLink aria-hidden />
                Open
              </Link>
            </DropdownMenuItem>
            {canEnable(plugin) ? (
              <DropdownMenuItem onSelect={() => setOpen("enable")}>
                <Play aria-hidden />
                {plugin.status === "upgrade_pending" ? "Review and enable…" : "Enable…"}
              </DropdownMenuItem>
            ) : null}
            {canDisable(plugin) ? (
              <DropdownMenuItem onSelect={() => setOpen("disable")}>
                <Power aria-hidden />
                Disable…
              </DropdownMenuItem>
            ) : null}
            {canUpgrade(plugin) ? (
              <DropdownMenuItem onSelect={() => setOpen("upgrade")}>
                <ArrowUpCircle aria-hidden />
                Upgrade…
              </DropdownMenuItem>
            ) : null}
            <DropdownMenuSeparator />
            <DropdownMenuItem destructive onSelect={() => setOpen("uninstall")}>
              <Trash2 aria-hidden />
              Uninstall…
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
        {dialogs}
      </>
    );
  }

  return (
    <>
      {canEnable(plugin) ? (
        <Button onClick={() => setOpen("enable")}>
          <Play aria-hidden />
          {plugin.status === "upgrade_pending" ? "Review and enable" : "Enable"}
        </Button>
      ) : null}
      {canDisable(plugin) ? (
        <Button variant="outline" onClick={() => setOpen("disable")}>
          <Power aria-hidden />
          Disable
        </Button>
      ) : null}
      {canUpgrade(plugin) ? (
        <Button variant="outline" onClick={() => setOpen("upgrade")}>
          <ArrowUpCircle aria-hidden />
          Upgrade
        </Button>
      ) : null}
      <Button variant="outline" onClick={() => setOpen("uninstall")} className="text-destructive">
        <Trash2 aria-hidden />
        Uninstall
      </Button>
      {dialogs}
    </>
  );
}

interface DialogProps {
  plugin: PluginDetail;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

function EnableDialog({ plugin, open, onOpenChange }: DialogProps) {
  const lifecycle = usePluginLifecycle({ silent: true });
  const pending = plugin.status === "upgrade_pending";
  // Against the approved capabilities (the host's record), not the manifest of a version still waiting.
  const capabilities = usePluginCapabilities(plugin.id, { enabled: open && pending });
  const name = nameOf(plugin);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={pending ? `Approve the upgrade of ${name}?` : `Enable ${name}?`}
      description={
        pending
          ? `Version ${plugin.version} asks for more than the installed version had. Enabling approves these capabilities and starts its worker.`
          : "The host starts its worker; its jobs, webhooks and event subscriptions resume."
      }
      confirmLabel={pending ? "Approve and enable" : "Enable"}
      onConfirm={async () => {
        const record = await lifecycle.mutateAsync({ pluginId: plugin.id, action: "enable" });
        toast.success(`${name} is ${record.status === "ready" ? "enabled" : record.status}`);
      }}
    >
      {pending ? (
        <CapabilityDiff
          change={
            capabilities.data
              ? diffCapabilities(capabilities.data.approved, capabilities.data.requested)
              : pendingCapabilities(plugin.lastError, plugin.manifestJson?.capabilities ?? [])
          }
        />
      ) : null}
    </ConfirmDialog>
  );
}

function DisableDialog({ plugin, open, onOpenChange }: DialogProps) {
  const lifecycle = usePluginLifecycle({ silent: true });
  const [reason, setReason] = useState("");
  const name = nameOf(plugin);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setReason("");
      }}
      title={`Disable ${name}?`}
      description="Its worker stops: no jobs, webhooks or events are handled and its UI disappears until you enable it again. Its data and settings are kept."
      confirmLabel="Disable"
      destructive
      onConfirm={async () => {
        await lifecycle.mutateAsync({
          pluginId: plugin.id,
          action: "disable",
          reason: reason.trim() || undefined,
        });
        toast.success(`${name} is disabled`);
      }}
    >
      <Field label="Reason" hint="Optional. Shown on the plugin while it is disabled.">
        <Textarea
          rows={2}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={2000}
        />
      </Field>
    </ConfirmDialog>
  );
}

function UninstallDialog({ plugin, open, onOpenChange }: DialogProps) {
  const uninstall = useUninstallPlugin({ silent: true });
  const navigate = useNavigate();
  const [purge, setPurge] = useState(false);
  const purgeId = useId();
  const name = nameOf(plugin);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setPurge(false);
      }}
      title={`Uninstall ${name}?`}
      description="Its worker stops and it leaves the plugin list. Without purging, its data, settings and secret bindings are kept and come back if you install it again."
      confirmLabel={purge ? "Uninstall and delete data" : "Uninstall"}
      destructive
      onConfirm={async () => {
        await uninstall.mutateAsync({ pluginId: plugin.id, purge });
        toast.success(purge ? `${name} was uninstalled and its data deleted` : `${name} was uninstalled`);
        navigate(paths.plugins());
      }}
    >
      <div className="flex items-start gap-2.5 rounded-lg border p-3">
        <input
          id={purgeId}
          type="checkbox"
          checked={purge}
          onChange={(event) => setPurge(event.target.checked)}
          aria-describedby={`${purgeId}-hint`}
          className="mt-0.5 size-4 shrink-0 cursor-pointer accent-destructive"
        />
        <div className="grid gap-0.5">
          <label htmlFor={purgeId} className="cursor-pointer text-sm font-medium">
            Also delete its data (purge)
          </label>
          <p id={`${purgeId}-hint`} className="text-xs text-muted-foreground">
            Deletes its state, configs for every company, job runs, webhook deliveries, logs and its database
            tables. This cannot be undone.
          </p>
        </div>
      </div>
    </ConfirmDialog>
  );
}

/**
 * Upgrade with the host's progress stream. The host swaps the package in; when the new version asks for more
 * capabilities the plugin waits in `upgrade_pending` (worker stopped) and this dialog shows the capability
 * diff for approval — "Approve and enable" — or leaves it waiting.
 */
function UpgradeDialog({
  plugin,
  onOpenChange,
}: {
  plugin: PluginDetail;
  onOpenChange: (open: boolean) => void;
}) {
  const upgrade = useUpgradePlugin();
  const lifecycle = usePluginLifecycle({ silent: true });
  const [version, setVersion] = useState("");
  const [lines, setLines] = useState<string[]>([]);
  const [before] = useState(() => plugin.manifestJson?.capabilities ?? []);
  const name = nameOf(plugin);
  const running = upgrade.isPending;
  const result = upgrade.data;
  const awaitingApproval = result?.status === "upgrade_pending";
  // What enabling approves: the host compares with the approved set (a plugin may already wait on an upgrade).
  const capabilities = usePluginCapabilities(plugin.id, { enabled: awaitingApproval });
  const change =
    awaitingApproval && capabilities.data
      ? diffCapabilities(capabilities.data.approved, capabilities.data.requested)
      : diffCapabilities(before, result?.manifestJson?.capabilities ?? []);
  const source = plugin.installSpec?.isLocalPath ? "local folder" : "npm";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLines([]);
    upgrade.mutate({
      pluginId: plugin.id,
      version: version.trim() || undefined,
      onProgress: (line) => setLines((previous) => [...previous, line]),
    });
  };

  const approve = () =>
    lifecycle.mutate(
      { pluginId: plugin.id, action: "enable" },
      {
        onSuccess: () => {
          toast.success(`${name} ${result?.version ?? ""} is approved and enabled`);
          onOpenChange(false);
        },
      },
    );

  return (
    <Dialog open onOpenChange={(next) => !running && !lifecycle.isPending && onOpenChange(next)}>
      <DialogContent width="lg" hideClose={running}>
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Upgrade {name}</DialogTitle>
            <DialogDescription>
              Installed: <span className="font-mono">v{plugin.version}</span> from {source}
              {plugin.installSpec?.packageName ? (
                <>
                  {" "}
                  (<span className="font-mono break-all">{plugin.installSpec.packageName}</span>)
                </>
              ) : null}
              . If the new version asks for more capabilities, it waits for your approval here before it runs.
            </DialogDescription>
          </DialogHeader>
          <DialogBody>
            {!result ? (
              <Field
                label="Version"
                hint={
                  plugin.installSpec?.isLocalPath
                    ? "Local folders are re-read as they are now; leave empty."
                    : "An exact version or a tag; latest when empty."
                }
              >
                <Input
                  value={version}
                  onChange={(event) => setVersion(event.target.value)}
                  placeholder="latest"
                  className="font-mono"
                  disabled={running}
                  autoComplete="off"
                  spellCheck={false}
                />
              </Field>
            ) : null}
            {running || upgrade.isError || result ? (
              <ProgressLog
                label="Upgrade progress"
                lines={lines.length ? lines : running ? ["Sending the request to the host…"] : []}
                state={running ? "running" : upgrade.isError ? "failed" : "done"}
              />
            ) : null}
            {upgrade.isError ? (
              <p
                role="alert"
                className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm"
              >
                <span className="font-medium text-destructive">Upgrade failed: </span>
                <span className="font-mono text-xs break-words">{errorMessage(upgrade.error)}</span>
              </p>
            ) : null}
            {result ? (
              <div className="grid gap-3 rounded-lg border p-3">
                <p className="text-sm">
                  {awaitingApproval ? (
                    <>
                      Version <span className="font-mono">v{result.version}</span> is installed and{" "}
                      <Badge tone="warning">waits for approval</Badge>: its worker stays stopped until you
                      approve.
                    </>
                  ) : (
                    <>
                      Upgraded to <span className="font-mono">v{result.version}</span>; it is{" "}
                      {result.status === "ready" ? "running" : result.status}.
                    </>
                  )}
                </p>
                <CapabilityDiff change={change} />
                {lifecycle.isError ? (
                  <p role="alert" className="text-sm text-destructive">
                    {errorMessage(lifecycle.error)}
                  </p>
                ) : null}
              </div>
            ) : null}
          </DialogBody>
          <DialogFooter>
            {result ? (
              awaitingApproval ? (
                <>
                  <Button
                    type="button"
                    variant="outline"
                    onClick={() => onOpenChange(false)}
                    disabled={lifecycle.isPending}
                  >
                    Not now
                  </Button>
                  <Button type="button" onClick={approve} loading={lifecycle.isPending}>
                    Approve and enable
                  </Button>
                </>
              ) : (
                <Button type="button" onClick={() => onOpenChange(false)}>
                  Done
                </Button>
              )
            ) : (
              <>
                <Button
                  type="button"
                  variant="outline"
                  onClick={() => onOpenChange(false)}
                  disabled={running}
                >
                  Cancel
                </Button>
                <Button type="submit" loading={running}>
                  {upgrade.isError ? "Try again" : "Upgrade"}
                </Button>
              </>
            )}
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
