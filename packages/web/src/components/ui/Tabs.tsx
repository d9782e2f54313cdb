import { Tabs as TabsPrimitive } from "radix-ui";
import { type ComponentProps, type ReactNode, useCallback } from "react";
import { useSearchParams } from "react-router";
import { cn } from "@/lib/cn";

export const Tabs = TabsPrimitive.Root;

export function TabsList({ className, ...props }: ComponentProps<typeof TabsPrimitive.List>) {
  return (
    <TabsPrimitive.List
      className={cn("flex items-center gap-1 overflow-x-auto border-b scrollbar-thin", className)}
      {...props}
    />
  );
}

export function TabsTrigger({ className, ...props }: ComponentProps<typeof TabsPrimitive.Trigger>) {
  return (
    <TabsPrimitive.Trigger
      className={cn(
        "relative -mb-px inline-flex h-9 cursor-pointer items-center gap-1.5 border-b-2 border-transparent px-2.5 text-sm font-medium whitespace-nowrap text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-offset-[-2px] disabled:pointer-events-none disabled:opacity-50 data-[state=active]:border-foreground data-[state=active]:text-foreground [&_svg:not([class*='size-'])]:size-4",
        className,
      )}
      {...props}
    />
  );
}

export function TabsContent({ className, ...props }: ComponentProps<typeof TabsPrimitive.Content>) {
  return <TabsPrimitive.Content className={cn("pt-4 focus-visible:outline-none", className)} {...props} />;
}

/**
 * The selected tab as a URL search parameter (`?tab=activity`), both ways: reading the URL selects the tab,
 * selecting a tab rewrites the URL (replace, so Back leaves the page rather than stepping through tabs).
 * The default tab keeps the URL clean (no parameter). Unknown values fall back to the default.
 */
export function useUrlTab<T extends string>(
  defaultTab: T,
  options: { param?: string; allowed?: readonly string[] } = {},
): [T, (tab: string) => void] {
  const param = options.param ?? "tab";
  const [searchParams, setSearchParams] = useSearchParams();
  const raw = searchParams.get(param);
  const current = (raw && (!options.allowed || options.allowed.includes(raw)) ? raw : defaultTab) as T;
  const setTab = useCallback(
    (tab: string) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (tab === defaultTab) next.delete(param);
          else next.set(param, tab);
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [defaultTab, param, setSearchParams],
  );
  return [current, setTab];
}

export interface UrlTab {
  value: string;
  label: ReactNode;
  icon?: ReactNode;
  /** The panel; rendered only while selected. */
  content: ReactNode;
  disabled?: boolean;
}

/**
 * Tabs whose selection lives in `?tab=`. Plugin detail tabs use values like `plugin:<key>:<slotId>`, which is
 * why any string is accepted as long as it is one of `tabs`.
 */
export function UrlTabs({
  tabs,
  defaultValue,
  param,
  className,
  listClassName,
  "aria-label": ariaLabel,
}: {
  tabs: UrlTab[];
  defaultValue?: string;
  param?: string;
  className?: string;
  listClassName?: string;
  "aria-label"?: string;
}) {
  const fallback = defaultValue ?? tabs[0]?.value ?? "";
  const [value, setValue] = useUrlTab(fallback, { param, allowed: tabs.map((tab) => tab.value) });
  return (
    <Tabs value={value} onValueChange={setValue} className={className}>
      <TabsList aria-label={ariaLabel} className={listClassName}>
        {tabs.map((tab) => (
          <TabsTrigger key={tab.value} value={tab.value} disabled={tab.disabled}>
            {tab.icon}
            {tab.label}
          </TabsTrigger>
        ))}
      </TabsList>
      {tabs.map((tab) => (
        <TabsContent key={tab.value} value={tab.value}>
          {tab.value === value ? tab.content : null}
        </TabsContent>
      ))}
    </Tabs>
  );
}
