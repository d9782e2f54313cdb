#!/usr/bin/env node
// The `paperclip` command as npm links it (package.json "bin"). This file is committed, not built, so that
// `npm install` on a fresh clone links it (npm skips a bin whose file does not exist yet, e.g. dist/ before the
// first build). It runs the built CLI, or says how to build it.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    `paperclip: the CLI is not built yet (${cli} is missing).\n` +
      "Run `npm run build` (or `npm start`, which builds and starts the host) in the repository root first.\n",
  );
  process.exit(1);
}
await import(pathToFileURL(cli).href);
