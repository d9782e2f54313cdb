import { ChevronRight, Menu } from "lucide-react";
import { Link } from "react-router";
import { IconButton } from "@/components/ui";
import { PluginGlobalToolbar } from "@/plugin-slots/surfaces";
import { useBreadcrumbs } from "./breadcrumbs";
import { GlobalToolbarSlot } from "./GlobalToolbarSlot";
import { UserMenu } from "./UserMenu";

/** The bar above the content: menu button (small screens), breadcrumbs, and the global toolbar slot. */
export function TopBar({ onOpenMenu }: { onOpenMenu: () => void }) {
  const crumbs = useBreadcrumbs();
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/80 sm:px-4">
      <IconButton
        label="Open navigation"
        icon={<Menu />}
        size="icon-sm"
        className="md:hidden"
        onClick={onOpenMenu}
        tooltip={false}
      />
      <nav aria-label="Breadcrumb" className="min-w-0 flex-1">
        <ol className="flex min-w-0 items-center gap-1 text-sm">
          {crumbs.map((crumb, index) => {
            const last = index === crumbs.length - 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a breadcrumb is its position; labels may repeat.
              <li key={`${index}|${crumb.label}`} className="flex min-w-0 items-center gap-1">
                {index > 0 ? (
                  <ChevronRight aria-hidden className="size-3.5 shrink-0 text-muted-foreground/70" />
                ) : null}
                {crumb.to && !last ? (
                  <Link
                    to={crumb.to}
                    className="truncate rounded-sm text-muted-foreground transition-colors hover:text-foreground"
                  >
                    {crumb.label}
                  </Link>
                ) : (
                  <span
                    aria-current={last ? "page" : undefined}
                    className="truncate font-medium text-foreground"
                  >
                    {crumb.label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      <GlobalToolbarSlot>
        <PluginGlobalToolbar />
      </GlobalToolbarSlot>
      <UserMenu />
    </header>
  );
}
