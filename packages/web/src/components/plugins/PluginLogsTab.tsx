// The Logs tab: the plugin's log entries (newest first) with a level filter and a live tail. The host has no log
// stream (plugins/http/log-routes.ts is GET only), so the tail asks for entries `since` the newest one every two
// seconds while it is switched on, and only then.
import { useQueryClient } from "@tanstack/react-query";
import { Pause, Play, RefreshCw, ScrollText } from "lucide-react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { queryKeys } from "@/api/keys";
import { fetchPluginLogs, PLUGIN_LOG_LEVELS, type PluginLogEntry, usePluginLogs } from "@/api/plugins";
import {
  Button,
  Card,
  EmptyState,
  Field,
  IconButton,
  ListSkeleton,
  QueryView,
  Select,
  StatusBadge,
  statusLabel,
  Tooltip,
} from "@/components/ui";
import { formatDateTime } from "@/lib/format";
import { prettyJson } from "./format";

const ALL = "all";
const LIMITS = ["50", "100", "250", "500"] as const;
const TAIL_MS = 2_000;
const MAX_KEPT = 1_000;

export function PluginLogsTab({ pluginId }: { pluginId: string }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const levelParam = searchParams.get("level");
  const level =
    levelParam && (PLUGIN_LOG_LEVELS as readonly string[]).includes(levelParam) ? levelParam : undefined;
  const [limit, setLimit] = useState<(typeof LIMITS)[number]>("100");
  const [tailing, setTailing] = useState(false);
  const filters = { level, limit: Number(limit) };
  const logs = usePluginLogs(pluginId, filters);
  const queryClient = useQueryClient();
  const key = queryKeys.plugins.logs(pluginId, filters);

  const setLevel = (value: string) =>
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === ALL) next.delete("level");
        else next.set("level", value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is derived from pluginId, level and limit
  useEffect(() => {
    if (!tailing) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const controller = new AbortController();
    const tick = async () => {
      const current = queryClient.getQueryData<PluginLogEntry[]>(key) ?? [];
      const since = current[0]?.createdAt;
      try {
        const fresh = await fetchPluginLogs(
          pluginId,
          { level, limit: 500, ...(since ? { since } : {}) },
          controller.signal,
        );
        const seen = new Set(current.map((entry) => entry.id));
        const added = fresh.filter((entry) => !seen.has(entry.id));
        if (added.length > 0 && !stopped) {
          queryClient.setQueryData<PluginLogEntry[]>(key, (previous = []) =>
            [...added, ...previous].slice(0, Math.max(MAX_KEPT, Number(limit))),
          );
        }
      } catch {
        // a missed tick: the next one asks again
      }
      if (!stopped) timer = setTimeout(tick, TAIL_MS);
    };
    timer = setTimeout(tick, TAIL_MS);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [tailing, pluginId, level, limit, queryClient]);

  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
        <Field label="Level" className="w-40">
          <Select
            value={level ?? ALL}
            onValueChange={setLevel}
            options={[
              { value: ALL, label: "All levels" },
              ...PLUGIN_LOG_LEVELS.map((value) => ({ value, label: statusLabel("logLevel", value) })),
            ]}
          />
        </Field>
        <Field label="Show" className="w-32">
          <Select
            value={limit}
            onValueChange={(value) => setLimit(value)}
            options={LIMITS.map((value) => ({ value, label: `${value} entries` }))}
          />
        </Field>
        <div className="ml-auto flex items-center gap-2">
          {tailing ? (
            <span className="flex items-center gap-1.5 text-xs text-muted-foreground" role="status">
              <span aria-hidden className="size-2 animate-pulse rounded-full bg-success" />
              Following new entries
            </span>
          ) : null}
          <Button
            variant={tailing ? "secondary" : "outline"}
            onClick={() => setTailing((on) => !on)}
            aria-pressed={tailing}
          >
            {tailing ? <Pause aria-hidden /> : <Play aria-hidden />}
            {tailing ? "Stop live tail" : "Live tail"}
          </Button>
          <IconButton
            label="Reload logs"
            variant="outline"
            icon={<RefreshCw className={logs.isFetching ? "animate-spin" : undefined} />}
            onClick={() => void logs.refetch()}
          />
        </div>
      </div>
      <QueryView
        query={logs}
        loading={<ListSkeleton rows={8} />}
        empty={
          <EmptyState
            compact
            icon={<ScrollText />}
            title={
              level ? `No ${statusLabel("logLevel", level).toLowerCase()} entries` : "No log entries yet"
            }
            description={
              tailing
                ? "New entries appear here as the plugin writes them."
                : "What the plugin logs (ctx.logger, metrics, worker stderr) shows up here."
            }
          />
        }
      >
        {(entries) => (
          <ol aria-label="Log entries, newest first" className="divide-y font-mono text-xs">
            {entries.map((entry) => (
              <LogRow key={entry.id} entry={entry} />
            ))}
          </ol>
        )}
      </QueryView>
    </Card>
  );
}

function LogRow({ entry }: { entry: PluginLogEntry }) {
  const time = new Date(entry.createdAt);
  const hasMeta = entry.meta && Object.keys(entry.meta).length > 0;
  return (
    <li className="grid grid-cols-[auto_4.5rem_1fr] items-start gap-3 px-4 py-1.5 hover:bg-muted/40">
      <Tooltip content={formatDateTime(time)}>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the full date is in a tooltip that opens on focus */}
        <time dateTime={entry.createdAt} tabIndex={0} className="text-muted-foreground tabular-nums">
          {time.toLocaleTimeString(undefined, { hour12: false })}.
          {String(time.getMilliseconds()).padStart(3, "0")}
        </time>
      </Tooltip>
      <StatusBadge kind="logLevel" status={entry.level} className="justify-center font-sans" />
      <div className="min-w-0">
        <p className="break-words whitespace-pre-wrap text-foreground">{entry.message}</p>
        {hasMeta ? (
          <details className="mt-0.5">
            <summary className="cursor-pointer text-muted-foreground select-none">meta</summary>
            <pre className="mt-1 overflow-x-auto rounded bg-muted/50 p-2 scrollbar-thin">
              {prettyJson(entry.meta)}
            </pre>
          </details>
        ) : null}
      </div>
    </li>
  );
}
