// Who is calling, in authenticated mode:
// - `Authorization: Bearer pck_…`: a user's API key; the caller acts as that user;
// - `Authorization: Bearer pcp_…|pcr_…`: an agent API key or run token, exactly as in local trusted mode
//   (http/actor.ts), X-Paperclip-Run-Id included;
// - the session cookie better-auth set at sign-in: that user;
// - nothing: ANONYMOUS_ACTOR, which route-access.ts refuses (401) on every route that is not public.
// Unlike local trusted mode, X-Paperclip-Run-Id alone proves nothing here (anyone could send it): it needs the run's
// token. A user actor's isInstanceAdmin comes from the user row at every request, so revoking it takes effect at once.
import type { FastifyRequest } from "fastify";
import type { Actor } from "../../domain/actor.js";
import type { DomainServices } from "../../domain/services.js";
import { USER_KEY_PREFIX } from "../../domain/user-api-keys.js";
import { unauthorized } from "../../errors.js";
import {
  type ActorResolver,
  type LocalTrustedOptions,
  localTrustedActorResolver,
  RUN_ID_HEADER,
} from "../actor.js";
import { AUTH_BASE_PATH, type PaperclipAuth, SESSION_COOKIE_PREFIX } from "./better-auth.js";
import { ANONYMOUS_ACTOR } from "./route-access.js";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const SESSION_COOKIE = `${SESSION_COOKIE_PREFIX}.session_token=`;

export function userActor(user: { id: string; isInstanceAdmin: boolean }): Actor {
  return { type: "user", id: user.id, userId: user.id, isInstanceAdmin: user.isInstanceAdmin };
}

/** Routes whose answer may depend on a signed-in session: the API (but not better-auth's own) and plugin UI files. */
function mayUseSession(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? request.url;
  if (url.startsWith(`${AUTH_BASE_PATH}/`)) return false;
  return url.startsWith("/api/") || url.startsWith("/_plugins/");
}

export function authenticatedActorResolver(
  services: DomainServices,
  auth: PaperclipAuth,
  options: LocalTrustedOptions = {},
): ActorResolver {
  const agentCredentials = localTrustedActorResolver(services, options);
  return async (request) => {
    const authorization = request.headers.authorization;
    const runHeader = request.headers[RUN_ID_HEADER];
    if (authorization) {
      const token = BEARER.exec(authorization)?.[1];
      if (!token) {
        throw unauthorized(
          "Authorization: only `Bearer <API key>` (pck_…, a user's key) or `Bearer <agent API key or run token>` " +
            "is accepted",
        );
      }
      if (token.startsWith(USER_KEY_PREFIX)) {
        if (runHeader !== undefined) {
          throw unauthorized(
            `${RUN_ID_HEADER} goes with an agent API key or run token, not a user's API key`,
          );
        }
        const credential = await services.userKeys.authenticate(token);
        if (!credential) {
          throw unauthorized(
            "Authorization: the Bearer token is not a valid API key (unknown, revoked or expired)",
          );
        }
        request.credentialKind = "user-key";
        return userActor({ id: credential.userId, isInstanceAdmin: credential.isInstanceAdmin });
      }
      request.credentialKind = "agent";
      return agentCredentials(request);
    }
    if (runHeader !== undefined) {
      throw unauthorized(
        `${RUN_ID_HEADER} alone is not accepted in authenticated mode: send the run's token as ` +
          "`Authorization: Bearer <run token>` too (a run gets it as PAPERCLIP_API_KEY)",
      );
    }
    const cookie = request.headers.cookie;
    if (!cookie?.includes(SESSION_COOKIE) || !mayUseSession(request)) return ANONYMOUS_ACTOR;
    const headers = new Headers({ cookie });
    if (request.headers.host) headers.set("host", request.headers.host);
    const user = await auth.sessionUser(headers);
    // An expired or signed-out cookie is no credential at all: the board then shows its sign-in page.
    if (!user) return ANONYMOUS_ACTOR;
    request.credentialKind = "session";
    return userActor(user);
  };
}
