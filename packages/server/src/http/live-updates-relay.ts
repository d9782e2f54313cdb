// The board's live updates that live only in one node's memory, carried to the other nodes (docs/scale-out.md).
// Domain events need nothing: every node's company event hub follows the shared outbox. Two kinds do:
//   - host notices on the company streams (`plugin.ui.updated` after a plugin change, a UI isolation change):
//     topic `live.ui`, delivered to the company streams open on each other node;
//   - agent run events: topic `live.run`, published into each other node's run hub, so a run's live stream on
//     another node gets them at once instead of at its next database poll.
// What arrives from another node is never sent on again.
import type { Logger } from "pino";
import type { RunEvent } from "../agents/run-event-types.js";
import type { RunHub } from "../agents/run-hub.js";
import type { ClusterBus } from "../cluster/bus.js";
import type { CompanyEventHub, CompanyNotice } from "./company-event-hub.js";

export const LIVE_UI_TOPIC = "live.ui";
export const LIVE_RUN_TOPIC = "live.run";

export interface LiveUpdatesRelayDeps {
  cluster: Pick<ClusterBus, "publish" | "subscribe" | "distributed">;
  /** The company streams' hub (absent when the host serves no company streams). */
  companyEvents?: Pick<CompanyEventHub, "relayNotices" | "deliverNotice">;
  runs?: Pick<RunHub, "publish" | "subscribeAll">;
  logger: Pick<Logger, "warn">;
}

function isNotice(value: unknown): value is CompanyNotice {
  const notice = value as Partial<CompanyNotice> | null;
  return (
    typeof notice === "object" &&
    notice !== null &&
    typeof notice.type === "string" &&
    typeof notice.occurredAt === "string" &&
    typeof notice.payload === "object" &&
    notice.payload !== null
  );
}

function isRunEvent(value: unknown): value is RunEvent {
  const event = value as Partial<RunEvent> | null;
  return (
    typeof event === "object" &&
    event !== null &&
    typeof event.runId === "string" &&
    typeof event.seq === "number"
  );
}

/** Start relaying; returns the function that stops it. Does nothing on a single node (PGlite). */
export function relayLiveUpdates(deps: LiveUpdatesRelayDeps): () => void {
  const { cluster, companyEvents, runs, logger } = deps;
  if (!cluster.distributed) return () => {};
  const detach: (() => void)[] = [];
  const send = (topic: string, payload: unknown) =>
    cluster.publish(topic, payload).catch((error: Error) => {
      logger.warn({ err: error, topic }, `Could not send a live update to the other nodes: ${error.message}`);
    });

  if (companyEvents) {
    companyEvents.relayNotices((notice) => void send(LIVE_UI_TOPIC, notice));
    detach.push(
      () => companyEvents.relayNotices(null),
      cluster.subscribe(LIVE_UI_TOPIC, (payload, from) => {
        if (isNotice(payload)) companyEvents.deliverNotice(payload);
        else logger.warn({ from }, `Malformed ${LIVE_UI_TOPIC} message from node ${from}: ignored`);
      }),
    );
  }

  if (runs) {
    // The hub publishes synchronously: while another node's event is being published here, it is not sent back.
    let ingesting = false;
    detach.push(
      runs.subscribeAll((event) => {
        if (!ingesting) void send(LIVE_RUN_TOPIC, event);
      }),
      cluster.subscribe(LIVE_RUN_TOPIC, (payload, from) => {
        if (!isRunEvent(payload)) {
          logger.warn({ from }, `Malformed ${LIVE_RUN_TOPIC} message from node ${from}: ignored`);
          return;
        }
        ingesting = true;
        try {
          runs.publish(payload);
        } finally {
          ingesting = false;
        }
      }),
    );
  }

  return () => {
    for (const stop of detach.splice(0)) stop();
  };
}
