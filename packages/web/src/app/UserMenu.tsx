// The signed-in person at the right of the top bar (authenticated mode only): who, their API keys, sign out.
import { ChevronDown, KeyRound, LogOut, ShieldCheck } from "lucide-react";
import { useNavigate } from "react-router";
import { useSignOut } from "@/api/account";
import {
  Avatar,
  Badge,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui";
import { useAccount } from "./AuthGate";
import { paths } from "./paths";

export function UserMenu() {
  const { mode, me } = useAccount();
  const navigate = useNavigate();
  const signOut = useSignOut();
  if (mode !== "authenticated" || !me) return null;
  const { user } = me;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label={`Account: ${user.name}`}
        data-testid="user-menu"
        className="flex h-8 shrink-0 cursor-pointer items-center gap-2 rounded-md px-1.5 text-sm font-medium text-foreground transition-colors hover:bg-accent focus-visible:outline-offset-0 data-[state=open]:bg-accent"
      >
        <Avatar name={user.name} size="sm" />
        <span className="hidden max-w-40 truncate sm:inline">{user.name}</span>
        <ChevronDown aria-hidden className="size-3.5 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5 py-2 font-normal">
          <span className="truncate text-sm font-medium text-foreground">{user.name}</span>
          {user.email ? <span className="truncate text-xs text-muted-foreground">{user.email}</span> : null}
          {user.isInstanceAdmin ? (
            <Badge tone="info" className="mt-1 w-fit">
              <ShieldCheck aria-hidden className="size-3" />
              Instance admin
            </Badge>
          ) : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate(paths.apiKeys())}>
          <KeyRound aria-hidden />
          API keys
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => signOut.mutate()} disabled={signOut.isPending}>
          <LogOut aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
