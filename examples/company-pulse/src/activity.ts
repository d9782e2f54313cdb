// Issues created and closed per calendar day, in the viewer's time zone: the numbers behind both charts.
import type { Issue } from "@paperclipai/plugin-sdk/types";

export const DEFAULT_DAYS = 14;
export const MAX_DAYS = 90;

export interface DayActivity {
  /** Calendar day in the requested time zone, `YYYY-MM-DD`. */
  date: string;
  created: number;
  closed: number;
}

export interface IssueActivity {
  timeZone: string;
  /** Oldest first; the last entry is today. */
  days: DayActivity[];
  totals: { created: number; closed: number };
  /** Issues neither done nor cancelled right now. */
  open: number;
  generatedAt: string;
}

type IssueTimes = Pick<Issue, "status" | "createdAt" | "completedAt" | "cancelledAt" | "updatedAt">;

/** `YYYY-MM-DD` of an instant in a time zone. */
function dayKey(instant: Date, formatter: Intl.DateTimeFormat): string {
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A time zone the runtime knows, else an error naming it. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`timeZone ${JSON.stringify(timeZone)} is not an IANA time zone (e.g. "Europe/Berlin")`);
  }
}

/** When an issue was closed: done or cancelled, at its completion/cancellation (else its last update). */
function closedAt(issue: IssueTimes): Date | null {
  if (issue.status !== "done" && issue.status !== "cancelled") return null;
  const at = issue.completedAt ?? issue.cancelledAt ?? issue.updatedAt;
  return at ? new Date(at) : null;
}

export function issueActivity(
  issues: readonly IssueTimes[],
  options: { now: Date; days: number; timeZone: string },
): IssueActivity {
  const formatter = new Intl.DateTimeFormat("en-CA", {
    timeZone: options.timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  // Calendar arithmetic on today's date (not 24 h steps), so a DST change never skips or repeats a day.
  const [year, month, day] = dayKey(options.now, formatter).split("-").map(Number) as [
    number,
    number,
    number,
  ];
  const days: DayActivity[] = [];
  for (let back = options.days - 1; back >= 0; back -= 1) {
    const date = new Date(Date.UTC(year, month - 1, day - back)).toISOString().slice(0, 10);
    days.push({ date, created: 0, closed: 0 });
  }
  const byDate = new Map(days.map((entry) => [entry.date, entry]));
  let open = 0;
  for (const issue of issues) {
    const created = byDate.get(dayKey(new Date(issue.createdAt), formatter));
    if (created) created.created += 1;
    const closed = closedAt(issue);
    if (!closed) {
      open += 1;
      continue;
    }
    const closedDay = byDate.get(dayKey(closed, formatter));
    if (closedDay) closedDay.closed += 1;
  }
  return {
    timeZone: options.timeZone,
    days,
    totals: {
      created: days.reduce((sum, entry) => sum + entry.created, 0),
      closed: days.reduce((sum, entry) => sum + entry.closed, 0),
    },
    open,
    generatedAt: options.now.toISOString(),
  };
}
