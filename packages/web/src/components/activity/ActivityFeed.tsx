import { Link } from "react-router";
import { useAgentsById } from "@/api/agents";
import type { ActivityEvent } from "@/api/types";
import { useCompany } from "@/app/CompanyContext";
import { Avatar, RelativeTime } from "@/components/ui";
import { describeActivity } from "@/lib/activity";
import { cn } from "@/lib/cn";

/** Activity rows as sentences ("Board moved ACM-3 Publish the landing page to Done · 5 min. ago"). */
export function ActivityFeed({ events, className }: { events: ActivityEvent[]; className?: string }) {
  const company = useCompany();
  const agents = useAgentsById(company.id);
  return (
    <ol className={cn("divide-y", className)}>
      {events.map((event) => {
        const text = describeActivity(event, { prefix: company.issuePrefix, agents });
        return (
          <li key={event.id} className="flex items-start gap-3 px-4 py-2.5">
            <Avatar
              name={text.actor}
              kind={text.actorKind === "agent" ? "agent" : "person"}
              size="sm"
              className="mt-px"
            />
            <p className="min-w-0 flex-1 text-sm leading-6 text-muted-foreground">
              <span className="font-medium text-foreground">{text.actor}</span> {text.verb}{" "}
              {text.target ? (
                text.target.to ? (
                  <Link
                    to={text.target.to}
                    className="rounded-sm font-medium text-foreground decoration-muted-foreground/50 underline-offset-2 hover:underline"
                  >
                    {text.target.label}
                    {text.target.detail ? (
                      <span className="font-normal text-muted-foreground"> {text.target.detail}</span>
                    ) : null}
                  </Link>
                ) : (
                  <span className="font-medium text-foreground">
                    {text.target.label}
                    {text.target.detail ? (
                      <span className="font-normal text-muted-foreground"> {text.target.detail}</span>
                    ) : null}
                  </span>
                )
              ) : null}
              {text.suffix ? ` ${text.suffix}` : null}
            </p>
            <RelativeTime
              date={event.createdAt}
              className="mt-0.5 shrink-0 text-xs text-muted-foreground tabular-nums"
            />
          </li>
        );
      })}
    </ol>
  );
}
