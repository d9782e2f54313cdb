import { FolderOpen } from "lucide-react";
import { Link } from "react-router";
import { useAgentsById } from "@/api/agents";
import { useProjects } from "@/api/projects";
import { useCompany, useCompanyPaths } from "@/app/CompanyContext";
import { Page } from "@/components/layout/Page";
import {
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
import { formatDate, formatNumber } from "@/lib/format";

export default function ProjectsListPage() {
  const company = useCompany();
  const to = useCompanyPaths();
  const projects = useProjects(company.id);
  const agents = useAgentsById(company.id);
  return (
    <Page title="Projects" description="Groups of issues working toward the company's goals.">
      <Card className="overflow-hidden">
        <QueryView
          query={projects}
          empty={
            <EmptyState
              icon={<FolderOpen />}
              title="No projects yet"
              description="Projects group related issues and give agents a shared workspace."
            />
          }
        >
          {(list) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Issues</TableHead>
                  <TableHead>Lead</TableHead>
                  <TableHead>Target date</TableHead>
                  <TableHead className="text-right">Updated</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((project) => (
                  <TableRow key={project.id}>
                    <TableCell className="font-medium">
                      <Link to={to.project(project.urlKey)} className="hover:underline">
                        {project.name}
                      </Link>
                      {project.description ? (
                        <p className="max-w-md truncate text-xs font-normal text-muted-foreground">
                          {project.description}
                        </p>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <StatusBadge kind="project" status={project.status} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatNumber(project.taskCount ?? 0)}
                    </TableCell>
                    <TableCell>
                      {project.leadAgentId ? (agents.get(project.leadAgentId)?.name ?? "—") : "—"}
                    </TableCell>
                    <TableCell>{project.targetDate ? formatDate(project.targetDate) : "—"}</TableCell>
                    <TableCell className="text-right text-xs text-muted-foreground">
                      <RelativeTime date={project.updatedAt} />
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
