// Company settings → Members (authenticated mode): who belongs to the company and with which role. Every member
// sees the list; owners add people by email (accounts an instance admin created), change roles and remove members.
// The host keeps the last owner and says so when asked otherwise.
import { Plus, Trash2, Users } from "lucide-react";
import { type FormEvent, useState } from "react";
import {
  type CompanyMember,
  type CompanyRole,
  ROLE_HINTS,
  ROLE_LABELS,
  useAddMember,
  useMembers,
  useRemoveMember,
  useSetMemberRole,
} from "@/api/account";
import { errorMessage } from "@/api/client";
import type { Company } from "@/api/types";
import { useAccount } from "@/app/AuthGate";
import { PageSection } from "@/components/layout/Page";
import {
  Avatar,
  Badge,
  Button,
  Card,
  ConfirmDialog,
  Dialog,
  DialogBody,
  DialogContent,
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
  Select,
  toast,
} from "@/components/ui";

const ROLES: CompanyRole[] = ["owner", "member", "viewer"];
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
const ROLE_TONE = { owner: "violet", member: "info", viewer: "neutral" } as const;

export function MembersSection({ company }: { company: Company }) {
  const account = useAccount();
  const members = useMembers(company.id);
  const isOwner = account.roleIn(company.id) === "owner";
  const setRole = useSetMemberRole(company.id, { errorTitle: "Could not change the role" });
  const remove = useRemoveMember(company.id, { silent: true });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<CompanyMember | null>(null);
  const myId = account.me?.user.id;

  return (
    <PageSection
      title="Members"
      description="Owners manage members and settings, members do the work, viewers read. Instance admins see every company."
      actions={
        isOwner ? (
          <Button size="sm" variant="outline" onClick={() => setAdding(true)}>
            <Plus aria-hidden />
            Add member
          </Button>
        ) : null
      }
    >
      <Card>
        <QueryView
          query={members}
          compact
          loading={<ListSkeleton rows={3} />}
          errorTitle="Could not load the members"
          empty={
            <EmptyState
              compact
              icon={<Users />}
              title="No members yet"
              description="Instance admins see every company; add people who should work in this one."
            />
          }
        >
          {(list) => (
            <ul className="divide-y" aria-label="Members">
              {list.map((member) => (
                <li key={member.userId} className="flex items-center gap-3 px-4 py-2.5">
                  <Avatar name={member.name} size="md" />
                  <div className="min-w-0 flex-1">
                    <div className="truncate text-sm font-medium">
                      {member.name}
                      {member.userId === myId ? (
                        <span className="ml-1.5 text-xs font-normal text-muted-foreground">(you)</span>
                      ) : null}
                    </div>
                    <div className="truncate text-xs text-muted-foreground">{member.email}</div>
                  </div>
                  {isOwner ? (
                    <>
                      <Select
                        aria-label={`Role of ${member.name}`}
                        value={member.role}
                        options={ROLE_OPTIONS}
                        className="h-7 w-28 text-xs"
                        disabled={setRole.isPending}
                        onValueChange={(role) =>
                          setRole.mutate(
                            { userId: member.userId, role },
                            {
                              onSuccess: () =>
                                toast.success(`${member.name} is now ${ROLE_LABELS[role].toLowerCase()}`),
                            },
                          )
                        }
                      />
                      <IconButton
                        label={`Remove ${member.name}`}
                        icon={<Trash2 />}
                        size="icon-sm"
                        className="text-muted-foreground hover:text-destructive"
                        onClick={() => setRemoving(member)}
                      />
                    </>
                  ) : (
                    <Badge tone={ROLE_TONE[member.role]}>{ROLE_LABELS[member.role]}</Badge>
                  )}
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      </Card>
      {isOwner ? null : (
        <p className="mt-2 text-xs text-muted-foreground">
          Only owners of {company.name} change its members.
        </p>
      )}
      <AddMemberDialog company={company} open={adding} onOpenChange={setAdding} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) setRemoving(null);
        }}
        destructive
        title={`Remove ${removing?.name ?? ""} from ${company.name}?`}
        description="They lose access to the company at once. Their account stays."
        confirmLabel="Remove member"
        onConfirm={async () => {
          if (!removing) return;
          try {
            await remove.mutateAsync(removing.userId);
            toast.success(`${removing.name} removed`);
          } catch (error) {
            toast.error("Could not remove the member", error);
          }
        }}
      />
    </PageSection>
  );
}

function AddMemberDialog({
  company,
  open,
  onOpenChange,
}: {
  company: Company;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const add = useAddMember(company.id, { silent: true });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<CompanyRole>("member");
  const [touched, setTouched] = useState(false);
  const emailError = touched && !/^[^\s@]+@[^\s@]+$/.test(email.trim()) ? "Enter their email address" : null;
  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      setEmail("");
      setRole("member");
      setTouched(false);
      add.reset();
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return;
    add.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (member) => {
          toast.success(`${member.name} added as ${ROLE_LABELS[member.role].toLowerCase()}`);
          close(false);
        },
      },
    );
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4">
          <DialogHeader>
            <DialogTitle>Add a member to {company.name}</DialogTitle>
            <DialogDescription>They need an account on this host already.</DialogDescription>
          </DialogHeader>
          <DialogBody>
            <Field label="Email" required error={emailError}>
              <Input
                type="email"
                value={email}
                autoFocus
                placeholder="colleague@example.com"
                onChange={(event) => setEmail(event.target.value)}
              />
            </Field>
            <Field label="Role" hint={ROLE_HINTS[role]}>
              <Select value={role} onValueChange={setRole} options={ROLE_OPTIONS} />
            </Field>
            {add.error ? (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(add.error)}
              </p>
            ) : null}
          </DialogBody>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add member
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
