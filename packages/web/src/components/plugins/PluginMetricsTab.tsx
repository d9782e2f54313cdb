// The Metrics tab: how busy, slow, failing and heavy this plugin is on this node (GET /api/plugins/:id/metrics,
// docs/observability.md) — figures since the host started, and small charts of the last 30 minutes (one sample per
// interval, by default): calls per second, p50/p95 latency, errors and restarts, worker memory, event lag. Prometheus scrapes the
// same numbers from /metrics for longer history and alerts.
import { Activity, AlertTriangle, Clock, Cpu, Gauge, RotateCcw } from "lucide-react";
import type { ReactNode } from "react";
import { type PluginMetricsCurrent, type PluginMetricsSample, usePluginMetrics } from "@/api/plugin-metrics";
import { BarChart, everyNth } from "@/components/charts/BarChart";
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  QueryView,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";

const MB = 1024 * 1024;

/** One chart point: a sample with the numbers the charts draw. */
interface Point {
  at: number;
  callsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  restarts: number;
  memoryMb: number;
  eventLagSeconds: number;
}

function pointsOf(history: readonly PluginMetricsSample[]): Point[] {
  return history.map((sample, index) => ({
    at: sample.at,
    callsPerSecond: sample.callsPerSecond,
    p50Ms: sample.p50Ms ?? 0,
    p95Ms: sample.p95Ms ?? 0,
    errors: sample.errors,
    // Restarts during the interval (the sample holds the count so far).
    restarts: index === 0 ? 0 : Math.max(0, sample.restarts - history[index - 1]!.restarts),
    memoryMb: sample.rssBytes === null ? 0 : sample.rssBytes / MB,
    eventLagSeconds: sample.eventLagSeconds,
  }));
}

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const clockWithSeconds = (at: number) =>
  new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const decimal = (digits: number) => (value: number) =>
  value.toLocaleString(undefined, { maximumFractionDigits: digits });
/** "10 s", "0.5 s", "30 minutes". */
const duration = (ms: number) =>
  ms >= 120_000 ? `${decimal(0)(ms / 60_000)} minutes` : `${decimal(1)(ms / 1000)} s`;

export function PluginMetricsTab({ pluginId }: { pluginId: string }) {
  const metrics = usePluginMetrics(pluginId);
  return (
    <QueryView
      query={metrics}
      loading={<MetricsSkeleton />}
      errorTitle="Could not load the plugin's metrics"
      isEmpty={(data) => !data.enabled}
      empty={
        <Card>
          <EmptyState
            icon={<Gauge />}
            title="Metrics are off on this host"
            description="The host was started with PAPERCLIP_METRICS=off: nothing is counted and /metrics does not answer."
          />
        </Card>
      }
    >
      {(data) =>
        data.enabled ? (
          <div className="grid gap-4">
            <Figures current={data.current} />
            {data.current.calls === 0 && data.history.every((sample) => sample.callsPerSecond === 0) ? (
              <Card>
                <EmptyState
                  icon={<Activity />}
                  title="No traffic yet"
                  description={`Charts fill in once the host calls this plugin's worker (bridge actions, jobs, events, webhooks): one sample every ${duration(data.sampleIntervalMs)}, the last ${duration(data.historyMs)} kept.`}
                />
              </Card>
            ) : (
              <Charts points={pointsOf(data.history)} intervalMs={data.sampleIntervalMs} />
            )}
            <MethodsCard methods={data.current.methods} />
          </div>
        ) : null
      }
    </QueryView>
  );
}

function Figures({ current }: { current: PluginMetricsCurrent }) {
  const failed = current.errors + current.timeouts;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
      <Figure
        icon={<Activity />}
        label="Calls"
        value={formatNumber(current.calls)}
        detail={`${decimal(2)(current.callsPerSecond)} per second now`}
      />
      <Figure
        icon={<AlertTriangle />}
        label="Failed calls"
        value={formatNumber(failed)}
        detail={`${formatNumber(current.timeouts)} timed out · ${formatNumber(current.jobRuns.failed)} failed job runs`}
        tone={failed > 0 ? "warning" : undefined}
      />
      <Figure
        icon={<RotateCcw />}
        label="Restarts"
        value={formatNumber(current.restarts)}
        detail={current.workerUp ? "worker running" : "worker not running on this node"}
        tone={current.workerUp ? (current.restarts > 0 ? "warning" : undefined) : "danger"}
      />
      <Figure
        icon={<Cpu />}
        label="Memory"
        value={current.rssBytes === null ? "—" : `${decimal(1)(current.rssBytes / MB)} MB`}
        detail={
          current.cpuSeconds === null ? "not measured" : `${decimal(1)(current.cpuSeconds)} s CPU since start`
        }
      />
      <Figure
        icon={<Clock />}
        label="Event lag"
        value={`${decimal(1)(current.eventLagSeconds)} s`}
        detail={`${formatNumber(current.eventBacklog)} behind · ${formatNumber(current.deadLetters)} dead letters`}
        tone={current.deadLetters > 0 ? "warning" : undefined}
      />
    </div>
  );
}

