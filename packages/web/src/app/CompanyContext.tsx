import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { Company } from "@/api/types";
import { bindCompanyPaths, type CompanyPaths } from "./paths";

interface CompanyContextValue {
  company: Company;
  paths: CompanyPaths;
}

const CompanyContext = createContext<CompanyContextValue | null>(null);

export function CompanyProvider({ company, children }: { company: Company; children: ReactNode }) {
  const value = useMemo(() => ({ company, paths: bindCompanyPaths(company.issuePrefix) }), [company]);
  return <CompanyContext.Provider value={value}>{children}</CompanyContext.Provider>;
}

/**
 * The company named by the URL prefix (`/ACM/...`). Only for components under a company route (every page
 * in src/pages except the instance settings); it throws elsewhere. The layout resolves the prefix before any
 * page renders, so pages never see a loading company.
 */
export function useCompany(): Company {
  const value = useContext(CompanyContext);
  if (!value) throw new Error("useCompany() is used outside a company route (/:prefix/...)");
  return value.company;
}

/** The current company, or null outside company routes (instance settings, the sidebar of /instance). */
export function useOptionalCompany(): Company | null {
  return useContext(CompanyContext)?.company ?? null;
}

/** Link builders for the current company: `const to = useCompanyPaths(); <Link to={to.issue("ACM-1")}>`. */
export function useCompanyPaths(): CompanyPaths {
  const value = useContext(CompanyContext);
  if (!value) throw new Error("useCompanyPaths() is used outside a company route (/:prefix/...)");
  return value.paths;
}
