// ErrorBoundary for plugin UIs (and the board's per-plugin boundary): catches render errors so a failing
// plugin never takes the page down; `resetKeys` changes or `reset()` render the children again.
import type { ErrorBoundaryProps } from "@paperclipai/plugin-sdk/ui";
import { Component, type ErrorInfo, type ReactNode } from "react";

export interface BoundaryProps extends Omit<ErrorBoundaryProps, "fallback"> {
  fallback?: ReactNode | ((error: Error, reset: () => void) => ReactNode);
  resetKeys?: readonly unknown[];
}

interface BoundaryState {
  error: Error | null;
}

export class ErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(previous: BoundaryProps): void {
    if (this.state.error && !sameKeys(previous.resetKeys, this.props.resetKeys)) this.reset();
  }

  reset = (): void => {
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { fallback } = this.props;
    if (typeof fallback === "function") return fallback(error, this.reset);
    if (fallback !== undefined) return fallback;
    return (
      <div
        role="alert"
        className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800 text-sm dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
      >
        <div className="font-medium">Something went wrong</div>
        <div className="mt-1 break-words opacity-80">{error.message}</div>
      </div>
    );
  }
}

function sameKeys(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
