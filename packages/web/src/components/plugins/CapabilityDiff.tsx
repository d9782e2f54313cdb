// What an upgrade changes in a plugin's capabilities: added ones (which the operator approves), removed ones and
// the ones it keeps. Used in the upgrade dialog and on a plugin whose upgrade waits for approval.
import { Minus, Plus } from "lucide-react";
import { Badge } from "@/components/ui";

export interface CapabilityChange {
  added: string[];
  removed: string[];
  kept: string[];
}

export function diffCapabilities(before: readonly string[], after: readonly string[]): CapabilityChange {
  const old = new Set(before);
  const next = new Set(after);
  return {
    added: after.filter((capability) => !old.has(capability)),
    removed: before.filter((capability) => !next.has(capability)),
    kept: after.filter((capability) => old.has(capability)),
  };
}

/**
 * The capabilities an `upgrade_pending` plugin waits on, until GET …/capabilities (the approved set) has answered.
 * The host states them in lastError ("Upgrade to 1.2.0 adds
 * capabilities: a, b. Enable the plugin to approve them"); the record already holds the new manifest.
 */
export function pendingCapabilities(
  lastError: string | null | undefined,
  current: readonly string[],
): CapabilityChange {
  const match = lastError?.match(/adds capabilities: (.+?)\.\s*Enable/);
  const added = match?.[1]
    ? match[1]
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
  return {
    added,
    removed: [],
    kept: current.filter((capability) => !added.includes(capability)),
  };
}

export function CapabilityDiff({ change }: { change: CapabilityChange }) {
  return (
    <div className="grid gap-3 text-sm">
      {change.added.length > 0 ? (
        <section aria-labelledby="capabilities-added">
          <h3 id="capabilities-added" className="mb-1.5 text-xs font-medium text-foreground">
            New capabilities to approve ({change.added.length})
          </h3>
          <ul className="flex flex-wrap gap-1.5">
            {change.added.map((capability) => (
              <li key={capability}>
                <Badge tone="warning" className="font-mono">
                  <Plus aria-hidden />
                  <span className="sr-only">added: </span>
                  {capability}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="text-muted-foreground">No new capabilities: nothing to approve.</p>
      )}
      {change.removed.length > 0 ? (
        <section aria-labelledby="capabilities-removed">
          <h3 id="capabilities-removed" className="mb-1.5 text-xs font-medium text-muted-foreground">
            No longer requested ({change.removed.length})
          </h3>
          <ul className="flex flex-wrap gap-1.5">
            {change.removed.map((capability) => (
              <li key={capability}>
                <Badge tone="neutral" className="font-mono line-through">
                  <Minus aria-hidden />
                  <span className="sr-only">removed: </span>
                  {capability}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {change.kept.length > 0 ? (
        <section aria-labelledby="capabilities-kept">
          <h3 id="capabilities-kept" className="mb-1.5 text-xs font-medium text-muted-foreground">
            Unchanged ({change.kept.length})
          </h3>
          <ul className="flex flex-wrap gap-1.5">
            {change.kept.map((capability) => (
              <li key={capability}>
                <Badge tone="outline" className="font-mono">
                  {capability}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
