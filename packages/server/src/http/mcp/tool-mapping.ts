// How plugin tools look over MCP: a manifest tool becomes an MCP `Tool` (name `<pluginKey>:<tool>`, its
// parametersSchema as the JSON-schema `inputSchema`, which MCP requires to describe an object), and a worker's
// ToolResult `{content?, data?, error?}` becomes a `CallToolResult` (text content, `structuredContent` for object
// data, `isError` when the tool reported an error).
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { RegisteredTool } from "../../plugins/tools/index.js";

export function toMcpTool(tool: RegisteredTool): Tool {
  const schema = (tool.declaration.parametersSchema ?? {}) as Record<string, unknown>;
  return {
    name: tool.name,
    title: tool.declaration.displayName,
    description: tool.declaration.description,
    inputSchema: { ...schema, type: "object" } as Tool["inputSchema"],
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function toCallToolResult(result: unknown): CallToolResult {
  const answer = isPlainObject(result) ? result : { data: result };
  const content: CallToolResult["content"] = [];
  if (typeof answer.content === "string") content.push({ type: "text", text: answer.content });
  // Structured data also travels as JSON text, for clients that read text only (MCP's recommendation).
  if (answer.data !== undefined) content.push({ type: "text", text: JSON.stringify(answer.data) });
  const error = typeof answer.error === "string" && answer.error.length > 0 ? answer.error : null;
  if (error !== null) content.push({ type: "text", text: error });
  return {
    content,
    ...(isPlainObject(answer.data) ? { structuredContent: answer.data } : {}),
    ...(error !== null ? { isError: true } : {}),
  };
}

/** A failed call as the model should see it: a tool result flagged isError, the reason in text. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
