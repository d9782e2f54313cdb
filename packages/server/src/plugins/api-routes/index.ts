/**
 * Scoped plugin API routes: matching a request to a manifest's `apiRoutes` and the checks it passes before the
 * worker's onApiRequest sees it. The route itself belongs to the HTTP layer (api-routes.ts). See docs/plugin-bridge.md.
 */
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