function Figure({
  icon,
  label,
  value,
  detail,
  tone,
}: {
  icon: ReactNode;
  label: string;
  value: string;
  detail: string;
  tone?: "warning" | "danger";
}) {
  return (
    <div className="min-w-0 rounded-xl border bg-card p-4 shadow-xs">
      <div className="flex items-center gap-2 text-muted-foreground">
        <span className="text-sm font-medium">{label}</span>
        <span
          aria-hidden
          className={cn(
            "ml-auto flex size-7 items-center justify-center rounded-md bg-muted/70 [&_svg]:size-4",
            tone === "warning" && "bg-amber-500/12 text-amber-600 dark:text-amber-400",
            tone === "danger" && "bg-red-500/12 text-red-600 dark:text-red-400",
          )}
        >
          {icon}
        </span>
      </div>
      <div className="mt-1 text-2xl font-semibold tracking-tight tabular-nums">{value}</div>
      <div className="mt-1 truncate text-xs text-muted-foreground" title={detail}>
        {detail}
      </div>
    </div>
  );
}

function Charts({ points, intervalMs }: { points: Point[]; intervalMs: number }) {
  // About six axis labels whatever the number of samples; with seconds when they span less than five minutes.
  const span = points.length > 1 ? points[points.length - 1]!.at - points[0]!.at : 0;
  const axisClock = span < 300_000 ? clockWithSeconds : clock;
  const tick = everyNth<Point>(
    Math.max(1, Math.ceil(points.length / 6)),
    (point) => axisClock(point.at),
    points.length,
  );
  const common = {
    data: points,
    label: (point: Point) => clockWithSeconds(point.at),
    tick,
    height: 120,
  };
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        title="Calls per second"
        description={`Host→worker calls, averaged over ${duration(intervalMs)}`}
      >
        <BarChart
          {...common}
          title="Calls per second"
          series={[{ key: "callsPerSecond", label: "Calls/s", color: "var(--chart-1)" }]}
          integer={false}
          formatValue={decimal(2)}
          legend={false}
          emptyMessage="No calls in this window"
        />
      </ChartCard>
      <ChartCard title="Latency" description="p50 and p95 of each interval's calls, in milliseconds">
        <BarChart
          {...common}
          title="Latency p50 and p95 (ms)"
          series={[
            { key: "p50Ms", label: "p50", color: "var(--chart-2)" },
            { key: "p95Ms", label: "p95", color: "var(--chart-4)" },
          ]}
          integer={false}
          formatValue={(value) => `${decimal(1)(value)} ms`}
          formatTick={decimal(0)}
          emptyMessage="No calls to time yet"
        />
      </ChartCard>
      <ChartCard
        title="Errors and restarts"
        description="Failed or timed-out calls, and worker restarts, per interval"
      >
        <BarChart
          {...common}
          title="Errors and restarts per interval"
          series={[
            { key: "errors", label: "Failed calls", color: "var(--chart-3)" },
            { key: "restarts", label: "Restarts", color: "var(--chart-5)" },
          ]}
          emptyMessage="No errors or restarts in this window"
        />
      </ChartCard>
      <ChartCard title="Memory" description="Resident memory of the worker process, in MB">
        <BarChart
          {...common}
          title="Worker memory (MB)"
          series={[{ key: "memoryMb", label: "Memory", color: "var(--chart-1)" }]}
          integer={false}
          formatValue={(value) => `${decimal(1)(value)} MB`}
          formatTick={decimal(0)}
          legend={false}
          emptyMessage="The worker was not running"
        />
      </ChartCard>
      <ChartCard
        title="Event lag"
        description="Age of the oldest event not yet delivered to the plugin, in seconds"
        className="lg:col-span-2"
      >
        <BarChart
          {...common}
          title="Event lag (s)"
          series={[{ key: "eventLagSeconds", label: "Lag", color: "var(--chart-2)" }]}
          integer={false}
          formatValue={(value) => `${decimal(1)(value)} s`}
          legend={false}
          emptyMessage="Events reached the plugin without delay"
        />
      </ChartCard>
    </div>
  );
}

function ChartCard({
  title,
  description,
  className,
  children,
}: {
  title: string;
  description: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Card className={className}>
      <CardHeader>
        <div>
          <CardTitle>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

function MethodsCard({ methods }: { methods: PluginMetricsCurrent["methods"] }) {
  if (methods.length === 0) return null;
  const sorted = [...methods].sort((a, b) => b.calls - a.calls);
  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <div>
          <CardTitle>Calls by method</CardTitle>
          <CardDescription>Since the host started, on this node</CardDescription>
        </div>
      </CardHeader>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Method</TableHead>
            <TableHead className="text-right">Calls</TableHead>
            <TableHead className="text-right">Errors</TableHead>
            <TableHead className="text-right">Timeouts</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sorted.map((row) => (
            <TableRow key={row.method}>
              <TableCell className="font-mono text-sm">{row.method}</TableCell>
              <TableCell className="text-right tabular-nums">{formatNumber(row.calls)}</TableCell>
              <TableCell
                className={cn(
                  "text-right tabular-nums",
                  row.errors > 0 && "text-amber-700 dark:text-amber-400",
                )}
              >
                {formatNumber(row.errors)}
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatNumber(row.timeouts)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

function MetricsSkeleton() {
  return (
    <div className="grid gap-4" role="status" aria-label="Loading metrics">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5">
        {[0, 1, 2, 3, 4].map((key) => (
          <Card key={key} className="p-4">
            <Skeleton className="h-3.5 w-20" />
            <Skeleton className="mt-3 h-7 w-14" />
            <Skeleton className="mt-2.5 h-3 w-28" />
          </Card>
        ))}
      </div>
      <Skeleton className="h-40 w-full" />
    </div>
  );
}
