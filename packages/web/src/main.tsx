import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import "./index.css";
import { installPluginBridge } from "./plugin-ui";
import { ErrorBoundary as PluginErrorBoundary } from "./plugin-ui/components/error-boundary";

// Plugin UI bundles import React and the SDK through this global: it exists before anything renders.
installPluginBridge();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

// A plugin's render error is shown in its own boundary on the page; it is the plugin's fault, not the board's,
// so it goes to the console as a warning. Everything else the board's boundaries catch stays an error.
function reportCaughtError(error: unknown, info: { componentStack?: string; errorBoundary?: unknown }) {
  const log = info.errorBoundary instanceof PluginErrorBoundary ? console.warn : console.error;
  log("Caught by an error boundary:", error, info.componentStack ?? "");
}

createRoot(container, { onCaughtError: reportCaughtError }).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
