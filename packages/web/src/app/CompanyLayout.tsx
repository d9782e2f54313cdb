import { useEffect } from "react";
import { Navigate, Outlet, useLocation, useParams } from "react-router";
import { useCompanies } from "@/api/companies";
import { useCompanyLiveUpdates } from "@/api/live";
import { ErrorState, Skeleton, Spinner } from "@/components/ui";
import { NotFoundPage } from "@/pages/NotFoundPage";
import { AppShell } from "./AppShell";
import { CompanyProvider } from "./CompanyContext";
import { rememberCompany } from "./lastCompany";
import { CompanySidebar } from "./Sidebar";

/**
 * The layout of every `/:prefix/...` route: resolves the prefix to a company (case-insensitively; a
 * differently cased URL is rewritten to the canonical prefix), provides it to pages (useCompany), opens the
 * company's live event stream and draws the shell. An unknown prefix shows Not found with a way back.
 */
export function CompanyLayout() {
  const { prefix = "" } = useParams();
  const location = useLocation();
  const companies = useCompanies();
  const company = companies.data?.find((item) => item.issuePrefix.toLowerCase() === prefix.toLowerCase());

  useCompanyLiveUpdates(company?.id);
  useEffect(() => {
    if (company) rememberCompany(company.issuePrefix);
  }, [company]);

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
  if (!company) {
    return <NotFoundPage standalone title={`No company with the prefix “${prefix}”`} />;
  }
  if (company.issuePrefix !== prefix) {
    const rest = location.pathname.slice(prefix.length + 1);
    return <Navigate replace to={`/${company.issuePrefix}${rest}${location.search}${location.hash}`} />;
  }
  return (
    <CompanyProvider company={company}>
      <AppShell sidebar={<CompanySidebar company={company} />}>
        <Outlet />
      </AppShell>
    </CompanyProvider>
  );
}

/** The shape of the shell while the company list loads (first paint). */
export function ShellSkeleton() {
  return (
    <div className="flex h-dvh overflow-hidden">
      <div className="hidden w-60 shrink-0 flex-col gap-3 border-r border-sidebar-border bg-sidebar p-3 md:flex">
        <Skeleton className="h-8 w-full" />
        <div className="mt-2 grid gap-2.5">
          {[70, 55, 60, 65, 50].map((width) => (
            <Skeleton key={width} className="h-5" style={{ width: `${width}%` }} />
          ))}
        </div>
      </div>
      <div className="flex flex-1 flex-col">
        <div className="h-12 border-b" />
        <div className="flex flex-1 items-center justify-center">
          <Spinner label="Loading the board" className="size-5" />
        </div>
      </div>
    </div>
  );
}
