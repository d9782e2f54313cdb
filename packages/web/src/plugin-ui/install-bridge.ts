// `installPluginBridge()` (reference §10.2): puts the board's React, JSX runtime, ReactDOM (with the
// `react-dom/client` entry points) and every SDK UI hook and shared component on
// `globalThis.__paperclipPluginBridge__`, where the SDK's `/ui` forwarders and the loader's shims find them.
// Call it once before the first plugin bundle loads (the board's entry, before rendering).
import * as React from "react";
import * as ReactJsxRuntime from "react/jsx-runtime";
import * as ReactDOM from "react-dom";
import * as ReactDOMClient from "react-dom/client";
import { copyTextToClipboard } from "./clipboard.js";
import { ActionBar } from "./components/action-bar.js";
import {
  KeyValueList,
  LogView,
  MetricCard,
  Spinner,
  StatusBadge,
  TimeseriesChart,
} from "./components/basic.js";
import { DataTable } from "./components/data-table.js";
import { ErrorBoundary } from "./components/error-boundary.js";
import { FileTree } from "./components/file-tree.js";
import { IssuesList } from "./components/issues-list.js";
import { JsonTree } from "./components/json-tree.js";
import { MarkdownBlock, MarkdownEditor } from "./components/lazy-markdown.js";
import { ManagedRoutinesList } from "./components/managed-routines.js";
import { AssigneePicker, ProjectPicker } from "./components/pickers.js";
import { useHostContext } from "./hooks/host-context.js";
import { useHostLocation, useHostNavigation } from "./hooks/navigation.js";
import { usePluginAction, usePluginData } from "./hooks/plugin-data.js";
import { usePluginStream } from "./hooks/plugin-stream.js";
import { usePluginToast } from "./hooks/plugin-toast.js";
import type { SdkUiExportName } from "./sdk-ui-names.js";

/** Every runtime export of `@paperclipai/plugin-sdk/ui`, implemented by the board. */
export const sdkUi = {
  usePluginData,
  usePluginAction,
  useHostContext,
  useHostLocation,
  useHostNavigation,
  usePluginStream,
  usePluginToast,
  copyTextToClipboard,
  MarkdownBlock,
  MetricCard,
  StatusBadge,
  DataTable,
  KeyValueList,
  JsonTree,
  Spinner,
  ErrorBoundary,
  MarkdownEditor,
  FileTree,
  IssuesList,
  AssigneePicker,
  ProjectPicker,
  ManagedRoutinesList,
  TimeseriesChart,
  ActionBar,
  LogView,
} as const satisfies Record<SdkUiExportName, unknown>;

export interface PaperclipPluginBridge {
  react: typeof React;
  reactJsxRuntime: typeof ReactJsxRuntime;
  reactDom: typeof ReactDOM & typeof ReactDOMClient;
  sdkUi: typeof sdkUi;
}

declare global {
  var __paperclipPluginBridge__: PaperclipPluginBridge | undefined;
}

/** Install (or return the already installed) bridge global. */
export function installPluginBridge(): PaperclipPluginBridge {
  const existing = globalThis.__paperclipPluginBridge__;
  if (existing && existing.sdkUi === sdkUi) return existing;
  const bridge: PaperclipPluginBridge = {
    react: React,
    reactJsxRuntime: ReactJsxRuntime,
    reactDom: { ...ReactDOM, ...ReactDOMClient },
    sdkUi,
  };
  globalThis.__paperclipPluginBridge__ = bridge;
  return bridge;
}
