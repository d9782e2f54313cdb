// The agent's adapter: how its runs execute (process, http, echo or another type) and with which settings, and
// a dialog to change them. The form's rules live in adapter-form.ts.

import { Pencil, Plus, Settings2, Trash2 } from "lucide-react";
import { type FormEvent, type ReactNode, useState } from "react";
import { useUpdateAgent } from "@/api/agents";
import { errorMessage } from "@/api/client";
import type { Agent } from "@/api/types";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardDescription,
  CardHeader,
  CardTitle,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  IconButton,
  Input,
  Select,
  Textarea,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import {
  ADAPTER_DESCRIPTIONS,
  ADAPTER_TYPES,
  type AdapterForm,
  type AdapterFormErrors,
  configFromForm,
  formFromConfig,
  isKnownAdapterType,
  type KeyValueRow,
  newRow,
  REDACTED,
  validateAdapterForm,
} from "./adapter-form";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const SHOWN_KEYS = new Set(["command", "args", "cwd", "timeoutSec", "url", "headers", "delayMs", "env"]);

// ── the card ─────────────────────────────────────────────────────────────────────────────────────────

export function AdapterCard({ agent, className }: { agent: Agent; className?: string }) {
  const [editing, setEditing] = useState(false);
  const config = agent.adapterConfig ?? {};
  const type = agent.adapterType;
  const editable = agent.status !== "terminated";
  const other = Object.entries(config).filter(([key]) => !SHOWN_KEYS.has(key));
  return (
    <Card className={cn("flex flex-col", className)} role="region" aria-labelledby="agent-adapter-title">
      <CardHeader>
        <div className="min-w-0">
          <CardTitle id="agent-adapter-title" className="flex items-center gap-2">
            Adapter
            <Badge tone="outline" className="font-mono">
              {type}
            </Badge>
          </CardTitle>
          <CardDescription>
            {isKnownAdapterType(type) ? ADAPTER_DESCRIPTIONS[type] : "How this agent's runs execute."}
          </CardDescription>
        </div>
        {editable ? (
          <CardAction>
            <Button size="sm" variant="outline" onClick={() => setEditing(true)}>
              <Pencil aria-hidden />
              Edit
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <dl className="grid gap-x-4 border-t px-4 py-1 text-sm sm:grid-cols-[8rem_minmax(0,1fr)]">
        {type === "process" ? (
          <>
            <ConfigRow label="Command">
              {typeof config.command === "string" && config.command ? (
                <Code>{config.command}</Code>
              ) : (
                <Missing>Not set — runs fail until a command is given</Missing>
              )}
            </ConfigRow>
            {Array.isArray(config.args) && config.args.length > 0 ? (
              <ConfigRow label="Arguments">
                <span className="flex flex-wrap gap-1">
                  {config.args.map((arg, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: arguments are positional.
                    <Code key={index} className="max-w-full truncate" title={String(arg)}>
                      {typeof arg === "string" ? arg : JSON.stringify(arg)}
                    </Code>
                  ))}
                </span>
              </ConfigRow>
            ) : null}
            <ConfigRow label="Working directory">
              {typeof config.cwd === "string" && config.cwd ? (
                <Code>{config.cwd}</Code>
              ) : (
                <Missing>The run's workspace folder</Missing>
              )}
            </ConfigRow>
            <ConfigRow label="Timeout">
              {typeof config.timeoutSec === "number" ? `${config.timeoutSec} s` : <Missing>No limit</Missing>}
            </ConfigRow>
          </>
        ) : null}
        {type === "http" ? (
          <>
            <ConfigRow label="URL">
              {typeof config.url === "string" && config.url ? (
                <Code>{config.url}</Code>
              ) : (
                <Missing>Not set — runs fail until a URL is given</Missing>
              )}
            </ConfigRow>
            <ConfigRow label="Headers">
              <KeyValues value={config.headers} empty="None" />
            </ConfigRow>
          </>
        ) : null}
        {type === "echo" ? (
          <ConfigRow label="Delay">
            {typeof config.delayMs === "number" ? (
              `${config.delayMs} ms between lines`
            ) : (
              <Missing>None</Missing>
            )}
          </ConfigRow>
        ) : null}
        <ConfigRow label="Environment">
          <KeyValues value={config.env} empty="No variables" />
        </ConfigRow>
        {other.length > 0 ? (
          <ConfigRow label="Other settings">
            <pre className="overflow-auto rounded-md bg-muted px-2 py-1 font-mono text-xs scrollbar-thin">
              {JSON.stringify(Object.fromEntries(other), null, 2)}
            </pre>
          </ConfigRow>
        ) : null}
      </dl>
      <AdapterDialog agent={agent} open={editing} onOpenChange={setEditing} />
    </Card>
  );
}

function ConfigRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="pt-2.5 text-xs font-medium text-muted-foreground sm:pb-2.5">{label}</dt>
      <dd className="min-w-0 pb-2.5 sm:pt-2">{children}</dd>
    </div>
  );
}

