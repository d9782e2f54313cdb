import { RefreshCw } from "lucide-react";
import { isRouteErrorResponse, useRouteError } from "react-router";
import { Button, ErrorState } from "@/components/ui";
import { NotFoundPage } from "@/pages/NotFoundPage";

/**
 * The router's last line of defence (errorElement of the root route): a page's code failed to load or a
 * layout failed to render. Offers a reload; a stale tab after an upgrade (missing chunk) says so.
 */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage standalone />;
  const message = error instanceof Error ? error.message : String(error);
  const staleBundle =
    /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(message);
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <ErrorState
        title={staleBundle ? "The board was updated" : "The board hit an unexpected error"}
        error={staleBundle ? new Error("Reload to get the latest version.") : error}
        actions={
          <Button size="sm" onClick={() => window.location.reload()}>
            <RefreshCw aria-hidden />
            Reload
          </Button>
        }
      />
    </main>
  );
}
