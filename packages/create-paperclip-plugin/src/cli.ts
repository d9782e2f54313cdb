// `create-paperclip-plugin <name> [options]` (also `npm create paperclip-plugin@latest` and `paperclip plugin
// init`): returns an exit code so callers can run it in-process.
import path from "node:path";
import { ScaffoldError } from "./naming.js";
import { createHelp, parseCreateArgs } from "./options.js";
import { scaffoldPlugin } from "./scaffold.js";

export interface CreateIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CreateIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** `command` prefixes messages and help (`paperclip plugin init` passes its own name). */
export async function runCreatePlugin(
  args: string[],
  io: CreateIo = processIo,
  command = "create-paperclip-plugin",
  cwd = process.cwd(),
): Promise<number> {
  try {
    const parsed = parseCreateArgs(args, command);
    if (parsed === "help") {
      io.out(createHelp(command));
      return 0;
    }
    const result = await scaffoldPlugin(parsed, cwd);
    const relative = path.relative(cwd, result.projectDir);
    const where = relative.startsWith("..") ? result.projectDir : relative || ".";
    io.out(
      `Created ${result.packageName} (plugin id ${result.pluginId}, template ${result.template}) in ${result.projectDir}\n` +
        `SDK: ${result.sdk.source}\n\n` +
        "Next:\n" +
        `  cd ${where.includes(" ") ? JSON.stringify(where) : where}\n` +
        "  npm install\n" +
        "  npm run build && npm test\n" +
        "  paperclip plugin install .            # on a running host, by local path\n" +
        "  npm run dev                           # rebuild and reload on the host on every change\n",
    );
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      io.err(`${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
