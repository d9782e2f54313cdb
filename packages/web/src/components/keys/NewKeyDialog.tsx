// Creating and revoking an API key (an agent's or a person's). Creating: a form, then the new token shown once with
// a copy button; once the token is on screen only the Done button closes the dialog — closing by accident would
// lose it for good.
import { TriangleAlert } from "lucide-react";
import { type ReactNode, useState } from "react";
import {
  Button,
  ConfirmDialog,
  CopyButton,
  Dialog,
  DialogBody,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  toast,
} from "@/components/ui";

export interface CreatedKey {
  name: string;
  token: string;
}

export function NewKeyDialog<T extends CreatedKey>({
  open,
  onOpenChange,
  form,
  tokenTestId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The creation form: it calls `onCreated` with the new key, `onCancel` to close. */
  form: (handlers: { onCreated: (key: T) => void; onCancel: () => void }) => ReactNode;
  tokenTestId: string;
}) {
  const [created, setCreated] = useState<T | null>(null);
  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) setCreated(null);
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent
        onInteractOutside={created ? (event) => event.preventDefault() : undefined}
        onEscapeKeyDown={created ? (event) => event.preventDefault() : undefined}
        hideClose={created !== null}
      >
        {!open ? null : created ? (
          <ShowToken created={created} testId={tokenTestId} onDone={() => close(false)} />
        ) : (
          form({ onCreated: setCreated, onCancel: () => close(false) })
        )}
      </DialogContent>
    </Dialog>
  );
}

function ShowToken({ created, testId, onDone }: { created: CreatedKey; testId: string; onDone: () => void }) {
  return (
    <div className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Copy the key “{created.name}” now</DialogTitle>
        <DialogDescription>Send it as a bearer token: Authorization: Bearer &lt;token&gt;.</DialogDescription>
      </DialogHeader>
      <DialogBody>
        <div className="flex items-center gap-2 rounded-md border bg-muted/50 p-2">
          <code data-testid={testId} className="min-w-0 flex-1 font-mono text-xs break-all select-all">
            {created.token}
          </code>
          <CopyButton value={created.token} label="Copy token" size="sm" />
        </div>
        <p className="flex items-start gap-2 text-sm text-muted-foreground">
          <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-warning" />
          This is the only time the token is shown. The host keeps only its hash.
        </p>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </div>
  );
}

/** Revoking a key asks first: whatever uses it loses access at once. */
export function RevokeKeyDialog({
  revoking,
  onClose,
  revoke,
}: {
  /** The key being revoked; null closes the dialog. */
  revoking: { id: string; name: string } | null;
  onClose: () => void;
  revoke: (id: string) => Promise<unknown>;
}) {
  return (
    <ConfirmDialog
      open={revoking !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      destructive
      title={`Revoke the key "${revoking?.name ?? ""}"?`}
      description="Anything using it loses access at once. This cannot be undone."
      confirmLabel="Revoke key"
      onConfirm={async () => {
        if (!revoking) return;
        await revoke(revoking.id);
        toast.success("Key revoked");
      }}
    />
  );
}
