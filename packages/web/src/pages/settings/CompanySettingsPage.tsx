import { type FormEvent, useEffect, useState } from "react";
import { useNavigate } from "react-router";
import { useUpdateCompany } from "@/api/companies";
import { useAccount } from "@/app/AuthGate";
import { useCompany } from "@/app/CompanyContext";
import { paths } from "@/app/paths";
import { Page, PageSection } from "@/components/layout/Page";
import { Button, Card, ConfirmDialog, Field, Input, StatusBadge, Textarea, toast } from "@/components/ui";
import { formatDate } from "@/lib/format";
import { PluginCompanySettingsLinks } from "@/plugin-slots/surfaces";
import { MembersSection } from "./MembersSection";

export default function CompanySettingsPage() {
  const company = useCompany();
  const { mode } = useAccount();
  const navigate = useNavigate();
  const update = useUpdateCompany(company.id, { errorTitle: "Could not save the settings" });
  const archive = useUpdateCompany(company.id, { silent: true });
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [name, setName] = useState(company.name);
  const [description, setDescription] = useState(company.description ?? "");
  const [budget, setBudget] = useState(
    company.budgetMonthlyCents > 0 ? String(company.budgetMonthlyCents / 100) : "",
  );
  const [approveHires, setApproveHires] = useState(company.requireBoardApprovalForNewAgents);

  // Another tab or a live update changed the company: show the new values.
  useEffect(() => {
    setName(company.name);
    setDescription(company.description ?? "");
    setBudget(company.budgetMonthlyCents > 0 ? String(company.budgetMonthlyCents / 100) : "");
    setApproveHires(company.requireBoardApprovalForNewAgents);
  }, [company]);

  const budgetCents = budget.trim() === "" ? 0 : Math.round(Number(budget) * 100);
  const budgetError =
    !Number.isFinite(budgetCents) || budgetCents < 0 ? "Enter an amount in dollars, like 250" : null;
  const nameError = name.trim() ? null : "The company needs a name";
  const dirty =
    name.trim() !== company.name ||
    (description.trim() || null) !== company.description ||
    budgetCents !== company.budgetMonthlyCents ||
    approveHires !== company.requireBoardApprovalForNewAgents;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (budgetError || nameError) return;
    update.mutate(
      {
        name: name.trim(),
        description: description.trim() || null,
        budgetMonthlyCents: budgetCents,
        requireBoardApprovalForNewAgents: approveHires,
      },
      { onSuccess: () => toast.success("Settings saved") },
    );
  };

  return (
    <Page
      title="Company settings"
      description="Name, description, monthly budget and hiring policy."
      width="narrow"
    >
      <PageSection title="About">
        <Card className="grid gap-3 p-4 text-sm sm:grid-cols-3">
          <div>
            <div className="text-xs text-muted-foreground">Issue prefix</div>
            <div className="mt-0.5 font-mono font-medium">{company.issuePrefix}</div>
          </div>
          <div>
            <div className="text-xs text-muted-foreground">Status</div>
            <div className="mt-0.5">
              <StatusBadge kind="company" status={company.status} />
            </div>
          </div>
          <div>
            <div className="text-xs text-muted-foreground">Created</div>
            <div className="mt-0.5">{formatDate(company.createdAt)}</div>
          </div>
        </Card>
      </PageSection>
      <PageSection title="General">
        <Card className="p-4">
          <form onSubmit={submit} className="grid gap-4" noValidate>
            <Field label="Name" required error={nameError}>
              <Input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
            </Field>
            <Field label="Description">
              <Textarea
                value={description}
                rows={3}
                onChange={(event) => setDescription(event.target.value)}
              />
            </Field>
            <Field label="Monthly budget (USD)" hint="Leave empty for no limit." error={budgetError}>
              <Input
                inputMode="decimal"
                value={budget}
                placeholder="No limit"
                onChange={(event) => setBudget(event.target.value)}
              />
            </Field>
            <label className="flex cursor-pointer items-start gap-2.5 text-sm">
              <input
                type="checkbox"
                checked={approveHires}
                onChange={(event) => setApproveHires(event.target.checked)}
                className="mt-0.5 size-4 cursor-pointer accent-primary"
              />
              <span>
                <span className="font-medium">Board approval for new agents</span>
                <span className="block text-xs text-muted-foreground">
                  Agents that hire another agent must ask the board first (an approval request).
                </span>
              </span>
            </label>
            <div className="flex justify-end">
              <Button
                type="submit"
                disabled={!dirty || Boolean(budgetError || nameError)}
                loading={update.isPending}
              >
                Save changes
              </Button>
            </div>
          </form>
        </Card>
      </PageSection>
      {mode === "authenticated" ? <MembersSection company={company} /> : null}
      <PluginCompanySettingsLinks className="mb-8" />
      <PageSection title="Danger zone">
        <Card className="flex flex-wrap items-center gap-4 border-destructive/30 p-4">
          {company.status === "archived" ? (
            <>
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">This company is archived</p>
                <p className="text-sm text-muted-foreground">Make it active again to let its agents work.</p>
              </div>
              <Button
                variant="outline"
                loading={archive.isPending}
                onClick={() =>
                  archive.mutate(
                    { status: "active" },
                    {
                      onSuccess: () => toast.success(`${company.name} is active again`),
                      onError: (error) => toast.error("Could not reactivate the company", error),
                    },
                  )
                }
              >
                Make active
              </Button>
            </>
          ) : (
            <>
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">Archive this company</p>
                <p className="text-sm text-muted-foreground">
                  Agents stop picking up work. Issues, projects and history are kept.
                </p>
              </div>
              <Button
                variant="outline"
                className="border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive"
                onClick={() => setConfirmArchive(true)}
              >
                Archive company
              </Button>
            </>
          )}
        </Card>
      </PageSection>
      <ConfirmDialog
        open={confirmArchive}
        onOpenChange={setConfirmArchive}
        destructive
        title={`Archive ${company.name}?`}
        description="Its agents stop working on issues. You can make it active again from these settings."
        confirmLabel="Archive company"
        onConfirm={async () => {
          await archive.mutateAsync({ status: "archived" });
          toast.success(`${company.name} archived`);
          navigate(paths.dashboard(company.issuePrefix));
        }}
      />
    </Page>
  );
}
