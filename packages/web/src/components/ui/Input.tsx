import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export const inputClasses =
  "flex w-full min-w-0 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs transition-[color,box-shadow,border-color] placeholder:text-muted-foreground/80 focus-visible:border-ring focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-ring/25 disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-destructive aria-invalid:ring-destructive/20 dark:bg-input/20";

export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return <input type={type} className={cn(inputClasses, "h-8 py-1", className)} {...props} />;
}

export function Textarea({ className, rows = 4, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea rows={rows} className={cn(inputClasses, "min-h-16 resize-y py-2", className)} {...props} />
  );
}
