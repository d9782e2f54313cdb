import path from "node:path";
import { parseArgs } from "node:util";
import { displayNameFor, packageNameProblem, ScaffoldError, unscopedName } from "./naming.js";

export const TEMPLATES = ["default", "connector", "ui"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** The host's manifest categories (reference §1.2). */
export const CATEGORIES = ["connector", "workspace", "automation", "ui"] as const;
export type PluginCategory = (typeof CATEGORIES)[number];

const DEFAULT_CATEGORY: Record<TemplateName, PluginCategory> = {
  default: "automation",
  connector: "connector",
  ui: "ui",
};

export interface ScaffoldOptions {
  /** npm package name: `my-plugin` or `@scope/my-plugin`. */
  name: string;
  /** The project folder to create. Default `./<name without scope>`. */
  outputDir?: string;
  template?: TemplateName;
  category?: PluginCategory;
  displayName?: string;
  description?: string;
  author?: string;
  /** An SDK folder (linked with `file:`) or a packed SDK tarball (copied into the project). */
  sdkPath?: string;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedScaffoldOptions {
  name: string;
  outputDir: string;
  template: TemplateName;
  category: PluginCategory;
  displayName: string;
  description: string;
  author: string;
  sdkPath: string | null;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string, flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ScaffoldError(`unknown ${what} "${value}": pass ${flag} ${allowed.join(", ")}`);
}

function text(value: string | undefined, fallback: string, field: string, max: number): string {
  const result = (value ?? fallback).trim();
  if (result.length === 0 || result.length > max) {
    throw new ScaffoldError(`--${field} must be 1 to ${max} characters (the manifest's limit)`);
  }
  return result;
}

export function resolveOptions(options: ScaffoldOptions, cwd = process.cwd()): ResolvedScaffoldOptions {
  const problem = packageNameProblem(options.name);
  if (problem) throw new ScaffoldError(problem);
  const template = oneOf(options.template ?? "default", TEMPLATES, "template", "--template");
  const category = oneOf(
    options.category ?? DEFAULT_CATEGORY[template],
    CATEGORIES,
    "category",
    "--category",
  );
  const displayName = text(options.displayName, displayNameFor(options.name), "display-name", 100);
  return {
    name: options.name,
    outputDir: path.resolve(cwd, options.outputDir ?? unscopedName(options.name)),
    template,
    category,
    displayName,
    description: text(options.description, `${displayName}: a Paperclip plugin.`, "description", 500),
    author: text(options.author, "Unknown author", "author", 200),
    sdkPath: options.sdkPath === undefined ? null : path.resolve(cwd, options.sdkPath),
  };
}

/** The help text, under the command that runs the scaffolder (`paperclip plugin init` passes its own). */
export function createHelp(command = "create-paperclip-plugin"): string {
  const usage =
    command === "create-paperclip-plugin"
      ? "Usage: create-paperclip-plugin <name> [options]\n       npm create paperclip-plugin@latest <name> -- [options]"
      : `Usage: ${command} <name> [options]`;
  return `${usage}

Creates a Paperclip plugin project that installs, builds and passes its tests straight away.

<name> is the npm package name: lowercase letters, digits, ".", "_", "-" (e.g. acme-sync), or scoped
(@acme/plugin-sync). The manifest id is the name, with @scope/x written scope.x.

Options:
      --output <dir>          Project folder to create (default ./<name without scope>); must be absent or empty
      --template <t>          default    events, a data handler, an action and an agent tool
                              connector  signed webhook, scheduled sync job, secret config, state cursor
                              ui         a page, a dashboard widget and an issue tab (React)
      --category <c>          connector, workspace, automation or ui (default: the template's)
      --display-name <text>   Name shown in the board (default: from <name>)
      --description <text>   One line about what it does
      --author <text>         Your name or organisation
      --sdk-path <path>       Use this @paperclipai/plugin-sdk: a folder (linked) or a packed .tgz (copied)
  -h, --help                  Show this help
`;
}

/** Command-line arguments → options; "help" for --help. Throws ScaffoldError naming a bad flag. */
export function parseCreateArgs(
  args: string[],
  command = "create-paperclip-plugin",
): ScaffoldOptions | "help" {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: {
        output: { type: "string", short: "o" },
        template: { type: "string", short: "t" },
        category: { type: "string" },
        "display-name": { type: "string" },
        description: { type: "string" },
        author: { type: "string" },
        "sdk-path": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    throw new ScaffoldError(`${(error as Error).message}. Run with --help for the options.`);
  }
  if (parsed.values.help) return "help";
  const [name, extra] = parsed.positionals;
  if (name === undefined) throw new ScaffoldError(`name the plugin: ${command} <name>, e.g. acme-sync`);
  if (extra !== undefined) {
    throw new ScaffoldError(`unexpected argument "${extra}": give one name, and quote texts with spaces`);
  }
  const value = (key: string) => parsed.values[key] as string | undefined;
  return {
    name,
    outputDir: value("output"),
    template: value("template") as TemplateName | undefined,
    category: value("category") as PluginCategory | undefined,
    displayName: value("display-name"),
    description: value("description"),
    author: value("author"),
    sdkPath: value("sdk-path"),
  };
}
