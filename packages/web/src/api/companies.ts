import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Company, CreateCompanyInput, UpdateCompanyInput } from "./types";

export const companiesQuery = () =>
  queryOptions({
    queryKey: queryKeys.companies.list(),
    queryFn: ({ signal }) => api.get<Company[]>("/companies", { limit: 500 }, signal),
    staleTime: 60_000,
  });

export const companyQuery = (companyId: string) =>
  queryOptions({
    queryKey: queryKeys.companies.detail(companyId),
    queryFn: ({ signal }) => api.get<Company>(`/companies/${seg(companyId)}`, undefined, signal),
  });

/** Every company of the instance (the switcher, the `/` redirect, prefix resolution). */
export function useCompanies() {
  return useQuery(companiesQuery());
}

export function useCreateCompany(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: CreateCompanyInput) => api.post<Company>("/companies", input),
    onSuccess: (company) => {
      queryClient.setQueryData<Company[]>(queryKeys.companies.list(), (list) =>
        list ? [...list, company] : [company],
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.companies.all });
    },
  });
}

export function useUpdateCompany(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: UpdateCompanyInput) => api.patch<Company>(`/companies/${seg(companyId)}`, input),
    onSuccess: (company) => {
      queryClient.setQueryData(queryKeys.companies.detail(company.id), company);
      queryClient.setQueryData<Company[]>(queryKeys.companies.list(), (list) =>
        list?.map((item) => (item.id === company.id ? company : item)),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.companies.all });
    },
  });
}

export function useDeleteCompany(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (companyId: string) => api.delete(`/companies/${seg(companyId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.companies.all }),
  });
}
