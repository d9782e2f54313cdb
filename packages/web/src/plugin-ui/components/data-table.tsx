// DataTable for plugin UIs: columns with optional custom cells, sortable headers (sorted locally unless the
// plugin handles `onSort`), and pagination when `pageSize` is given (local, or controlled with `onPageChange`).
import type { DataTableProps } from "@paperclipai/plugin-sdk/ui";
import { type ReactNode, useMemo, useState } from "react";
import { Spinner } from "./basic.js";
import { cn } from "./cn.js";

type Row = Record<string, unknown>;

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function cellText(value: unknown): ReactNode {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function DataTable({
  columns,
  rows,
  loading,
  emptyMessage = "No rows",
  totalCount,
  page,
  pageSize,
  onPageChange,
  onSort,
}: DataTableProps<Row>) {
  const [sort, setSort] = useState<{ key: string; direction: "asc" | "desc" } | null>(null);
  const [localPage, setLocalPage] = useState(0);
  const controlledPaging = onPageChange !== undefined;
  const currentPage = controlledPaging ? (page ?? 0) : localPage;

  const sorted = useMemo(() => {
    if (!sort || onSort) return rows;
    const factor = sort.direction === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(a[sort.key], b[sort.key]));
  }, [rows, sort, onSort]);

  const total = totalCount ?? rows.length;
  const pageCount = pageSize ? Math.max(1, Math.ceil(total / pageSize)) : 1;
  const visible =
    pageSize && !controlledPaging
      ? sorted.slice(currentPage * pageSize, (currentPage + 1) * pageSize)
      : sorted;

  const toggleSort = (key: string) => {
    const direction: "asc" | "desc" = sort?.key === key && sort.direction === "asc" ? "desc" : "asc";
    setSort({ key, direction });
    onSort?.(key, direction);
  };
  const goTo = (next: number) => {
    const clamped = Math.min(Math.max(0, next), pageCount - 1);
    if (controlledPaging) onPageChange?.(clamped);
    else setLocalPage(clamped);
  };

  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-left text-sm">
          <thead className="bg-zinc-50 text-xs text-zinc-500 uppercase dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  style={column.width ? { width: column.width } : undefined}
                  aria-sort={
                    sort?.key === column.key
                      ? sort.direction === "asc"
                        ? "ascending"
                        : "descending"
                      : undefined
                  }
                  className="px-3 py-2 font-medium"
                >
                  {column.sortable ? (
                    <button
                      type="button"
                      onClick={() => toggleSort(column.key)}
                      className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
                    >
                      {column.header}
                      <span aria-hidden="true">
                        {sort?.key === column.key ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {loading ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-6 text-center">
                  <Spinner />
                </td>
              </tr>
            ) : visible.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-3 py-6 text-center text-zinc-500">
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              visible.map((row, index) => (
                <tr
                  key={typeof row.id === "string" || typeof row.id === "number" ? row.id : index}
                  className="bg-white hover:bg-zinc-50 dark:bg-zinc-950 dark:hover:bg-zinc-900"
                >
                  {columns.map((column) => (
                    <td key={column.key} className="px-3 py-2 text-zinc-800 dark:text-zinc-200">
                      {column.render ? column.render(row[column.key], row) : cellText(row[column.key])}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {pageSize && pageCount > 1 ? (
        <div className="flex items-center justify-between border-zinc-200 border-t bg-zinc-50 px-3 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
          <span>
            Page {currentPage + 1} of {pageCount} · {total} rows
          </span>
          <span className="flex gap-1">
            {[
              ["Previous", currentPage - 1, currentPage === 0],
              ["Next", currentPage + 1, currentPage >= pageCount - 1],
            ].map(([label, target, disabled]) => (
              <button
                key={String(label)}
                type="button"
                disabled={Boolean(disabled)}
                onClick={() => goTo(Number(target))}
                className={cn(
                  "rounded border border-zinc-300 px-2 py-1 dark:border-zinc-700",
                  "disabled:opacity-40 enabled:hover:bg-white dark:enabled:hover:bg-zinc-800",
                )}
              >
                {String(label)}
              </button>
            ))}
          </span>
        </div>
      ) : null}
    </div>
  );
}
