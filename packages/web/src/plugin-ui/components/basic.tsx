// Small shared components for plugin UIs: Spinner, StatusBadge, MetricCard (with sparkline), KeyValueList,
// LogView and TimeseriesChart (an SVG line/bar chart). Tailwind, light and dark.
import type {
  KeyValueListProps,
  LogViewProps,
  MetricCardProps,
  SpinnerProps,
  StatusBadgeProps,
  StatusBadgeVariant,
  TimeseriesChartProps,
} from "@paperclipai/plugin-sdk/ui";
import { useEffect, useRef } from "react";
import { cn } from "./cn.js";

const SPINNER_SIZES = { sm: "size-3.5 border-2", md: "size-5 border-2", lg: "size-8 border-[3px]" } as const;

export function Spinner({ size = "md", label = "Loading" }: SpinnerProps) {
  return (
    <span role="status" aria-label={label} className="inline-flex items-center gap-2 text-zinc-500">
      <span
        aria-hidden="true"
        className={cn(
          "inline-block animate-spin rounded-full border-zinc-300 border-t-zinc-700 dark:border-zinc-700 dark:border-t-zinc-200",
          SPINNER_SIZES[size] ?? SPINNER_SIZES.md,
        )}
      />
    </span>
  );
}

export const BADGE_TONES: Record<StatusBadgeVariant, string> = {
  ok: "bg-emerald-100 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/15 dark:text-emerald-300",
  warning: "bg-amber-100 text-amber-800 ring-amber-600/20 dark:bg-amber-500/15 dark:text-amber-300",
  error: "bg-red-100 text-red-800 ring-red-600/20 dark:bg-red-500/15 dark:text-red-300",
  info: "bg-sky-100 text-sky-800 ring-sky-600/20 dark:bg-sky-500/15 dark:text-sky-300",
  pending: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-500/15 dark:text-zinc-300",
};

export function StatusBadge({ label, status }: StatusBadgeProps) {
  return (
    <span
      data-status={status}
      className={cn(
        "inline-flex items-center rounded-full px-2 py-0.5 font-medium text-xs ring-1 ring-inset",
        BADGE_TONES[status] ?? BADGE_TONES.pending,
      )}
    >
      {label}
    </span>
  );
}

function Sparkline({ values }: { values: number[] }) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length < 2) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const points = finite
    .map((value, index) => `${(index / (finite.length - 1)) * 100},${28 - ((value - min) / span) * 26}`)
    .join(" ");
  return (
    <svg viewBox="0 0 100 30" preserveAspectRatio="none" className="h-8 w-full" aria-hidden="true">
      <polyline
        points={points}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

export function MetricCard({ label, value, trend, sparkline, unit }: MetricCardProps) {
  const arrow = trend ? { up: "↑", down: "↓", flat: "→" }[trend.direction] : null;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</div>
      <div className="mt-1 flex items-baseline gap-1">
        <span className="font-semibold text-2xl text-zinc-900 tabular-nums dark:text-zinc-50">{value}</span>
        {unit ? <span className="text-sm text-zinc-500">{unit}</span> : null}
        {trend ? (
          <span
            className={cn(
              "ml-2 text-xs font-medium",
              trend.direction === "up" && "text-emerald-600 dark:text-emerald-400",
              trend.direction === "down" && "text-red-600 dark:text-red-400",
              trend.direction === "flat" && "text-zinc-500",
            )}
          >
            {arrow}
            {trend.percentage !== undefined ? ` ${Math.abs(trend.percentage)}%` : ""}
          </span>
        ) : null}
      </div>
      {sparkline && sparkline.length > 1 ? (
        <div className="mt-2 text-sky-600 dark:text-sky-400">
          <Sparkline values={sparkline} />
        </div>
      ) : null}
    </div>
  );
}

export function KeyValueList({ pairs }: KeyValueListProps) {
  return (
    <dl className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
      {pairs.map((pair, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries may repeat and are only ever appended.
        <div key={`${pair.label}-${index}`} className="grid grid-cols-3 gap-4 py-2">
          <dt className="font-medium text-zinc-500 dark:text-zinc-400">{pair.label}</dt>
          <dd className="col-span-2 break-words text-zinc-900 dark:text-zinc-100">{pair.value}</dd>
        </div>
      ))}
    </dl>
  );
}

