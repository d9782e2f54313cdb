// Signing in and out of a host in authenticated mode (better-auth on the test database), what an anonymous caller
// gets, the cross-site (CSRF) rule for cookie-authenticated writes, and the sign-in rate limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { type AuthHost, type Caller, PASSWORD, show, startAuthHost } from "./support.js";

describe.each(ENGINES)("sessions in authenticated mode (%s)", (engine) => {
  let host: AuthHost;
  let ada: { id: string; email: string };

  beforeAll(async () => {
    host = await startAuthHost(engine);
    ada = await host.createUser("ada@example.com", "Ada Lovelace");
    await host.createUser("bob@example.com", "Bob");
  });
  afterAll(() => host?.close());

  it("refuses anonymous callers with 401 and says how to sign in; health stays public without its location", async () => {
    const companies = await host.request("GET", "/api/companies");
    expect(companies.status, show(companies)).toBe(401);
    expect(companies.body.error).toMatch(/Sign in required: this Paperclip host runs in authenticated mode/);
    const health = await host.request("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body.deploymentMode).toBe("authenticated");
    expect(health.body.database).toEqual({ kind: "pglite" === engine ? "pglite" : "postgres" });
    // An unknown session cookie is no credential at all.
    const forged = await host.request("GET", "/api/me", undefined, {
      cookie: "paperclip.session_token=forged.value",
    });
    expect(forged.status).toBe(401);
  });

  it("signs in with email and password, shows the user and their (empty) memberships, and signs out", async () => {
    const session = await host.signIn("ADA@example.com");
    const me = await host.request("GET", "/api/me", undefined, session);
    expect(me.status, show(me)).toBe(200);
    expect(me.body).toMatchObject({
      mode: "authenticated",
      user: { id: ada.id, email: "ada@example.com", name: "Ada Lovelace", isInstanceAdmin: true },
      memberships: [],
    });
    const session2 = await host.request("GET", "/api/auth/get-session", undefined, session);
    expect(session2.body.user.email).toBe("ada@example.com");

    const out = await host.request("POST", "/api/auth/sign-out", {}, session);
    expect(out.status, show(out)).toBe(200);
    const after = await host.request("GET", "/api/me", undefined, session);
    expect(after.status).toBe(401);
  });

  it("answers a wrong password or an unknown email with the same clear 401", async () => {
    const wrong = await host.request(
      "POST",
      "/api/auth/sign-in/email",
      { email: "ada@example.com", password: "not the password" },
      { origin: host.baseUrl },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("Invalid email or password");
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const unknown = await host.request(
      "POST",
      "/api/auth/sign-in/email",
      { email: "nobody@example.com", password: PASSWORD },
      { origin: host.baseUrl },
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe("Invalid email or password");
  });

  it("gives the first user instance admin; later users are not unless made so", async () => {
    const bob = await host.signIn("bob@example.com");
    const me = await host.request("GET", "/api/me", undefined, bob);
    expect(me.body.user.isInstanceAdmin).toBe(false);
    const users = await host.request("GET", "/api/users", undefined, bob);
    expect(users.status).toBe(403);
    expect(users.body.error).toBe("Instance admin access required");
    const ada = await host.signIn("ada@example.com");
    const all = await host.request("GET", "/api/users", undefined, ada);
    expect(all.body.map((user: { email: string }) => user.email)).toEqual([
      "ada@example.com",
      "bob@example.com",
    ]);
  });

  it("refuses a cookie-authenticated write without the board's Origin (CSRF), but not a Bearer API key", async () => {
    const session = await host.signIn("bob@example.com");
    const create = (caller: Caller) =>
      host.request("POST", "/api/companies", { name: `CSRF ${Math.random()}` }, caller);

    const noOrigin = await create({ ...session, origin: null });
    expect(noOrigin.status, show(noOrigin)).toBe(403);
    expect(noOrigin.body.error).toMatch(/must carry an Origin header/);
    expect(noOrigin.body.details).toEqual({ code: "CSRF_ORIGIN" });

    // Same host name, another port: another site as far as cookies are concerned.
    const otherPort = await create({ ...session, origin: "http://127.0.0.1:1" });
    expect(otherPort.status).toBe(403);
    expect(otherPort.body.error).toBe(
      'Cross-site request refused: Origin "http://127.0.0.1:1" is not this board\'s origin',
    );

    // A foreign name never gets this far: the host guard refuses it first.
    const foreign = await create({ ...session, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.details).toEqual({ code: "HOST_NOT_ALLOWED" });

    // Reads need no Origin; the board's own Origin passes.
    expect(
      (await host.request("GET", "/api/companies", undefined, { ...session, origin: null })).status,
    ).toBe(200);
    expect((await create(session)).status).toBe(201);

    // better-auth's own routes follow the same rule for a signed-in browser.
    const signOut = await host.request(
      "POST",
      "/api/auth/sign-out",
      {},
      { ...session, origin: "http://127.0.0.1:1" },
    );
    expect(signOut.status).toBe(403);

    const key = await host.request("POST", "/api/me/api-keys", { name: "script" }, session);
    expect(key.status, show(key)).toBe(201);
    const scripted = await create({ token: key.body.token });
    expect(scripted.status, show(scripted)).toBe(201);
  });

  it("refuses X-Paperclip-Run-Id without the run's token (anyone could send the header)", async () => {
    const reply = await host.request("GET", "/api/companies", undefined, {
      headers: { "x-paperclip-run-id": "00000000-0000-4000-8000-000000000000" },
    });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatch(/X-Paperclip-Run-Id alone is not accepted in authenticated mode/i);
    const garbage = await host.request("GET", "/api/companies", undefined, { token: "not-a-key" });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error).toMatch(/not a valid agent API key or run token/);
    const basic = await host.request("GET", "/api/companies", undefined, {
      headers: { authorization: "Basic YWRhOnB3" },
    });
    expect(basic.status).toBe(401);
    expect(basic.body.error).toMatch(/only `Bearer <API key>`/);
  });
});

describe.each(ENGINES)("the sign-in rate limit (%s)", (engine) => {
  let host: AuthHost;
  beforeAll(async () => {
    host = await startAuthHost(engine, { signInAttemptsPerMinute: 3 });
    await host.createUser("eve@example.com", "Eve");
  });
  afterAll(() => host?.close());

  it("answers repeated attempts with 429 and Retry-After, the right password included", async () => {
    const attempt = (password: string) =>
      host.request(
        "POST",
        "/api/auth/sign-in/email",
        { email: "eve@example.com", password },
        { origin: host.baseUrl },
      );
    for (let index = 0; index < 3; index++) expect((await attempt("wrong password!")).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status, show(limited)).toBe(429);
    expect(limited.body.error).toBe("Too many requests. Please try again later.");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Counted in the database, so every host node on it sees the same attempts.
    const [row] = await host.services.db.query<{ count: number }>(
      "rate_rows",
      "SELECT count FROM auth_rate_limits WHERE key LIKE '%/sign-in/email'",
      [],
    );
    expect(Number(row?.count)).toBe(3);
  });
});
