// The two surfaces: a dashboard widget (figures, the full chart and a legend) and a sidebar panel (a compact
// chart under two figures). Both read `issue-activity` for the viewer's time zone through usePluginData.
import { usePluginData } from "@paperclipai/plugin-sdk/ui";
import type { CSSProperties } from "react";
import { ActivityChart, COLORS } from "./ActivityChart.js";
import type { IssueActivity } from "./types.js";

const muted = "var(--muted-foreground, rgba(127, 127, 127, 0.95))";

const styles = {
  widget: { display: "grid", gap: 14, color: "var(--foreground, inherit)", fontSize: 13 },
  figures: { display: "grid", gridTemplateColumns: "repeat(3, minmax(0, 1fr))", gap: 12, margin: 0 },
  figure: { display: "grid", gap: 2, margin: 0 },
  figureValue: {
    margin: 0,
    fontSize: 22,
    fontWeight: 600,
    lineHeight: 1.1,
    fontVariantNumeric: "tabular-nums",
  },
  figureLabel: { display: "flex", alignItems: "center", gap: 6, color: muted, fontSize: 12 },
  swatch: { width: 8, height: 8, borderRadius: 2, flex: "none" },
  footer: { display: "flex", justifyContent: "space-between", gap: 8, color: muted, fontSize: 11 },
  panel: { display: "grid", gap: 6, color: "var(--foreground, inherit)" },
  panelHeader: { display: "flex", alignItems: "baseline", justifyContent: "space-between", gap: 6 },
  panelTitle: { fontWeight: 600, fontSize: 12 },
  panelFigures: { display: "flex", gap: 10, color: muted, fontSize: 11, fontVariantNumeric: "tabular-nums" },
  state: { color: muted, fontSize: 12, margin: 0 },
  retry: {
    border: "1px solid var(--border, rgba(127, 127, 127, 0.4))",
    borderRadius: 6,
    padding: "2px 8px",
    background: "transparent",
    color: "inherit",
    font: "inherit",
    cursor: "pointer",
  },
} satisfies Record<string, CSSProperties>;

function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function useIssueActivity() {
  return usePluginData<IssueActivity>("issue-activity", { timeZone: viewerTimeZone() });
}

function Swatch({ color }: { color: string }) {
  return <span aria-hidden style={{ ...styles.swatch, background: color }} />;
}

function LoadState({
  loading,
  error,
  refresh,
}: {
  loading: boolean;
  error: { message: string } | null;
  refresh: () => void;
}) {
  if (error) {
    return (
      <p
        role="alert"
        style={{ ...styles.state, display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}
      >
        Could not load issue activity: {error.message}
        <button type="button" style={styles.retry} onClick={refresh}>
          Retry
        </button>
      </p>
    );
  }
  return <p style={styles.state}>{loading ? "Loading issue activity…" : "No activity yet."}</p>;
}

export function CompanyPulseWidget() {
  const { data, loading, error, refresh } = useIssueActivity();
  if (!data) return <LoadState loading={loading} error={error} refresh={refresh} />;
  const figures: Array<[string, number, string | null]> = [
    ["Created", data.totals.created, COLORS.created],
    ["Closed", data.totals.closed, COLORS.closed],
    ["Open now", data.open, null],
  ];
  return (
    <div style={styles.widget} data-testid="pulse-widget">
      <dl style={styles.figures}>
        {figures.map(([label, value, color]) => (
          <div key={label} style={styles.figure}>
            <dt style={styles.figureLabel}>
              {color && <Swatch color={color} />}
              {label}
            </dt>
            <dd style={styles.figureValue} data-testid={`pulse-${label.toLowerCase().replace(" ", "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <ActivityChart days={data.days} />
      <div style={styles.footer}>
        <span>Last {data.days.length} days · issues created and closed per day</span>
        <span>{data.timeZone}</span>
      </div>
    </div>
  );
}

export function CompanyPulsePanel() {
  const { data, loading, error, refresh } = useIssueActivity();
  return (
    <div style={styles.panel} data-testid="pulse-panel">
      <div style={styles.panelHeader}>
        <span style={styles.panelTitle}>Pulse</span>
        <span style={{ color: muted, fontSize: 11 }}>{data ? `${data.days.length} days` : ""}</span>
      </div>
      {data ? (
        <>
          <ActivityChart days={data.days} variant="compact" />
          <div style={styles.panelFigures}>
            <span style={styles.figureLabel}>
              <Swatch color={COLORS.created} />
              {data.totals.created} created
            </span>
            <span style={styles.figureLabel}>
              <Swatch color={COLORS.closed} />
              {data.totals.closed} closed
            </span>
          </div>
        </>
      ) : (
        <LoadState loading={loading} error={error} refresh={refresh} />
      )}
    </div>
  );
}
