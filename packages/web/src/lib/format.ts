// Formatting for numbers, money and dates. One place, so every page renders them the same way.

const numberFormat = new Intl.NumberFormat(undefined);
const compactFormat = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const moneyFormat = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
const moneyWholeFormat = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const dateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** 1.2K, 3.4M: for tight spaces such as chart axes. */
export function formatCompact(value: number): string {
  return compactFormat.format(value);
}

/** Cents → "$1,234.56". `whole` drops the cents ("$1,235") for axes and large figures. */
export function formatCents(cents: number, options: { whole?: boolean } = {}): string {
  return (options.whole ? moneyWholeFormat : moneyFormat).format(cents / 100);
}

export function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "Dec 4, 2026" */
export function formatDate(value: string | number | Date): string {
  return dateFormat.format(toDate(value));
}

/** "Dec 4" */
export function formatShortDate(value: string | number | Date): string {
  return shortDateFormat.format(toDate(value));
}

/** "Dec 4, 2026, 1:43 PM" */
export function formatDateTime(value: string | number | Date): string {
  return dateTimeFormat.format(toDate(value));
}

/** "just now", "5 min. ago", "yesterday", then a date once older than a week. */
export function formatRelativeTime(value: string | number | Date, now: number = Date.now()): string {
  const date = toDate(value);
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86_400) return relativeFormat.format(Math.round(seconds / 86_400), "day");
  return date.getFullYear() === new Date(now).getFullYear() ? formatShortDate(date) : formatDate(date);
}

/** "in_progress" → "In progress" */
export function humanize(value: string): string {
  const text = value.replace(/[_.-]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "1 issue", "3 issues" */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Initials for avatars: "Acme Robotics" → "AR", "Board" → "B". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return words[0]!.charAt(0).toUpperCase();
  return (words[0]![0]! + words[1]![0]!).toUpperCase();
}
