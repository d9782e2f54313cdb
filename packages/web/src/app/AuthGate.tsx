// The sign-in gate. The host says its deployment mode (GET /api/health): in local trusted mode nobody signs in and
// the board opens at once; in authenticated mode the board opens for a signed-in person (GET /api/me) and shows the
// sign-in page otherwise — also when a session ends while the board is open (any 401, see api/client.ts). The URL
// is kept, so signing in lands where the person was going.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo } from "react";
import { type CompanyRole, type DeploymentMode, type Me, useHealth, useMe } from "@/api/account";
import { isApiError, onUnauthorized } from "@/api/client";
import { queryKeys } from "@/api/keys";
import { ErrorState, Spinner } from "@/components/ui";
import { LoginPage } from "./LoginPage";

interface Account {
  mode: DeploymentMode;
  /** null in local trusted mode (the implicit board) */
  me: Me | null;
  /** The signed-in person's role in a company; local trusted mode and instance admins own everything. */
  roleIn(companyId: string): CompanyRole | null;
}

const LOCAL: Account = { mode: "local_trusted", me: null, roleIn: () => "owner" };
const AccountContext = createContext<Account>(LOCAL);

/** Who uses the board (AuthGate provides it above every route). */
export function useAccount(): Account {
  return useContext(AccountContext);
}

function FullPage({ children }: { children: ReactNode }) {
  return <main className="flex min-h-dvh items-center justify-center bg-sidebar p-6">{children}</main>;
}

export function AuthGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const health = useHealth();
  const authenticated = health.data?.deploymentMode === "authenticated";
  const me = useMe(authenticated);

  // A 401 anywhere while signed in means the session is gone: ask /me again, which shows the sign-in page.
  useEffect(() => {
    if (!authenticated) return;
    onUnauthorized(() => {
      const state = queryClient.getQueryState(queryKeys.account.me());
      if (state?.status === "success" && state.fetchStatus !== "fetching") {
        void queryClient.invalidateQueries({ queryKey: queryKeys.account.me() });
      }
    });
    return () => onUnauthorized(null);
  }, [authenticated, queryClient]);

  const account = useMemo<Account>(() => {
    if (!authenticated || !me.data) return LOCAL;
    const data = me.data;
    const roles = new Map(data.memberships.map((membership) => [membership.companyId, membership.role]));
    return {
      mode: "authenticated",
      me: data,
      roleIn: (companyId) => (data.user.isInstanceAdmin ? "owner" : (roles.get(companyId) ?? null)),
    };
  }, [authenticated, me.data]);

  if (health.isPending || (authenticated && me.isPending)) {
    return (
      <FullPage>
        <Spinner label="Loading the board" className="size-5" />
      </FullPage>
    );
  }
  // A host that does not answer its health check: the board shows its own errors page by page.
  if (!authenticated) return <AccountContext.Provider value={LOCAL}>{children}</AccountContext.Provider>;
  if (me.error) {
    if (isApiError(me.error) && me.error.status === 401) return <LoginPage />;
    return (
      <FullPage>
        <ErrorState title="Could not load your account" error={me.error} onRetry={() => me.refetch()} />
      </FullPage>
    );
  }
  return <AccountContext.Provider value={account}>{children}</AccountContext.Provider>;
}
