// The launcher surfaces: the modal, drawer and popover that host-drawn launchers open (their `action.target`).
// The modal uses the render environment: it refuses to close while "dirty" and can ask the host to resize it.
import {
  type PluginLauncherBounds,
  type PluginRenderCloseEvent,
  type PluginRenderCloseHandler,
  StatusBadge,
} from "@paperclipai/plugin-sdk/ui";
import { useEffect, useRef, useState } from "react";
import { Card, errorText, type KitchenSinkProps, styles, useKitchenSinkContext } from "./card.js";
import { EntityEcho } from "./echo.js";

/** `openModal` target: a modal that guards closing and resizes itself on request. */
export function KitchenSinkModal(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  const environment = context.renderEnvironment ?? null;
  const lifecycle = environment?.closeLifecycle ?? null;
  const [dirty, setDirty] = useState(false);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  const [refused, setRefused] = useState<{ count: number; reason: string | null }>({
    count: 0,
    reason: null,
  });
  const [boundsStatus, setBoundsStatus] = useState<string | null>(null);

  useEffect(() => {
    if (!lifecycle?.onBeforeClose) return undefined;
    // Returning false tells the host not to close; anything else lets it close.
    const beforeClose = (event: PluginRenderCloseEvent): boolean | undefined => {
      if (!dirtyRef.current) return undefined;
      setRefused((previous) => ({ count: previous.count + 1, reason: event.reason }));
      return false;
    };
    return lifecycle.onBeforeClose(beforeClose as unknown as PluginRenderCloseHandler);
  }, [lifecycle]);

  const request = (bounds: PluginLauncherBounds) => {
    if (!environment?.requestModalBounds) {
      setBoundsStatus("this surface cannot be resized (no requestModalBounds)");
      return;
    }
    setBoundsStatus(`requesting ${bounds}…`);
    environment.requestModalBounds({ bounds }).then(
      () => setBoundsStatus(`requested ${bounds}`),
      (error: unknown) => setBoundsStatus(`request failed: ${errorText(error)}`),
    );
  };

  return (
    <Card kind="modal" context={context} title="Kitchen Sink modal">
      <label style={styles.row}>
        <input
          type="checkbox"
          checked={dirty}
          onChange={(event) => setDirty(event.target.checked)}
          data-testid="ks-dirty"
        />
        Unsaved changes (while checked, the modal refuses to close)
      </label>
      {refused.count > 0 ? (
        <p role="status" data-testid="ks-close-refused">
          Close refused {refused.count}× (last reason: {refused.reason}). Uncheck “Unsaved changes” first.
        </p>
      ) : null}
      <div style={styles.row}>
        <button type="button" style={styles.button} onClick={() => request("wide")} data-testid="ks-widen">
          Widen
        </button>
        <button type="button" style={styles.button} onClick={() => request("full")} data-testid="ks-full">
          Full size
        </button>
        <button
          type="button"
          style={styles.button}
          onClick={() => request("compact")}
          data-testid="ks-compact"
        >
          Compact
        </button>
      </div>
      {boundsStatus ? <span data-testid="ks-bounds-status">{boundsStatus}</span> : null}
      {lifecycle?.onBeforeClose ? null : (
        <StatusBadge label="The host gave this surface no close lifecycle" status="warning" />
      )}
    </Card>
  );
}

/** `openDrawer` target: the entity echo, including the render environment the worker received. */
export function KitchenSinkDrawer(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return (
    <Card kind="drawer" context={context} title="Kitchen Sink drawer">
      <EntityEcho entityId={context.entityId} entityType={context.entityType} showEnvironment />
    </Card>
  );
}

/** `openPopover` target (toolbar, detail tab and comment menu launchers). */
export function KitchenSinkPopover(props: KitchenSinkProps) {
  const context = useKitchenSinkContext(props);
  return <Card kind="popover" context={context} title="Kitchen Sink popover" />;
}
