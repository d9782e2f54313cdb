// The Nodes tab: every host node's worker of this plugin (GET /api/plugins/:id/nodes, docs/scale-out.md) — its
// state, pid, version and since when — with the node's own liveness, so an operator sees at a glance whether every
// node serves the plugin and why one does not.
import { Server } from "lucide-react";
import { type NodeWorkerStatus, type PluginNodeWorker, usePluginNodes } from "@/api/plugin-nodes";
import {
  Badge,
  type BadgeTone,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  QueryView,
  RelativeTime,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";

const WORKER_TONES: Record<NodeWorkerStatus, BadgeTone> = {
  ready: "success",
  starting: "info",
  restarting: "info",
  crashed: "warning",
  error: "danger",
  stopped: "neutral",
};

const NODE_TONES: Record<string, BadgeTone> = {
  active: "success",
  draining: "warning",
  unreachable: "danger",
  stopped: "neutral",
};

export function PluginNodesTab({ pluginId }: { pluginId: string }) {
  const nodes = usePluginNodes(pluginId);
  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <Server aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
        <div>
          <CardTitle>Workers by node</CardTitle>
          <CardDescription>
            Every host node sharing this database runs its own worker of the plugin; a single host shows one
            row. Refreshed every 5 seconds.
          </CardDescription>
        </div>
      </CardHeader>
      <QueryView
        query={nodes}
        loading={
          <CardContent>
            <Skeleton className="h-24 w-full" />
          </CardContent>
        }
        errorTitle="Could not load the plugin's workers"
        isEmpty={(data) => data.nodes.length === 0}
        empty={
          <EmptyState
            compact
            icon={<Server />}
            title="No worker has run yet"
            description="A node lists its worker here once it starts one for this plugin."
          />
        }
      >
        {(data) => (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Node</TableHead>
                <TableHead>Worker</TableHead>
                <TableHead>PID</TableHead>
                <TableHead>Version</TableHead>
                <TableHead>Since</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.nodes.map((worker) => (
                <WorkerRow key={worker.nodeId} worker={worker} />
              ))}
            </TableBody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}

function WorkerRow({ worker }: { worker: PluginNodeWorker }) {
  return (
    <TableRow>
      <TableCell>
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="font-mono text-sm">{worker.nodeId}</span>
          {worker.self ? <Badge tone="outline">this node</Badge> : null}
          {worker.nodeStatus && worker.nodeStatus !== "active" ? (
            <Badge tone={NODE_TONES[worker.nodeStatus] ?? "neutral"}>node {worker.nodeStatus}</Badge>
          ) : null}
        </div>
      </TableCell>
      <TableCell>
        <div className="grid gap-1">
          <Badge tone={WORKER_TONES[worker.status]}>{worker.status}</Badge>
          {worker.lastError && worker.status !== "ready" ? (
            <p className="max-w-md text-xs break-words text-red-700 dark:text-red-300">{worker.lastError}</p>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="font-mono text-sm tabular-nums">{worker.pid ?? "—"}</TableCell>
      <TableCell className="font-mono text-sm">{worker.version ? `v${worker.version}` : "—"}</TableCell>
      <TableCell className="text-sm text-muted-foreground">
        <RelativeTime date={worker.startedAt ?? worker.updatedAt} />
      </TableCell>
    </TableRow>
  );
}
