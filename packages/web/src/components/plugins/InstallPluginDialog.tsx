// "Install plugin": from an npm spec or a folder on the host's machine. The host's install progress stream is
// shown line by line while it runs; a failure shows the host's exact message (and npm's output when there is
// some); a success links to the new plugin, whose status keeps updating in the list behind the dialog.
import { ArrowRight, FolderOpen, Package, ShieldCheck } from "lucide-react";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { errorMessage, isApiError } from "@/api/client";
import { type PluginDetail, useInstallPlugin, usePluginExamples } from "@/api/plugins";
import { type InstallPolicy, useInstallPolicy } from "@/api/supply-chain";
import { paths } from "@/app/paths";
import {
  Badge,
  Button,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  Input,
  Tabs,
  TabsContent,
  TabsList,
  TabsTrigger,
} from "@/components/ui";
import { PluginStatusBadge } from "./PluginStatus";
import { ProgressLog } from "./ProgressLog";

type Source = "npm" | "local";

export function InstallPluginDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [source, setSource] = useState<Source>("npm");
  const [spec, setSpec] = useState("");
  const [version, setVersion] = useState("");
  const [folder, setFolder] = useState("");
  const [lines, setLines] = useState<string[]>([]);
  const install = useInstallPlugin();
  const examples = usePluginExamples();
  const policy = useInstallPolicy();
  const running = install.isPending;
  const installed: PluginDetail | undefined = install.data;

  const reset = () => {
    install.reset();
    setLines([]);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const packageName = (source === "npm" ? spec : folder).trim();
    if (!packageName || running) return;
    setLines([]);
    install.mutate({
      packageName,
      version: source === "npm" ? version.trim() || undefined : undefined,
      isLocalPath: source === "local",
      onProgress: (line) => setLines((previous) => [...previous, line]),
    });
  };

  const close = (next: boolean) => {
    if (running) return; // the install goes on server-side; keep its progress in view until it ends
    onOpenChange(next);
    if (!next) {
      reset();
      setSpec("");
      setVersion("");
      setFolder("");
    }
  };

  const showProgress = running || install.isError || install.isSuccess;
  const builtExamples = (examples.data ?? []).filter((example) => example.hasBuiltEntrypoints);

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent
        width="lg"
        hideClose={running}
        onEscapeKeyDown={(event) => running && event.preventDefault()}
      >
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Install a plugin</DialogTitle>
            <DialogDescription>
              The host fetches the package, checks its manifest and starts its worker. New plugins get the
              capabilities their manifest declares.
            </DialogDescription>
          </DialogHeader>
          <DialogBody>
            {policy.data?.allowedScopes ? <AllowedScopes policy={policy.data} /> : null}
            <Tabs
              value={source}
              onValueChange={(value) => {
                setSource(value as Source);
                if (!running) reset();
              }}
            >
              <TabsList aria-label="Install from">
                <TabsTrigger value="npm" disabled={running}>
                  <Package aria-hidden />
                  npm package
                </TabsTrigger>
                <TabsTrigger value="local" disabled={running}>
                  <FolderOpen aria-hidden />
                  Local folder
                </TabsTrigger>
              </TabsList>
              <TabsContent value="npm" className="grid gap-3 sm:grid-cols-[1fr_10rem]">
                <Field
                  label="Package"
                  hint="An npm name, optionally with @version or @tag, or a tarball path."
                  required
                >
                  <Input
                    value={spec}
                    onChange={(event) => setSpec(event.target.value)}
                    placeholder="paperclip-plugin-linear"
                    autoComplete="off"
                    spellCheck={false}
                    disabled={running}
                    className="font-mono"
                    autoFocus
                  />
                </Field>
                <Field label="Version" hint="Optional; latest when empty.">
                  <Input
                    value={version}
                    onChange={(event) => setVersion(event.target.value)}
                    placeholder="1.2.0"
                    autoComplete="off"
                    spellCheck={false}
                    disabled={running}
                    className="font-mono"
                  />
                </Field>
              </TabsContent>
              <TabsContent value="local" className="grid gap-3">
                <Field
                  label="Folder path"
                  hint="An absolute path on the host's machine to a built plugin package (its package.json folder). It is used in place."
                  required
                >
                  <Input
                    value={folder}
                    onChange={(event) => setFolder(event.target.value)}
                    placeholder="/home/me/plugins/my-plugin"
                    autoComplete="off"
                    spellCheck={false}
                    disabled={running}
                    className="font-mono"
                  />
                </Field>
                {builtExamples.length > 0 ? (
                  <fieldset>
                    <legend className="mb-1.5 text-xs text-muted-foreground">Bundled examples</legend>
                    <div className="flex flex-wrap gap-1.5">
                      {builtExamples.map((example) => (
                        <Button
                          key={example.pluginKey}
                          type="button"
                          variant="outline"
                          size="sm"
                          disabled={running}
                          onClick={() => setFolder(example.localPath)}
                          aria-label={`Use the ${example.displayName} example folder`}
                        >
                          {example.displayName}
                        </Button>
                      ))}
                    </div>
                  </fieldset>
                ) : null}
              </TabsContent>
            </Tabs>

            {showProgress ? (
              <ProgressLog
                label="Install progress"
                lines={lines.length ? lines : running ? ["Sending the request to the host…"] : []}
                state={running ? "running" : install.isError ? "failed" : "done"}
              />
            ) : null}

            {install.isError ? <InstallError error={install.error} /> : null}

            {installed ? (
              <div
                role="status"
                className="flex flex-wrap items-center gap-2 rounded-lg border border-success/30 bg-success/5 px-3 py-2.5 text-sm"
              >
                <span>
                  Installed <strong>{installed.manifestJson?.displayName || installed.pluginKey}</strong>
                </span>
                <Badge tone="outline" className="font-mono">
                  v{installed.version}
                </Badge>
                <PluginStatusBadge plugin={installed} />
              </div>
            ) : null}
          </DialogBody>
          <DialogFooter>
            {installed ? (
              <>
                <Button type="button" variant="outline" onClick={() => close(false)}>
                  Close
                </Button>
                <Button asChild>
                  <Link to={paths.plugin(installed.id)} onClick={() => close(false)}>
                    Open {installed.manifestJson?.displayName || installed.pluginKey}
                    <ArrowRight aria-hidden />
                  </Link>
                </Button>
              </>
            ) : (
              <>
                <Button type="button" variant="outline" disabled={running} onClick={() => close(false)}>
                  Cancel
                </Button>
                <Button type="submit" loading={running} disabled={!(source === "npm" ? spec : folder).trim()}>
                  {running ? "Installing…" : install.isError ? "Try again" : "Install"}
                </Button>
              </>
            )}
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** The operator's npm scope allow-list: installs (and upgrades) of other packages are refused. */
function AllowedScopes({ policy }: { policy: InstallPolicy }) {
  const scopes = policy.allowedScopes ?? [];
  return (
    <section
      aria-label="Allowed package scopes"
      className="flex items-start gap-2.5 rounded-lg border bg-muted/40 px-3 py-2.5 text-sm"
    >
      <ShieldCheck aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      <div className="grid gap-1.5">
        <p>This host installs plugin packages from these npm scopes only:</p>
        <ul className="flex flex-wrap gap-1.5">
          {scopes.map((scope) => (
            <li key={scope}>
              {scope === policy.unscopedEntry ? (
                <Badge tone="outline">packages without a scope</Badge>
              ) : (
                <Badge tone="outline" className="font-mono">
                  {scope}
                </Badge>
              )}
            </li>
          ))}
        </ul>
        <p className="text-xs text-muted-foreground">
          Tarballs and local folders are checked by the name in their package.json. Set by{" "}
          <span className="font-mono">{policy.setting}</span>.
        </p>
      </div>
    </section>
  );
}

/** The host's message verbatim, then what it attached (npm output, the step that failed). */
function InstallError({ error }: { error: unknown }) {
  const details = isApiError(error) ? (error.details as Record<string, unknown> | undefined) : undefined;
  const npmOutput = Array.isArray(details?.npmOutput) ? (details.npmOutput as unknown[]).map(String) : [];
  const step = typeof details?.step === "string" ? details.step : null;
  const status = isApiError(error) && error.status ? error.status : null;
  let extra: ReactNode = null;
  if (npmOutput.length > 0) {
    extra = (
      <pre className="mt-2 max-h-40 overflow-auto rounded-md bg-background/60 p-2 font-mono text-xs whitespace-pre-wrap scrollbar-thin">
        {npmOutput.join("\n")}
      </pre>
    );
  }
  return (
    <div
      role="alert"
      className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm"
    >
      <p className="font-medium text-destructive">
        Install failed{step ? ` (${step} step)` : ""}
        {status ? <span className="font-normal text-muted-foreground"> · HTTP {status}</span> : null}
      </p>
      <p className="mt-1 break-words font-mono text-xs">{errorMessage(error)}</p>
      {extra}
    </div>
  );
}
