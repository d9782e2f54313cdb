import { RefreshCw, TriangleExclamationPoint } from "lucide-react";
import type { ReactNode } from "react";
import { errorMessage, isApiError } from "@/api/client";
import { cn } from "@/lib/cn";
import { Button } from "./Button";

export interface ErrorStateProps {
  error: unknown;
  /** Shows a Retry button. Pass the query's `refetch`. */
  onRetry?: () => unknown;
  title?: ReactNode;
  className?: string;
  compact?: boolean;
  /** Extra actions next to Retry (a link back, say). */
  actions?: ReactNode;
}

/** A failed load: what went wrong in plain words, and a Retry. Never leave a blank page behind an error. */
export function ErrorState({ error, onRetry, title, className, compact, actions }: ErrorStateProps) {
  const status = isApiError(error) ? error.status : undefined;
  const heading =
    title ??
    (status === 0
      ? "The host is unreachable"
      : status === 404
        ? "Not found"
        : status !== undefined && status >= 500
          ? "The host had a problem"
          : "Something went wrong");
  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col items-center justify-center text-center",
        compact ? "gap-1.5 px-4 py-6" : "gap-2 px-6 py-14",
        className,
      )}
    >
      <div
        aria-hidden
        className={cn(
          "mb-1 flex items-center justify-center rounded-xl bg-destructive/10 text-destructive",
          compact ? "size-8" : "size-11",
        )}
      >
        <TriangleExclamationPoint className={compact ? "size-4" : "size-5"} />
      </div>
      <p className="text-sm font-medium">{heading}</p>
      <p className="max-w-md text-sm break-words text-muted-foreground">{errorMessage(error)}</p>
      {onRetry || actions ? (
        <div className="mt-2 flex items-center gap-2">
          {onRetry ? (
            <Button variant="outline" size="sm" onClick={() => void onRetry()}>
              <RefreshCw aria-hidden />
              Retry
            </Button>
          ) : null}
          {actions}
        </div>
      ) : null}
    </div>
  );
}
