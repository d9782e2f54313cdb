// The lines of a long operation (install, upgrade) as the host reports them, kept scrolled to the newest and
// announced politely to screen readers.
import { CircleCheck, CircleX } from "lucide-react";
import { useEffect, useRef } from "react";
import { Spinner } from "@/components/ui";
import { cn } from "@/lib/cn";

export function ProgressLog({
  lines,
  state,
  label,
  className,
}: {
  lines: string[];
  state: "running" | "done" | "failed";
  /** Accessible name of the log. */
  label: string;
  className?: string;
}) {
  const end = useRef<HTMLLIElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever a line arrives
  useEffect(() => {
    end.current?.scrollIntoView({ block: "nearest" });
  }, [lines.length, state]);
  return (
    <ol
      role="log"
      aria-label={label}
      aria-live="polite"
      className={cn(
        "max-h-48 overflow-y-auto rounded-lg border bg-muted/40 px-3 py-2 font-mono text-xs leading-5 scrollbar-thin",
        className,
      )}
    >
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines only ever get appended
        <li key={index} className="flex gap-2 text-muted-foreground">
          <span aria-hidden className="select-none text-muted-foreground/60">
            ›
          </span>
          <span className="min-w-0 break-words text-foreground/90">{line}</span>
        </li>
      ))}
      <li ref={end} className="flex items-center gap-2 pt-0.5">
        {state === "running" ? (
          <>
            <Spinner className="size-3" />
            <span className="text-muted-foreground">Working…</span>
          </>
        ) : state === "done" ? (
          <>
            <CircleCheck aria-hidden className="size-3.5 text-success" />
            <span className="text-success">Done</span>
          </>
        ) : (
          <>
            <CircleX aria-hidden className="size-3.5 text-destructive" />
            <span className="text-destructive">Failed</span>
          </>
        )}
      </li>
    </ol>
  );
}
