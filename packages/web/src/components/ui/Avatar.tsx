import { Bot } from "lucide-react";
import { cn } from "@/lib/cn";
import { initials } from "@/lib/format";

const PALETTE = [
  "bg-blue-500/15 text-blue-700 dark:text-blue-300",
  "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300",
  "bg-amber-500/18 text-amber-800 dark:text-amber-300",
  "bg-violet-500/15 text-violet-700 dark:text-violet-300",
  "bg-rose-500/15 text-rose-700 dark:text-rose-300",
  "bg-cyan-500/15 text-cyan-700 dark:text-cyan-300",
];

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index++) value = (value * 31 + text.charCodeAt(index)) | 0;
  return Math.abs(value);
}

const sizes = {
  xs: "size-5 text-[9px]",
  sm: "size-6 text-[10px]",
  md: "size-8 text-xs",
  lg: "size-10 text-sm",
};

/**
 * Initials on a colour picked from the name (stable per name). `kind="agent"` shows a bot glyph instead.
 * Decorative: put the name in text next to it.
 */
export function Avatar({
  name,
  kind = "person",
  size = "sm",
  square = false,
  className,
}: {
  name: string;
  kind?: "person" | "agent" | "company";
  size?: keyof typeof sizes;
  square?: boolean;
  className?: string;
}) {
  return (
    <span
      aria-hidden
      className={cn(
        "inline-flex shrink-0 items-center justify-center font-semibold select-none",
        square || kind === "company" ? "rounded-md" : "rounded-full",
        sizes[size],
        PALETTE[hash(name) % PALETTE.length],
        className,
      )}
    >
      {kind === "agent" ? <Bot className="size-[62%]" /> : initials(name)}
    </span>
  );
}
