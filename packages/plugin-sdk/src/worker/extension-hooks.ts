/**
 * Host→worker methods that simply forward to one optional plugin hook: external objects,
 * environment drivers, login pseudo-terminals and duplex channels. A missing hook answers
 * METHOD_NOT_IMPLEMENTED; a defined one is advertised in `initialize`'s supportedMethods.
 */
import type { PluginDefinition } from "../define-plugin.js";
import { methodNotImplemented } from "./errors.js";

/** Wire method → hook, in the order supportedMethods lists them. */
export const EXTENSION_HOOKS = {
  detectExternalObjects: "onDetectExternalObjects",
  resolveExternalObject: "onResolveExternalObject",
  refreshExternalObjects: "onRefreshExternalObjects",
  environmentValidateConfig: "onEnvironmentValidateConfig",
  environmentProbe: "onEnvironmentProbe",
  environmentAcquireLease: "onEnvironmentAcquireLease",
  environmentResumeLease: "onEnvironmentResumeLease",
  environmentReleaseLease: "onEnvironmentReleaseLease",
  environmentDestroyLease: "onEnvironmentDestroyLease",
  environmentRealizeWorkspace: "onEnvironmentRealizeWorkspace",
  environmentExecute: "onEnvironmentExecute",
  environmentRunnerIngressEndpoint: "onEnvironmentRunnerIngressEndpoint",
  environmentSyncIn: "onEnvironmentSyncIn",
  environmentSyncOut: "onEnvironmentSyncOut",
  environmentStartInteractiveSetup: "onEnvironmentStartInteractiveSetup",
  environmentGetInteractiveSetup: "onEnvironmentGetInteractiveSetup",
  environmentCaptureTemplate: "onEnvironmentCaptureTemplate",
  environmentCancelInteractiveSetup: "onEnvironmentCancelInteractiveSetup",
  environmentDeleteTemplate: "onEnvironmentDeleteTemplate",
  loginPtyOpen: "onLoginPtyOpen",
  loginPtyInput: "onLoginPtyInput",
  loginPtyStop: "onLoginPtyStop",
  loginPtyClose: "onLoginPtyClose",
  duplexChannelOpen: "onDuplexChannelOpen",
  duplexChannelWrite: "onDuplexChannelWrite",
  duplexChannelStop: "onDuplexChannelStop",
  duplexChannelClose: "onDuplexChannelClose",
} as const satisfies Record<string, keyof PluginDefinition>;

export type ExtensionMethod = keyof typeof EXTENSION_HOOKS;

export function isExtensionMethod(method: string): method is ExtensionMethod {
  return Object.hasOwn(EXTENSION_HOOKS, method);
}

/** Call the hook behind `method`, or throw METHOD_NOT_IMPLEMENTED when the plugin lacks it. */
export async function callExtensionHook(
  definition: PluginDefinition,
  method: ExtensionMethod,
  params: unknown,
): Promise<unknown> {
  const hook = definition[EXTENSION_HOOKS[method]] as ((params: unknown) => Promise<unknown>) | undefined;
  if (!hook) throw methodNotImplemented(method);
  return hook.call(definition, params);
}

/** The extension methods this plugin implements. */
export function implementedExtensionMethods(definition: PluginDefinition): ExtensionMethod[] {
  return (Object.keys(EXTENSION_HOOKS) as ExtensionMethod[]).filter(
    (method) => definition[EXTENSION_HOOKS[method]],
  );
}
