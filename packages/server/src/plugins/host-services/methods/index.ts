// The host's side of the ctx contract, one file per ctx namespace (the worker's packages/plugin-sdk/src/worker/ctx
// has the same names). Every worker→host method and notification of the SDK's protocol has a decision here: a
// handler, or notHosted with the reason. `satisfies` makes the compiler hold this to the contract: a method added
// to the protocol without a decision, or a name the protocol does not have, fails to compile.
import type { HostMethodTable, HostNotificationTable } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { accessMethods } from "./access.js";
import { activityMethods } from "./activity.js";
import { agentMethods } from "./agents.js";
import { approvalMethods } from "./approvals.js";
import { authorizationMethods } from "./authorization.js";
import { companyMethods } from "./companies.js";
import { configMethods } from "./config.js";
import { databaseMethods } from "./db.js";
import { duplexChannelNotifications } from "./duplex-channel.js";
import { entityMethods } from "./entities.js";
import { eventMethods } from "./events.js";
import { executionNotifications } from "./execution.js";
import { executionWorkspaceMethods } from "./execution-workspaces.js";
import { goalMethods } from "./goals.js";
import { httpMethods } from "./http.js";
import { issueMethods } from "./issues.js";
import { localFolderMethods } from "./local-folders.js";
import { loggerMethods, loggerNotifications } from "./logger.js";
import { loginPtyNotifications } from "./login-pty.js";
import { metricsMethods } from "./metrics.js";
import { projectMethods } from "./projects.js";
import { routineMethods } from "./routines.js";
import { secretsMethods } from "./secrets.js";
import { skillMethods } from "./skills.js";
import { stateMethods } from "./state.js";
import { streamNotifications } from "./streams.js";
import { telemetryMethods } from "./telemetry.js";
import { tracerMethods } from "./tracer.js";

export function buildMethodTable(deps: HostServiceDeps): HostMethodTable {
  return {
    ...configMethods(deps),
    ...localFolderMethods,
    ...eventMethods(deps),
    ...databaseMethods(deps),
    ...httpMethods(deps),
    ...secretsMethods(deps),
    ...activityMethods(deps),
    ...stateMethods(deps),
    ...entityMethods(deps),
    ...projectMethods(deps),
    ...executionWorkspaceMethods,
    ...routineMethods,
    ...skillMethods,
    ...companyMethods(deps),
    ...issueMethods(deps),
    ...approvalMethods(deps),
    ...agentMethods(deps),
    ...goalMethods(deps),
    ...accessMethods,
    ...authorizationMethods,
    ...metricsMethods(deps),
    ...telemetryMethods(deps),
    ...loggerMethods(deps),
    ...tracerMethods(deps),
  } satisfies HostMethodTable;
}

export function buildNotificationTable(deps: HostServiceDeps): HostNotificationTable {
  return {
    ...streamNotifications(deps),
    ...executionNotifications,
    ...loginPtyNotifications,
    ...duplexChannelNotifications,
    ...loggerNotifications(deps),
  } satisfies HostNotificationTable;
}

/** Why a method name the protocol does not have is not served. */
export const NOT_IN_PROTOCOL = "it is not a worker→host method of the Paperclip plugin protocol";
