// Horizontal bars with a label and a value per row (open issues by status, spend by agent). Plain HTML, so it
// reads naturally to screen readers: each row is "label, value" and the bar is decorative.

import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import { formatNumber } from "@/lib/format";

export interface BarListItem {
  key: string;
  label: ReactNode;
  value: number;
  /** Any CSS colour (default: the foreground at low opacity). */
  color?: string;
  icon?: ReactNode;
}

export function BarList({
  items,
  formatValue = formatNumber,
  className,
  renderLabel,
}: {
  items: readonly BarListItem[];
  formatValue?: (value: number) => string;
  className?: string;
  /** Wrap the label (e.g. in a router Link). */
  renderLabel?: (item: BarListItem, label: ReactNode) => ReactNode;
}) {
  const max = Math.max(0, ...items.map((item) => item.value));
  return (
    <ul className={cn("grid gap-1", className)}>
      {items.map((item) => {
        const percent = max > 0 ? (item.value / max) * 100 : 0;
        const label = (
          <span className="flex min-w-0 items-center gap-2">
            {item.icon}
            <span className="truncate">{item.label}</span>
          </span>
        );
        return (
          <li key={item.key} className="relative flex h-8 items-center gap-3 rounded-md px-2 text-sm">
            <span
              aria-hidden
              className="absolute inset-y-1 left-0 rounded-md opacity-[0.14] transition-[width] duration-500 dark:opacity-20"
              style={{ width: `${percent}%`, background: item.color ?? "var(--foreground)" }}
            />
            <span className="relative min-w-0 flex-1">{renderLabel ? renderLabel(item, label) : label}</span>
            <span className="relative font-medium tabular-nums">{formatValue(item.value)}</span>
          </li>
        );
      })}
    </ul>
  );
}
