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
      output: {
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