function Code({ children, className, title }: { children: ReactNode; className?: string; title?: string }) {
  return (
    <code
      title={title}
      className={cn("rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all text-foreground", className)}
    >
      {children}
    </code>
  );
}

function Missing({ children }: { children: ReactNode }) {
  return <span className="text-muted-foreground">{children}</span>;
}

function KeyValues({ value, empty }: { value: unknown; empty: string }) {
  const entries = isRecord(value) ? Object.entries(value) : [];
  if (entries.length === 0) return <Missing>{empty}</Missing>;
  return (
    <ul className="grid gap-1">
      {entries.map(([key, item]) => (
        <li key={key} className="flex min-w-0 items-center gap-1.5 font-mono text-xs">
          <span className="font-semibold">{key}</span>
          <span className="text-muted-foreground">=</span>
          {item === REDACTED ? (
            <Badge tone="neutral">secret</Badge>
          ) : (
            <span className="truncate" title={typeof item === "string" ? item : JSON.stringify(item)}>
              {typeof item === "string" ? item : JSON.stringify(item)}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

// ── the dialog ───────────────────────────────────────────────────────────────────────────────────────

export function AdapterDialog({
  agent,
  open,
  onOpenChange,
}: {
  agent: Agent;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent width="lg">
        {open ? <AdapterFormView agent={agent} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function AdapterFormView({ agent, onDone }: { agent: Agent; onDone: () => void }) {
  const update = useUpdateAgent(agent.id, { silent: true });
  const [form, setForm] = useState<AdapterForm>(() => formFromConfig(agent.adapterType, agent.adapterConfig));
  const [submitted, setSubmitted] = useState(false);
  const errors: AdapterFormErrors = submitted ? validateAdapterForm(form) : {};
  const set = <K extends keyof AdapterForm>(key: K, value: AdapterForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));

  const typeOptions = [
    ...ADAPTER_TYPES.map((value) => ({ value, label: value })),
    ...(isKnownAdapterType(agent.adapterType)
      ? []
      : [{ value: agent.adapterType, label: agent.adapterType }]),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateAdapterForm(form)).length > 0) return;
    update.mutate(
      {
        adapterType: form.type,
        adapterConfig: configFromForm(form, { type: agent.adapterType, config: agent.adapterConfig }),
        replaceAdapterConfig: true,
      },
      {
        onSuccess: () => {
          toast.success("Adapter saved");
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Edit the adapter of {agent.name}</DialogTitle>
        <DialogDescription>
          The next run uses these settings; a run in progress keeps its own.
        </DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field
          label="Adapter type"
          error={errors.type}
          hint={
            isKnownAdapterType(form.type)
              ? ADAPTER_DESCRIPTIONS[form.type]
              : "Its own settings are kept as they are."
          }
        >
          <Select value={form.type} onValueChange={(value) => set("type", value)} options={typeOptions} />
        </Field>
        {form.type === "process" ? (
          <>
            <Field
              label="Command"
              required
              error={errors.command}
              hint="With arguments, the program to start (on the PATH or a full path); without, a shell command line."
            >
              <Input
                value={form.command}
                className="font-mono"
                placeholder="node"
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set("command", event.target.value)}
              />
            </Field>
            <ArgsEditor args={form.args} error={errors.args} onChange={(args) => set("args", args)} />
            <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
              <Field
                label="Working directory"
                error={errors.cwd}
                hint="Absolute, or relative to the run's workspace folder."
              >
                <Input
                  value={form.cwd}
                  className="font-mono"
                  placeholder="/srv/agents/worker"
                  spellCheck={false}
                  onChange={(event) => set("cwd", event.target.value)}
                />
              </Field>
              <Field label="Timeout (seconds)" error={errors.timeoutSec} hint="Empty for none.">
                <Input
                  value={form.timeoutSec}
                  inputMode="numeric"
                  placeholder="600"
                  onChange={(event) => set("timeoutSec", event.target.value)}
                />
              </Field>
            </div>
          </>
        ) : null}
        {form.type === "http" ? (
          <>
            <Field label="URL" required error={errors.url} hint="The host posts each run here.">
              <Input
                value={form.url}
                type="url"
                className="font-mono"
                placeholder="https://agents.example.com/run"
                spellCheck={false}
                onChange={(event) => set("url", event.target.value)}
              />
            </Field>
            <KeyValueEditor
              legend="Headers"
              itemLabel="Header"
              namePlaceholder="Authorization"
              valuePlaceholder="Bearer …"
              rows={form.headers}
              error={errors.headers}
              onChange={(rows) => set("headers", rows)}
            />
          </>
        ) : null}
        {form.type === "echo" ? (
          <Field
            label="Delay between lines (ms)"
            error={errors.delayMs}
            hint="Slows the echo down to watch it stream."
          >
            <Input
              value={form.delayMs}
              inputMode="numeric"
              placeholder="0"
              className="max-w-40"
              onChange={(event) => set("delayMs", event.target.value)}
            />
          </Field>
        ) : null}
        <KeyValueEditor
          legend="Environment"
          itemLabel="Variable"
          namePlaceholder="LOG_LEVEL"
          valuePlaceholder="debug"
          hint="Variables the run sees. The host never sends secret values back: re-enter them when you save."
          rows={form.env}
          error={errors.env}
          onChange={(rows) => set("env", rows)}
        />
        {update.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(update.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={update.isPending}>
          Save adapter
        </Button>
      </DialogFooter>
    </form>
  );
}

function ListError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="text-xs font-medium text-destructive">
      {error}
    </p>
  );
}

function ArgsEditor({
  args,
  error,
  onChange,
}: {
  args: string[];
  error?: string;
  onChange: (args: string[]) => void;
}) {
  const errorId = "adapter-args-error";
  return (
    <fieldset className="grid gap-1.5" aria-describedby={error ? errorId : undefined}>
      <legend className="mb-1.5 text-sm font-medium">Arguments</legend>
      {args.length === 0 ? <p className="text-xs text-muted-foreground">No arguments.</p> : null}
      {args.map((arg, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: arguments are positional.
        <div key={index} className="flex items-start gap-2">
          <Textarea
            value={arg}
            rows={1}
            aria-label={`Argument ${index + 1}`}
            className="min-h-8 font-mono text-xs"
            spellCheck={false}
            onChange={(event) => onChange(args.map((item, at) => (at === index ? event.target.value : item)))}
          />
          <IconButton
            label={`Remove argument ${index + 1}`}
            icon={<Trash2 />}
            size="icon"
            onClick={() => onChange(args.filter((_, at) => at !== index))}
          />
        </div>
      ))}
      <div>
        <Button type="button" size="sm" variant="ghost" onClick={() => onChange([...args, ""])}>
          <Plus aria-hidden />
          Add argument
        </Button>
      </div>
      <ListError id={errorId} error={error} />
    </fieldset>
  );
}

function KeyValueEditor({
  legend,
  itemLabel,
  namePlaceholder,
  valuePlaceholder,
  hint,
  rows,
  error,
  onChange,
}: {
  legend: string;
  itemLabel: string;
  namePlaceholder: string;
  valuePlaceholder: string;
  hint?: string;
  rows: KeyValueRow[];
  error?: string;
  onChange: (rows: KeyValueRow[]) => void;
}) {
  const errorId = `adapter-${legend.toLowerCase()}-error`;
  const hintId = `adapter-${legend.toLowerCase()}-hint`;
  const change = (id: string, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <fieldset
      className="grid gap-1.5"
      aria-describedby={[hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined}
    >
      <legend className="mb-1.5 flex items-center gap-2 text-sm font-medium">
        <Settings2 aria-hidden className="size-3.5 text-muted-foreground" />
        {legend}
      </legend>
      {rows.map((row, index) => (
        <div key={row.id} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-2">
          <Input
            value={row.key}
            aria-label={`${itemLabel} ${index + 1} name`}
            placeholder={namePlaceholder}
            className="font-mono text-xs"
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => change(row.id, { key: event.target.value })}
          />
          <Input
            value={row.value}
            aria-label={`${itemLabel} ${index + 1} value`}
            type={row.redacted ? "password" : "text"}
            placeholder={row.redacted ? "Secret — enter it again" : valuePlaceholder}
            className="font-mono text-xs"
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => change(row.id, { value: event.target.value })}
          />
          <IconButton
            label={`Remove ${itemLabel.toLowerCase()} ${row.key || index + 1}`}
            icon={<Trash2 />}
            onClick={() => onChange(rows.filter((item) => item.id !== row.id))}
          />
        </div>
      ))}
      <div>
        <Button type="button" size="sm" variant="ghost" onClick={() => onChange([...rows, newRow()])}>
          <Plus aria-hidden />
          Add {itemLabel.toLowerCase()}
        </Button>
      </div>
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <ListError id={errorId} error={error} />
    </fieldset>
  );
}
