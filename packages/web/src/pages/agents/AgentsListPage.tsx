import { Bot } from "lucide-react";
import { Link } from "react-router";
import { useAgents } from "@/api/agents";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { Page } from "@/components/layout/Page";
import {
  Avatar,
  Card,
  EmptyState,
  QueryView,
  RelativeTime,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";
import { formatCents, humanize } from "@/lib/format";

export default function AgentsListPage() {
  const company = useCompany();
  const to = useCompanyPaths();
  const agents = useAgents(company.id);
  return (
    <Page title="Agents" description="The AI workers of the company, their status and spend this month.">
      <Card className="overflow-hidden">
        <QueryView
          query={agents}
          empty={
            <EmptyState
              icon={<Bot />}
              title="No agents yet"
              description="Agents pick up issues, run on a heartbeat and report their costs."
            />
          }
        >
          {(list) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Agent</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Adapter</TableHead>
                  <TableHead className="text-right">Spend this month</TableHead>
                  <TableHead className="text-right">Last heartbeat</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((agent) => (
                  <TableRow key={agent.id}>
                    <TableCell>
                      <Link to={to.agent(agent.urlKey)} className="flex items-center gap-2.5 hover:underline">
                        <Avatar name={agent.name} kind="agent" size="md" />
                        <span>
                          <span className="block font-medium">{agent.name}</span>
                          {agent.title ? (
                            <span className="block text-xs text-muted-foreground">{agent.title}</span>
                          ) : null}
                        </span>
                      </Link>
                    </TableCell>
                    <TableCell>
                      {agent.role.length <= 3 ? agent.role.toUpperCase() : humanize(agent.role)}
                    </TableCell>
                    <TableCell>
                      <StatusBadge kind="agent" status={agent.status} />
                    </TableCell>
                    <TableCell className="font-mono text-xs">{agent.adapterType}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatCents(agent.spentMonthlyCents)}
                      {agent.budgetMonthlyCents > 0 ? (
                        <span className="text-muted-foreground">
                          {" "}
                          / {formatCents(agent.budgetMonthlyCents, { whole: true })}
                        </span>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-right text-xs text-muted-foreground">
                      {agent.lastHeartbeatAt ? <RelativeTime date={agent.lastHeartbeatAt} /> : "Never"}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryView>
      </Card>
    </Page>
  );
}
