// A small hand-drawn SVG bar chart (no chart library): grouped or stacked bars per category, a y axis with
// round ticks, hover/focus tooltips, a legend, and the same numbers as a visually hidden table for screen
// readers. Used by the dashboard (issues per day) and meant for the costs page (spend per day or per agent).

import { type ReactNode, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";

export interface BarSeries {
  /** Property of each datum holding this series' value. */
  key: string;
  label: string;
  /** Any CSS colour; theme tokens read best: "var(--chart-1)". */
  color: string;
}

export interface BarChartProps<T> {
  data: readonly T[];
  series: readonly BarSeries[];
  /** Full category label (tooltip, table): "Dec 4". */
  label: (datum: T, index: number) => string;
  /**
   * Axis label under a bar, or null to leave it out. Defaults to `label`; for many bars use `everyNth(n)`,
   * which labels the last bar and every n-th one before it, so labels never collide.
   */
  tick?: (datum: T, index: number) => string | null;
  /** The chart's accessible name: what it shows. */
  title: string;
  height?: number;
  stacked?: boolean;
  formatValue?: (value: number) => string;
  /** Y-axis labels (default: formatValue), e.g. whole dollars on the axis and cents in the tooltip. */
  formatTick?: (value: number) => string;
  /** Ticks at whole numbers only (counts). Default true. */
  integer?: boolean;
  legend?: boolean;
  className?: string;
  /** Shown over the plot when every value is zero. */
  emptyMessage?: ReactNode;
}

/** A `tick` function labelling the last category and every n-th one counting back from it. */
export function everyNth<T>(n: number, format: (datum: T) => string, count: number) {
  return (datum: T, index: number): string | null => ((count - 1 - index) % n === 0 ? format(datum) : null);
}

const MARGIN = { top: 8, right: 4, bottom: 22, left: 4 };

/** 0 and 3–5 round steps covering `max` (1-2-5 progression). */
export function niceTicks(max: number, integer: boolean, target = 4): number[] {
  const top = max > 0 ? max : integer ? target : 1;
  const rough = top / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const residual = rough / magnitude;
  let step = (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let value = 0; value < top + step; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (value >= top) break;
  }
  return ticks;
}

function readValue(datum: unknown, key: string): number {
  const value = (datum as Record<string, unknown>)[key];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** A rectangle with rounded top corners as a path (bars grow from the baseline). */
function topRoundedRect(x: number, y: number, width: number, height: number, radius: number): string {
  const r = Math.max(0, Math.min(radius, width / 2, height));
  return `M${x},${y + height}V${y + r}Q${x},${y} ${x + r},${y}H${x + width - r}Q${x + width},${y} ${x + width},${y + r}V${y + height}Z`;
}

export function BarChart<T>({
  data,
  series,
  label,
  tick,
  title,
  height = 200,
  stacked = false,
  formatValue = formatNumber,
  formatTick,
  integer = true,
  legend = true,
  className,
  emptyMessage,
}: BarChartProps<T>) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [active, setActive] = useState<number | null>(null);
  const titleId = useId();

  useLayoutEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.round(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const { ticks, maxValue, allZero } = useMemo(() => {
    let max = 0;
    for (const datum of data) {
      const values = series.map((s) => readValue(datum, s.key));
      const top = stacked ? values.reduce((sum, v) => sum + v, 0) : Math.max(0, ...values);
      max = Math.max(max, top);
    }
    const computed = niceTicks(max, integer);
    return { ticks: computed, maxValue: computed[computed.length - 1] ?? 1, allZero: max === 0 };
  }, [data, series, stacked, integer]);

  const tickText = formatTick ?? formatValue;
  const axisLabelWidth = Math.max(...ticks.map((t) => tickText(t).length)) * 6.5 + 8;
  const left = MARGIN.left + axisLabelWidth;
  const plotWidth = Math.max(0, width - left - MARGIN.right);
  const plotHeight = Math.max(0, height - MARGIN.top - MARGIN.bottom);
  const band = data.length > 0 ? plotWidth / data.length : 0;
  const groupWidth = band * (data.length > 20 ? 0.8 : 0.64);
  const barWidth = stacked ? groupWidth : Math.max(1, (groupWidth - (series.length - 1) * 2) / series.length);
  const y = (value: number) => MARGIN.top + plotHeight - (value / maxValue) * plotHeight;
  const tickOf = tick ?? label;

  const activeDatum = active !== null ? data[active] : undefined;
  // The tooltip sits beside the hovered column, on the side with more room, so it never hides the bars.
  const tooltipOnRight = active !== null && left + band * (active + 0.5) < width / 2;
  const tooltipX = active !== null ? left + band * (tooltipOnRight ? active + 1 : active) : 0;

  return (
    <figure className={cn("relative m-0", className)} aria-labelledby={titleId}>
      <figcaption id={titleId} className="sr-only">
        {title}
      </figcaption>
      {legend && series.length > 1 ? (
        <ul className="mb-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden className="size-2.5 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={containerRef} className="relative w-full" style={{ height }}>
        {width > 0 ? (
          <svg
            width={width}
            height={height}
            role="img"
            className="block overflow-visible select-none"
            onMouseLeave={() => setActive(null)}
          >
            <title>{title}</title>
            {ticks.map((value) => (
              <g key={value}>
                <line
                  x1={left}
                  x2={width - MARGIN.right}
                  y1={y(value)}
                  y2={y(value)}
                  style={{ stroke: "var(--chart-grid)" }}
                  strokeDasharray={value === 0 ? undefined : "3 3"}
                />
                <text
                  x={left - 8}
                  y={y(value)}
                  dy="0.32em"
                  textAnchor="end"
                  className="fill-muted-foreground text-[10px] tabular-nums"
                >
                  {tickText(value)}
                </text>
              </g>
            ))}
            {data.map((datum, index) => {
              const x0 = left + band * index + (band - groupWidth) / 2;
              const xTick = tickOf(datum, index);
              let stackBase = 0;
              const key = label(datum, index);
              return (
                <g key={key}>
                  {active === index ? (
                    <rect
                      x={left + band * index + 1}
                      y={MARGIN.top}
                      width={Math.max(0, band - 2)}
                      height={plotHeight}
                      rx={4}
                      className="fill-muted"
                    />
                  ) : null}
                  {series.map((s, seriesIndex) => {
                    const value = readValue(datum, s.key);
                    if (value <= 0) return null;
                    const barX = stacked ? x0 : x0 + seriesIndex * (barWidth + 2);
                    const top = y(stackBase + value);
                    const bottom = y(stackBase);
                    if (stacked) stackBase += value;
                    const isTop =
                      !stacked ||
                      series.slice(seriesIndex + 1).every((next) => readValue(datum, next.key) <= 0);
                    return (
                      <path
                        key={s.key}
                        d={topRoundedRect(barX, top, barWidth, Math.max(1, bottom - top), isTop ? 3 : 0)}
                        style={{ fill: s.color }}
                      />
                    );
                  })}
                  {xTick ? (
                    <text
                      x={left + band * (index + 0.5)}
                      y={height - 6}
                      textAnchor="middle"
                      className="fill-muted-foreground text-[10px] tabular-nums"
                    >
                      {xTick}
                    </text>
                  ) : null}
                  {/* hit area: the whole column */}
                  {/* biome-ignore lint/a11y/noStaticElementInteractions: pointer-only affordance; the data is also in the table below */}
                  <rect
                    x={left + band * index}
                    y={MARGIN.top}
                    width={band}
                    height={plotHeight}
                    fill="transparent"
                    onMouseEnter={() => setActive(index)}
                  />
                </g>
              );
            })}
          </svg>
        ) : null}
        {allZero && emptyMessage ? (
          <div className="pointer-events-none absolute inset-0 flex items-center justify-center pb-6 text-xs text-muted-foreground">
            <span className="rounded-md bg-background/80 px-2 py-1">{emptyMessage}</span>
          </div>
        ) : null}
        {activeDatum !== undefined && active !== null ? (
          <div
            aria-hidden
            className={cn(
              "pointer-events-none absolute z-10 min-w-32 rounded-lg border bg-popover px-2.5 py-2 text-xs whitespace-nowrap text-popover-foreground shadow-md",
              tooltipOnRight ? "ml-1.5" : "-ml-1.5 -translate-x-full",
            )}
            style={{ left: tooltipX, top: MARGIN.top }}
          >
            <div className="mb-1 font-medium">{label(activeDatum, active)}</div>
            {series.map((s) => (
              <div key={s.key} className="flex items-center gap-2">
                <span className="size-2 rounded-sm" style={{ background: s.color }} />
                <span className="text-muted-foreground">{s.label}</span>
                <span className="ml-auto pl-3 font-medium tabular-nums">
                  {formatValue(readValue(activeDatum, s.key))}
                </span>
              </div>
            ))}
          </div>
        ) : null}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((datum, index) => (
            <tr key={label(datum, index)}>
              <th scope="row">{label(datum, index)}</th>
              {series.map((s) => (
                <td key={s.key}>{formatValue(readValue(datum, s.key))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
