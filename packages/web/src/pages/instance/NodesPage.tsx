// /instance/settings/nodes: the host nodes sharing this instance's database (docs/scale-out.md) — status,
// heartbeat, version, uptime, the plugin workers each runs and the leases it holds — and a Drain button that stops a
// node claiming work before it is stopped for maintenance. Read again every 5 s; heartbeat ages tick every second.
import { Server } from "lucide-react";
import { useState } from "react";
import { type ClusterNode, type NodeList, useDrainNode, useNodes } from "@/api/nodes";
import { Page } from "@/components/layout/Page";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  EmptyState,
  QueryView,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tooltip,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";
import { plural } from "@/lib/format";
import { useNow } from "@/lib/useNow";

/** "4 s", "12 min", "3 h 5 min", "2 d 4 h". */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export default function NodesPage() {
  const nodes = useNodes();
  const [draining, setDraining] = useState<ClusterNode | null>(null);
  const drain = useDrainNode();
  // Ages are as of the last read; they keep counting between reads.
  const now = useNow();
  const sinceRead = nodes.dataUpdatedAt ? Math.max(0, now - nodes.dataUpdatedAt) : 0;

  return (
    <Page
      title="Nodes"
      description="The host processes sharing this instance's database: their heartbeat, version, plugin workers and leases. Drain a node before stopping it for maintenance."
      breadcrumbs={[{ label: "Instance settings" }, { label: "Nodes" }]}
      width="wide"
    >
      <QueryView
        query={nodes}
        isEmpty={(list: NodeList) => list.nodes.length === 0}
        empty={
          <Card>
            <EmptyState
              icon={<Server />}
              title="No nodes registered"
              description="A host registers here when it starts. Start one with `paperclip start`; several hosts on one PostgreSQL each get a row (docs/scale-out.md)."
            />
          </Card>
        }
      >
        {(list) => (
          <div className="grid gap-4">
            <Summary list={list} />
            <Card className="overflow-hidden">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Node</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Heartbeat</TableHead>
                    <TableHead className="hidden md:table-cell">Version</TableHead>
                    <TableHead className="hidden md:table-cell">Uptime</TableHead>
                    <TableHead>Workers</TableHead>
                    <TableHead className="hidden lg:table-cell">Leases</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.nodes.map((node) => (
                    <NodeRow
                      key={node.nodeId}
                      node={node}
                      sinceRead={sinceRead}
                      onDrain={() => setDraining(node)}
                    />
                  ))}
                </TableBody>
              </Table>
            </Card>
            <p className="text-xs text-muted-foreground">
              A node is unreachable once it has missed three heartbeats. A drained node keeps serving the
              board, the API and its plugin workers; restart it to put it back in service. Stopped and
              unreachable nodes are forgotten after 7 days.
            </p>
          </div>
        )}
      </QueryView>
      <ConfirmDialog
        open={draining !== null}
        onOpenChange={(open) => {
          if (!open) setDraining(null);
        }}
        title={`Drain ${draining?.nodeId ?? "node"}?`}
        description={
          draining ? <DrainDescription node={draining} others={otherActive(nodes.data, draining)} /> : null
        }
        confirmLabel="Drain node"
        destructive
        onConfirm={async () => {
          if (!draining) return;
          await drain.mutateAsync(draining.nodeId);
          toast({
            title: `${draining.nodeId} is draining`,
            description: "It finishes the work in flight and hands its leases to the other nodes.",
          });
        }}
      />
    </Page>
  );
}

function otherActive(list: NodeList | undefined, node: ClusterNode): number {
  return (list?.nodes ?? []).filter((entry) => entry.status === "active" && entry.nodeId !== node.nodeId)
    .length;
}

function DrainDescription({ node, others }: { node: ClusterNode; others: number }) {
  return (
    <>
      It stops claiming job runs, webhook deliveries and event delivery; work in flight finishes and its
      leases go to the other nodes at once. It keeps serving the board and the API, and its plugin workers
      stay up until it stops.{" "}
      {others === 0 ? (
        <strong className="font-medium text-foreground">
          No other node is active: jobs, webhooks and plugin events wait until one starts
          {node.self ? " or this one restarts" : ""}.
        </strong>
      ) : (
        `${plural(others, "other active node")} will take its work.`
      )}
    </>
  );
}

