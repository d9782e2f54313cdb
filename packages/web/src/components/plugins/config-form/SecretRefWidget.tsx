// The secret picker of the plugin config form, for fields marked `format: "secret-ref"`: choose one of the
// company's secrets (GET /api/companies/:id/secrets, metadata only) or create one on the spot. The value stored
// in the config is the secret's id — a string, or `{type: "secret_ref", secretId}` for object-typed fields.
import type { FieldProps, WidgetProps } from "@rjsf/utils";
import { KeyRound, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { errorMessage } from "@/api/client";
import { useCompanySecrets, useCreateSecret } from "@/api/plugins";
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
  Skeleton,
  Textarea,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";

/** formContext of the config form. */
export interface ConfigFormContext {
  companyId: string;
  companyName: string;
}

const NONE = "__none__";

function SecretPicker({
  id,
  companyId,
  companyName,
  secretId,
  onChange,
  disabled,
  required,
  invalid,
}: {
  id: string;
  companyId: string;
  companyName: string;
  secretId: string | undefined;
  onChange: (secretId: string | undefined) => void;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
}) {
  const secrets = useCompanySecrets(companyId);
  const [creating, setCreating] = useState(false);
  if (secrets.isPending) return <Skeleton className="h-8 w-full max-w-md" />;
  const list = secrets.data ?? [];
  const unknown = secretId && !list.some((secret) => secret.id === secretId);
  const options = [
    ...(required ? [] : [{ value: NONE, label: <span className="text-muted-foreground">No secret</span> }]),
    ...list.map((secret) => ({
      value: secret.id,
      label: (
        <>
          <KeyRound aria-hidden className="size-3.5 text-muted-foreground" />
          {secret.name}
          <span className="text-xs text-muted-foreground">v{secret.version}</span>
        </>
      ),
    })),
    ...(unknown
      ? [{ value: secretId, label: <span className="font-mono text-xs">{secretId} (not found)</span> }]
      : []),
  ];
  return (
    <div className="flex max-w-xl flex-wrap items-center gap-2">
      <div className="min-w-56 flex-1">
        <Select
          id={id}
          value={secretId ?? (required ? undefined : NONE)}
          onValueChange={(value) => onChange(value === NONE ? undefined : value)}
          options={options}
          placeholder={list.length ? "Choose a secret…" : "No secrets yet: create one"}
          disabled={disabled}
          className={cn(invalid && "border-destructive")}
        />
      </div>
      <Button type="button" variant="outline" size="md" onClick={() => setCreating(true)} disabled={disabled}>
        <Plus aria-hidden />
        New secret
      </Button>
      {secrets.isError ? (
        <p role="alert" className="w-full text-xs text-destructive">
          Could not list the secrets: {errorMessage(secrets.error)}
        </p>
      ) : null}
      {creating ? (
        <CreateSecretDialog
          companyId={companyId}
          companyName={companyName}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            onChange(created);
            setCreating(false);
          }}
        />
      ) : null}
    </div>
  );
}

function CreateSecretDialog({
  companyId,
  companyName,
  onClose,
  onCreated,
}: {
  companyId: string;
  companyName: string;
  onClose: () => void;
  onCreated: (secretId: string) => void;
}) {
  const create = useCreateSecret(companyId, { silent: true });
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const submit = (event: FormEvent) => {
    // The dialog renders in a portal but React still bubbles submit to the config form: stop it here.
    event.preventDefault();
    event.stopPropagation();
    if (!name.trim() || !value) return;
    create.mutate(
      { name: name.trim(), value },
      {
        onSuccess: (secret) => {
          toast.success(`Secret ${secret.name} created`);
          onCreated(secret.id);
        },
      },
    );
  };
  return (
    <Dialog open onOpenChange={(open) => !open && !create.isPending && onClose()}>
      <DialogContent width="sm">
        <form onSubmit={submit} className="grid gap-4">
          <DialogHeader>
            <DialogTitle>New secret</DialogTitle>
            <DialogDescription>
              Stored sealed for {companyName}. Its value never comes back to the board; plugins read it only
              through a config that references it.
            </DialogDescription>
          </DialogHeader>
          <DialogBody>
            <Field label="Name" required>
              <Input
                value={name}
                onChange={(event) => setName(event.target.value)}
                placeholder="linear-api-key"
                autoComplete="off"
                autoFocus
              />
            </Field>
            <Field label="Value" required>
              <Textarea
                rows={3}
                value={value}
                onChange={(event) => setValue(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
              />
            </Field>
            {create.isError ? (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(create.error)}
              </p>
            ) : null}
          </DialogBody>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !value}>
              Create secret
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** `format: "secret-ref"` on a string: the value is the secret id. */
export function SecretRefWidget(props: WidgetProps) {
  const context = props.registry.formContext as ConfigFormContext;
  return (
    <SecretPicker
      id={props.id}
      companyId={context.companyId}
      companyName={context.companyName}
      secretId={typeof props.value === "string" && props.value ? props.value : undefined}
      onChange={(secretId) => props.onChange(secretId ?? props.options.emptyValue)}
      disabled={props.disabled || props.readonly}
      required={props.required}
      invalid={Boolean(props.rawErrors?.length)}
    />
  );
}

/** `format: "secret-ref"` on an object: the value is `{type: "secret_ref", secretId}`. */
export function SecretRefField(props: FieldProps) {
  const context = props.registry.formContext as ConfigFormContext;
  const current = props.formData as { secretId?: unknown; version?: unknown } | undefined;
  const secretId = typeof current?.secretId === "string" ? current.secretId : undefined;
  return (
    <SecretPicker
      id={props.fieldPathId.$id}
      companyId={context.companyId}
      companyName={context.companyName}
      secretId={secretId}
      onChange={(next) =>
        props.onChange(next ? { type: "secret_ref", secretId: next } : undefined, props.fieldPathId.path)
      }
      disabled={props.disabled || props.readonly}
      required={props.required}
      invalid={Boolean(props.rawErrors?.length)}
    />
  );
}
