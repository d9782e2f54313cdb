// The signed-in person's API keys (authenticated mode): scripts send one as `Authorization: Bearer pck_…` and act as
// this person, with their roles. A new key's token is shown once; the host keeps only its hash. Revoking asks first.
import { KeyRound, Plus, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import {
  type CreatedUserApiKey,
  type UserApiKey,
  useApiKeys,
  useCreateApiKey,
  useRevokeApiKey,
} from "@/api/account";
import { errorMessage } from "@/api/client";
import { useAccount } from "@/app/AuthGate";
import { NewKeyDialog, RevokeKeyDialog } from "@/components/keys/NewKeyDialog";
import { Page } from "@/components/layout/Page";
import {
  Badge,
  Button,
  Card,
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
  Select,
} from "@/components/ui";
import { cn } from "@/lib/cn";

const EXPIRY_OPTIONS = [
  { value: "never", label: "Never (until revoked)" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
] as const;
type Expiry = (typeof EXPIRY_OPTIONS)[number]["value"];

function keyState(key: UserApiKey): "revoked" | "expired" | "active" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return "expired";
  return "active";
}

export default function ApiKeysPage() {
  const { mode } = useAccount();
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<UserApiKey | null>(null);
  const revoke = useRevokeApiKey({ silent: true });
  const sorted = keys.data
    ? [...keys.data].sort((a, b) => Number(keyState(a) !== "active") - Number(keyState(b) !== "active"))
    : undefined;

  if (mode !== "authenticated") {
    return (
      <Page title="API keys" width="narrow">
        <Card>
          <EmptyState
            icon={<KeyRound />}
            title="No keys needed here"
            description="This host runs in local trusted mode: nobody signs in, so there are no personal API keys. They exist in authenticated mode."
          />
        </Card>
      </Page>
    );
  }

  return (
    <Page
      title="API keys"
      description="For scripts and tools that call the host's API as you, with your roles in each company."
      width="narrow"
      actions={
        <Button onClick={() => setCreating(true)}>
          <Plus aria-hidden />
          Create key
        </Button>
      }
    >
      <Card>
        <QueryView
          query={{ ...keys, data: sorted }}
          loading={<ListSkeleton rows={3} />}
          errorTitle="Could not load your API keys"
          empty={
            <EmptyState
              icon={<KeyRound />}
              title="No API keys yet"
              description="Create one for a script or CI job. It is sent as Authorization: Bearer <token>."
              action={
                <Button variant="outline" onClick={() => setCreating(true)}>
                  <Plus aria-hidden />
                  Create key
                </Button>
              }
            />
          }
        >
          {(list) => (
            <ul className="divide-y" aria-label="API keys">
              {list.map((key) => {
                const state = keyState(key);
                return (
                  <li key={key.id} className="flex items-center gap-3 px-4 py-3">
                    <KeyRound
                      aria-hidden
                      className={cn(
                        "size-4 shrink-0",
                        state === "active" ? "text-muted-foreground" : "text-muted-foreground/50",
                      )}
                    />
                    <div className="min-w-0 flex-1">
                      <div className="flex items-center gap-2">
                        <span
                          className={cn(
                            "truncate text-sm font-medium",
                            state !== "active" && "text-muted-foreground line-through",
                          )}
                        >
                          {key.name}
                        </span>
                        <code className="shrink-0 rounded bg-muted px-1 font-mono text-[11px] text-muted-foreground">
                          {key.prefix}…
                        </code>
                      </div>
                      <div className="text-xs text-muted-foreground">
                        Created <RelativeTime date={key.createdAt} />
                        {key.lastUsedAt ? (
                          <>
                            {" "}
                            · last used <RelativeTime date={key.lastUsedAt} />
                          </>
                        ) : (
                          " · never used"
                        )}
                        {key.expiresAt && state === "active" ? (
                          <>
                            {" "}
                            · expires <RelativeTime date={key.expiresAt} />
                          </>
                        ) : null}
                      </div>
                    </div>
                    {state === "active" ? (
                      <IconButton
                        label={`Revoke key ${key.name}`}
                        icon={<Trash2 />}
                        size="icon-sm"
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setRevoking(key)}
                      />
                    ) : (
                      <Badge tone="neutral">{state === "revoked" ? "Revoked" : "Expired"}</Badge>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </QueryView>
      </Card>
      <NewKeyDialog<CreatedUserApiKey>
        open={creating}
        onOpenChange={setCreating}
        tokenTestId="api-key-token"
        form={(handlers) => <CreateKeyForm {...handlers} />}
      />
      <RevokeKeyDialog revoking={revoking} onClose={() => setRevoking(null)} revoke={revoke.mutateAsync} />
    </Page>
  );
}

function CreateKeyForm({
  onCreated,
  onCancel,
}: {
  onCreated: (key: CreatedUserApiKey) => void;
  onCancel: () => void;
}) {
  const create = useCreateApiKey({ silent: true });
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<Expiry>("never");
  const [touched, setTouched] = useState(false);
  const nameError = touched && name.trim() === "" ? "Name the key after where it is used" : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (name.trim() === "") return;
    create.mutate(
      { name: name.trim(), ...(expiry === "never" ? {} : { expiresInDays: Number(expiry) }) },
      { onSuccess: onCreated },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>New API key</DialogTitle>
        <DialogDescription>The token is shown once, right after it is created.</DialogDescription>
      </DialogHeader>
      <DialogBody>
        <Field label="Name" required error={nameError} hint="Where the key is used, to recognise it later.">
          <Input
            value={name}
            maxLength={200}
            autoFocus
            placeholder="deploy-script"
            onChange={(event) => setName(event.target.value)}
          />
        </Field>
        <Field label="Expires">
          <Select value={expiry} onValueChange={setExpiry} options={EXPIRY_OPTIONS} />
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
