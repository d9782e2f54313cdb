// The Network tab: the plugin's egress policy (mode, allowed hosts and path prefixes, private network grants shown
// as a risk, its own limits) and the table of its recent outbound calls, refused ones included. The host checks
// every entry; a refused save shows the host's message under the field it names. docs/egress.md.
import {
  ArrowDown,
  ArrowUp,
  Globe,
  ListChecks,
  Network,
  RefreshCw,
  RotateCcw,
  Save,
  ShieldAlert,
} from "lucide-react";
import { type FormEvent, type ReactNode, useState } from "react";
import { errorMessage, isApiError } from "@/api/client";
import {
  type EgressMode,
  type EgressPolicy,
  type EgressPolicyInput,
  OUTBOUND_OUTCOMES,
  type OutboundCall,
  type OutboundOutcome,
  useEgressPolicy,
  useOutboundCalls,
  useSaveEgressPolicy,
} from "@/api/egress";
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  Field,
  IconButton,
  Input,
  ListSkeleton,
  QueryView,
  RelativeTime,
  Select,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Textarea,
  Tooltip,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { formatDateTime } from "@/lib/format";
import { formatBytes, formatDuration } from "./format";

export function PluginNetworkTab({ pluginId }: { pluginId: string }) {
  const policy = useEgressPolicy(pluginId);
  return (
    <div className="grid gap-4">
      <QueryView
        query={policy}
        loading={<Skeleton className="h-96 w-full rounded-xl" />}
        errorTitle="Could not load the egress policy"
      >
        {(saved) => <PolicyCard key={saved.updatedAt ?? "default"} pluginId={pluginId} saved={saved} />}
      </QueryView>
      <OutboundCallsCard pluginId={pluginId} />
    </div>
  );
}

// ── policy ─────────────────────────────────────────────────────────────────────────────────────────────

interface Draft {
  mode: EgressMode;
  allow: string;
  grants: string;
  timeoutMs: string;
  maxResponseBytes: string;
}

type FieldKey = "allow" | "grants" | "timeoutMs" | "maxResponseBytes";

const draftOf = (saved: EgressPolicy): Draft => ({
  mode: saved.mode,
  allow: saved.allow.join("\n"),
  grants: saved.privateGrants.join("\n"),
  timeoutMs: saved.timeoutMs === null ? "" : String(saved.timeoutMs),
  maxResponseBytes: saved.maxResponseBytes === null ? "" : String(saved.maxResponseBytes),
});

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** A whole number, or null for an empty field; undefined when the text is not one. */
function wholeNumber(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/[_\s]/g, "");
  if (trimmed === "") return null;
  return /^\d{1,12}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** Which field a host 400 is about (its details.field: "allow[2]", "privateGrants[0]", "timeoutMs", …). */
function fieldOfError(error: unknown): FieldKey | null {
  if (!isApiError(error)) return null;
  const field = (error.details as { field?: unknown } | undefined)?.field;
  const name =
    typeof field === "string" ? field : (/^(allow|privateGrants)\[\d+\]/.exec(error.message)?.[1] ?? "");
  if (name.startsWith("allow")) return "allow";
  if (name.startsWith("privateGrants")) return "grants";
  if (name === "timeoutMs" || name === "maxResponseBytes") return name;
  return null;
}

