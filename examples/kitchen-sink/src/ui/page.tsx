// The Kitchen Sink page (`/:companyPrefix/kitchen-sink`): data and action round trips, the live `counter`
// stream, the job/webhook/event counters kept in plugin state, and the notes table.
import {
  DataTable,
  KeyValueList,
  MarkdownBlock,
  MetricCard,
  StatusBadge,
  usePluginAction,
  usePluginData,
  usePluginStream,
} from "@paperclipai/plugin-sdk/ui";
import { useEffect, useState } from "react";
import {
  Card,
  errorText,
  JsonResult,
  type KitchenSinkProps,
  NONE,
  styles,
  useKitchenSinkContext,
} from "./card.js";

/** How often the page renews its counter stream; the worker closes a company's stream after 15 s without. */
export const COUNTER_KEEPALIVE_MS = 5_000;

interface Overview {
  companyId: string;
  issuesCreated: number;
  lastIssue: { id: string | null; title: string | null; at: string } | null;
  notes: number;
  jobTicks: number;
  lastTick: { runId: string; trigger: string; at: string } | null;
  webhookDeliveries: number;
  lastWebhook: { requestId: string; receivedAt: string; body: unknown } | null;
  counter: { streaming: boolean; value: number | null };
}

interface Note {
  id: string;
  text: string;
  createdAt: string;
  actor: string;
}

interface CounterEvent {
  companyId: string;
  value: number;
  at: string;
}

const INTRO = `This page belongs to the **Kitchen Sink** example plugin. It shows:

- a data round trip (\`usePluginData("overview")\`) and an action round trip (\`usePluginAction("add-note")\`),
- the live \`counter\` stream the worker emits every second (\`usePluginStream("counter")\`),
- what the worker keeps in plugin state: issues created, \`tick\` job runs and \`ping\` webhook deliveries.`;

/** Keeps the company's counter stream open while mounted (the worker emits only for companies that asked). */
function useCounterStream(companyId: string | null) {
  const start = usePluginAction("counter.start");
  const stop = usePluginAction("counter.stop");
  const stream = usePluginStream<CounterEvent>("counter", companyId ? { companyId } : undefined);
  const [startError, setStartError] = useState<string | null>(null);
  useEffect(() => {
    if (!companyId) return undefined;
    const renew = () =>
      start({ companyId }).then(
        () => setStartError(null),
        (error: unknown) => setStartError(errorText(error)),
      );
    void renew();
    const timer = setInterval(renew, COUNTER_KEEPALIVE_MS);
    return () => {
      clearInterval(timer);
      void stop({ companyId }).catch(() => undefined);
    };
  }, [companyId, start, stop]);
  return { ...stream, startError };
}

function CounterSection({ companyId }: { companyId: string | null }) {
  const stream = useCounterStream(companyId);
  const status = stream.connected ? "ok" : stream.connecting ? "pending" : stream.error ? "error" : "info";
  const label = stream.connected
    ? "connected"
    : stream.connecting
      ? "connecting"
      : stream.error
        ? "error"
        : "disconnected";
  return (
    <section id="ks-stream" aria-labelledby="ks-stream-title" style={styles.card}>
      <h3 id="ks-stream-title" style={{ margin: 0 }}>
        Live counter
      </h3>
      <div style={styles.row}>
        <StatusBadge label={label} status={status} />
        <span data-testid="ks-stream-status">{label}</span>
      </div>
      <p style={{ margin: 0 }}>
        Counter: <output data-testid="ks-counter">{stream.lastEvent ? stream.lastEvent.value : NONE}</output>
        {" · "}events received: <span data-testid="ks-counter-events">{stream.events.length}</span>
      </p>
      {stream.error ? <StatusBadge label={stream.error.message} status="error" /> : null}
      {stream.startError ? (
        <StatusBadge label={`counter.start: ${stream.startError}`} status="error" />
      ) : null}
    </section>
  );
}

