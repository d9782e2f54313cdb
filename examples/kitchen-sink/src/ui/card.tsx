// The labelled card every Kitchen Sink component renders: its slot or launcher kind as `data-testid="ks-<kind>"`
// and each piece of host context it received in an element tests can find (`ks-companyId`, `ks-entityId`, …).
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui";
import { useHostContext } from "@paperclipai/plugin-sdk/ui";
import type { CSSProperties, ReactNode } from "react";

/** Mount props: slots get `{ slot, context }`, launcher surfaces get `{ launcher, context }`. */
export interface KitchenSinkProps {
  context?: PluginHostContext | null;
  slot?: { id?: string; type?: string } | null;
  launcher?: { id?: string } | null;
}

/** What a null context value renders as. */
export const NONE = "—";

/** The context from the mount props, else the one the host bridge provides. */
export function useKitchenSinkContext(props: KitchenSinkProps): PluginHostContext {
  const host = useHostContext();
  return props.context ?? host;
}

export const styles = {
  card: {
    border: "1px solid rgba(127, 127, 127, 0.35)",
    borderRadius: 8,
    padding: 12,
    display: "grid",
    gap: 8,
    fontSize: 13,
    lineHeight: 1.4,
  },
  header: { display: "flex", alignItems: "baseline", gap: 8, flexWrap: "wrap" },
  fields: { display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 12px", margin: 0 },
  term: { opacity: 0.7 },
  value: { margin: 0, fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", wordBreak: "break-all" },
  button: {
    border: "1px solid rgba(127, 127, 127, 0.5)",
    borderRadius: 6,
    padding: "4px 10px",
    background: "transparent",
    color: "inherit",
    font: "inherit",
    cursor: "pointer",
  },
  row: { display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" },
  // Present for tests and screen readers, invisible in tight spots (toolbars, menus, the sidebar).
  visuallyHidden: {
    position: "absolute",
    width: 1,
    height: 1,
    margin: -1,
    padding: 0,
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
    border: 0,
  },
} satisfies Record<string, CSSProperties>;

function show(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? NONE : value;
}

/** The context fields; the render environment ones only inside a launcher surface. */
export function ContextFields({ context, hidden = false }: { context: PluginHostContext; hidden?: boolean }) {
  const environment = context.renderEnvironment ?? null;
  const fields: Array<[string, string | null | undefined]> = [
    ["companyId", context.companyId],
    ["companyPrefix", context.companyPrefix],
    ["entityType", context.entityType],
    ["entityId", context.entityId],
    ["parentEntityId", context.parentEntityId],
    ["projectId", context.projectId],
    ["userId", context.userId],
  ];
  if (environment) {
    fields.push(
      ["environment", environment.environment],
      ["bounds", environment.bounds],
      ["launcherId", environment.launcherId],
    );
  }
  return (
    <dl style={hidden ? styles.visuallyHidden : styles.fields}>
      {fields.map(([name, value]) => (
        <div key={name} style={{ display: "contents" }}>
          <dt style={styles.term}>{name}</dt>
          <dd style={styles.value} data-testid={`ks-${name}`}>
            {show(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export interface CardProps {
  /** Slot type or launcher surface: the root gets `data-testid="ks-<kind>"`. */
  kind: string;
  context: PluginHostContext;
  title?: string;
  /** Tight placements hide the context fields visually (they stay in the DOM). */
  compact?: boolean;
  children?: ReactNode;
}

export function Card({ kind, context, title, compact = false, children }: CardProps) {
  if (compact) {
    return (
      <span data-testid={`ks-${kind}`} data-plugin="paperclip.kitchen-sink" style={{ position: "relative" }}>
        {children}
        <ContextFields context={context} hidden />
      </span>
    );
  }
  return (
    <section
      data-testid={`ks-${kind}`}
      data-plugin="paperclip.kitchen-sink"
      aria-label={`Kitchen Sink ${kind}`}
      style={styles.card}
    >
      <header style={styles.header}>
        <strong>{title ?? "Kitchen Sink"}</strong>
        <code>{kind}</code>
      </header>
      <ContextFields context={context} />
      {children}
    </section>
  );
}

/** Pretty JSON of a bridge result, for round-trip checks. */
export function JsonResult({ testId, value }: { testId: string; value: unknown }) {
  return (
    <pre data-testid={testId} style={{ ...styles.value, whiteSpace: "pre-wrap", fontSize: 12 }}>
      {value === undefined ? NONE : JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function errorText(error: unknown): string {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}
