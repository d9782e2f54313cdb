// `npm pack` runs this (prepack): rewrites dist/worker.js as one self-contained ESM file with the SDK inlined,
// so the packed tarball has no dependencies and installs on any host (the SDK 0.1.0 of this repository is not
// on the registry). The manifest (dist/manifest.js) imports types only and needs no bundling. esbuild comes
// from the workspace (a dependency of vite and drizzle-kit).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

await build({
  absWorkingDir: packageRoot,
  entryPoints: ["src/worker.ts"],
  outfile: "dist/worker.js",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
