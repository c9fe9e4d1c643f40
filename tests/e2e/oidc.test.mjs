// An app's OpenID Provider used by a certified relying-party library (openid-client, from the
// npm registry), with the person driven through the hosted pages in Chromium with a virtual
// authenticator: discovery, the authorization request (PKCE, state, nonce; pushed with PAR in
// the second test), the login page creating an account with a passkey, the consent page, the
// callback, the code exchange (DPoP-bound in the second test) with the id_token validated by
// the library, userinfo, refresh, and RP-initiated logout. Screenshots go to
// target/e2e-screenshots/oidc-*.png.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import * as oidc from "openid-client";

import {
  inContext,
  launchBrowser,
  screenshot,
  startServer,
  startStaticServer,
} from "./harness.mjs";

const APP = "oidc-provider";
const TIMEOUT = 60_000;

let server;
let browser;
let rp;
let issuer;
let emailCounter = 0;

function email(label) {
  emailCounter += 1;
  return `${label}-${emailCounter}-${Date.now().toString(36)}@example.com`;
}

/** Registers an OAuth client through the admin API; resolves to its id and secret. */
async function registerClient(body) {
  const res = await server.api("POST", `/admin/apps/${APP}/oauth-clients`, {
    body: {
      redirect_uris: [rp.url("/callback")],
      post_logout_redirect_uris: [rp.url("/signed-out")],
      ...body,
    },
    token: server.adminKey,
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/**
 * The library's view of the provider for a client, found by discovery. A confidential client
 * sends its secret as the client is registered to (client_secret_basic by default).
 */
function discover(clientId, secret) {
  const auth = secret ? oidc.ClientSecretBasic(secret) : oidc.None();
  return oidc.discovery(new URL(issuer), clientId, undefined, auth, {
    // The test server speaks plain http on localhost.
    execute: [oidc.allowInsecureRequests],
  });
}

/** Runs `fn` in a fresh browser context with a passkey authenticator; a screenshot on failure. */
const withContext = (name, fn) => inContext(browser, server, "oidc", name, fn);

/** Creates an account with a passkey on the login page the provider sent the browser to. */
async function signUpHere(p, address) {
  await p.page.getByRole("button", { name: "Create an account" }).click();
  const step = p.page.locator("#step-sign-up");
  await step.getByLabel("Email").fill(address);
  await step.getByRole("button", { name: "Create account with a passkey" }).click();
}

/** Waits until the browser is back at the relying party; resolves to that URL. */
async function backAtRp(p) {
  await p.page.waitForURL((url) => url.origin === rp.origin, { timeout: 10_000 });
  return new URL(p.page.url());
}

before(async () => {
  server = await startServer();
  rp = await startStaticServer({
    "/callback": {
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Relying party</title></head>
<body style="font:16px system-ui;margin:2rem"><h1>Back at the relying party</h1></body></html>`,
    },
    "/signed-out": {
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body style="font:16px system-ui;margin:2rem"><h1>Signed out at the provider</h1></body></html>`,
    },
  });
  await server.createApp({
    id: APP,
    name: "Provider",
    rp_id: "localhost",
    origins: [server.url],
  });
  issuer = `${server.url}/apps/${APP}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await rp?.close();
  await server?.stop();
});

describe("OpenID Provider with openid-client", () => {
  it(
    "13a. code flow with PKCE: sign up on the hosted page, consent, tokens, userinfo, refresh, logout",
    { timeout: TIMEOUT },
    async () => {
      const client = await registerClient({ name: "Recipes", type: "confidential" });
      const config = await discover(client.client_id, client.client_secret);
      assert.equal(config.serverMetadata().issuer, issuer);

      await withContext("code-flow", async (p) => {
        const address = email("oidc");
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const authorize = oidc.buildAuthorizationUrl(config, {
          redirect_uri: rp.url("/callback"),
          scope: "openid email profile offline_access",
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state,
          nonce,
        });

        // Not signed in: the provider sends the browser to its login page.
        await p.page.goto(authorize.href);
        await p.page.waitForURL((url) => url.pathname === `/apps/${APP}/login`);
        await screenshot(p.page, "oidc-13a-login");
        await signUpHere(p, address);

        // Back at authorize, now signed in: the consent page.
        await p.page.getByRole("heading", { name: "Allow Recipes?" }).waitFor({ timeout: 10_000 });
        assert.match(await p.page.textContent("main"), /See your email address/);
        await screenshot(p.page, "oidc-13a-consent");
        await p.page.getByRole("button", { name: "Allow" }).click();

        const callback = await backAtRp(p);
        assert.equal(callback.searchParams.get("iss"), issuer);
        const tokens = await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        assert.equal(claims.iss, issuer);
        assert.equal(claims.aud, client.client_id);
        assert.equal(claims.email, address);
        assert.deepEqual(claims.amr, ["passkey", "mfa"]);
        assert.equal(claims.acr, "phr");
        assert.equal(tokens.token_type.toLowerCase(), "bearer");
        assert.ok(tokens.refresh_token, "offline_access gives a refresh token");

        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        assert.equal(info.email, address);

        // The backend's view: introspection with the client's credentials.
        const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
        assert.equal(introspected.active, true);
        assert.equal(introspected.sub, claims.sub);

        // Refresh: a new pair, the id_token for the same person.
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
        assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
        assert.equal(refreshed.claims().sub, claims.sub);

        // A second sign-in asks nothing: the consent is remembered, the session is there.
        const again = oidc.buildAuthorizationUrl(config, {
          redirect_uri: rp.url("/callback"),
          scope: "openid email",
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state,
        });
        await p.page.goto(again.href);
        const second = await backAtRp(p);
        assert.ok(second.searchParams.get("code"));

        // The account page lists the application; the person signs out through the provider.
        await p.page.goto(`${server.url}/apps/${APP}/account`);
        await p.page.locator("#consents li").first().waitFor({ timeout: 10_000 });
        assert.match(await p.page.textContent("#consents"), /Recipes/);
        assert.match(await p.page.textContent("#sessions"), /Recipes \(an application you allowed\)/);
        await screenshot(p.page, "oidc-13a-account");
        // Removing its access there ends its grants at once.
        await p.page.getByRole("button", { name: "Remove access of Recipes" }).click();
        await p.page.locator("#consents-section").waitFor({ state: "hidden", timeout: 10_000 });
        assert.match(await p.page.textContent("#message"), /Recipes no longer has access/);
        const withdrawn = await oidc.tokenIntrospection(config, refreshed.access_token);
        assert.equal(withdrawn.active, false, "the grant ended with the consent");

        const logout = oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token,
          post_logout_redirect_uri: rp.url("/signed-out"),
          state: "bye",
        });
        await p.page.goto(logout.href);
        const out = await backAtRp(p);
        assert.equal(out.pathname, "/signed-out");
        assert.equal(out.searchParams.get("state"), "bye");
        // Signed out at the provider: its account page sends the browser to sign in.
        await p.page.goto(`${server.url}/apps/${APP}/account`);
        await p.page.waitForURL((url) => url.pathname === `/apps/${APP}/login`, { timeout: 10_000 });
      });
    },
  );

  it(
    "13b. a public client with PAR and DPoP-bound tokens, signing in with an existing passkey",
    { timeout: TIMEOUT },
    async () => {
      const client = await registerClient({ name: "Notes SPA", type: "public", skip_consent: true });
      const config = await discover(client.client_id);
      const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("ES256"));

      await withContext("par-dpop", async (p) => {
        const address = email("oidc-spa");
        // An account first, made on the login page: the sign-in below uses its passkey.
        await p.page.goto(`${server.url}/apps/${APP}/login`);
        await signUpHere(p, address);
        await p.page.locator("#step-done").waitFor({ state: "visible", timeout: 10_000 });
        await p.page.context().clearCookies();

        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const authorize = await oidc.buildAuthorizationUrlWithPAR(
          config,
          {
            redirect_uri: rp.url("/callback"),
            scope: "openid email offline_access",
            code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: "S256",
            state,
            login_hint: address,
          },
          { DPoP: dpop },
        );
        assert.ok(authorize.searchParams.get("request_uri").startsWith("urn:ietf:params:oauth:request_uri:"));

        // The login page's passkey autofill signs the person in (the virtual authenticator
        // answers at once), and the page returns to authorize, which returns to the client.
        await p.page.goto(authorize.href);
        const callback = await backAtRp(p);
        const tokens = await oidc.authorizationCodeGrant(
          config,
          callback,
          { pkceCodeVerifier: verifier, expectedState: state },
          undefined,
          { DPoP: dpop },
        );
        assert.equal(tokens.token_type.toLowerCase(), "dpop");
        const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims().sub, {
          DPoP: dpop,
        });
        assert.equal(info.email, address);
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token, undefined, {
          DPoP: dpop,
        });
        assert.equal(refreshed.token_type.toLowerCase(), "dpop");
        await screenshot(p.page, "oidc-13b-callback");
      });
    },
  );
});
