// The Events tab: how far the plugin's event delivery has got (backlog = events in the outbox it has not handled
// yet, the event being retried, in-flight and delivered counts, its subscriptions) and its dead letters — events
// it failed on after every attempt — each with the event and the error, and "Replay".
import { ChevronRight, Inbox, RefreshCw, RotateCcw } from "lucide-react";
import { useState } from "react";
import {
  DEAD_LETTER_STATUSES,
  type DeadLetter,
  type DeadLetterStatus,
  useDeadLetters,
  usePluginEventStatus,
  useReplayDeadLetter,
} from "@/api/plugins";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardContent,
  CardHeader,
  CardTitle,
  EmptyState,
  Field,
  IconButton,
  ListSkeleton,
  QueryView,
  RelativeTime,
  Select,
  StatusBadge,
  statusLabel,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";
import { prettyJson } from "./format";

const ALL = "all";

export function PluginEventsTab({ pluginId }: { pluginId: string }) {
  const status = usePluginEventStatus(pluginId);
  const [filter, setFilter] = useState<string>("dead");
  const deadLetters = useDeadLetters(pluginId, filter === ALL ? {} : { status: filter as DeadLetterStatus });

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle>Delivery</CardTitle>
          <CardAction>
            <IconButton
              label="Refresh delivery status"
              icon={<RefreshCw className={status.isFetching ? "animate-spin" : undefined} />}
              size="icon-sm"
              onClick={() => void status.refetch()}
            />
          </CardAction>
        </CardHeader>
        <CardContent>
          <QueryView query={status} loading={<ListSkeleton rows={3} />} compact>
            {(data) => (
              <div className="grid gap-4">
                <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                  <Stat
                    label="Backlog"
                    value={data.lag === null ? "—" : formatNumber(data.lag)}
                    hint="events not yet handled"
                    tone={data.lag ? "warning" : undefined}
                  />
                  <Stat
                    label="Dead letters"
                    value={formatNumber(data.deadLetters.dead)}
                    hint={`${data.deadLetters.replayPending} queued for replay`}
                    tone={data.deadLetters.dead ? "danger" : undefined}
                  />
                  <Stat
                    label="Delivered"
                    value={data.thisNode ? formatNumber(data.thisNode.delivered) : "—"}
                    hint="since the host started"
                  />
                  <Stat
                    label="In flight"
                    value={data.thisNode ? `${data.thisNode.inFlight} / ${data.thisNode.maxInFlight}` : "—"}
                    hint={
                      data.thisNode
                        ? `${data.thisNode.failedAttempts} failed attempts`
                        : "not delivering on this host"
                    }
                  />
                </dl>
                <p className="text-xs text-muted-foreground">
                  Cursor at event {data.cursor ?? "—"} of {data.outboxHead}
                  {data.lease
                    ? data.lease.heldByThisNode
                      ? " · delivered by this host"
                      : ` · delivered by ${data.lease.owner ?? "another host"}`
                    : ""}
                  {data.thisNode?.lastDeliveredAt ? (
                    <>
                      {" "}
                      · last delivered <RelativeTime date={data.thisNode.lastDeliveredAt} />
                    </>
                  ) : null}
                </p>
                {data.retry ? (
                  <p className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-xs">
                    Retrying event {data.retry.seq} (attempt {data.retry.attempts})
                    {data.retry.lastError ? (
                      <span className="block font-mono break-words">{data.retry.lastError}</span>
                    ) : null}
                  </p>
                ) : null}
                <div>
                  <p className="mb-1.5 text-xs font-medium text-muted-foreground">Subscriptions</p>
                  {data.subscriptions.length ? (
                    <ul className="flex flex-wrap gap-1.5">
                      {data.subscriptions.map((subscription) => (
                        <li key={`${subscription.eventPattern}:${JSON.stringify(subscription.filter)}`}>
                          <Badge tone="outline" className="font-mono">
                            {subscription.eventPattern}
                            {subscription.filter ? " (filtered)" : ""}
                          </Badge>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="text-sm text-muted-foreground">This plugin subscribes to no events.</p>
                  )}
                </div>
              </div>
            )}
          </QueryView>
        </CardContent>
      </Card>

      <Card className="overflow-hidden">
        <div className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
          <h2 className="mr-auto text-sm font-semibold">Dead letters</h2>
          <Field label="Status" className="w-44">
            <Select
              value={filter}
              onValueChange={setFilter}
              options={[
                { value: ALL, label: "All" },
                ...DEAD_LETTER_STATUSES.map((value) => ({ value, label: statusLabel("deadLetter", value) })),
              ]}
            />
          </Field>
        </div>
        <QueryView
          query={deadLetters}
          loading={<ListSkeleton rows={4} />}
          empty={
            <EmptyState
              compact
              icon={<Inbox />}
              title={filter === "dead" ? "No dead letters" : "Nothing here"}
              description="Events the plugin fails on after every retry land here, ready to replay."
            />
          }
        >
          {(list) => (
            <ul className="divide-y">
              {list.map((letter) => (
                <DeadLetterRow key={letter.id} pluginId={pluginId} letter={letter} />
              ))}
            </ul>
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function Stat({
  label,
  value,
  hint,
  tone,
}: {
  label: string;
  value: string;
  hint: string;
  tone?: "warning" | "danger";
}) {
  return (
    <div className="rounded-lg border p-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd
        className={cn(
          "text-lg font-semibold tabular-nums",
          tone === "danger" && "text-destructive",
          tone === "warning" && "text-warning",
        )}
      >
        {value}
      </dd>
      <dd className="text-xs text-muted-foreground">{hint}</dd>
    </div>
  );
}

function DeadLetterRow({ pluginId, letter }: { pluginId: string; letter: DeadLetter }) {
  const [open, setOpen] = useState(false);
  const replay = useReplayDeadLetter(pluginId, { errorTitle: "Could not replay the event" });
  const panelId = `dead-letter-${letter.id}`;
  return (
    <li className="px-4 py-2.5 text-sm">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <button
          type="button"
          onClick={() => setOpen((value) => !value)}
          aria-expanded={open}
          aria-controls={panelId}
          className="-ml-1 inline-flex cursor-pointer items-center gap-2 rounded-md px-1 py-0.5 hover:bg-accent"
        >
          <ChevronRight
            aria-hidden
            className={cn("size-4 text-muted-foreground transition-transform", open && "rotate-90")}
          />
          <span className="font-mono text-xs">{letter.eventType}</span>
          <span className="sr-only">, show the event</span>
        </button>
        <StatusBadge kind="deadLetter" status={letter.status} />
        <span className="text-xs text-muted-foreground">
          event {letter.seq} · {letter.attempts} attempts
          {letter.replayCount ? ` · replayed ${letter.replayCount}×` : ""} ·{" "}
          <RelativeTime date={letter.updatedAt} />
        </span>
        {letter.status === "dead" ? (
          <Button
            variant="outline"
            size="sm"
            className="ml-auto"
            loading={replay.isPending}
            onClick={() =>
              replay.mutate({ id: letter.id }, { onSuccess: () => toast.success("Event queued for replay") })
            }
          >
            <RotateCcw aria-hidden />
            Replay
          </Button>
        ) : null}
        <p className="w-full font-mono text-xs break-words text-destructive">
          {letter.error}
          {letter.errorCode !== null ? ` (code ${letter.errorCode})` : ""}
        </p>
      </div>
      {open ? (
        <pre
          id={panelId}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          className="mt-2 max-h-64 overflow-auto rounded-md bg-muted/50 p-2.5 font-mono text-xs whitespace-pre-wrap scrollbar-thin"
        >
          {prettyJson(letter.event)}
        </pre>
      ) : null}
    </li>
  );
}
