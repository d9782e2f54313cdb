import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorState } from "./ErrorState";
import { ListSkeleton } from "./Skeleton";

export interface QueryViewProps<T> {
  query: Pick<UseQueryResult<T>, "data" | "error" | "isPending" | "refetch">;
  /** Rendered with the data once it is there and not empty. */
  children: (data: T) => ReactNode;
  /** While the first load runs (default: skeleton rows). */
  loading?: ReactNode;
  /** When the data is empty (default: arrays of length 0). Omit to render children for empty data too. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  /** Title of the error state. */
  errorTitle?: ReactNode;
  compact?: boolean;
}

/**
 * The loading / error / empty / data switch every list and detail needs, with one look everywhere:
 *
 *   <QueryView query={useIssues(company.id)} empty={<EmptyState title="No issues yet" />}>
 *     {(issues) => <IssueTable issues={issues} />}
 *   </QueryView>
 *
 * A refetch after the first load keeps showing the data (no flicker); an error with data already shown
 * keeps the data too (the next refetch will retry).
 */
export function QueryView<T>({
  query,
  children,
  loading,
  empty,
  isEmpty = defaultIsEmpty,
  errorTitle,
  compact,
}: QueryViewProps<T>) {
  if (query.data !== undefined) {
    if (empty !== undefined && isEmpty(query.data)) return <>{empty}</>;
    return <>{children(query.data)}</>;
  }
  if (query.error) {
    return (
      <ErrorState error={query.error} title={errorTitle} onRetry={() => query.refetch()} compact={compact} />
    );
  }
  return <>{loading ?? <ListSkeleton />}</>;
}

function defaultIsEmpty(data: unknown): boolean {
  return Array.isArray(data) && data.length === 0;
}
