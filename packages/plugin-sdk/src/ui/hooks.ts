// The bridge hooks (`@paperclipai/plugin-sdk/ui/hooks`). Each one calls the host's implementation found on
// the bridge global at call time, so hook order and React identity are the host's own.
import { getSdkUiRuntimeValue } from "./runtime.js";
import type {
  HostLocation,
  HostNavigation,
  PluginActionFn,
  PluginDataResult,
  PluginHostContext,
  PluginStreamResult,
  PluginToastFn,
} from "./types.js";

/** Data from the worker's `ctx.data.register(key, …)` handler; refetched when `key` or `params` change. */
export function usePluginData<T = unknown>(
  key: string,
  params?: Record<string, unknown>,
): PluginDataResult<T> {
  return getSdkUiRuntimeValue<typeof usePluginData<T>>("usePluginData")(key, params);
}

/** A function that runs the worker's `ctx.actions.register(key, …)` handler; rejects with a PluginBridgeError. */
export function usePluginAction(key: string): PluginActionFn {
  return getSdkUiRuntimeValue<typeof usePluginAction>("usePluginAction")(key);
}

/** The company, project, entity and user the component renders for. */
export function useHostContext(): PluginHostContext {
  return getSdkUiRuntimeValue<typeof useHostContext>("useHostContext")();
}

/** Navigate inside the board without a full reload; `linkProps()` keeps real hrefs for links. */
export function useHostNavigation(): HostNavigation {
  return getSdkUiRuntimeValue<typeof useHostNavigation>("useHostNavigation")();
}

/** The board's current location; the component re-renders when it changes. */
export function useHostLocation(): HostLocation {
  return getSdkUiRuntimeValue<typeof useHostLocation>("useHostLocation")();
}

/** Events the worker pushes with `ctx.streams.emit(channel, …)`, over Server-Sent Events. */
export function usePluginStream<T = unknown>(
  channel: string,
  options?: { companyId?: string },
): PluginStreamResult<T> {
  return getSdkUiRuntimeValue<typeof usePluginStream<T>>("usePluginStream")(channel, options);
}

/** Show a toast through the board's toast system. */
export function usePluginToast(): PluginToastFn {
  return getSdkUiRuntimeValue<typeof usePluginToast>("usePluginToast")();
}
