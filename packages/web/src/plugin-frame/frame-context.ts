// The host context inside a sandboxed frame: the board sends it as plain data (protocol.ts FrameHostContext);
// the overlay functions of its render environment become calls to the board — `requestModalBounds` asks the
// board's overlay to resize, and `closeLifecycle` handlers registered here are asked by the board (over the
// link) when its overlay is about to close, so `onBeforeClose` can still keep it open.
import type {
  PluginHostContext,
  PluginRenderCloseEvent,
  PluginRenderCloseHandler,
  PluginRenderCloseLifecycle,
} from "@paperclipai/plugin-sdk/ui/types";
import type { FrameHostContext } from "../plugin-ui/sandbox/protocol.js";
import type { FrameLink } from "./frame-link.js";

/** The frame's close lifecycle: handlers live here; the board is told whether any are registered. */
export function frameCloseLifecycle(link: FrameLink): PluginRenderCloseLifecycle {
  const before = new Set<PluginRenderCloseHandler>();
  const close = new Set<PluginRenderCloseHandler>();
  const tell = () =>
    void link
      .request("overlay.watchClose", { before: before.size > 0, close: close.size > 0 })
      .catch(() => undefined);
  link.onBoardRequest(async (method, params) => {
    const event = params as PluginRenderCloseEvent;
    if (method === "overlay.close") {
      for (const handler of [...close]) await Promise.resolve(handler(event)).catch(() => undefined);
      return true;
    }
    for (const handler of [...before]) {
      let answer: unknown;
      try {
        answer = await (handler as (event: PluginRenderCloseEvent) => unknown)(event);
      } catch {
        answer = false;
      }
      if (answer === false) return false;
    }
    return true;
  });
  const register = (set: Set<PluginRenderCloseHandler>, handler: PluginRenderCloseHandler) => {
    set.add(handler);
    tell();
    return () => {
      set.delete(handler);
      tell();
    };
  };
  return {
    onBeforeClose: (handler) => register(before, handler),
    onClose: (handler) => register(close, handler),
  };
}

export function pluginHostContextOf(
  context: FrameHostContext,
  link: FrameLink,
  closeLifecycle: PluginRenderCloseLifecycle,
): PluginHostContext {
  const { renderEnvironment: environment, ...rest } = context;
  return {
    ...rest,
    renderEnvironment: environment
      ? {
          environment: environment.environment as never,
          launcherId: environment.launcherId,
          bounds: environment.bounds as never,
          ...(environment.canRequestModalBounds
            ? {
                requestModalBounds: async (request) => {
                  await link.request("overlay.requestBounds", request);
                },
              }
            : {}),
          closeLifecycle: environment.hasCloseLifecycle ? closeLifecycle : null,
        }
      : null,
  };
}