const LEVEL_TONES = {
  debug: "text-zinc-400",
  info: "text-sky-600 dark:text-sky-400",
  warn: "text-amber-600 dark:text-amber-400",
  error: "text-red-600 dark:text-red-400",
} as const;

export function LogView({ entries, maxHeight = "400px", autoScroll = false, loading }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = scroller.current;
    if (autoScroll && element && entries.length > 0) element.scrollTop = element.scrollHeight;
  }, [autoScroll, entries.length]);
  return (
    <div
      ref={scroller}
      role="log"
      style={{ maxHeight }}
      className="overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950"
    >
      {entries.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: entries may repeat and are only ever appended.
        <div key={`${entry.timestamp}-${index}`} className="flex gap-2 whitespace-pre-wrap py-0.5">
          <time className="shrink-0 text-zinc-400" dateTime={entry.timestamp}>
            {formatTime(entry.timestamp)}
          </time>
          <span className={cn("w-10 shrink-0 uppercase", LEVEL_TONES[entry.level] ?? LEVEL_TONES.info)}>
            {entry.level}
          </span>
          <span className="text-zinc-800 dark:text-zinc-200">
            {entry.message}
            {entry.meta && Object.keys(entry.meta).length > 0 ? (
              <span className="ml-2 text-zinc-500">{JSON.stringify(entry.meta)}</span>
            ) : null}
          </span>
        </div>
      ))}
      {loading ? (
        <div className="py-1">
          <Spinner size="sm" />
        </div>
      ) : entries.length === 0 ? (
        <div className="py-1 text-zinc-500">No log entries.</div>
      ) : null}
    </div>
  );
}

function formatTime(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : date.toLocaleTimeString();
}

export function TimeseriesChart({
  data,
  title,
  yLabel,
  type = "line",
  height = 200,
  loading,
}: TimeseriesChartProps) {
  const points = data.filter((point) => Number.isFinite(point.value));
  const max = Math.max(0, ...points.map((point) => point.value));
  const min = Math.min(0, ...points.map((point) => point.value));
  const span = max - min || 1;
  const width = 600;
  const y = (value: number) => height - 20 - ((value - min) / span) * (height - 30);
  const x = (index: number) =>
    points.length <= 1 ? width / 2 : 40 + (index / (points.length - 1)) * (width - 50);
  return (
    <figure className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
      {title ? (
        <figcaption className="mb-2 font-medium text-sm text-zinc-700 dark:text-zinc-200">{title}</figcaption>
      ) : null}
      {loading ? (
        <div className="flex items-center justify-center" style={{ height }}>
          <Spinner />
        </div>
      ) : points.length === 0 ? (
        <div className="flex items-center justify-center text-sm text-zinc-500" style={{ height }}>
          No data
        </div>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          className="w-full text-sky-600 dark:text-sky-400"
          style={{ height }}
          role="img"
          aria-label={title ?? yLabel ?? "Chart"}
        >
          <text x="4" y="12" className="fill-zinc-500 text-[10px]">
            {max}
          </text>
          <text x="4" y={height - 20} className="fill-zinc-500 text-[10px]">
            {min}
          </text>
          {yLabel ? (
            <text x="4" y={height / 2} className="fill-zinc-500 text-[10px]">
              {yLabel}
            </text>
          ) : null}
          <line x1="40" x2={width} y1={y(0)} y2={y(0)} className="stroke-zinc-300 dark:stroke-zinc-700" />
          {type === "bar" ? (
            points.map((point, index) => {
              const barWidth = Math.max(2, (width - 50) / points.length - 4);
              const top = Math.min(y(point.value), y(0));
              return (
                <rect
                  // biome-ignore lint/suspicious/noArrayIndexKey: points may share a timestamp; the series is positional.
                  key={`${point.timestamp}-${index}`}
                  x={x(index) - barWidth / 2}
                  y={top}
                  width={barWidth}
                  height={Math.abs(y(point.value) - y(0))}
                  fill="currentColor"
                >
                  <title>{`${point.label ?? point.timestamp}: ${point.value}`}</title>
                </rect>
              );
            })
          ) : (
            <polyline
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              points={points.map((point, index) => `${x(index)},${y(point.value)}`).join(" ")}
            />
          )}
        </svg>
      )}
    </figure>
  );
}
