// Bundles the Company Pulse UI (src/ui/index.ts) into one ESM file, dist/ui/index.js, with React and the SDK's UI
// modules left as imports: the host rewrites exactly those specifiers to its shared copies (reference §10.2).
// esbuild comes from the workspace (a dependency of vite and drizzle-kit).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The specifiers the host's bundle loader provides; nothing else may stay external. */
export const UI_EXTERNALS = [
  "react",
  "react-dom",
  "react/jsx-runtime",
  "@paperclipai/plugin-sdk/ui",
  "@paperclipai/plugin-sdk/ui/hooks",
];

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Builds into `outdir` (default dist/ui); returns esbuild's metafile. */
export async function buildUi({ outdir = path.join(packageRoot, "dist/ui"), logLevel = "warning" } = {}) {
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: { index: "src/ui/index.ts" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    external: UI_EXTERNALS,
    sourcemap: true,
    metafile: true,
    legalComments: "none",
    logLevel,
  });
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildUi({ logLevel: "info" });
}
