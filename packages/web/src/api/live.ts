// Live updates: one EventSource per open company on GET /api/companies/:companyId/events/stream. Each message
// is JSON `{type, entityId, entityType, companyId, occurredAt, payload}`; its `type` ("issue.updated",
// "agent.status_changed", …) names the entity whose queries go stale. Invalidations are batched (at most a few
// per second) so a burst of thousands of events costs a handful of refetches.
//
// Quiet by design: no toast, no thrown error. The browser reconnects a dropped stream by itself and the host
// replays what was missed (Last-Event-ID); when the host refuses the stream outright (an old host without the
// route answers 404) the hook retries with backoff. If missed events cannot be replayed (no event id yet, or
// the host sends `event: reset`) every query is refreshed once.

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { notifyPluginUiUpdated } from "@/plugin-ui";
import { apiUrl, seg } from "./client";
import { ENTITY_ROOTS, type EntityRoot } from "./keys";
import type { LiveEvent } from "./types";

/** Event type prefix → the query roots it makes stale. The first matching prefix wins. */
const INVALIDATIONS: ReadonlyArray<readonly [prefix: string, roots: readonly EntityRoot[]]> = [
  // projects carry a task count; the dashboard counts issues
  ["issue.", ["issues", "projects", "dashboard", "activity"]],
  ["agent.run.", ["runs", "agents", "issues", "dashboard", "activity"]],
  ["heartbeat.", ["runs", "agents", "dashboard", "activity"]],
  ["agent.", ["agents", "dashboard", "activity"]],
  ["project.", ["projects", "activity"]],
  ["goal.", ["goals", "projects", "activity"]],
  // the budget overview (costs root) carries the pending-approval count
  ["approval.", ["approvals", "costs", "dashboard", "activity"]],
  ["cost_event.", ["costs", "agents", "companies", "dashboard", "activity"]],
  ["budget.", ["costs", "agents", "companies", "dashboard", "activity"]],
  ["company.", ["companies", "activity"]],
  ["plugin.", ["plugins", "activity"]],
  ["activity.", ["activity"]],
];

/** Which query roots an event type makes stale; unknown types refresh the activity log only. */
export function rootsForEventType(type: string): readonly EntityRoot[] {
  for (const [prefix, roots] of INVALIDATIONS) if (type.startsWith(prefix)) return roots;
  return ["activity"];
}

const FLUSH_MS = 250;
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 60_000;

function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== "string") return null;
  try {
    const value = JSON.parse(data) as unknown;
    if (value && typeof value === "object" && typeof (value as LiveEvent).type === "string") {
      return value as LiveEvent;
    }
  } catch {
    // not JSON (a keep-alive or a frame from an unexpected producer): ignore
  }
  return null;
}

/** Collects roots and invalidates them together, at most once per FLUSH_MS. */
function createInvalidator(queryClient: QueryClient) {
  const pending = new Set<EntityRoot>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const roots = [...pending];
    pending.clear();
    for (const root of roots) void queryClient.invalidateQueries({ queryKey: [root] });
  };
  return {
    add(roots: readonly EntityRoot[]) {
      for (const root of roots) pending.add(root);
      timer ??= setTimeout(flush, FLUSH_MS);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}

/**
 * Keeps the company's queries fresh from the host's event stream while mounted. Call it once, from the
 * company layout. `companyId` undefined means no company is open (nothing is opened).
 */
export function useCompanyLiveUpdates(companyId: string | undefined): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!companyId || typeof EventSource === "undefined") return;
    const streamPath = `/companies/${seg(companyId)}/events/stream`;
    const invalidator = createInvalidator(queryClient);
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let retryDelay = RETRY_MIN_MS;
    let hasConnected = false;
    let lastEventId: string | null = null;
    let refreshOnOpen = false;
    let disposed = false;

    const onMessage = (message: MessageEvent) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      const event = parseEvent(message.data);
      if (!event) return;
      if (event.companyId && event.companyId !== companyId) return;
      // plugin.ui.updated: refetch the plugin UI contributions and drop the plugin's cached bundle.
      notifyPluginUiUpdated(event);
      invalidator.add(rootsForEventType(event.type));
    };

    const connect = () => {
      if (disposed) return;
      // The browser resends Last-Event-ID itself when it reconnects; a stream we reopen ourselves names the
      // last event in the query so the host replays what was missed.
      source = new EventSource(apiUrl(streamPath, lastEventId ? { lastEventId } : undefined));
      source.onopen = () => {
        retryDelay = RETRY_MIN_MS;
        if (hasConnected && refreshOnOpen) invalidator.add(ENTITY_ROOTS);
        hasConnected = true;
        refreshOnOpen = false;
      };
      source.onmessage = onMessage;
      // The host could not replay what was missed (too old): refresh everything.
      source.addEventListener("reset", () => invalidator.add(ENTITY_ROOTS));
      source.onerror = () => {
        // Without an event id to resume from, events may be lost while disconnected.
        if (!lastEventId) refreshOnOpen = true;
        // CONNECTING: the browser is already reconnecting. CLOSED: it gave up (HTTP error, wrong content
        // type), so try again later ourselves.
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        source = null;
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      };
    };

    connect();
    return () => {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
      invalidator.dispose();
    };
  }, [companyId, queryClient]);
}
