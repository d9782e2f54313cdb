import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";

/**
 * What the host reads before it starts the worker: identity, the capabilities the operator
 * approves at install time, where the worker is, and the agent tool it exposes.
 */
const manifest: PaperclipPluginManifestV1 = {
  id: "paperclip.hello-world",
  apiVersion: 1,
  version: "0.1.0",
  displayName: "Hello World",
  description:
    "The SDK quick start: reacts to new issues, serves data, runs an action and offers a calculator tool.",
  author: "Paperclip plugin platform",
  categories: ["automation"],
  capabilities: [
    "events.subscribe",
    "plugin.state.read",
    "plugin.state.write",
    "activity.log.write",
    "agent.tools.register",
  ],
  entrypoints: { worker: "./dist/worker.js" },
  tools: [
    {
      name: "calculator",
      displayName: "Calculator",
      description: "Adds two numbers and returns the sum.",
      parametersSchema: {
        type: "object",
        properties: {
          a: { type: "number", description: "First addend" },
          b: { type: "number", description: "Second addend" },
        },
        required: ["a", "b"],
        additionalProperties: false,
      },
    },
  ],
};

export default manifest;
