// Approvals (`/:prefix/approvals`): what agents ask the board to decide — hires, strategies, budget overrides.
// Pending requests can be approved, rejected or sent back for revision, with a note. `?status=` filters
// pending / decided / all.

import { Check, MessageSquareReply, ShieldCheck, X } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useAgentsById } from "@/api/agents";
import { useApprovals, useDecideApproval } from "@/api/approvals";
import { errorMessage } from "@/api/client";
import type { Approval, ApprovalDecision } from "@/api/types";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { Page } from "@/components/layout/Page";
import {
  Avatar,
  Button,
  Card,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  EmptyState,
  Field,
  QueryView,
  RelativeTime,
  StatusBadge,
  Tabs,
  TabsList,
  TabsTrigger,
  Textarea,
  toast,
  useUrlTab,
} from "@/components/ui";
import { formatCents, formatDateTime, humanize } from "@/lib/format";

const FILTERS = ["pending", "decided", "all"] as const;
type Filter = (typeof FILTERS)[number];
const FILTER_LABELS: Record<Filter, string> = { pending: "Pending", decided: "Decided", all: "All" };

const TYPE_TITLES: Record<string, string> = {
  hire_agent: "Hire an agent",
  approve_ceo_strategy: "Approve the CEO's strategy",
  budget_override_required: "Budget override",
  request_board_approval: "Board approval requested",
};

const DECISIONS: Record<
  ApprovalDecision,
  { title: string; confirm: string; done: string; variant: "primary" | "destructive" | "outline" }
> = {
  approve: { title: "Approve", confirm: "Approve", done: "Approved", variant: "primary" },
  reject: { title: "Reject", confirm: "Reject", done: "Rejected", variant: "destructive" },
  "request-revision": {
    title: "Request a revision",
    confirm: "Request revision",
    done: "Revision requested",
    variant: "outline",
  },
};