function PolicyCard({ pluginId, saved }: { pluginId: string; saved: EgressPolicy }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const save = useSaveEgressPolicy(pluginId, { silent: true });
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(saved));
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const timeoutMs = wholeNumber(draft.timeoutMs);
    const maxResponseBytes = wholeNumber(draft.maxResponseBytes);
    const local: Partial<Record<FieldKey, string>> = {};
    if (timeoutMs === undefined) local.timeoutMs = "Enter a whole number of milliseconds, or leave it empty.";
    if (maxResponseBytes === undefined)
      local.maxResponseBytes = "Enter a whole number of bytes, or leave it empty.";
    setErrors(local);
    if (timeoutMs === undefined || maxResponseBytes === undefined) return;
    const input: EgressPolicyInput = {
      mode: draft.mode,
      allow: lines(draft.allow),
      privateGrants: lines(draft.grants),
      timeoutMs,
      maxResponseBytes,
    };
    save.mutate(input, {
      onSuccess: () => toast.success("Egress policy saved; it applies from the plugin's next call"),
      onError: (error) => {
        const field = fieldOfError(error);
        const message = errorMessage(error).replace(/^(allow|privateGrants)\[\d+\] /, "");
        if (field) setErrors({ [field]: message });
        else setFormError(errorMessage(error));
      },
    });
  };

  const allowListMode = draft.mode === "allow-list";
  return (
    <Card>
      <CardHeader className="border-b">
        <div className="min-w-0 flex-1">
          <CardTitle>Egress policy</CardTitle>
          <CardDescription>
            Where this plugin's <code className="font-mono">ctx.http.fetch</code> may go. Private, loopback
            and link-local addresses are refused unless granted below. Changes apply from its next call.
          </CardDescription>
        </div>
        <CardAction className="text-xs text-muted-foreground">
          {saved.updatedAt ? (
            <Tooltip content={formatDateTime(saved.updatedAt)}>
              <span>
                Changed <RelativeTime date={saved.updatedAt} />
                {saved.updatedBy ? ` by ${saved.updatedBy}` : ""}
              </span>
            </Tooltip>
          ) : (
            <Badge tone="neutral">Default policy</Badge>
          )}
        </CardAction>
      </CardHeader>
      <CardContent className="pt-4">
        <form className="grid gap-5" onSubmit={onSubmit} aria-label="Egress policy">
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">Mode</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              <ModeOption
                value="any-public"
                current={draft.mode}
                onSelect={(mode) => set({ mode })}
                icon={<Globe aria-hidden />}
                title="Any public address"
                description="The default. The plugin may call any public host; private networks need a grant."
              />
              <ModeOption
                value="allow-list"
                current={draft.mode}
                onSelect={(mode) => set({ mode })}
                icon={<ListChecks aria-hidden />}
                title="Allow-list only"
                description="Only the hosts (and path prefixes) listed below. An empty list blocks every call."
              />
            </div>
          </fieldset>

          <Field
            label="Allowed hosts"
            error={errors.allow}
            hint={
              allowListMode ? (
                <>
                  One per line: <Code>api.example.com</Code>, <Code>*.example.com</Code> (any subdomain),{" "}
                  <Code>api.example.com:8443</Code>, <Code>api.example.com/v1</Code> (only that path and
                  below).
                </>
              ) : (
                "Not used while the mode is Any public address; kept for when you switch."
              )
            }
          >
            <Textarea
              rows={4}
              value={draft.allow}
              spellCheck={false}
              placeholder={"api.example.com/v1\n*.cdn.example.com"}
              className={cn("font-mono text-xs", !allowListMode && "opacity-60")}
              onChange={(event) => set({ allow: event.target.value })}
            />
          </Field>

          <section
            aria-labelledby="private-grants-title"
            className="grid gap-3 rounded-lg border border-amber-500/40 bg-amber-500/5 p-3 dark:border-amber-400/30 dark:bg-amber-400/5"
          >
            <div className="flex items-start gap-2">
              <ShieldAlert
                aria-hidden
                className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-400"
              />
              <div>
                <h3 id="private-grants-title" className="text-sm font-medium">
                  Private network grants
                </h3>
                <p className="mt-0.5 text-xs text-muted-foreground">
                  A grant lets this plugin reach addresses inside your network — loopback, LAN, cloud metadata
                  (169.254.169.254). Grant only what the plugin needs.
                </p>
              </div>
            </div>
            <Field
              label="Granted addresses and hosts"
              error={errors.grants}
              hint={
                <>
                  One per line: an address such as <Code>10.0.0.5</Code>, a range such as{" "}
                  <Code>10.0.0.0/8</Code>, a host such as <Code>intranet.local</Code>, or{" "}
                  <Code>host:port</Code>.
                </>
              }
            >
              <Textarea
                rows={3}
                value={draft.grants}
                spellCheck={false}
                placeholder="10.0.0.0/8"
                className="font-mono text-xs"
                onChange={(event) => set({ grants: event.target.value })}
              />
            </Field>
            {saved.instanceGrants.length > 0 ? (
              <div className="grid gap-1.5">
                <p className="text-xs text-muted-foreground">
                  Also granted by the host's environment (<Code>PAPERCLIP_PLUGIN_ALLOWED_HOSTS</Code>):
                </p>
                <ul className="flex flex-wrap gap-1.5" aria-label="Grants from the host's environment">
                  {saved.instanceGrants.map((grant) => (
                    <li key={grant}>
                      <Badge tone="warning" className="font-mono">
                        {grant}
                      </Badge>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </section>

          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Deadline per call (ms)"
              error={errors.timeoutMs}
              hint={`100 to 30000. Empty: the host's ${formatDuration(saved.defaults.timeoutMs)}.`}
            >
              <Input
                inputMode="numeric"
                value={draft.timeoutMs}
                placeholder={String(saved.defaults.timeoutMs)}
                onChange={(event) => set({ timeoutMs: event.target.value })}
              />
            </Field>
            <Field
              label="Largest response (bytes)"
              error={errors.maxResponseBytes}
              hint={`1024 to 104857600. Empty: the host's ${formatBytes(saved.defaults.maxResponseBytes)}.`}
            >
              <Input
                inputMode="numeric"
                value={draft.maxResponseBytes}
                placeholder={String(saved.defaults.maxResponseBytes)}
                onChange={(event) => set({ maxResponseBytes: event.target.value })}
              />
            </Field>
          </div>

          {formError ? (
            <p
              role="alert"
              className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm text-destructive"
            >
              {formError}
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-2 border-t pt-4">
            <Button type="submit" loading={save.isPending} disabled={!dirty}>
              <Save aria-hidden />
              Save policy
            </Button>
            {dirty ? (
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  setDraft(draftOf(saved));
                  setErrors({});
                  setFormError(null);
                }}
              >
                <RotateCcw aria-hidden />
                Discard changes
              </Button>
            ) : null}
            <span className="ml-auto text-xs text-muted-foreground">
              {saved.mode === "allow-list"
                ? `${saved.allow.length} allowed ${saved.allow.length === 1 ? "entry" : "entries"}`
                : "Any public address"}
              {saved.privateGrants.length > 0
                ? ` · ${saved.privateGrants.length} private ${saved.privateGrants.length === 1 ? "grant" : "grants"}`
                : ""}
            </span>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function ModeOption({
  value,
  current,
  onSelect,
  icon,
  title,
  description,
}: {
  value: EgressMode;
  current: EgressMode;
  onSelect: (mode: EgressMode) => void;
  icon: ReactNode;
  title: string;
  description: string;
}) {
  const checked = value === current;
  return (
    <label
      className={cn(
        "flex cursor-pointer items-start gap-3 rounded-lg border p-3 transition-colors hover:bg-accent/50",
        "has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-ring/25",
        checked && "border-primary bg-primary/5 hover:bg-primary/5",
      )}
    >
      <input
        type="radio"
        name="egress-mode"
        value={value}
        checked={checked}
        onChange={() => onSelect(value)}
        className="sr-only"
      />
      <span className={cn("mt-0.5 text-muted-foreground [&_svg]:size-4", checked && "text-primary")}>
        {icon}
      </span>
      <span className="grid gap-0.5">
        <span className="text-sm font-medium">{title}</span>
        <span className="text-xs text-muted-foreground">{description}</span>
      </span>
      <span
        aria-hidden
        className={cn(
          "ml-auto mt-0.5 size-4 shrink-0 rounded-full border",
          checked ? "border-[5px] border-primary" : "border-input",
        )}
      />
    </label>
  );
}

function Code({ children }: { children: ReactNode }) {
  return (
    <code className="rounded bg-muted px-1 py-px font-mono text-[11px] text-foreground">{children}</code>
  );
}

// ── outbound calls ─────────────────────────────────────────────────────────────────────────────────────

const ALL = "all";
const PAGE = 50;
const MAX_SHOWN = 500;
const OUTCOME_LABEL: Record<OutboundOutcome, string> = {
  completed: "Completed",
  refused: "Refused",
  failed: "Failed",
};

function OutboundCallsCard({ pluginId }: { pluginId: string }) {
  const [outcome, setOutcome] = useState<string>(ALL);
  const [limit, setLimit] = useState(PAGE);
  const calls = useOutboundCalls(pluginId, {
    outcome: outcome === ALL ? undefined : (outcome as OutboundOutcome),
    limit,
  });
  const policy = useEgressPolicy(pluginId);
  const kept = policy.data?.log;
  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
        <div className="mr-auto">
          <h2 className="text-sm font-semibold">Outbound calls</h2>
          <p className="mt-0.5 text-xs text-muted-foreground">
            Every call, allowed or refused, newest first
            {kept
              ? ` · the newest ${kept.maxRowsPerPlugin.toLocaleString()} are kept for ${kept.retentionDays} days`
              : ""}
          </p>
        </div>
        <Field label="Outcome" className="w-40">
          <Select
            value={outcome}
            onValueChange={(value) => {
              setOutcome(value);
              setLimit(PAGE);
            }}
            options={[
              { value: ALL, label: "All" },
              ...OUTBOUND_OUTCOMES.map((value) => ({ value, label: OUTCOME_LABEL[value] })),
            ]}
          />
        </Field>
        <IconButton
          label="Reload outbound calls"
          variant="outline"
          icon={<RefreshCw className={calls.isFetching ? "animate-spin" : undefined} />}
          onClick={() => void calls.refetch()}
        />
      </div>
      <QueryView
        query={calls}
        isEmpty={(page) => page.items.length === 0}
        loading={<ListSkeleton rows={5} />}
        empty={
          <EmptyState
            compact
            icon={<Network />}
            title={
              outcome === ALL
                ? "No outbound calls yet"
                : `No ${OUTCOME_LABEL[outcome as OutboundOutcome].toLowerCase()} calls`
            }
            description="Each ctx.http.fetch this plugin makes shows up here with its host, path, result, size and time."
          />
        }
      >
        {(page) => (
          <>
            <Table aria-label="Outbound calls, newest first">
              <TableHeader>
                <TableRow>
                  <TableHead className="w-28">When</TableHead>
                  <TableHead>Request</TableHead>
                  <TableHead className="w-28">Result</TableHead>
                  <TableHead className="hidden w-32 md:table-cell">Bytes</TableHead>
                  <TableHead className="hidden w-24 text-right md:table-cell">Duration</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.items.map((call) => (
                  <CallRow key={call.id} call={call} />
                ))}
              </TableBody>
            </Table>
            {page.nextBefore !== null ? (
              <div className="flex items-center justify-center gap-3 border-t px-4 py-3">
                {limit < MAX_SHOWN ? (
                  <Button
                    variant="outline"
                    size="sm"
                    loading={calls.isFetching}
                    onClick={() => setLimit((shown) => Math.min(MAX_SHOWN, shown + PAGE))}
                  >
                    Show older calls
                  </Button>
                ) : (
                  <p className="text-xs text-muted-foreground">
                    Showing the newest {MAX_SHOWN}. Filter by outcome to look further back.
                  </p>
                )}
              </div>
            ) : null}
          </>
        )}
      </QueryView>
    </Card>
  );
}

function resultOf(call: OutboundCall): { tone: BadgeTone; label: string } {
  if (call.outcome === "refused") return { tone: "danger", label: "Refused" };
  if (call.outcome === "failed") return { tone: "warning", label: "Failed" };
  const status = call.status ?? 0;
  if (status >= 500) return { tone: "danger", label: String(status) };
  if (status >= 400) return { tone: "warning", label: String(status) };
  if (status >= 300) return { tone: "info", label: String(status) };
  return { tone: "success", label: String(status) };
}

function CallRow({ call }: { call: OutboundCall }) {
  const result = resultOf(call);
  const target = call.host
    ? `${call.scheme}://${call.host}${call.path}`
    : call.scheme
      ? `a ${call.scheme}: URL`
      : "not a valid URL";
  return (
    <TableRow data-outcome={call.outcome} className="align-top">
      <TableCell className="text-xs whitespace-nowrap">
        <Tooltip content={formatDateTime(call.createdAt)}>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the full date is in a tooltip that opens on focus */}
          <span tabIndex={0}>
            <RelativeTime date={call.createdAt} />
          </span>
        </Tooltip>
      </TableCell>
      <TableCell className="min-w-0">
        <div className="flex min-w-0 items-center gap-2">
          <Badge tone="outline" className="font-mono">
            {call.method}
          </Badge>
          <span className="min-w-0 truncate font-mono text-xs" title={target}>
            {target}
          </span>
        </div>
        {call.reason ? (
          <p
            className={cn(
              "mt-1 font-mono text-xs break-words",
              call.outcome === "refused" ? "text-destructive" : "text-amber-700 dark:text-amber-300",
            )}
          >
            {call.reason}
          </p>
        ) : null}
        {call.address ? <p className="mt-0.5 text-[11px] text-muted-foreground">→ {call.address}</p> : null}
      </TableCell>
      <TableCell>
        <Badge tone={result.tone} className="font-mono">
          {result.label}
        </Badge>
      </TableCell>
      <TableCell className="hidden text-xs text-muted-foreground md:table-cell">
        <span className="inline-flex items-center gap-0.5" title="sent">
          <ArrowUp aria-label="sent" className="size-3" />
          {formatBytes(call.requestBytes)}
        </span>{" "}
        <span className="ml-2 inline-flex items-center gap-0.5" title="received">
          <ArrowDown aria-label="received" className="size-3" />
          {formatBytes(call.responseBytes)}
        </span>
      </TableCell>
      <TableCell className="hidden text-right text-xs text-muted-foreground tabular-nums md:table-cell">
        {formatDuration(call.durationMs)}
      </TableCell>
    </TableRow>
  );
}
