// "<plugin>: failed to render", the message and Retry: what a plugin mount shows when its bundle does not load or
// its export throws, same-origin or sandboxed alike.

export function RenderFailure({ name, error, onRetry }: { name: string; error: Error; onRetry(): void }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800 text-sm dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
    >
      <div className="font-medium">{name}: failed to render</div>
      <div className="mt-1 break-words font-mono text-xs opacity-80">{error.message}</div>
      <button
        type="button"
        onClick={onRetry}
        className="mt-2 rounded border border-red-300 px-2 py-0.5 text-xs hover:bg-red-100 dark:border-red-800 dark:hover:bg-red-900/40"
      >
        Retry
      </button>
    </div>
  );
}
