// The Overview tab of a plugin: runtime (worker status, pid, uptime, restarts), health checks, the last error
// with the worker's stderr tail, the manifest summary and the capabilities it was granted.
import { CircleCheck, CircleX, RefreshCw, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { isSettling, type PluginDetail, usePluginDashboard } from "@/api/plugins";
import {
  Badge,
  Card,
  CardAction,
  CardContent,
  CardHeader,
  CardTitle,
  IconButton,
  QueryView,
  RelativeTime,
  Skeleton,
  StatusBadge,
} from "@/components/ui";
import { formatDateTime, humanize } from "@/lib/format";
import { formatDuration } from "./format";

export function PluginOverview({ plugin }: { plugin: PluginDetail }) {
  const dashboard = usePluginDashboard(plugin.id, { settling: isSettling(plugin) });
  const manifest = plugin.manifestJson ?? ({} as PluginDetail["manifestJson"]);
  const declared = {
    jobs: arrayLength(manifest.jobs),
    webhooks: arrayLength(manifest.webhooks),
    tools: arrayLength(manifest.tools),
    slots: arrayLength((manifest.ui as { slots?: unknown } | undefined)?.slots),
  };
  const worker = dashboard.data?.worker ?? null;
  const stderr = worker?.stderrTail ?? [];
  const errorText = plugin.lastError || worker?.lastError || null;

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {errorText || (plugin.warnings?.length ?? 0) > 0 ? (
        <Card
          className="border-destructive/30 lg:col-span-2"
          role="region"
          aria-labelledby="plugin-last-error"
        >
          <CardHeader>
            <TriangleAlert aria-hidden className="size-4 shrink-0 text-destructive" />
            <CardTitle id="plugin-last-error">
              {plugin.status === "disabled" ? "Disabled" : errorText ? "Last error" : "Warnings"}
            </CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3 text-sm">
            {errorText ? <p className="break-words font-mono text-xs">{errorText}</p> : null}
            {plugin.warnings?.length ? (
              <ul className="grid list-disc gap-1 pl-5 text-muted-foreground">
                {plugin.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            ) : null}
            {stderr.length > 0 ? (
              <div>
                <p className="mb-1 text-xs font-medium text-muted-foreground">
                  Worker stderr (last {stderr.length} lines)
                </p>
                <pre
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
                  tabIndex={0}
                  className="max-h-56 overflow-auto rounded-md bg-muted/60 p-2.5 font-mono text-xs leading-5 whitespace-pre-wrap scrollbar-thin"
                >
                  {stderr.join("\n")}
                </pre>
              </div>
            ) : null}
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Runtime</CardTitle>
          <CardAction>
            <IconButton
              label="Refresh runtime and health"
              icon={<RefreshCw className={dashboard.isFetching ? "animate-spin" : undefined} />}
              size="icon-sm"
              onClick={() => void dashboard.refetch()}
            />
          </CardAction>
        </CardHeader>
        <CardContent>
          <QueryView query={dashboard} loading={<RowsSkeleton rows={6} />} compact>
            {(data) => (
              <dl className="grid gap-2.5 text-sm">
                <Row label="Worker">
                  {data.worker ? (
                    <StatusBadge kind="worker" status={data.worker.status} />
                  ) : (
                    <span className="text-muted-foreground">Not running on this host</span>
                  )}
                </Row>
                <Row label="Process id">
                  <span className="font-mono">{data.worker?.pid ?? "—"}</span>
                </Row>
                <Row label="Uptime">
                  {data.worker?.uptime != null ? formatDuration(data.worker.uptime) : "—"}
                </Row>
                <Row label="Restarts">
                  {data.worker ? (
                    <>
                      {data.worker.totalCrashes} in total
                      {data.worker.consecutiveCrashes > 0 ? (
                        <span className="text-muted-foreground">
                          {" "}
                          · {data.worker.consecutiveCrashes} in a row
                        </span>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </Row>
                {data.worker?.lastCrashAt ? (
                  <Row label="Last crash">
                    <RelativeTime date={new Date(data.worker.lastCrashAt)} />
                    {data.worker.lastExitCode !== null || data.worker.lastSignal ? (
                      <span className="text-muted-foreground">
                        {" "}
                        ·{" "}
                        {data.worker.lastSignal
                          ? `signal ${data.worker.lastSignal}`
                          : `exit code ${data.worker.lastExitCode}`}
                      </span>
                    ) : null}
                  </Row>
                ) : null}
                {data.worker?.nextRestartAt ? (
                  <Row label="Next restart">{formatDateTime(data.worker.nextRestartAt)}</Row>
                ) : null}
                {data.worker?.heapLimitMb ? (
                  <Row label="Memory cap">{data.worker.heapLimitMb} MB heap</Row>
                ) : null}
                <Row label="Checked">
                  <RelativeTime date={data.checkedAt} />
                </Row>
              </dl>
            )}
          </QueryView>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Health</CardTitle>
          {dashboard.data ? (
            <CardAction>
              <Badge tone={dashboard.data.health.healthy ? "success" : "danger"}>
                {dashboard.data.health.healthy ? "Healthy" : "Unhealthy"}
              </Badge>
            </CardAction>
          ) : null}
        </CardHeader>
        <CardContent>
          <QueryView query={dashboard} loading={<RowsSkeleton rows={6} />} compact>
            {(data) => (
              <ul className="grid gap-2">
                {data.health.checks.map((check) => (
                  <li key={check.name} className="flex items-start gap-2.5 text-sm">
                    {check.passed ? (
                      <CircleCheck aria-label="Passed" className="mt-0.5 size-4 shrink-0 text-success" />
                    ) : (
                      <CircleX aria-label="Failed" className="mt-0.5 size-4 shrink-0 text-destructive" />
                    )}
                    <span className="w-24 shrink-0 font-medium">{humanize(check.name)}</span>
                    <span className="min-w-0 break-words text-muted-foreground">{check.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Manifest</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-2.5 text-sm">
            <Row label="Key">
              <span className="font-mono">{plugin.pluginKey}</span>
            </Row>
            <Row label="Version">
              <span className="font-mono">v{plugin.version}</span>
              <span className="text-muted-foreground"> · plugin API {plugin.apiVersion}</span>
            </Row>
            <Row label="Package">
              <span className="font-mono break-all">{plugin.packageName}</span>
            </Row>
            <Row label="Source">
              {plugin.packagePath ? (
                <>
                  Local folder{" "}
                  <span className="font-mono break-all text-muted-foreground">{plugin.packagePath}</span>
                </>
              ) : (
                "npm"
              )}
            </Row>
            {manifest.author ? <Row label="Author">{manifest.author}</Row> : null}
            <Row label="Installed">
              <RelativeTime date={plugin.installedAt} />
            </Row>
            <Row label="Declares">
              {[
                plural(declared.jobs, "job"),
                plural(declared.webhooks, "webhook"),
                plural(declared.tools, "tool"),
                plural(declared.slots, "UI slot"),
              ].join(" · ")}
            </Row>
            {plugin.categories.length ? (
              <Row label="Categories">
                <span className="flex flex-wrap gap-1">
                  {plugin.categories.map((category) => (
                    <Badge key={category} tone="outline">
                      {humanize(category)}
                    </Badge>
                  ))}
                </span>
              </Row>
            ) : null}
          </dl>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Capabilities</CardTitle>
          <CardAction>
            <span className="text-xs text-muted-foreground">
              {manifest.capabilities?.length ?? 0} granted
            </span>
          </CardAction>
        </CardHeader>
        <CardContent>
          {manifest.capabilities?.length ? (
            <ul className="flex flex-wrap gap-1.5">
              {manifest.capabilities.map((capability) => (
                <li key={capability}>
                  <Badge className="font-mono">{capability}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted-foreground">This plugin asks for no capabilities.</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function arrayLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[7.5rem_1fr] gap-3">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function RowsSkeleton({ rows }: { rows: number }) {
  return (
    <div className="grid gap-3">
      {Array.from({ length: rows }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={index} className="h-4 w-full" />
      ))}
    </div>
  );
}
