#!/usr/bin/env node
// `npm create paperclip-plugin@latest <name>` runs this bin; the work is in dist/cli.js.
import { runCreatePlugin } from "../dist/cli.js";

process.exitCode = await runCreatePlugin(process.argv.slice(2));
