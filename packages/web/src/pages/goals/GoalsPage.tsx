// Goals as a tree (`/:prefix/goals`): company goals at the top, their sub-goals indented below, each row with its
// level, status and owner, expandable and collapsible; create a goal (top level or under another) and edit one.
// Filters (`?status=`) live in the URL.

import { ChevronRight, MoreHorizontal, Plus, Target } from "lucide-react";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useAgentsById } from "@/api/agents";
import { useGoals } from "@/api/goals";
import { GOAL_LEVELS, GOAL_STATUSES, type Goal } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { Page } from "@/components/layout/Page";
import {
  Avatar,
  Badge,
  Button,
  Card,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
  EmptyState,
  IconButton,
  QueryView,
  StatusBadge,
  statusLabel,
  Tabs,
  TabsList,
  TabsTrigger,
  useUrlTab,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { humanize } from "@/lib/format";
import { GoalDialog } from "./GoalDialog";

interface GoalNode {
  goal: Goal;
  children: GoalNode[];
}

const order = (a: Goal, b: Goal) =>
  GOAL_LEVELS.indexOf(a.level) - GOAL_LEVELS.indexOf(b.level) || a.createdAt.localeCompare(b.createdAt);

/** Goals → a forest by parentId; a goal whose parent is missing (or filtered out) becomes a root. */
export function buildGoalTree(goals: Goal[]): GoalNode[] {
  const nodes = new Map(goals.map((goal) => [goal.id, { goal, children: [] as GoalNode[] }]));
  const roots: GoalNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.goal.parentId ? nodes.get(node.goal.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: GoalNode[]) => {
    list.sort((a, b) => order(a.goal, b.goal));
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

const FILTERS = ["all", ...GOAL_STATUSES] as const;

export default function GoalsPage() {
  const company = useCompany();
  const goals = useGoals(company.id);
  const [filter, setFilter] = useUrlTab<(typeof FILTERS)[number]>("all", {
    param: "status",
    allowed: FILTERS,
  });
  const [dialog, setDialog] = useState<{ goal?: Goal | null; parent?: Goal | null } | null>(null);
  const visible = useMemo(
    () => (filter === "all" ? goals.data : goals.data?.filter((goal) => goal.status === filter)),
    [goals.data, filter],
  );

  return (
    <Page
      title="Goals"
      description="What the company is working toward, from company level down to single tasks."
      actions={
        <Button onClick={() => setDialog({})}>
          <Plus aria-hidden />
          New goal
        </Button>
      }
    >
      <Tabs value={filter} onValueChange={setFilter} className="mb-4">
        <TabsList aria-label="Filter goals by status">
          {FILTERS.map((value) => (
            <TabsTrigger key={value} value={value}>
              {value === "all" ? "All" : statusLabel("goal", value)}
              {goals.data ? (
                <span className="text-xs font-normal text-muted-foreground tabular-nums">
                  {value === "all"
                    ? goals.data.length
                    : goals.data.filter((goal) => goal.status === value).length}
                </span>
              ) : null}
            </TabsTrigger>
          ))}
        </TabsList>
      </Tabs>
      <Card className="overflow-hidden">
        <QueryView
          query={{ ...goals, data: visible }}
          empty={
            <EmptyState
              icon={<Target />}
              title={
                filter === "all" ? "No goals yet" : `No ${statusLabel("goal", filter).toLowerCase()} goals`
              }
              description="Goals give projects and issues a purpose agents can reason about."
              action={
                filter === "all" ? (
                  <Button onClick={() => setDialog({})}>
                    <Plus aria-hidden />
                    New goal
                  </Button>
                ) : undefined
              }
            />
          }
        >
          {(list) => (
            <ul aria-label="Goals" className="divide-y">
              {buildGoalTree(list).map((node) => (
                <GoalBranch
                  key={node.goal.id}
                  node={node}
                  depth={0}
                  onEdit={(goal) => setDialog({ goal })}
                  onAddChild={(parent) => setDialog({ parent })}
                />
              ))}
            </ul>
          )}
        </QueryView>
      </Card>
      <GoalDialog
        open={dialog !== null}
        onOpenChange={(open) => !open && setDialog(null)}
        goal={dialog?.goal}
        parent={dialog?.parent}
      />
    </Page>
  );
}

function GoalBranch({
  node,
  depth,
  onEdit,
  onAddChild,
}: {
  node: GoalNode;
  depth: number;
  onEdit: (goal: Goal) => void;
  onAddChild: (parent: Goal) => void;
}) {
  const [open, setOpen] = useState(true);
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgentsById(company.id);
  const { goal, children } = node;
  const owner = goal.ownerAgentId ? agents.get(goal.ownerAgentId) : undefined;
  return (
    <li>
      <div
        className="group flex min-h-11 items-center gap-2 py-1.5 pr-3 hover:bg-muted/40"
        style={{ paddingLeft: `${0.75 + depth * 1.5}rem` }}
      >
        {children.length > 0 ? (
          <IconButton
            size="icon-sm"
            variant="ghost"
            label={open ? `Collapse ${goal.title}` : `Expand ${goal.title}`}
            aria-expanded={open}
            icon={<ChevronRight className={cn("transition-transform", open && "rotate-90")} />}
            onClick={() => setOpen((value) => !value)}
          />
        ) : (
          <span aria-hidden className="size-7 shrink-0" />
        )}
        <Target aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        <div className="min-w-0 flex-1">
          <Link
            to={to.goal(goal.id)}
            className="block truncate rounded-sm text-sm font-medium hover:underline"
          >
            {goal.title}
          </Link>
          {goal.description ? (
            <p className="truncate text-xs text-muted-foreground">{goal.description}</p>
          ) : null}
        </div>
        {children.length > 0 ? (
          <span className="hidden text-xs text-muted-foreground sm:inline">
            {children.length === 1 ? "1 sub-goal" : `${children.length} sub-goals`}
          </span>
        ) : null}
        <Badge tone="outline" className="hidden w-20 justify-center sm:inline-flex">
          {humanize(goal.level)}
        </Badge>
        <StatusBadge kind="goal" status={goal.status} />
        <span className="hidden w-32 items-center gap-1.5 truncate text-xs text-muted-foreground md:flex">
          {owner ? (
            <>
              <Avatar name={owner.name} kind="agent" size="sm" />
              <span className="truncate">{owner.name}</span>
            </>
          ) : (
            "No owner"
          )}
        </span>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <IconButton
              size="icon-sm"
              variant="ghost"
              label={`Actions for ${goal.title}`}
              icon={<MoreHorizontal />}
            />
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={() => onEdit(goal)}>Edit…</DropdownMenuItem>
            <DropdownMenuItem onSelect={() => onAddChild(goal)}>Add sub-goal…</DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      {open && children.length > 0 ? (
        <ul className="divide-y border-t">
          {children.map((child) => (
            <GoalBranch
              key={child.goal.id}
              node={child}
              depth={depth + 1}
              onEdit={onEdit}
              onAddChild={onAddChild}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
