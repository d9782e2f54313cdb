// `paperclip plugin init [name] [options]`: the scaffolder (create-paperclip-plugin) under the paperclip command,
// run in-process. Loaded on demand: the other plugin commands never need it.
import type { CreateIo } from "create-paperclip-plugin";

export async function runPluginInit(args: string[], io: CreateIo, cwd = process.cwd()): Promise<number> {
  const { runCreatePlugin } = await import("create-paperclip-plugin");
  return runCreatePlugin(args, io, "paperclip plugin init", cwd);
}
