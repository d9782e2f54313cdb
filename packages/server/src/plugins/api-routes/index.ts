/** Scoped plugin API routes: `/api/plugins/:pluginId/api/*` → the worker's onApiRequest. See docs/plugin-bridge.md. */
export {
  assertCheckoutPolicy,
  assertRouteAuth,
  FORWARDED_REQUEST_HEADERS,
  FORWARDED_RESPONSE_HEADERS,
  forwardedHeaders,
  resolveCompany,
  workerActorOf,
} from "./request-checks.js";
export {
  apiSubpathOf,
  type MatchedApiRoute,
  matchApiRoute,
  queryRecord,
  rawSegments,
} from "./route-matcher.js";
export { API_ROUTE_BODY_LIMIT, registerApiRoutes } from "./routes.js";
