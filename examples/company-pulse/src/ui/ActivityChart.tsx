// Issues created and closed per day as grouped bars, in plain SVG. Colors come from the board's chart tokens
// (CSS variables that switch with light and dark), with fallbacks for a host that does not define them.
import type { DayActivity } from "./types.js";

export const COLORS = {
  created: "var(--chart-1, #3b82f6)",
  closed: "var(--chart-2, #22c55e)",
  grid: "var(--chart-grid, rgba(127, 127, 127, 0.25))",
  label: "var(--muted-foreground, rgba(127, 127, 127, 0.95))",
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Dec 4" for `2026-12-04`. */
export function shortDate(date: string): string {
  const [, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${MONTHS[month - 1]} ${day}`;
}

/** The smallest of 4, 8, 10, 20, 40, 50, 100, … at or above `value`: round gridlines at 0, ½ and the top. */
function axisTop(value: number): number {
  let step = 4;
  for (;;) {
    for (const candidate of [step, step * 2, step * 2.5]) if (candidate >= value) return candidate;
    step *= 10;
  }
}

interface ChartProps {
  days: DayActivity[];
  /** `full`: axis labels and gridlines (dashboard). `compact`: bars only (sidebar). */
  variant?: "full" | "compact";
}

export function ActivityChart({ days, variant = "full" }: ChartProps) {
  const full = variant === "full";
  const width = full ? 460 : 220;
  const height = full ? 180 : 56;
  const margin = full ? { top: 8, right: 4, bottom: 22, left: 26 } : { top: 2, right: 0, bottom: 2, left: 0 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const top = axisTop(Math.max(1, ...days.map((day) => Math.max(day.created, day.closed))));
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(days.length, 1);
  const barWidth = Math.max(2, slot * (full ? 0.3 : 0.34));
  const created = days.reduce((sum, day) => sum + day.created, 0);
  const closed = days.reduce((sum, day) => sum + day.closed, 0);
  const label = `Issues per day, ${shortDate(days[0]?.date ?? "")} to ${shortDate(days.at(-1)?.date ?? "")}: ${created} created, ${closed} closed`;

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={label}
      data-testid={`pulse-chart-${variant}`}
      style={{ display: "block", overflow: "visible", fontFamily: "inherit" }}
    >
      {full &&
        [0, top / 2, top].map((tick) => (
          <g key={tick}>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={COLORS.grid} />
            <text
              x={margin.left - 6}
              y={y(tick)}
              dy="0.32em"
              textAnchor="end"
              fontSize={11}
              fill={COLORS.label}
            >
              {tick}
            </text>
          </g>
        ))}
      {!full && <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke={COLORS.grid} />}
      {days.map((day, index) => {
        const center = margin.left + slot * index + slot / 2;
        const bars: Array<[keyof typeof COLORS, number, number]> = [
          ["created", day.created, center - barWidth - 0.5],
          ["closed", day.closed, center + 0.5],
        ];
        return (
          <g key={day.date} data-date={day.date}>
            <title>{`${shortDate(day.date)}: ${day.created} created, ${day.closed} closed`}</title>
            {/* The whole day column answers the tooltip, not only the bars. */}
            <rect x={center - slot / 2} y={margin.top} width={slot} height={plotHeight} fill="transparent" />
            {bars.map(([kind, value, x]) =>
              value > 0 ? (
                <rect
                  key={kind}
                  x={x}
                  y={y(value)}
                  width={barWidth}
                  height={y(0) - y(value)}
                  rx={full ? 2 : 1}
                  fill={COLORS[kind]}
                />
              ) : null,
            )}
            {full && index % 2 === (days.length - 1) % 2 && (
              <text x={center} y={height - 6} textAnchor="middle" fontSize={11} fill={COLORS.label}>
                {shortDate(day.date)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