function OverviewSection() {
  const overview = usePluginData<Overview>("overview");
  const data = overview.data;
  return (
    <section id="ks-overview" aria-labelledby="ks-overview-title" style={styles.card}>
      <div style={styles.row}>
        <h3 id="ks-overview-title" style={{ margin: 0 }}>
          Overview (data round trip)
        </h3>
        <button
          type="button"
          style={styles.button}
          onClick={() => overview.refresh()}
          data-testid="ks-refresh"
        >
          Refresh
        </button>
        {overview.loading ? <span data-testid="ks-overview-loading">loading…</span> : null}
      </div>
      {overview.error ? <StatusBadge label={overview.error.message} status="error" /> : null}
      {data ? (
        <>
          <div style={styles.row}>
            <div data-testid="ks-metric-issues">
              <MetricCard label="Issues created" value={data.issuesCreated} />
            </div>
            <div data-testid="ks-metric-job-ticks">
              <MetricCard label="Job ticks" value={data.jobTicks} />
            </div>
            <div data-testid="ks-metric-webhooks">
              <MetricCard label="Webhook deliveries" value={data.webhookDeliveries} />
            </div>
            <div data-testid="ks-metric-notes">
              <MetricCard label="Notes" value={data.notes} />
            </div>
          </div>
          <KeyValueList
            pairs={[
              { label: "company (worker side)", value: data.companyId },
              { label: "last issue", value: data.lastIssue?.title ?? data.lastIssue?.id ?? NONE },
              {
                label: "last tick",
                value: data.lastTick ? `${data.lastTick.trigger} at ${data.lastTick.at}` : NONE,
              },
              {
                label: "last webhook",
                value: data.lastWebhook
                  ? `${data.lastWebhook.requestId} at ${data.lastWebhook.receivedAt}`
                  : NONE,
              },
            ]}
          />
          <JsonResult testId="ks-overview" value={data} />
        </>
      ) : null}
    </section>
  );
}

function NotesSection() {
  const notes = usePluginData<{ companyId: string; notes: Note[] }>("notes");
  const addNote = usePluginAction("add-note");
  const [text, setText] = useState("");
  const [result, setResult] = useState<unknown>(undefined);
  const submit = () => {
    addNote({ text }).then(
      (note) => {
        setResult(note);
        setText("");
        notes.refresh();
      },
      (error: unknown) => setResult({ error: errorText(error) }),
    );
  };
  const rows = (notes.data?.notes ?? []).map((note) => ({ ...note }) as Record<string, unknown>);
  return (
    <section id="ks-notes" aria-labelledby="ks-notes-title" style={styles.card}>
      <h3 id="ks-notes-title" style={{ margin: 0 }}>
        Notes (action round trip)
      </h3>
      <form
        style={styles.row}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label>
          Note{" "}
          <input
            value={text}
            onChange={(event) => setText(event.target.value)}
            data-testid="ks-note-input"
            maxLength={500}
          />
        </label>
        <button type="submit" style={styles.button} data-testid="ks-note-add">
          Add note
        </button>
      </form>
      {result === undefined ? null : <JsonResult testId="ks-action-result" value={result} />}
      <div data-testid="ks-notes-table">
        <DataTable
          columns={[
            { key: "text", header: "Note" },
            { key: "actor", header: "By" },
            { key: "createdAt", header: "Added" },
          ]}
          rows={rows}
          loading={notes.loading && !notes.data}
          emptyMessage="No notes yet"
        />
      </div>
    </section>
  );
}

function LaunchersSection() {
  const ping = usePluginAction("launcher-ping");
  const [result, setResult] = useState<unknown>(undefined);
  return (
    <section id="ks-launchers" aria-labelledby="ks-launchers-title" style={styles.card}>
      <h3 id="ks-launchers-title" style={{ margin: 0 }}>
        Launchers
      </h3>
      <p style={{ margin: 0 }}>
        The top bar has the modal, iframe and navigate launchers; issue and project pages have the drawer,
        popover, ping and external-link launchers. The same action the ping launcher runs:
      </p>
      <div style={styles.row}>
        <button
          type="button"
          style={styles.button}
          data-testid="ks-page-ping"
          onClick={() => {
            ping({ source: "page" }).then(setResult, (error: unknown) =>
              setResult({ error: errorText(error) }),
            );
          }}
        >
          Run launcher-ping
        </button>
      </div>
      {result === undefined ? null : <JsonResult testId="ks-ping-result" value={result} />}
    </section>
  );
}

/** `page` slot, routePath `kitchen-sink`. */
export function KitchenSinkPage(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="page" context={context} title="Kitchen Sink">
      <MarkdownBlock content={INTRO} />
      <CounterSection companyId={context.companyId} />
      <OverviewSection />
      <NotesSection />
      <LaunchersSection />
    </Card>
  );
}