export default function ApprovalsPage() {
  const company = useCompany();
  const [filter, setFilter] = useUrlTab<Filter>("pending", { param: "status", allowed: FILTERS });
  const approvals = useApprovals(company.id, filter === "pending" ? { status: "pending" } : {});
  const list =
    filter === "decided"
      ? approvals.data?.filter((approval) => approval.status !== "pending")
      : approvals.data;
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: ApprovalDecision } | null>(null);

  return (
    <Page
      title="Approvals"
      description="Decisions agents need from the board: hires, strategies, budget overrides."
    >
      <Tabs value={filter} onValueChange={setFilter} className="mb-4">
        <TabsList aria-label="Filter approvals">
          {FILTERS.map((value) => (
            <TabsTrigger key={value} value={value}>
              {FILTER_LABELS[value]}
            </TabsTrigger>
          ))}
        </TabsList>
      </Tabs>
      <QueryView
        query={{ ...approvals, data: list }}
        empty={
          <Card>
            <EmptyState
              icon={<ShieldCheck />}
              title={filter === "pending" ? "Nothing waiting for you" : "No approvals here"}
              description="Agents ask the board before hiring, changing strategy or going over budget."
            />
          </Card>
        }
      >
        {(items) => (
          <ul aria-label="Approvals" className="grid gap-3">
            {items.map((approval) => (
              <li key={approval.id}>
                <ApprovalCard
                  approval={approval}
                  onDecide={(decision) => setDeciding({ approval, decision })}
                />
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <DecisionDialog deciding={deciding} onClose={() => setDeciding(null)} />
    </Page>
  );
}

/** The payload as label/value pairs; objects and long arrays are shown as JSON. */
function payloadEntries(payload: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(payload).map(([key, value]) => {
    if (typeof value === "number" && /cents$/i.test(key))
      return [humanize(key.replace(/Cents$/, "")), formatCents(value)];
    if (value === null || value === undefined) return [humanize(key), "—"];
    if (typeof value === "object") return [humanize(key), JSON.stringify(value)];
    return [humanize(key), String(value)];
  });
}

function ApprovalCard({
  approval,
  onDecide,
}: {
  approval: Approval;
  onDecide: (decision: ApprovalDecision) => void;
}) {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgentsById(company.id);
  const requester = approval.requestedByAgentId ? agents.get(approval.requestedByAgentId) : undefined;
  const entries = payloadEntries(approval.payload);
  const pending = approval.status === "pending";
  const title = TYPE_TITLES[approval.type] ?? humanize(approval.type);
  return (
    <Card className="p-4" aria-label={title}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-sm font-semibold">{title}</h2>
            <StatusBadge kind="approval" status={approval.status} />
          </div>
          <p className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
            {requester ? (
              <>
                <Avatar name={requester.name} kind="agent" size="sm" />
                <Link to={to.agent(requester.urlKey)} className="font-medium text-foreground hover:underline">
                  {requester.name}
                </Link>
              </>
            ) : (
              <span className="font-medium text-foreground">
                {approval.requestedByAgentId ? "An agent" : "The board"}
              </span>
            )}
            asked <RelativeTime date={approval.createdAt} />
          </p>
        </div>
        {pending ? (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="ghost" onClick={() => onDecide("request-revision")}>
              <MessageSquareReply aria-hidden />
              Request revision
            </Button>
            <Button size="sm" variant="outline" onClick={() => onDecide("reject")}>
              <X aria-hidden />
              Reject
            </Button>
            <Button size="sm" onClick={() => onDecide("approve")}>
              <Check aria-hidden />
              Approve
            </Button>
          </div>
        ) : null}
      </div>
      {entries.length > 0 ? (
        <dl className="mt-3 grid gap-x-6 gap-y-1.5 rounded-md bg-muted/50 p-3 text-sm sm:grid-cols-[max-content_1fr]">
          {entries.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-xs font-medium text-muted-foreground sm:pt-0.5">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {approval.issueIds.length > 0 ? (
        <p className="mt-2 text-xs text-muted-foreground">
          {approval.issueIds.length === 1 ? "1 linked issue" : `${approval.issueIds.length} linked issues`}
        </p>
      ) : null}
      {!pending && (approval.decidedAt || approval.decisionNote) ? (
        <p className="mt-3 border-t pt-3 text-sm text-muted-foreground">
          {approval.decidedAt ? <>Decided {formatDateTime(approval.decidedAt)}</> : "Decided"}
          {approval.decisionNote ? (
            <>
              : <span className="text-foreground">“{approval.decisionNote}”</span>
            </>
          ) : null}
        </p>
      ) : null}
    </Card>
  );
}

function DecisionDialog({
  deciding,
  onClose,
}: {
  deciding: { approval: Approval; decision: ApprovalDecision } | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={deciding !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        {deciding ? (
          <DecisionForm key={deciding.approval.id + deciding.decision} {...deciding} onClose={onClose} />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function DecisionForm({
  approval,
  decision,
  onClose,
}: {
  approval: Approval;
  decision: ApprovalDecision;
  onClose: () => void;
}) {
  const decide = useDecideApproval({ silent: true });
  const [note, setNote] = useState("");
  const meta = DECISIONS[decision];
  const title = TYPE_TITLES[approval.type] ?? humanize(approval.type);
  const noteRequired = decision === "request-revision";
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (noteRequired && !note.trim()) return;
    decide.mutate(
      { approvalId: approval.id, decision, decisionNote: note.trim() || null },
      {
        onSuccess: () => {
          toast.success(`${meta.done}: ${title}`);
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>
          {meta.title}: {title}
        </DialogTitle>
        <DialogDescription>
          {decision === "approve"
            ? "The agent goes ahead. A note is optional."
            : decision === "reject"
              ? "The agent does not go ahead. Say why, so it can adjust."
              : "The agent revises its request and asks again."}
        </DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Decision note" required={noteRequired} hint="Shown to the agent with the decision.">
          <Textarea
            value={note}
            rows={3}
            autoFocus
            maxLength={10_000}
            onChange={(event) => setNote(event.target.value)}
          />
        </Field>
        {decide.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(decide.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant={meta.variant === "outline" ? "primary" : meta.variant}
          loading={decide.isPending}
          disabled={noteRequired && !note.trim()}
        >
          {meta.confirm}
        </Button>
      </DialogFooter>
    </form>
  );
}
