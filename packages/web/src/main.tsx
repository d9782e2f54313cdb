import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import "./index.css";
import { installPluginBridge } from "./plugin-ui";

// Plugin UI bundles import React and the SDK through this global: it exists before anything renders.
installPluginBridge();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
