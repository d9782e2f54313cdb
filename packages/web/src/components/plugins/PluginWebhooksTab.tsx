// The Webhooks tab: the plugin's endpoints (with the URL senders post to) and the deliveries it received,
// filtered by status; a delivery opens in a dialog with its headers, payload, raw body and error, and "Replay"
// hands it to the plugin again.
import { Copy, RotateCcw, Webhook } from "lucide-react";
import { useState } from "react";
import { errorMessage } from "@/api/client";
import {
  type PluginDetail,
  useReplayDelivery,
  useWebhookDeliveries,
  useWebhookDelivery,
  type WebhookDelivery,
} from "@/api/plugins";
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  EmptyState,
  ErrorState,
  Field,
  IconButton,
  ListSkeleton,
  QueryView,
  RelativeTime,
  Select,
  StatusBadge,
  statusLabel,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from "@/components/ui";
import { formatDateTime } from "@/lib/format";
import { formatBytes, formatDuration, prettyJson } from "./format";

const STATUSES = ["pending", "queued", "success", "failed"] as const;
const ALL = "all";

interface EndpointDeclaration {
  endpointKey: string;
  displayName?: string;
  description?: string;
}

export function PluginWebhooksTab({ plugin }: { plugin: PluginDetail }) {
  const [status, setStatus] = useState<string>(ALL);
  const [openId, setOpenId] = useState<string | null>(null);
  const deliveries = useWebhookDeliveries(plugin.id, status === ALL ? {} : { status });
  const endpoints = (
    Array.isArray(plugin.manifestJson?.webhooks) ? plugin.manifestJson.webhooks : []
  ) as EndpointDeclaration[];
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <div className="grid gap-4">
      {endpoints.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>Endpoints</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="grid gap-2">
              {endpoints.map((endpoint) => {
                const url = `${origin}/api/plugins/${encodeURIComponent(plugin.pluginKey)}/webhooks/${encodeURIComponent(endpoint.endpointKey)}`;
                return (
                  <li key={endpoint.endpointKey} className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-medium">{endpoint.displayName ?? endpoint.endpointKey}</span>
                    <Badge tone="outline">POST</Badge>
                    <code className="min-w-0 break-all rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                      {url}
                    </code>
                    <IconButton
                      label={`Copy the URL of ${endpoint.displayName ?? endpoint.endpointKey}`}
                      icon={<Copy />}
                      size="icon-sm"
                      onClick={() =>
                        void navigator.clipboard?.writeText(url).then(
                          () => toast.success("URL copied"),
                          () => toast.error("Could not copy the URL"),
                        )
                      }
                    />
                    {endpoint.description ? (
                      <span className="w-full text-xs text-muted-foreground">{endpoint.description}</span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </CardContent>
        </Card>
      ) : null}

      <Card className="overflow-hidden">
        <div className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
          <h2 className="mr-auto text-sm font-semibold">Deliveries</h2>
          <Field label="Status" className="w-40">
            <Select
              value={status}
              onValueChange={setStatus}
              options={[
                { value: ALL, label: "All" },
                ...STATUSES.map((value) => ({ value, label: statusLabel("delivery", value) })),
              ]}
            />
          </Field>
        </div>
        <QueryView
          query={deliveries}
          loading={<ListSkeleton rows={5} />}
          empty={
            <EmptyState
              compact
              icon={<Webhook />}
              title={
                status === ALL
                  ? "No deliveries yet"
                  : `No ${statusLabel("delivery", status).toLowerCase()} deliveries`
              }
              description={
                endpoints.length
                  ? "Requests to the endpoints above show up here."
                  : "This plugin declares no webhook endpoints."
              }
            />
          }
        >
          {(list) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Received</TableHead>
                  <TableHead>Endpoint</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="hidden md:table-cell">Size</TableHead>
                  <TableHead className="hidden md:table-cell">Duration</TableHead>
                  <TableHead className="hidden lg:table-cell">Error</TableHead>
                  <TableHead>
                    <span className="sr-only">Details</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((delivery) => (
                  <DeliveryRow key={delivery.id} delivery={delivery} onOpen={() => setOpenId(delivery.id)} />
                ))}
              </TableBody>
            </Table>
          )}
        </QueryView>
      </Card>
      {openId ? (
        <DeliveryDialog pluginId={plugin.id} deliveryId={openId} onClose={() => setOpenId(null)} />
      ) : null}
    </div>
  );
}

function DeliveryRow({ delivery, onOpen }: { delivery: WebhookDelivery; onOpen: () => void }) {
  return (
    <TableRow>
      <TableCell className="text-xs">
        <RelativeTime date={delivery.createdAt} />
        {delivery.replayOf ? <Badge className="ml-1.5">replay</Badge> : null}
      </TableCell>
      <TableCell className="font-mono text-xs">{delivery.webhookKey}</TableCell>
      <TableCell>
        <StatusBadge kind="delivery" status={delivery.status} />
      </TableCell>
      <TableCell className="hidden md:table-cell text-xs text-muted-foreground">
        {formatBytes(delivery.bodyBytes)}
      </TableCell>
      <TableCell className="hidden md:table-cell text-xs text-muted-foreground">
        {formatDuration(delivery.durationMs)}
      </TableCell>
      <TableCell className="hidden lg:table-cell max-w-72 truncate text-xs text-destructive">
        {delivery.error ?? ""}
      </TableCell>
      <TableCell className="text-right">
        <Button variant="ghost" size="sm" onClick={onOpen}>
          Details
        </Button>
      </TableCell>
    </TableRow>
  );
}

function DeliveryDialog({
  pluginId,
  deliveryId,
  onClose,
}: {
  pluginId: string;
  deliveryId: string;
  onClose: () => void;
}) {
  const detail = useWebhookDelivery(pluginId, deliveryId);
  const replay = useReplayDelivery(pluginId, { silent: true });
  const data = detail.data;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent width="xl">
        <DialogHeader>
          <DialogTitle>Webhook delivery</DialogTitle>
          <DialogDescription className="font-mono text-xs">{deliveryId}</DialogDescription>
        </DialogHeader>
        {detail.isError ? (
          <ErrorState compact error={detail.error} onRetry={() => detail.refetch()} />
        ) : !data ? (
          <ListSkeleton rows={6} />
        ) : (
          <div className="grid gap-4 text-sm">
            <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-3">
              <Meta label="Status">
                <StatusBadge kind="delivery" status={data.status} />
              </Meta>
              <Meta label="Endpoint">
                <span className="font-mono text-xs">{data.webhookKey}</span>
              </Meta>
              <Meta label="Received">{formatDateTime(data.createdAt)}</Meta>
              <Meta label="Attempts">{data.attempts}</Meta>
              <Meta label="Duration">{formatDuration(data.durationMs)}</Meta>
              <Meta label="Body">
                {formatBytes(data.bodyBytes)}{" "}
                {data.contentType ? (
                  <span className="text-muted-foreground">· {data.contentType}</span>
                ) : null}
              </Meta>
              {data.externalId ? (
                <Meta label="Sender's id">
                  <span className="font-mono text-xs">{data.externalId}</span>
                </Meta>
              ) : null}
              {data.nextAttemptAt ? (
                <Meta label="Next attempt">{formatDateTime(data.nextAttemptAt)}</Meta>
              ) : null}
            </dl>
            {data.error ? (
              <p className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 font-mono text-xs break-words text-destructive">
                {data.error}
              </p>
            ) : null}
            <Block title="Headers" text={prettyJson(data.headers)} />
            <Block title="Payload" text={prettyJson(data.payload)} />
            {data.rawBody ? <Block title="Raw body" text={data.rawBody} /> : null}
            {replay.isError ? (
              <p role="alert" className="text-sm text-destructive">
                Replay failed: {errorMessage(replay.error)}
              </p>
            ) : null}
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
          <Button
            loading={replay.isPending}
            disabled={!data}
            onClick={() =>
              replay.mutate(
                { deliveryId },
                {
                  onSuccess: () => {
                    toast.success("Delivery replayed");
                    onClose();
                  },
                },
              )
            }
          >
            <RotateCcw aria-hidden />
            Replay
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Block({ title, text }: { title: string; text: string }) {
  return (
    <section>
      <h3 className="mb-1 text-xs font-medium text-muted-foreground">{title}</h3>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        className="max-h-56 overflow-auto rounded-md bg-muted/50 p-2.5 font-mono text-xs whitespace-pre-wrap break-words scrollbar-thin"
      >
        {text}
      </pre>
    </section>
  );
}