function Summary({ list }: { list: NodeList }) {
  const count = (status: ClusterNode["status"]) => list.nodes.filter((node) => node.status === status).length;
  // A figure that needs attention is coloured (unreachable red, draining amber) when it is not zero.
  const items: Array<[string, number, string]> = [
    ["Active", count("active"), ""],
    ["Draining", count("draining"), "text-amber-600 dark:text-amber-400"],
    ["Unreachable", count("unreachable"), "text-red-600 dark:text-red-400"],
    ["Stopped", count("stopped"), ""],
  ];
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map(([label, value, attention]) => (
        <Card key={label} className="px-4 py-3">
          <p className="text-xs text-muted-foreground">{label}</p>
          <p className={cn("mt-0.5 text-2xl font-semibold tabular-nums", value > 0 && attention)}>{value}</p>
        </Card>
      ))}
    </div>
  );
}

function NodeRow({
  node,
  sinceRead,
  onDrain,
}: {
  node: ClusterNode;
  sinceRead: number;
  onDrain: () => void;
}) {
  const live = node.status === "active" || node.status === "draining";
  const heartbeatAge = node.heartbeatAgeMs + (live ? sinceRead : 0);
  return (
    <TableRow>
      <TableCell className="max-w-xs">
        <div className="flex items-center gap-2">
          <span className="truncate font-mono text-sm font-medium">{node.nodeId}</span>
          {node.self ? <Badge tone="info">This node</Badge> : null}
        </div>
        <p className="truncate text-xs text-muted-foreground">
          {node.hostName} · pid {node.pid}
          {node.url ? ` · ${node.url}` : ""}
        </p>
      </TableCell>
      <TableCell>
        <StatusBadge kind="node" status={node.status} />
      </TableCell>
      <TableCell className="text-sm tabular-nums">
        <Tooltip
          content={`Every ${formatDuration(node.heartbeatIntervalMs)}; last at ${node.lastHeartbeatAt}`}
        >
          <span>{formatDuration(heartbeatAge)} ago</span>
        </Tooltip>
      </TableCell>
      <TableCell className="hidden md:table-cell font-mono text-xs">v{node.version}</TableCell>
      <TableCell className="hidden md:table-cell text-sm tabular-nums">
        {node.uptimeMs === null ? (
          <span className="text-muted-foreground">—</span>
        ) : (
          formatDuration(node.uptimeMs + sinceRead)
        )}
      </TableCell>
      <TableCell>
        <Workers node={node} />
      </TableCell>
      <TableCell className="hidden lg:table-cell">
        <Leases node={node} />
      </TableCell>
      <TableCell className="w-24 text-right">
        <Button
          variant="outline"
          size="sm"
          disabled={node.status !== "active"}
          onClick={onDrain}
          aria-label={`Drain ${node.nodeId}`}
        >
          Drain
        </Button>
      </TableCell>
    </TableRow>
  );
}

function Workers({ node }: { node: ClusterNode }) {
  if (node.workers.length === 0) return <span className="text-xs text-muted-foreground">None</span>;
  const shown = node.workers.slice(0, 3);
  return (
    <div className="flex max-w-72 flex-wrap gap-1">
      {shown.map((worker) => (
        <Tooltip
          key={worker.pluginId}
          content={`${worker.status}${worker.pid ? ` · pid ${worker.pid}` : ""}${worker.version ? ` · v${worker.version}` : ""}`}
        >
          <Badge tone={worker.status === "ready" ? "outline" : "warning"} className="font-mono">
            {worker.pluginKey}
          </Badge>
        </Tooltip>
      ))}
      {node.workers.length > shown.length ? (
        <Badge tone="neutral">+{node.workers.length - shown.length}</Badge>
      ) : null}
    </div>
  );
}

function Leases({ node }: { node: ClusterNode }) {
  const { events, webhookDeliveries, jobRuns } = node.leases;
  if (events.length === 0 && webhookDeliveries === 0 && jobRuns === 0) {
    return <span className="text-xs text-muted-foreground">None</span>;
  }
  return (
    <ul className="grid gap-0.5 text-xs whitespace-nowrap">
      {events.length > 0 ? (
        <li>
          <Tooltip content={`Delivers the events of ${events.map((lease) => lease.pluginKey).join(", ")}`}>
            <span>{plural(events.length, "event stream")}</span>
          </Tooltip>
        </li>
      ) : null}
      {webhookDeliveries > 0 ? (
        <li>{plural(webhookDeliveries, "webhook delivery", "webhook deliveries")}</li>
      ) : null}
      {jobRuns > 0 ? <li>{plural(jobRuns, "job run")}</li> : null}
    </ul>
  );
}
