// Create or edit a goal: title, description, level, status, parent goal and owner agent. Used by the goals
// tree and the goal detail page. A goal cannot become its own ancestor: its descendants are not offered as parents.

import { type FormEvent, useState } from "react";
import { useAgents } from "@/api/agents";
import { errorMessage } from "@/api/client";
import { useCreateGoal, useGoals, useUpdateGoal } from "@/api/goals";
import {
  GOAL_LEVELS,
  GOAL_STATUSES,
  type Goal,
  type GoalInput,
  type GoalLevel,
  type GoalStatus,
} from "@/api/types";
import { useCompany } from "@/app/CompanyContext";
import {
  Button,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Field,
  Input,
  Select,
  statusLabel,
  Textarea,
  toast,
} from "@/components/ui";
import { humanize } from "@/lib/format";

const NONE = "none";

/** Ids of `goalId` and every goal below it. */
export function descendantsOf(goals: Goal[], goalId: string): Set<string> {
  const result = new Set([goalId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const goal of goals) {
      if (goal.parentId && result.has(goal.parentId) && !result.has(goal.id)) {
        result.add(goal.id);
        grew = true;
      }
    }
  }
  return result;
}

export interface GoalDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The goal to edit; null creates one. */
  goal?: Goal | null;
  /** For a new goal: its parent. */
  parent?: Goal | null;
  onSaved?: (goal: Goal) => void;
}

export function GoalDialog({ open, onOpenChange, goal = null, parent = null, onSaved }: GoalDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open ? (
          <GoalForm
            key={goal?.id ?? `new-${parent?.id ?? "root"}`}
            goal={goal}
            parent={parent}
            onDone={(saved) => {
              onOpenChange(false);
              if (saved) onSaved?.(saved);
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

/** A new goal sits one level below its parent. */
function levelBelow(parent: Goal | null): GoalLevel {
  if (!parent) return "company";
  const index = GOAL_LEVELS.indexOf(parent.level);
  return GOAL_LEVELS[Math.min(index + 1, GOAL_LEVELS.length - 1)]!;
}

function GoalForm({
  goal,
  parent,
  onDone,
}: {
  goal: Goal | null;
  parent: Goal | null;
  onDone: (saved: Goal | null) => void;
}) {
  const company = useCompany();
  const goals = useGoals(company.id);
  const agents = useAgents(company.id);
  const create = useCreateGoal(company.id, { silent: true });
  const update = useUpdateGoal(goal?.id ?? "", { silent: true });
  const mutation = goal ? update : create;
  const [title, setTitle] = useState(goal?.title ?? "");
  const [description, setDescription] = useState(goal?.description ?? "");
  const [level, setLevel] = useState<GoalLevel>(goal?.level ?? levelBelow(parent));
  const [status, setStatus] = useState<GoalStatus>(goal?.status ?? "planned");
  const [parentId, setParentId] = useState<string>(goal ? (goal.parentId ?? NONE) : (parent?.id ?? NONE));
  const [ownerAgentId, setOwnerAgentId] = useState<string>(goal?.ownerAgentId ?? NONE);
  const [submitted, setSubmitted] = useState(false);

  const excluded = goal ? descendantsOf(goals.data ?? [], goal.id) : new Set<string>();
  const parentOptions = [
    { value: NONE, label: "No parent (top level)" },
    ...(goals.data ?? [])
      .filter((candidate) => !excluded.has(candidate.id))
      .map((candidate) => ({
        value: candidate.id,
        label: `${candidate.title} · ${humanize(candidate.level)}`,
      })),
  ];
  const ownerOptions = [
    { value: NONE, label: "No owner" },
    ...(agents.data ?? []).map((agent) => ({ value: agent.id, label: agent.name })),
  ];
  const titleError = title.trim() ? null : "The goal needs a title";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (titleError) return;
    const input: GoalInput = {
      title: title.trim(),
      description: description.trim() || null,
      level,
      status,
      parentId: parentId === NONE ? null : parentId,
      ownerAgentId: ownerAgentId === NONE ? null : ownerAgentId,
    };
    const onSuccess = (saved: Goal) => {
      toast.success(goal ? "Goal saved" : "Goal created");
      onDone(saved);
    };
    if (goal) update.mutate(input, { onSuccess });
    else create.mutate(input, { onSuccess });
  };

  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>
          {goal ? "Edit goal" : parent ? `New goal under ${parent.title}` : "New goal"}
        </DialogTitle>
        <DialogDescription>
          Goals give projects and issues a purpose agents can reason about.
        </DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Title" required error={submitted ? titleError : null}>
          <Input
            value={title}
            maxLength={500}
            autoFocus
            placeholder="Ship the v2 robot arm"
            onChange={(event) => setTitle(event.target.value)}
          />
        </Field>
        <Field label="Description">
          <Textarea value={description} rows={3} onChange={(event) => setDescription(event.target.value)} />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Level">
            <Select
              value={level}
              onValueChange={setLevel}
              options={GOAL_LEVELS.map((value) => ({ value, label: humanize(value) }))}
            />
          </Field>
          <Field label="Status">
            <Select
              value={status}
              onValueChange={setStatus}
              options={GOAL_STATUSES.map((value) => ({ value, label: statusLabel("goal", value) }))}
            />
          </Field>
          <Field label="Parent goal">
            <Select value={parentId} onValueChange={setParentId} options={parentOptions} />
          </Field>
          <Field label="Owner">
            <Select value={ownerAgentId} onValueChange={setOwnerAgentId} options={ownerOptions} />
          </Field>
        </div>
        {mutation.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(mutation.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={() => onDone(null)}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending}>
          {goal ? "Save goal" : "Create goal"}
        </Button>
      </DialogFooter>
    </form>
  );
}
