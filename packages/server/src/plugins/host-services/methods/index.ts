// Every worker→host method this host serves, and for the published ones it does not, why not.
import type { MethodTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { agentMethods } from "./agents.js";
import { configSecretMethods } from "./config-secrets.js";
import { databaseMethods } from "./db.js";
import { directoryMethods } from "./directory.js";
import { eventMethods } from "./events.js";
import { issueThreadMethods } from "./issue-threads.js";
import { issueMethods } from "./issues.js";
import { managedMethods } from "./managed.js";
import { outboundMethods } from "./outbound.js";
import { stateMethods } from "./state.js";

export function buildMethodTable(deps: HostServiceDeps): MethodTable {
  return {
    ...configSecretMethods(deps),
    ...stateMethods(deps),
    ...eventMethods(deps),
    ...outboundMethods(deps),
    ...directoryMethods(deps),
    ...issueMethods(deps),
    ...issueThreadMethods(deps),
    ...agentMethods(deps),
    ...databaseMethods(deps),
    ...managedMethods(deps),
  };
}

/** Published worker→host methods with no counterpart in this host's domain (answer METHOD_NOT_FOUND). */
const NOT_HOSTED: Array<[prefix: string, reason: string]> = [
  ["localFolders.", "trusted local folders are not available on this host"],
  ["span.record", "tracing spans are not recorded by this host"],
  ["executionWorkspaces.", "this host has no execution workspaces"],
  [
    "routines.managed.",
    "managed routines are not available on this host (manifest.routines is refused at install)",
  ],
  [
    "skills.managed.",
    "managed skills are not available on this host (manifest.skills is refused at install)",
  ],
  ["issues.getSubtree", "issue subtrees are not available on this host"],
  ["issues.summaries.", "orchestration summaries are not available on this host"],
  ["issues.createInteraction", "issue thread interactions are not available on this host"],
  ["issues.listInteractions", "issue thread interactions are not available on this host"],
  ["issues.respondInteraction", "issue thread interactions are not available on this host"],
  ["issues.listAttachments", "issue attachments are not available on this host"],
  ["issues.getAttachmentContent", "issue attachments are not available on this host"],
  ["access.", "company access management is not available on this host"],
  ["authorization.", "authorization grants and policies are not available on this host"],
];

export function notHostedReason(method: string): string {
  for (const [prefix, reason] of NOT_HOSTED) {
    if (method === prefix || (prefix.endsWith(".") && method.startsWith(prefix))) return reason;
  }
  return "it is not a worker→host method of the Paperclip plugin protocol";
}
