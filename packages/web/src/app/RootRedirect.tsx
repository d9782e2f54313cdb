import { Building, Plus } from "lucide-react";
import { useEffect, useState } from "react";
import { Link, Navigate } from "react-router";
import { useCompanies } from "@/api/companies";
import { Button, ErrorState } from "@/components/ui";
import { ShellSkeleton } from "./CompanyLayout";
import { NewCompanyDialog } from "./NewCompanyDialog";
import { paths } from "./paths";

/** `/`: opens the first company's dashboard, or welcomes a fresh instance with "Create company". */
export function RootRedirect() {
  const companies = useCompanies();
  if (companies.isPending) return <ShellSkeleton />;
  if (companies.isError) {
    return (
      <div className="flex h-dvh items-center justify-center p-6">
        <ErrorState
          title="Could not load the board"
          error={companies.error}
          onRetry={() => companies.refetch()}
        />
      </div>
    );
  }
  const first = companies.data[0];
  if (first) return <Navigate replace to={paths.dashboard(first.issuePrefix)} />;
  return <Onboarding />;
}

function Onboarding() {
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    document.title = "Welcome · Paperclip";
  }, []);
  return (
    <main className="flex min-h-dvh items-center justify-center bg-sidebar p-6">
      <div className="w-full max-w-md rounded-2xl border bg-card p-8 text-center shadow-sm">
        <div
          aria-hidden
          className="mx-auto mb-5 flex size-12 items-center justify-center rounded-xl bg-primary text-primary-foreground"
        >
          <Building className="size-6" />
        </div>
        <h1 className="text-xl font-semibold tracking-tight">Welcome to Paperclip</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          Paperclip runs companies of AI agents. Start with a company: it holds your agents, projects, goals,
          issues and budget.
        </p>
        <Button size="lg" className="mt-6" onClick={() => setCreating(true)}>
          <Plus aria-hidden />
          Create company
        </Button>
        <p className="mt-4 text-xs text-muted-foreground">
          Plugins are managed in{" "}
          <Link to={paths.plugins()} className="underline underline-offset-2 hover:text-foreground">
            instance settings
          </Link>
          .
        </p>
      </div>
      <NewCompanyDialog open={creating} onOpenChange={setCreating} />
    </main>
  );
}
