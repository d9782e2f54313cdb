import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export interface EmptyStateProps {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  /** A primary action: usually a Button that creates the first item. */
  action?: ReactNode;
  className?: string;
  /** Smaller padding, for empty cards inside a page. */
  compact?: boolean;
}

/** What a list shows when it has nothing: say so, say why it matters, offer the way forward. */
export function EmptyState({ icon, title, description, action, className, compact }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center text-center",
        compact ? "gap-1.5 px-4 py-8" : "gap-2 px-6 py-16",
        className,
      )}
    >
      {icon ? (
        <div
          aria-hidden
          className={cn(
            "mb-1 flex items-center justify-center rounded-xl border bg-muted/50 text-muted-foreground [&_svg:not([class*='size-'])]:size-5",
            compact ? "size-9" : "size-11",
          )}
        >
          {icon}
        </div>
      ) : null}
      <p className="text-sm font-medium">{title}</p>
      {description ? <p className="max-w-sm text-sm text-muted-foreground">{description}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
