// The bridge global inside a sandboxed frame: the board's own React, ReactDOM and SDK UI implementation
// (install-bridge.ts), with the two hooks that act on the board itself replaced by calls over the frame link:
// toasts appear in the board's toast stack, and copying goes through the board (a sandboxed frame may not write
// the clipboard itself).
import type { PluginToastFn } from "@paperclipai/plugin-sdk/ui/types";
import { useCallback } from "react";
import { installPluginBridge, type PaperclipPluginBridge } from "../plugin-ui/install-bridge.js";
import type { FrameLink } from "./frame-link.js";

/** The frame's link to the board (one per frame document). */
let board: FrameLink | null = null;
let toastCounter = 0;

function boardLink(): FrameLink {
  if (!board) throw new Error("The sandboxed frame's bridge is not installed");
  return board;
}

function usePluginToast(): PluginToastFn {
  return useCallback<PluginToastFn>((input) => {
    if (typeof input?.title !== "string" || input.title.trim() === "") return null;
    const id = input.id ?? `frame-toast-${++toastCounter}`;
    boardLink()
      .request("toast.show", { ...input, id })
      .catch((error: { message?: string }) => {
        console.warn(`Paperclip: the board refused a toast: ${error?.message ?? String(error)}`);
      });
    return id;
  }, []);
}

async function copyTextToClipboard(text: string): Promise<void> {
  await boardLink().request("clipboard.write", { text });
}

export function installFrameBridge(link: FrameLink): PaperclipPluginBridge {
  board = link;
  const base = installPluginBridge();
  const bridge: PaperclipPluginBridge = {
    ...base,
    sdkUi: { ...base.sdkUi, usePluginToast, copyTextToClipboard },
  };
  globalThis.__paperclipPluginBridge__ = bridge;
  return bridge;
}
