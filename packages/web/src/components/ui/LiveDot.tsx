import { cn } from "@/lib/cn";

/** A small pulsing dot in the current text colour: something is happening right now (a run, a stream). */
export function LiveDot({ className, still = false }: { className?: string; still?: boolean }) {
  return (
    <span aria-hidden className={cn("relative inline-flex size-1.5 shrink-0", className)}>
      {still ? null : (
        <span className="absolute inline-flex size-full rounded-full bg-current opacity-70 motion-safe:animate-ping" />
      )}
      <span className="relative inline-flex size-full rounded-full bg-current" />
    </span>
  );
}
