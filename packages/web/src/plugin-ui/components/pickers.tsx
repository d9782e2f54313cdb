// AssigneePicker and ProjectPicker for plugin UIs: a button opening a searchable list (keyboard: arrows,
// Enter/Tab to confirm, Escape to close) of the company's agents (and the current board user) or projects,
// read from the board API. The company defaults to the mount's host context.
import type { AssigneePickerProps, ProjectPickerProps } from "@paperclipai/plugin-sdk/ui";
import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { getJson } from "../http.js";
import { useOptionalPluginMount } from "../mount-context.js";
import { cn } from "./cn.js";

interface Option {
  value: string;
  label: string;
  hint?: string;
}

interface AgentRow {
  id: string;
  name: string;
  status?: string;
  role?: string;
}
interface ProjectRow {
  id: string;
  name: string;
  archivedAt?: string | null;
  color?: string | null;
}

function useCompanyId(explicit: string | null | undefined): string | null {
  const mount = useOptionalPluginMount();
  return explicit ?? mount?.hostContext.companyId ?? null;
}

export function useCompanyAgents(companyId: string | null) {
  return useQuery({
    queryKey: ["companies", companyId, "agents"],
    queryFn: ({ signal }) =>
      getJson<AgentRow[]>(`/api/companies/${encodeURIComponent(companyId!)}/agents`, signal),
    enabled: Boolean(companyId),
    staleTime: 30_000,
  });
}

export function useCompanyProjects(companyId: string | null, includeArchived = false) {
  return useQuery({
    queryKey: ["companies", companyId, "projects", { includeArchived }],
    queryFn: ({ signal }) =>
      getJson<ProjectRow[]>(
        `/api/companies/${encodeURIComponent(companyId!)}/projects${includeArchived ? "?includeArchived=true" : ""}`,
        signal,
      ),
    enabled: Boolean(companyId),
    staleTime: 30_000,
  });
}

interface SearchSelectProps {
  value: string;
  options: Option[];
  loading: boolean;
  error: string | null;
  placeholder: string;
  noneLabel: string;
  searchPlaceholder: string;
  emptyMessage: string;
  className?: string;
  onSelect(value: string): void;
  onConfirm?: () => void;
}

