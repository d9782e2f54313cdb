// Conventions shared by every mutation hook in src/api.
//
// A failed mutation shows an error toast automatically (app/queryClient.ts). A form that shows the error
// inline instead passes `{ silent: true }` to the hook: `useCreateIssue(company.id, { silent: true })`.

// A type alias (not an interface) so it satisfies TanStack's `Record<string, unknown>` constraint on meta.
export type MutationHookOptions = {
  /** Skip the automatic error toast (the caller shows the error itself). */
  silent?: boolean;
  /** Title of the automatic error toast ("Could not save the issue"). */
  errorTitle?: string;
};

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: MutationHookOptions;
  }
}

export const mutationMeta = (options: MutationHookOptions = {}): MutationHookOptions => options;
