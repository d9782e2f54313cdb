import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useCompanies } from "@/api/companies";
import type { Company } from "@/api/types";
import {
  Avatar,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { NewCompanyDialog } from "./NewCompanyDialog";
import { paths } from "./paths";

/** The sidebar's company menu: every company of the instance, and "New company…". */
export function CompanySwitcher({ current }: { current: Company | null }) {
  const navigate = useNavigate();
  const companies = useCompanies();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          className={cn(
            "flex h-10 w-full cursor-pointer items-center gap-2.5 rounded-lg px-2 text-left transition-colors hover:bg-sidebar-accent focus-visible:outline-offset-[-2px] data-[state=open]:bg-sidebar-accent",
          )}
          aria-label={current ? `Company: ${current.name}. Switch company` : "Choose a company"}
        >
          {current ? (
            <Avatar name={current.name} kind="company" size="sm" />
          ) : (
            <span className="size-6 rounded-md border border-dashed" aria-hidden />
          )}
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-semibold text-foreground">
              {current?.name ?? "Choose a company"}
            </span>
          </span>
          <ChevronsUpDown aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        </DropdownMenuTrigger>
        <DropdownMenuContent className="w-64" align="start">
          <DropdownMenuLabel>Companies</DropdownMenuLabel>
          {companies.isPending ? (
            <DropdownMenuItem disabled>Loading…</DropdownMenuItem>
          ) : companies.isError ? (
            <DropdownMenuItem onSelect={() => void companies.refetch()}>
              Could not load companies · Retry
            </DropdownMenuItem>
          ) : (
            companies.data.map((company) => (
              <DropdownMenuItem
                key={company.id}
                onSelect={() => navigate(paths.dashboard(company.issuePrefix))}
                className="gap-2.5"
              >
                <Avatar name={company.name} kind="company" size="xs" />
                <span className="min-w-0 flex-1 truncate">{company.name}</span>
                <span className="font-mono text-[11px] text-muted-foreground">{company.issuePrefix}</span>
                {company.id === current?.id ? (
                  <Check aria-label="Current company" className="size-4 text-foreground" />
                ) : (
                  <span className="size-4" />
                )}
              </DropdownMenuItem>
            ))
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden />
            New company…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <NewCompanyDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
