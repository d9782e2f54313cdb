// The top bar's breadcrumbs are set by the page that is showing (through <Page breadcrumbs>), not by the router,
// because detail pages need loaded data for their last crumb ("ACM-12 · Fix the login").
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

export interface Crumb {
  label: string;
  /** Link target; the last crumb (the current page) has none. */
  to?: string;
}

const SetCrumbsContext = createContext<((crumbs: Crumb[]) => void) | null>(null);
const CrumbsContext = createContext<Crumb[]>([]);

export function BreadcrumbsProvider({ children }: { children: ReactNode }) {
  const [crumbs, setCrumbs] = useState<Crumb[]>([]);
  return (
    <SetCrumbsContext.Provider value={setCrumbs}>
      <CrumbsContext.Provider value={crumbs}>{children}</CrumbsContext.Provider>
    </SetCrumbsContext.Provider>
  );
}

export function useBreadcrumbs(): Crumb[] {
  return useContext(CrumbsContext);
}

/** Sets the top bar's crumbs while the calling component is mounted. */
export function useSetBreadcrumbs(crumbs: Crumb[]): void {
  const set = useContext(SetCrumbsContext);
  const key = JSON.stringify(crumbs);
  useEffect(() => {
    if (!set) return;
    set(JSON.parse(key) as Crumb[]);
    return () => set([]);
  }, [set, key]);
}
