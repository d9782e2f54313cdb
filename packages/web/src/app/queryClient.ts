import { MutationCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "@/api/client";
import "@/api/mutations";
import { toast } from "@/components/ui/Toast";

/**
 * Defaults: data counts as fresh for 15 s (live updates refresh it sooner), failed reads retry twice unless
 * the host said no (4xx), and failed writes toast their error unless the hook was called with `silent`.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        retry: (failureCount, error) => {
          if (isApiError(error) && !error.isRetryable) return false;
          return failureCount < 2;
        },
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
      },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.silent) return;
        toast.error(mutation.meta?.errorTitle ?? "That did not work", error);
      },
    }),
  });
}
