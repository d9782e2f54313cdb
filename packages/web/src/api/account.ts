// Signing in and what belongs to the signed-in person (authenticated mode, docs/authentication.md): the deployment
// mode (GET /health), who I am and my companies with my role (GET /me), sign in and out (better-auth under
// /api/auth), my API keys, and a company's members.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";

export type DeploymentMode = "local_trusted" | "authenticated";
export type CompanyRole = "owner" | "member" | "viewer";

export interface HostHealth {
  status: string;
  version: string;
  deploymentMode: DeploymentMode;
}

export interface AccountUser {
  id: string;
  name: string;
  email: string | null;
  isInstanceAdmin: boolean;
}

export interface Membership {
  companyId: string;
  companyName: string;
  issuePrefix: string;
  role: CompanyRole;
}

export interface Me {
  mode: DeploymentMode;
  user: AccountUser;
  memberships: Membership[];
}

export interface UserApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedUserApiKey extends UserApiKey {
  token: string;
}

export interface CompanyMember {
  userId: string;
  name: string;
  email: string;
  role: CompanyRole;
  createdAt: string;
}

export const ROLE_LABELS: Record<CompanyRole, string> = {
  owner: "Owner",
  member: "Member",
  viewer: "Viewer",
};
export const ROLE_HINTS: Record<CompanyRole, string> = {
  owner: "Everything, including members, secrets and the company's settings",
  member: "Works on issues, agents, projects and goals",
  viewer: "Reads everything, changes nothing",
};

export const healthQuery = () =>
  queryOptions({
    queryKey: queryKeys.account.health(),
    queryFn: ({ signal }) => api.get<HostHealth>("/health", undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The host's deployment mode (it does not change while the board is open). */
export function useHealth() {
  return useQuery(healthQuery());
}

/** Who is signed in; a 401 means nobody (the gate shows the sign-in page). Never retried. */
export function useMe(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.account.me(),
    queryFn: ({ signal }) => api.get<Me>("/me", undefined, signal),
    enabled,
    retry: false,
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta({ silent: true }),
    mutationFn: (input: { email: string; password: string }) =>
      api.post<{ user: AccountUser }>("/auth/sign-in/email", input),
    // Everything cached belonged to nobody (or to someone else): start over as the new person.
    onSuccess: async () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "account" });
      await queryClient.invalidateQueries({ queryKey: queryKeys.account.me() });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta({ errorTitle: "Could not sign out" }),
    mutationFn: () => api.post<{ success: boolean }>("/auth/sign-out", {}),
    onSuccess: async () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "account" });
      queryClient.removeQueries({ queryKey: queryKeys.account.apiKeys() });
      await queryClient.invalidateQueries({ queryKey: queryKeys.account.me() });
    },
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.account.apiKeys(),
    queryFn: ({ signal }) => api.get<UserApiKey[]>("/me/api-keys", undefined, signal),
  });
}

export function useCreateApiKey(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { name: string; expiresInDays?: number }) =>
      api.post<CreatedUserApiKey>("/me/api-keys", input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.apiKeys() }),
  });
}

export function useRevokeApiKey(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (keyId: string) => api.delete<UserApiKey>(`/me/api-keys/${seg(keyId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.apiKeys() }),
  });
}

export function useMembers(companyId: string) {
  return useQuery({
    queryKey: queryKeys.account.members(companyId),
    queryFn: ({ signal }) =>
      api.get<CompanyMember[]>(`/companies/${seg(companyId)}/members`, undefined, signal),
  });
}

function useMembersMutation<I, R>(
  companyId: string,
  run: (input: I) => Promise<R>,
  options?: MutationHookOptions,
) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.members(companyId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.me() });
    },
  });
}

export function useAddMember(companyId: string, options?: MutationHookOptions) {
  return useMembersMutation(
    companyId,
    (input: { email: string; role: CompanyRole }) =>
      api.post<CompanyMember>(`/companies/${seg(companyId)}/members`, input),
    options,
  );
}

export function useSetMemberRole(companyId: string, options?: MutationHookOptions) {
  return useMembersMutation(
    companyId,
    (input: { userId: string; role: CompanyRole }) =>
      api.patch<CompanyMember>(`/companies/${seg(companyId)}/members/${seg(input.userId)}`, {
        role: input.role,
      }),
    options,
  );
}

export function useRemoveMember(companyId: string, options?: MutationHookOptions) {
  return useMembersMutation(
    companyId,
    (userId: string) => api.delete(`/companies/${seg(companyId)}/members/${seg(userId)}`),
    options,
  );
}
