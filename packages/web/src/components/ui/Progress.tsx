import { cn } from "@/lib/cn";

/** A thin horizontal meter (budget used, completion). `value` and `max` in the same unit. */
export function Progress({
  value,
  max = 100,
  label,
  className,
  tone = "default",
}: {
  value: number;
  max?: number;
  /** Accessible name, e.g. "Budget used". */
  label: string;
  className?: string;
  tone?: "default" | "warning" | "danger" | "success";
}) {
  const percent = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    // biome-ignore lint/a11y/useSemanticElements: <meter> cannot be styled consistently across browsers
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className={cn("h-1.5 w-full overflow-hidden rounded-full bg-muted", className)}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-500",
          tone === "danger"
            ? "bg-destructive"
            : tone === "warning"
              ? "bg-warning"
              : tone === "success"
                ? "bg-success"
                : "bg-foreground/70",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
