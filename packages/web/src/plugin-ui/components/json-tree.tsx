// JsonTree for plugin UIs: a collapsible view of any JSON-like value, expanded `defaultExpandDepth` levels.
import type { JsonTreeProps } from "@paperclipai/plugin-sdk/ui";
import { useState } from "react";

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-zinc-500">null</span>;
  switch (typeof value) {
    case "string":
      return <span className="text-emerald-700 dark:text-emerald-400">{JSON.stringify(value)}</span>;
    case "number":
    case "bigint":
      return <span className="text-sky-700 dark:text-sky-400">{String(value)}</span>;
    case "boolean":
      return <span className="text-violet-700 dark:text-violet-400">{String(value)}</span>;
    case "undefined":
      return <span className="text-zinc-500">undefined</span>;
    default:
      return <span className="text-zinc-500">{String(value)}</span>;
  }
}

function Node({
  name,
  value,
  depth,
  expandDepth,
}: {
  name?: string;
  value: unknown;
  depth: number;
  expandDepth: number;
}) {
  const [open, setOpen] = useState(depth < expandDepth);
  const label =
    name !== undefined ? <span className="text-zinc-600 dark:text-zinc-300">{name}: </span> : null;
  if (value === null || typeof value !== "object") {
    return (
      <div className="pl-4">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  const [openBracket, closeBracket] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return (
    <div className="pl-4">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="-ml-4 inline-flex items-center text-left hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        <span aria-hidden="true" className="inline-block w-4 text-zinc-400">
          {open ? "▾" : "▸"}
        </span>
        {label}
        <span className="text-zinc-500">
          {openBracket}
          {open ? "" : ` ${entries.length} ${entries.length === 1 ? "item" : "items"} ${closeBracket}`}
        </span>
      </button>
      {open ? (
        <>
          {entries.map(([key, child]) => (
            <Node key={key} name={key} value={child} depth={depth + 1} expandDepth={expandDepth} />
          ))}
          <div className="text-zinc-500">{closeBracket}</div>
        </>
      ) : null}
    </div>
  );
}

export function JsonTree({ data, defaultExpandDepth = 2 }: JsonTreeProps) {
  return (
    <div className="-pl-4 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 p-2 font-mono text-xs dark:border-zinc-800 dark:bg-zinc-950">
      <Node value={data} depth={0} expandDepth={defaultExpandDepth} />
    </div>
  );
}
