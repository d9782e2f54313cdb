import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { RouterProvider } from "react-router";
import { ErrorState, Toaster, TooltipProvider } from "@/components/ui";
import { AuthGate } from "./AuthGate";
import { ErrorBoundary } from "./ErrorBoundary";
import { createQueryClient } from "./queryClient";
import { createRouter } from "./router";

/** Providers (data, tooltips, toasts) around the router, inside an app-wide error boundary. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  return (
    <ErrorBoundary
      fallback={({ error, reset }) => (
        <main className="flex min-h-dvh items-center justify-center p-6">
          <ErrorState title="The board hit an unexpected error" error={error} onRetry={reset} />
        </main>
      )}
    >
      <QueryClientProvider client={queryClient}>
        <TooltipProvider delayDuration={400} skipDelayDuration={200}>
          <AuthGate>
            <RouterProvider router={router} />
          </AuthGate>
          <Toaster />
        </TooltipProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
