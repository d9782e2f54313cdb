import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { errorMessage } from "@/api/client";
import { useCreateCompany } from "@/api/companies";
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  Input,
  Textarea,
  toast,
} from "@/components/ui";
import { paths } from "./paths";

/** Creates a company and opens its dashboard. */
export function NewCompanyDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const navigate = useNavigate();
  const create = useCreateCompany({ silent: true });
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [budget, setBudget] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);

  const budgetCents = budget.trim() === "" ? undefined : Math.round(Number(budget) * 100);
  const budgetError =
    budgetCents !== undefined && (!Number.isFinite(budgetCents) || budgetCents < 0)
      ? "Enter an amount in dollars, like 250"
      : null;

  const reset = () => {
    setName("");
    setDescription("");
    setBudget("");
    setNameError(null);
    create.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError("Give the company a name");
      return;
    }
    if (budgetError) return;
    create.mutate(
      {
        name: name.trim(),
        description: description.trim() || null,
        ...(budgetCents !== undefined ? { budgetMonthlyCents: budgetCents } : {}),
      },
      {
        onSuccess: (company) => {
          toast.success(
            `${company.name} created`,
            `Its issues are numbered ${company.issuePrefix}-1, ${company.issuePrefix}-2, …`,
          );
          onOpenChange(false);
          reset();
          navigate(paths.dashboard(company.issuePrefix));
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
    >
      <DialogContent width="md">
        <form onSubmit={submit} className="grid gap-5" noValidate>
          <DialogHeader>
            <DialogTitle>New company</DialogTitle>
            <DialogDescription>
              A company has its own agents, projects, issues and budget. Its issue prefix is taken from the
              name.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-4">
            <Field label="Name" required error={nameError}>
              <Input
                autoFocus
                value={name}
                maxLength={200}
                placeholder="Acme Robotics"
                onChange={(event) => {
                  setName(event.target.value);
                  if (nameError) setNameError(null);
                }}
              />
            </Field>
            <Field label="Description" hint="Optional. What the company is for.">
              <Textarea
                value={description}
                rows={3}
                onChange={(event) => setDescription(event.target.value)}
              />
            </Field>
            <Field
              label="Monthly budget (USD)"
              hint="Optional. Leave empty for no limit."
              error={budgetError}
            >
              <Input
                inputMode="decimal"
                value={budget}
                placeholder="500"
                onChange={(event) => setBudget(event.target.value)}
              />
            </Field>
            {create.error ? (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(create.error)}
              </p>
            ) : null}
          </div>
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create company
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
