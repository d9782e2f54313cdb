// The agent's API keys: what an agent (or a script acting as it) authenticates with. A new key's token is shown
// once, with a copy button; the host keeps only its hash. Revoking asks first.

import { KeyRound, Plus, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useAgentKeys, useCreateAgentKey, useRevokeAgentKey } from "@/api/agents";
import { errorMessage } from "@/api/client";
import type { Agent, AgentKey, CreatedAgentKey } from "@/api/types";
import { NewKeyDialog, RevokeKeyDialog } from "@/components/keys/NewKeyDialog";
import {
  Badge,
  Button,
  Card,
  CardAction,
  CardDescription,
  CardHeader,
  CardTitle,
  DialogBody,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  EmptyState,
  Field,
  IconButton,
  Input,
  ListSkeleton,
  QueryView,
  RelativeTime,
} from "@/components/ui";
import { cn } from "@/lib/cn";

export function AgentKeysCard({ agent, className }: { agent: Agent; className?: string }) {
  const keys = useAgentKeys(agent.id);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<AgentKey | null>(null);
  const revoke = useRevokeAgentKey(agent.id, { silent: true });
  const canCreate = agent.status !== "terminated" && agent.status !== "pending_approval";
  const sorted = keys.data
    ? [...keys.data].sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)))
    : undefined;
  return (
    <Card className={cn("flex flex-col", className)} role="region" aria-labelledby="agent-keys-title">
      <CardHeader>
        <div className="min-w-0">
          <CardTitle id="agent-keys-title">API keys</CardTitle>
          <CardDescription>Let {agent.name} call the host's API as itself.</CardDescription>
        </div>
        {canCreate ? (
          <CardAction>
            <Button size="sm" variant="outline" onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              Create key
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <div className="flex-1 border-t">
        <QueryView
          query={{ ...keys, data: sorted }}
          compact
          loading={<ListSkeleton rows={2} />}
          errorTitle="Could not load the keys"
          empty={
            <EmptyState
              compact
              icon={<KeyRound />}
              title="No API keys"
              description="Create one for a script or service that acts as this agent."
            />
          }
        >
          {(list) => (
            <ul className="divide-y" aria-label="API keys">
              {list.map((key) => (
                <li key={key.id} className="flex items-center gap-3 px-4 py-2.5">
                  <KeyRound
                    aria-hidden
                    className={cn(
                      "size-4 shrink-0",
                      key.revokedAt ? "text-muted-foreground/50" : "text-muted-foreground",
                    )}
                  />
                  <div className="min-w-0 flex-1">
                    <div
                      className={cn(
                        "truncate text-sm font-medium",
                        key.revokedAt && "text-muted-foreground line-through",
                      )}
                    >
                      {key.name}
                    </div>
                    <div className="text-xs text-muted-foreground">
                      Created <RelativeTime date={key.createdAt} />
                      {key.lastUsedAt ? (
                        <>
                          {" "}
                          · last used <RelativeTime date={key.lastUsedAt} />
                        </>
                      ) : null}
                    </div>
                  </div>
                  {key.revokedAt ? (
                    <Badge tone="neutral">Revoked</Badge>
                  ) : (
                    <IconButton
                      label={`Revoke key ${key.name}`}
                      icon={<Trash2 />}
                      size="icon-sm"
                      className="text-muted-foreground hover:text-destructive"
                      onClick={() => setRevoking(key)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      </div>
      <NewKeyDialog<CreatedAgentKey>
        open={creating}
        onOpenChange={setCreating}
        tokenTestId="agent-key-token"
        form={(handlers) => <CreateKeyForm agent={agent} {...handlers} />}
      />
      <RevokeKeyDialog revoking={revoking} onClose={() => setRevoking(null)} revoke={revoke.mutateAsync} />
    </Card>
  );
}

function CreateKeyForm({
  agent,
  onCreated,
  onCancel,
}: {
  agent: Agent;
  onCreated: (key: CreatedAgentKey) => void;
  onCancel: () => void;
}) {
  const create = useCreateAgentKey(agent.id, { silent: true });
  const [name, setName] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() || "default" }, { onSuccess: onCreated });
  };
  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>New API key for {agent.name}</DialogTitle>
        <DialogDescription>The token is shown once, right after it is created.</DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Name" hint="Where the key is used, to recognise it later. Empty for “default”.">
          <Input
            value={name}
            maxLength={100}
            autoFocus
            placeholder="ci-runner"
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        {create.error ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(create.error)}
          </p>
        ) : null}
      </DialogBody>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
      </DialogFooter>
    </form>
  );
}