function SearchSelect(props: SearchSelectProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  const all = useMemo(
    () => [{ value: "", label: props.noneLabel }, ...props.options],
    [props.options, props.noneLabel],
  );
  const filtered = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return needle ? all.filter((option) => option.label.toLowerCase().includes(needle)) : all;
  }, [all, query]);
  const selected = all.find((option) => option.value === props.value && option.value !== "");

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const choose = (option: Option | undefined) => {
    if (!option) return;
    props.onSelect(option.value);
    setOpen(false);
    setQuery("");
    props.onConfirm?.();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((index) => Math.min(index + 1, filtered.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter" || (event.key === "Tab" && filtered.length > 0)) {
      event.preventDefault();
      choose(filtered[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  return (
    <div ref={root} className="relative inline-block">
      <button
        type="button"
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setActive(0);
        }}
        className={cn(
          "inline-flex min-w-40 items-center justify-between gap-2 rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-left text-sm",
          "hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800",
          props.className,
        )}
      >
        <span className={cn("truncate", !selected && "text-zinc-500")}>
          {selected?.label ?? props.placeholder}
        </span>
        <span aria-hidden="true" className="text-zinc-400">
          ▾
        </span>
      </button>
      {open ? (
        <div className="absolute z-50 mt-1 w-64 rounded-md border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
          <input
            // biome-ignore lint/a11y/noAutofocus: the list opened on purpose; typing filters it at once.
            autoFocus
            value={query}
            placeholder={props.searchPlaceholder}
            aria-controls={listId}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            className="w-full border-zinc-200 border-b bg-transparent px-2.5 py-1.5 text-sm outline-none dark:border-zinc-700"
          />
          <div id={listId} role="listbox" className="max-h-64 overflow-auto py-1">
            {props.loading ? <div className="px-2.5 py-1.5 text-sm text-zinc-500">Loading…</div> : null}
            {props.error ? <div className="px-2.5 py-1.5 text-red-600 text-sm">{props.error}</div> : null}
            {!props.loading && filtered.length === 0 ? (
              <div className="px-2.5 py-1.5 text-sm text-zinc-500">{props.emptyMessage}</div>
            ) : null}
            {filtered.map((option, index) => (
              <div
                key={option.value || "__none__"}
                role="option"
                tabIndex={-1}
                aria-selected={option.value === props.value}
                onPointerEnter={() => setActive(index)}
                onClick={() => choose(option)}
                onKeyDown={() => undefined}
                className={cn(
                  "flex cursor-pointer items-center justify-between gap-2 px-2.5 py-1.5 text-sm",
                  index === active && "bg-zinc-100 dark:bg-zinc-800",
                  option.value === props.value && "font-medium",
                )}
              >
                <span className="truncate">{option.label}</span>
                {option.hint ? <span className="text-xs text-zinc-500">{option.hint}</span> : null}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** `agent:<id>` / `user:<id>` / `""` → the ids it stands for. */
export function parseAssigneeValue(value: string) {
  if (value.startsWith("agent:")) return { assigneeAgentId: value.slice(6) || null, assigneeUserId: null };
  if (value.startsWith("user:")) return { assigneeAgentId: null, assigneeUserId: value.slice(5) || null };
  return { assigneeAgentId: null, assigneeUserId: null };
}

export function AssigneePicker({
  companyId,
  value,
  onChange,
  placeholder = "Assignee",
  noneLabel = "No assignee",
  searchPlaceholder = "Search assignees…",
  emptyMessage = "No matches",
  includeUsers = true,
  includeTerminatedAgents = false,
  className,
  onConfirm,
}: AssigneePickerProps) {
  const mount = useOptionalPluginMount();
  const company = useCompanyId(companyId);
  const agents = useCompanyAgents(company);
  const options = useMemo(() => {
    const list: Option[] = (agents.data ?? [])
      .filter((agent) => includeTerminatedAgents || agent.status !== "terminated")
      .map((agent) => ({ value: `agent:${agent.id}`, label: agent.name, hint: agent.role ?? "agent" }));
    const userId = mount?.hostContext.userId;
    if (includeUsers && userId) list.push({ value: `user:${userId}`, label: "Me", hint: "board" });
    return list;
  }, [agents.data, includeTerminatedAgents, includeUsers, mount?.hostContext.userId]);
  return (
    <SearchSelect
      value={value}
      options={options}
      loading={agents.isLoading}
      error={agents.error ? agents.error.message : company ? null : "No company selected"}
      placeholder={placeholder}
      noneLabel={noneLabel}
      searchPlaceholder={searchPlaceholder}
      emptyMessage={emptyMessage}
      className={className}
      onSelect={(next) => onChange(next, parseAssigneeValue(next))}
      onConfirm={onConfirm}
    />
  );
}

export function ProjectPicker({
  companyId,
  value,
  onChange,
  placeholder = "Project",
  noneLabel = "No project",
  searchPlaceholder = "Search projects…",
  emptyMessage = "No matches",
  includeArchived = false,
  className,
  onConfirm,
}: ProjectPickerProps) {
  const company = useCompanyId(companyId);
  const projects = useCompanyProjects(company, includeArchived);
  const options = useMemo(
    () =>
      (projects.data ?? []).map((project) => ({
        value: project.id,
        label: project.name,
        ...(project.archivedAt ? { hint: "archived" } : {}),
      })),
    [projects.data],
  );
  return (
    <SearchSelect
      value={value}
      options={options}
      loading={projects.isLoading}
      error={projects.error ? projects.error.message : company ? null : "No company selected"}
      placeholder={placeholder}
      noneLabel={noneLabel}
      searchPlaceholder={searchPlaceholder}
      emptyMessage={emptyMessage}
      className={className}
      onSelect={onChange}
      onConfirm={onConfirm}
    />
  );
}
