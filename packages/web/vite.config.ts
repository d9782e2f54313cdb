// The board's build and dev server. `npm run dev -w packages/web` serves the SPA on :5173 and proxies the
// host's API; PAPERCLIP_API_URL points the proxy at another host (default http://127.0.0.1:3100).

import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";

const apiTarget = process.env.PAPERCLIP_API_URL ?? "http://127.0.0.1:3100";

const proxy: Record<string, ProxyOptions> = {
  // SSE streams (/api/companies/:id/events/stream, plugin streams) pass through unbuffered.
  "/api": { target: apiTarget, changeOrigin: true },
  "/_plugins": { target: apiTarget, changeOrigin: true },
};

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rolldownOptions: {
      // The board, and the runtime of sandboxed plugin UI frames (src/plugin-frame, docs/plugin-ui-sandbox.md) at
      // a fixed path: the host's frame document loads /plugin-frame/runtime.js.
      input: {
        index: fileURLToPath(new URL("./index.html", import.meta.url)),
        "plugin-frame": fileURLToPath(new URL("./src/plugin-frame/main.tsx", import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === "plugin-frame" ? "plugin-frame/runtime.js" : "assets/[name]-[hash].js",
        // React, the router and TanStack Query change rarely: their own chunk stays cached across releases.
        codeSplitting: {
          groups: [
            {
              name: "vendor",
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: { proxy },
  preview: { proxy },
});
