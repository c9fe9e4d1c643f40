// The hosted pages (/apps/{app}/login, /apps/{app}/account, /apps/{app}/login/magic) in a real
// browser: Debian's headless Chromium with CDP virtual authenticators, against a real Latchkey
// server process. The pages run on the server's own origin, so they use the `demo` app that
// `serve --dev` creates (rp_id localhost, origin = the server's URL) and apps made like it.
//
// Every test has its own browser context (own cookies) with a ctap2 `internal` authenticator
// (resident keys, user verification), and saves a screenshot of each page state as
// target/e2e-screenshots/pages-*.png.
//
// Chromium's virtual authenticators answer a prompt on their own while automatic presence
// simulation is on: a conditional (autofill) request resolves at once when a passkey fits and
// rejects at once when none does; with presence simulation off, every request waits, as a real
// autofill does until the person picks a passkey. A probe (an init script, outside the page's
// CSP) records each navigator.credentials call and its outcome, so the tests can tell an
// autofill sign-in from a button one and wait for the page's autofill request to settle.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import {
  inContext,
  launchBrowser,
  platformAuthenticator,
  screenshot,
  startServer,
  startStaticServer,
  waitForEmail,
} from "./harness.mjs";

const APP = "demo";
const REDIRECT_APP = "pages-redirect";
const BRANDED_APP = "pages-branded";
const CROSS_DEVICE_APP = "pages-cross-device";
const DOMAIN_APP = "pages-domain";
const TIMEOUT = 60_000;
const STEPS = [
  "step-start",
  "step-sign-up",
  "step-code",
  "step-mfa",
  "step-offer-passkey",
  "step-done",
];

let server;
let browser;
let statics;
let apiKey;
let redirectApiKey;
let allowedRedirect;
let emailCounter = 0;

/** A unique address per call, so tests never share an account (nor an email rate limit). */
function email(label) {
  emailCounter += 1;
  return `${label}-${emailCounter}-${Date.now().toString(36)}@example.com`;
}

const PROBE = `(() => {
  const calls = [];
  Object.defineProperty(window, "__webauthn", { value: calls });
  const container = navigator.credentials;
  if (!container) return;
  for (const method of ["create", "get"]) {
    const original = container[method].bind(container);
    container[method] = (options) => {
      const call = {
        method,
        mediation: (options && options.mediation) || "modal",
        state: "pending",
        error: null,
      };
      calls.push(call);
      return original(options).then(
        (value) => {
          call.state = value ? "resolved" : "null";
          return value;
        },
        (error) => {
          call.state = "rejected";
          call.error = error && error.name;
          throw error;
        },
      );
    };
  }
})();`;

/**
 * Runs `fn` with a fresh browser context (the probe installed, one internal authenticator).
 * On failure, the page's console, a screenshot and the server's log tail join the error.
 */
const withContext = (name, fn, options = {}) =>
  inContext(browser, server, "pages", name, fn, { initScripts: [PROBE], ...options });

/** Saves `target/e2e-screenshots/pages-<name>.png`. */
function snap(p, name) {
  return screenshot(p.page, `pages-${name}`);
}

const loginUrl = (app = APP, query = "") => `${server.url}/apps/${app}/login${query}`;
const accountUrl = (app = APP) => `${server.url}/apps/${app}/account`;

/** The ids of the login page's visible steps. */
function visibleSteps(p) {
  return p.page.evaluate(
    (ids) => ids.filter((id) => document.getElementById(id) && !document.getElementById(id).hidden),
    STEPS,
  );
}

/** Waits until `step` is the one visible step of the login page. */
async function waitForStep(p, step) {
  await p.page.locator(`#${step}`).waitFor({ state: "visible", timeout: 10_000 });
  assert.deepEqual(await visibleSteps(p), [step]);
}

/** The live region's state: `{ hidden, role, kind, text }`. */
function message(p) {
  return p.page.evaluate(() => {
    const box = document.getElementById("message");
    return {
      hidden: box.hidden,
      role: box.getAttribute("role"),
      kind: ["error", "info"].find((k) => box.classList.contains(k)) || "",
      text: box.textContent,
    };
  });
}

/** Waits for the live region to show an error, and returns it. */
async function waitForError(p) {
  await p.page.waitForFunction(
    () => {
      const box = document.getElementById("message");
      return !box.hidden && box.classList.contains("error") && box.textContent.length > 0;
    },
    null,
    { timeout: 10_000 },
  );
  return message(p);
}

/** Waits until `selector` matches exactly `n` elements. */
function countIs(p, selector, n) {
  return p.page.waitForFunction(
    ([sel, count]) => document.querySelectorAll(sel).length === count,
    [selector, n],
    { timeout: 10_000 },
  );
}

/** The navigator.credentials calls the probe saw. */
function webauthnCalls(p) {
  return p.page.evaluate(() => window.__webauthn.map((c) => ({ ...c })));
}

/** Waits until the page's conditional (autofill) request has settled; returns that call. */
async function autofillSettled(p) {
  await p.page.waitForFunction(
    () => window.__webauthn.some((c) => c.mediation === "conditional" && c.state !== "pending"),
    null,
    { timeout: 10_000 },
  );
  return (await webauthnCalls(p)).find((c) => c.mediation === "conditional");
}

/** Waits until the page's conditional request is pending (the autofill is offered). */
async function autofillPending(p) {
  await p.page.waitForFunction(
    () => window.__webauthn.some((c) => c.mediation === "conditional" && c.state === "pending"),
    null,
    { timeout: 10_000 },
  );
}

/** `GET /apps/{app}/sessions/current` with the context's cookies: `{ status, json }`. */
async function currentSession(p, app = APP) {
  const res = await p.context.request.get(`${server.url}/apps/${app}/sessions/current`);
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return { status: res.status(), json };
}

/** Signs out from the page itself (a same-origin DELETE, as the SDK would send it). */
async function signOutInPage(p, app = APP) {
  const status = await p.page.evaluate(
    async (a) => (await fetch(`/apps/${a}/sessions/current`, { method: "DELETE" })).status,
    app,
  );
  assert.equal(status, 204);
}

/** Signs up on the hosted login page: "Create an account" → email (+ name) → passkey. */
async function signUpOnPage(p, address, { name, app = APP, query = "", expectDone = true } = {}) {
  await p.page.goto(loginUrl(app, query));
  await p.page.getByRole("button", { name: "Create an account" }).click();
  const step = p.page.locator("#step-sign-up");
  await step.getByLabel("Email").fill(address);
  if (name !== undefined) await step.getByLabel("Your name").fill(name);
  await step.getByRole("button", { name: "Create account with a passkey" }).click();
  if (expectDone) {
    await waitForStep(p, "step-done");
    assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
  }
}

/** Copies every credential of `from`'s first authenticator into `to`'s (a synced passkey). */
async function copyCredentials(from, to, toId = to.authenticatorId) {
  const credentials = await from.credentials();
  assert.ok(credentials.length > 0, "nothing to copy");
  for (const credential of credentials) {
    await to.cdp.send("WebAuthn.addCredential", { authenticatorId: toId, credential });
  }
  return credentials;
}

/** Creates a user through the server API (an app backend's call). */
async function createUser(address, app = APP, token = apiKey) {
  const res = await server.api("POST", `/apps/${app}/users`, {
    body: { email: address, email_verified: true },
    token,
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** The text part of the newest email to `address` sent at or after `since`. */
async function emailText(address, since) {
  const mail = await waitForEmail(path.join(server.dataDir, "outbox"), address, { after: since });
  const text = mail.parts.find((part) => part.type.startsWith("text/plain"))?.text;
  assert.ok(text, `the email to ${address} has a text part`);
  const code = text.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
  const link = text.match(/https?:\/\/\S+\/login\/magic\?token=[\w-]+/)?.[0];
  assert.ok(code, `a code in:\n${text}`);
  assert.ok(link, `a magic link in:\n${text}`);
  return { text, code, link };
}

/** Horizontal overflow of the document: how many CSS pixels wider than the viewport it is. */
function horizontalOverflow(p) {
  return p.page.evaluate(() => {
    const root = document.documentElement;
    return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
  });
}

/** Inputs (not type=hidden) of the document without an accessible label. */
function unlabelledInputs(p) {
  return p.page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden")
      .filter((el) => {
        const byLabel = [...(el.labels || [])].some((l) => l.textContent.trim().length > 0);
        const byAria = (el.getAttribute("aria-label") || "").trim().length > 0;
        const byRef = (el.getAttribute("aria-labelledby") || "")
          .split(/\s+/)
          .filter(Boolean)
          .some((id) => (document.getElementById(id)?.textContent || "").trim().length > 0);
        return !(byLabel || byAria || byRef);
      })
      .map((el) => el.outerHTML),
  );
}

/** The labels of visible buttons whose text breaks over more than one line. */
function wrappedButtons(p) {
  return p.page.evaluate(() =>
    [...document.querySelectorAll("button")]
      .filter((b) => b.offsetParent !== null && b.textContent.trim())
      .filter((b) => {
        const range = document.createRange();
        range.selectNodeContents(b);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return tops.size > 1;
      })
      .map((b) => b.textContent.trim()),
  );
}

/** The id (or outerHTML) of the focused element. */
function focused(p) {
  return p.page.evaluate(() => {
    const el = document.activeElement;
    return el && el !== document.body ? el.id || el.outerHTML : "(body)";
  });
}

const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

before(async () => {
  server = await startServer();
  statics = await startStaticServer({
    "/callback": {
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Back at the app</title></head>
<body style="font:16px system-ui;margin:2rem"><h1>Back at the app</h1><p id="query"></p>
<script>document.getElementById("query").textContent = location.search;</script></body></html>`,
    },
    "/frame": {
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framing</title></head>
<body style="font:16px system-ui;margin:1rem"><h1>Another site framing the hosted pages</h1>
<iframe id="login" title="login" width="420" height="320" src="${loginUrl()}"></iframe>
<iframe id="account" title="account" width="420" height="320" src="${accountUrl()}"></iframe>
<iframe id="control" title="control" width="420" height="120" src="${server.url}/health"></iframe>
</body></html>`,
    },
    "/evil.js": { type: "text/javascript", body: "window.__external = 1;" },
  });
  allowedRedirect = statics.url("/callback?state=xyz");
  await server.createApp({
    id: REDIRECT_APP,
    name: "Redirecting app",
    rp_id: "localhost",
    origins: [server.url],
    redirect_uris: [allowedRedirect],
  });
  await server.createApp({
    id: BRANDED_APP,
    name: "Branded app",
    rp_id: "localhost",
    origins: [server.url],
    sign_up_allowed: false,
    logo_url: "https://logo.example/logo.png",
    accent_color: "#0a7d33",
  });
  await server.createApp({
    id: CROSS_DEVICE_APP,
    name: "Cross-device app",
    rp_id: "localhost",
    origins: [server.url],
    cross_device_links: true,
  });
  // An app on its own domain: a name under localhost, which Chromium keeps on this machine and
  // treats as a secure context over http.
  await server.createApp({
    id: DOMAIN_APP,
    name: "Shop on its own domain",
    rp_id: "shop.localhost",
    origins: [`http://shop.localhost:${server.port}`],
    domain: `shop.localhost:${server.port}`,
  });
  apiKey = await server.createApiKey(APP);
  redirectApiKey = await server.createApiKey(REDIRECT_APP);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await statics?.close();
  await server?.stop();
});

describe("hosted pages: passkeys", () => {
  it(
    "1. sign up on the login page; the account page shows the user and 1 passkey",
    { timeout: TIMEOUT },
    async () => {
      await withContext("sign-up", async (p) => {
        const address = email("signup");
        await p.page.goto(loginUrl());
        assert.deepEqual(await visibleSteps(p), ["step-start"]);
        // No passkey here yet: the page's autofill request ends without a word.
        const autofill = await autofillSettled(p);
        assert.equal(autofill.state, "rejected");
        assert.equal((await message(p)).hidden, true);
        await snap(p, "01-login");

        await p.page.getByRole("button", { name: "Create an account" }).click();
        await waitForStep(p, "step-sign-up");
        await p.page.locator("#step-sign-up").getByLabel("Email").fill(address);
        await p.page.locator("#step-sign-up").getByLabel("Your name").fill("Ada Lovelace");
        await snap(p, "01-sign-up-form");
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        await waitForStep(p, "step-done");
        assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
        assert.deepEqual(await message(p), {
          hidden: false,
          role: "alert",
          kind: "info",
          text: "Signed in.",
        });
        assert.equal((await p.credentials()).length, 1, "the authenticator holds the passkey");
        await snap(p, "01-signed-up");

        const session = await currentSession(p);
        assert.equal(session.status, 200);
        assert.equal(session.json.user.email, address);
        assert.equal(session.json.user.display_name, "Ada Lovelace");
        assert.deepEqual(session.json.session.amr, ["passkey", "mfa"]);

        await p.page.getByRole("link", { name: "Manage your passkeys and sessions" }).click();
        await p.page.waitForURL(accountUrl());
        await p.page.locator("#passkeys li.passkey").first().waitFor();
        assert.equal(await p.page.textContent("#who"), `Signed in as ${address}.`);
        assert.equal(await p.page.locator("#passkeys li.passkey").count(), 1);
        assert.equal(await p.page.locator("#passkeys li").count(), 1);
        await p.page.locator("#sessions li").first().waitFor();
        const sessions = await p.page.locator("#sessions li").allTextContents();
        assert.equal(sessions.length, 1);
        assert.match(sessions[0], /\(this browser\)/);
        assert.match(sessions[0], /passkey, mfa/);
        await snap(p, "01-account");
      });
    },
  );

  it(
    "2. Sign out on the account page: back on the login page, and the session is gone",
    { timeout: TIMEOUT },
    async () => {
      await withContext("sign-out", async (p) => {
        await signUpOnPage(p, email("signout"));
        await p.page.goto(accountUrl());
        await p.page.locator("#passkeys li.passkey").waitFor();
        assert.equal((await currentSession(p)).status, 200);
        // The login page offers the passkey in autofill again; nobody picks it (a virtual
        // authenticator would pick it at once with presence simulation on).
        await p.setPresence(false);
        await p.page.getByRole("button", { name: "Sign out", exact: true }).click();
        await p.page.waitForURL(loginUrl());
        await waitForStep(p, "step-start");
        await autofillPending(p);
        assert.equal((await currentSession(p)).status, 401);
        // The account page sends a signed-out visitor to the login page.
        await p.page.goto(accountUrl());
        await p.page.waitForURL(loginUrl());
        assert.equal((await currentSession(p)).status, 401);
        await snap(p, "02-signed-out");
      });
    },
  );

  it(
    "3. sign in with the 'Sign in with a passkey' button (username-less)",
    { timeout: TIMEOUT },
    async () => {
      // The account and its passkey come from another device (context); this one gets a
      // copy of the passkey, as a synced passkey would arrive, once the page's autofill has
      // found nothing: then only the button can sign in.
      let address;
      let userId;
      await withContext("button-setup", async (a) => {
        address = email("button");
        await signUpOnPage(a, address);
        userId = (await currentSession(a)).json.user.id;
        await withContext("button", async (p) => {
          await p.page.goto(loginUrl());
          const autofill = await autofillSettled(p);
          assert.equal(autofill.state, "rejected");
          await copyCredentials(a, p);
          assert.equal((await currentSession(p)).status, 401);
          const options = p.page.waitForRequest(/\/passkeys\/authenticate\/options$/);
          await p.page.getByRole("button", { name: "Sign in with a passkey" }).click();
          assert.deepEqual(JSON.parse((await options).postData()), {}, "no email: username-less");
          await waitForStep(p, "step-done");
          assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
          const calls = await webauthnCalls(p);
          assert.deepEqual(
            calls.map((c) => [c.method, c.mediation, c.state]),
            [
              ["get", "conditional", "rejected"],
              ["get", "modal", "resolved"],
            ],
          );
          const session = await currentSession(p);
          assert.equal(session.status, 200);
          assert.equal(session.json.user.id, userId);
          assert.equal(session.json.session.amr[0], "passkey");
          await snap(p, "03-signed-in-with-button");
        });
      });
    },
  );

  it(
    "4. sign in through autofill: the conditional request resolves on load",
    { timeout: TIMEOUT },
    async () => {
      await withContext("autofill", async (p) => {
        const address = email("autofill");
        await signUpOnPage(p, address);
        const userId = (await currentSession(p)).json.user.id;
        await signOutInPage(p);
        assert.equal((await currentSession(p)).status, 401);

        await p.page.goto(loginUrl());
        assert.equal(await p.page.getAttribute("#email", "autocomplete"), "username webauthn");
        await waitForStep(p, "step-done");
        assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
        // It was the page's autofill (conditional mediation), not a modal prompt.
        const calls = (await webauthnCalls(p)).map((c) => [c.method, c.mediation, c.state]);
        assert.deepEqual(calls, [["get", "conditional", "resolved"]]);
        const session = await currentSession(p);
        assert.equal(session.status, 200);
        assert.equal(session.json.user.id, userId);
        await snap(p, "04-signed-in-by-autofill");
      });
    },
  );
});

describe("hosted pages: an app on its own domain", () => {
  it(
    "5c. the domain's front door is its login page; a passkey made there signs in there",
    { timeout: TIMEOUT },
    async () => {
      await withContext("own-domain", async (p) => {
        const origin = `http://shop.localhost:${server.port}`;
        const address = email("domain");
        // Under Latchkey's own URL the app's page sends the visitor to its domain.
        await p.page.goto(loginUrl(DOMAIN_APP));
        await p.page.waitForURL(`${origin}/login`);
        await p.page.goto(`${origin}/`);
        await p.page.waitForURL(`${origin}/login`);
        assert.equal(await p.page.textContent("h1"), "Sign in to Shop on its own domain");
        await p.page.getByRole("button", { name: "Create an account" }).click();
        const step = p.page.locator("#step-sign-up");
        await step.getByLabel("Email").fill(address);
        await step.getByRole("button", { name: "Create account with a passkey" }).click();
        await waitForStep(p, "step-done");
        assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
        const [credential] = await p.credentials();
        assert.equal(credential.rpId, "shop.localhost");
        await snap(p, "05c-own-domain");

        // The session cookie covers the whole host: the app's paths at the root see it.
        const session = await p.page.evaluate(async () => {
          const res = await fetch("/sessions/current");
          return { status: res.status, json: await res.json() };
        });
        assert.equal(session.status, 200);
        assert.equal(session.json.user.email, address);
        const config = await p.page.evaluate(async () => (await fetch("/config")).json());
        assert.equal(config.issuer, origin);

        // Signed out, the passkey signs in again on the domain's page (through autofill: the
        // virtual authenticator picks the one passkey that fits at once).
        const out = await p.page.evaluate(
          async () => (await fetch("/sessions/current", { method: "DELETE" })).status,
        );
        assert.equal(out, 204);
        await p.page.goto(`${origin}/login`);
        await waitForStep(p, "step-done");
        assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
        await p.page.goto(`${origin}/account`);
        await p.page.locator("#passkeys li.passkey").first().waitFor();
        assert.equal(await p.page.textContent("#who"), `Signed in as ${address}.`);
        await snap(p, "05c-own-domain-account");
      });
    },
  );
});

describe("hosted pages: email codes", () => {
  it(
    "5. email-code fallback for an existing user, then the offered passkey signs in",
    { timeout: TIMEOUT },
    async () => {
      await withContext("email-code", async (p) => {
        const address = email("code");
        const user = await createUser(address);
        await p.page.goto(loginUrl());
        await autofillSettled(p);
        await p.page.locator("#step-start").getByLabel("Email").fill(address);
        const since = Date.now();
        await p.page.getByRole("button", { name: "Email me a sign-in code" }).click();
        await waitForStep(p, "step-code");
        assert.equal(await p.page.textContent("#code-email"), address);
        assert.equal(await focused(p), "code");
        const { code } = await emailText(address, since);
        await snap(p, "05-code-step");

        // A wrong code: the attempts left, in the alert region.
        const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
        await p.page.getByLabel("Code", { exact: true }).fill(wrong);
        await p.page.getByRole("button", { name: "Continue" }).click();
        const error = await waitForError(p);
        assert.equal(error.role, "alert");
        assert.equal(error.text, "That code is not right. 4 tries left.");
        await waitForStep(p, "step-code");
        await snap(p, "05-wrong-code");

        await p.page.getByLabel("Code", { exact: true }).fill(code);
        await p.page.getByRole("button", { name: "Continue" }).click();
        await waitForStep(p, "step-offer-passkey");
        assert.deepEqual(await message(p), {
          hidden: false,
          role: "alert",
          kind: "info",
          text: "Signed in.",
        });
        assert.equal(await focused(p), "create-passkey");
        const byCode = await currentSession(p);
        assert.equal(byCode.status, 200);
        assert.equal(byCode.json.user.id, user.id);
        assert.deepEqual(byCode.json.session.amr, ["otp"]);
        await snap(p, "05-offer-passkey");

        assert.equal((await p.credentials()).length, 0);
        await p.page.getByRole("button", { name: "Create a passkey" }).click();
        await waitForStep(p, "step-done");
        assert.equal(await p.page.textContent("#done-text"), `You are signed in as ${address}.`);
        assert.equal((await p.credentials()).length, 1);
        const passkeys = await server.api("GET", `/apps/${APP}/users/${user.id}/passkeys`, {
          token: apiKey,
        });
        assert.equal(passkeys.status, 200, passkeys.text);
        assert.equal(passkeys.json.items.length, 1);
        await snap(p, "05-passkey-created");

        // That passkey signs in (through the page's autofill).
        await signOutInPage(p);
        assert.equal((await currentSession(p)).status, 401);
        await p.page.goto(loginUrl());
        await waitForStep(p, "step-done");
        const byPasskey = await currentSession(p);
        assert.equal(byPasskey.status, 200);
        assert.equal(byPasskey.json.user.id, user.id);
        assert.equal(byPasskey.json.session.amr[0], "passkey");
        await snap(p, "05-signed-in-with-new-passkey");
      });
    },
  );
});

describe("hosted pages: a link confirmed on another device", () => {
  it(
    "5b. the code step signs in by itself once the emailed link is confirmed elsewhere",
    { timeout: TIMEOUT },
    async () => {
      await withContext("cross-device", async (p) => {
        const address = email("cross");
        await p.page.goto(loginUrl(CROSS_DEVICE_APP));
        await autofillSettled(p);
        await p.page.locator("#step-start").getByLabel("Email").fill(address);
        const since = Date.now();
        await p.page.getByRole("button", { name: "Email me a sign-in code" }).click();
        await waitForStep(p, "step-code");
        const { link } = await emailText(address, since);
        const token = new URL(link).searchParams.get("token");

        // The phone: the link's page in another browser, and its confirm button.
        const page = await fetch(`${server.url}/apps/${CROSS_DEVICE_APP}/login/magic?token=${token}`);
        assert.equal(page.status, 403);
        assert.match(await page.text(), /Sign in on the device where I asked/);
        const confirmed = await fetch(`${server.url}/apps/${CROSS_DEVICE_APP}/login/magic/approve`, {
          method: "POST",
          headers: { origin: server.url, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token }).toString(),
        });
        assert.equal(confirmed.status, 200, await confirmed.text());

        // This page notices within its polling interval, and offers a passkey.
        await p.page.locator("#step-offer-passkey").waitFor({ state: "visible", timeout: 15_000 });
        const session = await currentSession(p, CROSS_DEVICE_APP);
        assert.equal(session.status, 200);
        assert.equal(session.json.user.email, address);
        assert.deepEqual(session.json.session.amr, ["magic_link"]);
        await snap(p, "05b-confirmed-on-another-device");
      });
    },
  );
});

describe("hosted pages: the account page", () => {
  it(
    "6. add a second passkey, rename one, delete one; revoke another session",
    { timeout: TIMEOUT },
    async () => {
      await withContext("account", async (p) => {
        const address = email("account");
        await signUpOnPage(p, address);
        const userId = (await currentSession(p)).json.user.id;
        await p.page.goto(accountUrl());
        const items = p.page.locator("#passkeys li.passkey");
        await items.first().waitFor();
        assert.equal(await items.count(), 1);

        // A security key is plugged in; the platform authenticator stays silent.
        const usb = await p.addAuthenticator({ ...platformAuthenticator, transport: "usb" });
        await p.setPresence(false);
        await p.page.getByRole("button", { name: "Add a passkey" }).click();
        await countIs(p, "#passkeys li.passkey", 2);
        assert.equal((await message(p)).text, "Passkey added.");
        assert.equal((await p.credentials(usb)).length, 1, "the security key holds the new one");
        await snap(p, "06-two-passkeys");

        // Rename the first.
        const oldName = await items.first().locator("strong").textContent();
        await p.page.getByRole("button", { name: `Rename ${oldName}` }).first().click();
        const input = p.page.getByLabel("New name");
        assert.equal(await focused(p), await input.evaluate((el) => el.outerHTML));
        await input.fill("Work laptop");
        await snap(p, "06-renaming");
        await p.page.getByRole("button", { name: "Save" }).click();
        await p.page.waitForFunction(() =>
          [...document.querySelectorAll("#passkeys li.passkey strong")].some(
            (s) => s.textContent === "Work laptop",
          ),
        );
        assert.equal((await message(p)).text, "Passkey renamed.");
        assert.equal(await items.count(), 2);
        let names = await items.locator("strong").allTextContents();
        assert.equal(names.filter((n) => n === "Work laptop").length, 1);
        const other = names.find((n) => n !== "Work laptop");

        // Delete the other one.
        await p.page.getByRole("button", { name: `Delete ${other}` }).click();
        await countIs(p, "#passkeys li.passkey", 1);
        assert.equal((await message(p)).text, "Passkey deleted.");
        names = await items.locator("strong").allTextContents();
        assert.deepEqual(names, ["Work laptop"]);
        const left = await server.api("GET", `/apps/${APP}/users/${userId}/passkeys`, {
          token: apiKey,
        });
        assert.deepEqual(
          left.json.items.map((k) => k.name),
          ["Work laptop"],
        );
        await snap(p, "06-one-passkey-left");

        // The only passkey left: deleting it asks first; dismissing keeps it.
        const dialog = new Promise((resolve) =>
          p.page.once("dialog", async (d) => {
            const text = d.message();
            await d.dismiss();
            resolve(text);
          }),
        );
        await p.page.getByRole("button", { name: "Delete Work laptop" }).click();
        assert.match(await dialog, /only passkey/);
        assert.equal(await items.count(), 1);
        const still = await server.api("GET", `/apps/${APP}/users/${userId}/passkeys`, {
          token: apiKey,
        });
        assert.equal(still.json.items.length, 1);

        // A second device signs in with the remaining passkey (synced there)...
        const remaining = left.json.items[0].id;
        const holder = [p.authenticatorId, usb];
        let source = null;
        for (const id of holder) {
          const creds = await p.credentials(id);
          const found = creds.find(
            (c) => Buffer.from(c.credentialId, "base64").toString("base64url") === remaining,
          );
          if (found) source = found;
        }
        assert.ok(source, "an authenticator holds the remaining passkey");
        await withContext("account-other-device", async (q) => {
          await q.cdp.send("WebAuthn.addCredential", {
            authenticatorId: q.authenticatorId,
            credential: source,
          });
          await q.page.goto(loginUrl());
          await waitForStep(q, "step-done");
          const there = await currentSession(q);
          assert.equal(there.status, 200);
          assert.equal(there.json.user.id, userId);

          // ...and this account page signs that session out.
          await p.page.reload();
          const sessions = p.page.locator("#sessions li");
          await countIs(p, "#sessions li", 2);
          const texts = await sessions.allTextContents();
          assert.equal(texts.filter((t) => t.includes("(this browser)")).length, 1);
          await snap(p, "06-two-sessions");
          const revoke = sessions.filter({ hasNotText: "(this browser)" }).getByRole("button", {
            name: /^Sign out /,
          });
          await revoke.click();
          await countIs(p, "#sessions li", 1);
          assert.equal((await message(p)).text, "Signed out there.");
          assert.match(await sessions.first().textContent(), /\(this browser\)/);
          assert.equal((await currentSession(q)).status, 401, "the other session is revoked");
          assert.equal((await currentSession(p)).status, 200, "this one is not");
          await snap(p, "06-other-session-revoked");
        });
      });
    },
  );
});

describe("hosted pages: redirect_uri", () => {
  it(
    "7. returns to an allowed redirect_uri with an auth_token; refuses a foreign one",
    { timeout: TIMEOUT },
    async () => {
      await withContext("redirect", async (p) => {
        const address = email("redirect");
        const query = `?redirect_uri=${encodeURIComponent(allowedRedirect)}`;
        await signUpOnPage(p, address, { app: REDIRECT_APP, query, expectDone: false });
        await p.page.waitForURL((url) => url.origin === statics.origin, { timeout: 10_000 });
        const landed = new URL(p.page.url());
        assert.equal(landed.pathname, "/callback");
        assert.equal(landed.searchParams.get("state"), "xyz", "the URI's own query is kept");
        const authToken = landed.searchParams.get("auth_token");
        assert.ok(authToken, `an auth_token in ${landed}`);
        await p.page.locator("h1", { hasText: "Back at the app" }).waitFor();
        await snap(p, "07-back-at-the-app");

        const verify = () =>
          server.api("POST", `/apps/${REDIRECT_APP}/tokens/verify`, {
            body: { token: authToken },
            token: redirectApiKey,
          });
        const first = await verify();
        assert.equal(first.status, 200, first.text);
        assert.equal(first.json.valid, true, first.text);
        assert.equal(first.json.user.email, address);
        const second = await verify();
        assert.equal(second.status, 200, second.text);
        assert.equal(second.json.valid, false, "an auth_token redeems once");

        // A foreign redirect_uri, and one that differs from the allowed one only in its query.
        for (const foreign of ["https://evil.example/callback", statics.url("/callback")]) {
          const res = await p.page.goto(
            loginUrl(REDIRECT_APP, `?redirect_uri=${encodeURIComponent(foreign)}`),
          );
          assert.equal(res.status(), 400, foreign);
          assert.equal(await p.page.textContent("h1"), "This link cannot sign you in");
          assert.equal(await p.page.locator("form, input, script").count(), 0, "no login form");
          assert.match(
            await p.page.getByRole("alert").textContent(),
            /somewhere this app does not allow/,
          );
        }
        await snap(p, "07-foreign-redirect-refused");
      });
    },
  );
});

describe("hosted pages: PasskeyMe's redirect flow", () => {
  it(
    "7b. authorize → sign up on the hosted page → complete → the callback's token → verify-token and user",
    { timeout: TIMEOUT },
    async () => {
      await withContext("passkeyme", async (p) => {
        const address = email("passkeyme");
        // The app's frontend, as PasskeyMe's guide writes it: redirectToOAuth(provider, uri).
        const authorize =
          `${server.url}/compat/passkeyme/oauth/google/authorize?app_id=${REDIRECT_APP}` +
          `&redirect_uri=${encodeURIComponent(allowedRedirect)}`;
        await p.page.goto(authorize);
        await waitForStep(p, "step-start");
        await p.page.getByRole("button", { name: "Create an account" }).click();
        const step = p.page.locator("#step-sign-up");
        await step.getByLabel("Email").fill(address);
        await step.getByRole("button", { name: "Create account with a passkey" }).click();
        await p.page.waitForURL((url) => url.origin === statics.origin, { timeout: 10_000 });
        const landed = new URL(p.page.url());
        assert.equal(landed.pathname, "/callback");
        assert.equal(landed.searchParams.get("state"), "xyz", "the URI's own query is kept");
        assert.equal(landed.searchParams.get("auth_token"), null);
        const token = landed.searchParams.get("token");
        assert.ok(token, `a token in ${landed}`);
        await snap(p, "07b-passkeyme-callback");

        // The app's backend, as the guide writes it: verify-token, then user, with that token.
        const verify = await server.api(
          "GET",
          `/compat/passkeyme/api/auth/verify-token?token=${encodeURIComponent(token)}` +
            `&app_id=${REDIRECT_APP}`,
        );
        assert.equal(verify.status, 200, verify.text);
        assert.equal(verify.json.valid, true, verify.text);
        assert.equal(verify.json.user.email, address);
        const user = await server.api(
          "GET",
          `/compat/passkeyme/api/user?token=${encodeURIComponent(token)}`,
        );
        assert.equal(user.status, 200, user.text);
        assert.equal(user.json.email, address);
        // It is a narrow token: good for PasskeyMe's calls again and again, for nothing else
        // (one leaked from a URL cannot act for the user on the browser API).
        const asBearer = await server.api("GET", `/apps/${REDIRECT_APP}/me`, { token });
        assert.equal(asBearer.status, 401, asBearer.text);
        const again = await server.api(
          "GET",
          `/compat/passkeyme/api/auth/verify-token?token=${encodeURIComponent(token)}` +
            `&app_id=${REDIRECT_APP}`,
        );
        assert.equal(again.json.valid, true, again.text);
      });
    },
  );
});

describe("hosted pages: errors", () => {
  it(
    "8. a closed passkey prompt, a taken email and a malformed email are explained",
    { timeout: TIMEOUT },
    async () => {
      await withContext("errors", async (p) => {
        await p.page.goto(loginUrl());
        await autofillSettled(p);

        // The person fails user verification: the browser answers NotAllowedError.
        await p.setUserVerified(false);
        const address = email("errors");
        await p.page.getByRole("button", { name: "Create an account" }).click();
        await p.page.locator("#step-sign-up").getByLabel("Email").fill(address);
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        let error = await waitForError(p);
        assert.equal(error.role, "alert");
        assert.equal(
          error.text,
          "The passkey prompt was closed. Try again, or sign in with an email code.",
        );
        await waitForStep(p, "step-sign-up");
        assert.equal((await p.credentials()).length, 0, "nothing was created");
        assert.equal(
          await p.page.getByRole("button", { name: "Create account with a passkey" }).isEnabled(),
          true,
          "the button works again",
        );
        await snap(p, "08-prompt-closed");

        // The sign-in prompt too.
        await p.page.getByRole("button", { name: "I already have an account" }).click();
        assert.equal((await message(p)).hidden, true, "switching steps clears the message");
        await p.page.getByRole("button", { name: "Sign in with a passkey" }).click();
        error = await waitForError(p);
        assert.equal(
          error.text,
          "The passkey prompt was closed. Try again, or sign in with an email code.",
        );
        assert.equal((await currentSession(p)).status, 401);

        // An email that already has an account.
        const taken = email("taken");
        await createUser(taken);
        await p.setUserVerified(true);
        await p.page.getByRole("button", { name: "Create an account" }).click();
        await p.page.locator("#step-sign-up").getByLabel("Email").fill(taken);
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        error = await waitForError(p);
        assert.equal(error.text, "An account with this email already exists. Sign in instead.");
        assert.equal((await p.credentials()).length, 0, "no prompt, no passkey");
        await snap(p, "08-email-taken");

        // A malformed email, on sign-up and on the code button.
        const requests = [];
        p.page.on("request", (r) => {
          if (r.method() === "POST") requests.push(r.url());
        });
        await p.page.locator("#step-sign-up").getByLabel("Email").fill("not an email");
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        error = await waitForError(p);
        assert.equal(error.text, "Enter your email address, like name@example.com.");
        assert.equal(await focused(p), "sign-up-email");
        await snap(p, "08-malformed-email");
        await p.page.getByRole("button", { name: "I already have an account" }).click();
        await p.page.locator("#step-start").getByLabel("Email").fill("jdoe.example.com");
        await p.page.getByRole("button", { name: "Email me a sign-in code" }).click();
        error = await waitForError(p);
        assert.equal(error.text, "Enter your email address, like name@example.com.");
        assert.equal(await focused(p), "email");
        await waitForStep(p, "step-start");
        assert.deepEqual(requests, [], "nothing was sent to the server");
      });
    },
  );
});

describe("hosted pages: accessibility", () => {
  it(
    "9. labelled inputs, an alert region, focus on each step, and a 375px-wide screen",
    { timeout: TIMEOUT },
    async () => {
      await withContext(
        "a11y",
        async (p) => {
          // A long address with no hyphen or space to break at: it must wrap rather than
          // widen the page.
          emailCounter += 1;
          const address =
            `christopher.alexander.montgomery.fitzwilliam${emailCounter}` +
            `${Date.now().toString(36)}@example.com`;
          await p.page.goto(loginUrl());
          await autofillSettled(p);
          assert.deepEqual(await unlabelledInputs(p), []);
          // Email, sign-up email and name, the email code, and the second step's two codes.
          assert.equal(await p.page.locator("input").count(), 6);
          assert.equal(await p.page.getAttribute("#message", "role"), "alert");
          assert.equal(await horizontalOverflow(p), 0);
          await snap(p, "09-375px-login");

          // Each step's first control gets the focus.
          await p.page.getByRole("button", { name: "Create an account" }).click();
          await waitForStep(p, "step-sign-up");
          assert.equal(await focused(p), "sign-up-email");
          await p.page.keyboard.type(address);
          await p.page.getByRole("button", { name: "I already have an account" }).click();
          await waitForStep(p, "step-start");
          assert.equal(await focused(p), "email");
          await p.page.getByRole("button", { name: "Create an account" }).click();
          assert.equal(await focused(p), "sign-up-email");
          assert.equal(await horizontalOverflow(p), 0);
          await snap(p, "09-375px-sign-up");
          // An error lands in the alert region.
          await p.page.locator("#sign-up-email").fill("nope");
          await p.page.keyboard.press("Enter");
          const error = await waitForError(p);
          assert.equal(error.role, "alert");
          assert.equal(await horizontalOverflow(p), 0);
          await snap(p, "09-375px-error");

          await p.page.locator("#sign-up-email").fill(address);
          await p.page.getByRole("button", { name: "Use an email code instead" }).click();
          await waitForStep(p, "step-code");
          assert.equal(await focused(p), "code");
          assert.equal(await horizontalOverflow(p), 0, "the long address wraps");
          await snap(p, "09-375px-code");
          await p.page.getByRole("button", { name: "Use a different email" }).click();
          await waitForStep(p, "step-start");
          assert.equal(await focused(p), "email");

          // Signed up (keyboard only: Enter submits the sign-up form).
          await p.page.getByRole("button", { name: "Create an account" }).click();
          await p.page.locator("#sign-up-email").fill(address);
          await p.page.keyboard.press("Enter");
          await waitForStep(p, "step-done");
          const done = await focused(p);
          assert.notEqual(done, "(body)", "the done step takes the focus");
          assert.ok(
            await p.page.evaluate(() =>
              document.getElementById("step-done").contains(document.activeElement),
            ),
            `focus is inside the done step, not on ${done}`,
          );
          assert.equal(await horizontalOverflow(p), 0);
          await snap(p, "09-375px-done");

          // The account page.
          await p.page.goto(accountUrl());
          await p.page.locator("#passkeys li.passkey").waitFor();
          await p.page.locator("#sessions li").first().waitFor();
          assert.deepEqual(await unlabelledInputs(p), []);
          assert.equal(await p.page.getAttribute("#message", "role"), "alert");
          assert.equal(await horizontalOverflow(p), 0);
          assert.deepEqual(await wrappedButtons(p), []);
          await snap(p, "09-375px-account");
          const name = await p.page.locator("#passkeys li.passkey strong").textContent();
          await p.page.getByRole("button", { name: `Rename ${name}` }).click();
          assert.deepEqual(await unlabelledInputs(p), []);
          assert.equal(await horizontalOverflow(p), 0);
          assert.deepEqual(await wrappedButtons(p), [], "no button label breaks mid-word");
          await snap(p, "09-375px-account-rename");
        },
        { viewport: { width: 375, height: 740 } },
      );
    },
  );
});

describe("hosted pages: security in the browser", () => {
  it(
    "10. the CSP blocks injected scripts, and no other site can frame the pages",
    { timeout: TIMEOUT },
    async () => {
      await withContext("security", async (p) => {
        await p.page.goto(loginUrl());
        await autofillSettled(p);
        // The page's own module script runs under the policy.
        assert.equal(await p.page.getByRole("button", { name: "Create an account" }).count(), 1);
        await p.page.evaluate(() => {
          window.__violations = [];
          document.addEventListener("securitypolicyviolation", (e) =>
            window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
          );
        });
        let threw = null;
        try {
          await p.page.addScriptTag({ content: "window.__injected = 1;" });
        } catch (err) {
          threw = err.message;
        }
        try {
          await p.page.addScriptTag({ url: statics.url("/evil.js") });
        } catch (err) {
          threw = `${threw}\n${err.message}`;
        }
        await p.page.waitForFunction(() => window.__violations.length >= 2, null, {
          timeout: 5000,
        });
        const outcome = await p.page.evaluate(() => ({
          injected: window.__injected,
          external: window.__external,
          violations: window.__violations,
        }));
        assert.equal(outcome.injected, undefined, "the inline script did not run");
        assert.equal(outcome.external, undefined, "the other origin's script did not run");
        assert.deepEqual(outcome.violations, [
          { directive: "script-src-elem", blocked: "inline" },
          { directive: "script-src-elem", blocked: statics.url("/evil.js") },
        ]);
        assert.ok(
          statics.requests.every((r) => r.url !== "/evil.js"),
          "the blocked script was not even fetched",
        );
        await snap(p, "10-csp");

        // Another origin frames the login and account pages, and (as a control) /health.
        await p.page.goto(statics.url("/frame"), { waitUntil: "load" });
        const frame = async (id) => (await p.page.locator(`#${id}`).elementHandle()).contentFrame();
        const control = await frame("control");
        assert.equal(control.url(), `${server.url}/health`);
        assert.match(await control.locator("body").textContent(), /"status"/);
        for (const id of ["login", "account"]) {
          const f = await frame(id);
          assert.ok(!f.url().startsWith(server.url), `the ${id} page is not shown: ${f.url()}`);
          assert.equal(await f.locator("#email, #passkeys, h1#title").count(), 0);
        }
        const refused = p.consoleLines.filter((l) => l.includes("frame-ancestors 'none'"));
        assert.equal(refused.length, 2, p.consoleLines.join("\n"));
        await snap(p, "10-framing-refused");
      });
    },
  );
});

// KNOWN SERVER BUG (reported, not fixed here): the page shell sends `Referrer-Policy:
// no-referrer`, so Chromium sends `Origin: null` with the magic-link page's form POSTs, and
// `form_origin_refusal` (crates/latchkey/src/http/email.rs) answers every one of them 403 "This
// form was sent from another site". The tests below that submit those forms are marked todo:
// they run and report, without failing the run, until the server accepts its own pages' forms.
describe("hosted pages: magic links", () => {
  /** Asks for an email from the sign-up step's "Use an email code instead". */
  async function requestEmail(p, address) {
    await p.page.goto(loginUrl());
    await p.page.getByRole("button", { name: "Create an account" }).click();
    await p.page.locator("#step-sign-up").getByLabel("Email").fill(address);
    const since = Date.now();
    await p.page.getByRole("button", { name: "Use an email code instead" }).click();
    await waitForStep(p, "step-code");
    assert.equal(await p.page.textContent("#code-email"), address);
    return emailText(address, since);
  }

  it(
    "11. the link's page: a confirm button where it was asked for (a GET signs nobody in), " +
      "a code form elsewhere",
    { timeout: TIMEOUT },
    async () => {
      await withContext("magic-pages", async (p) => {
        const address = email("magic-pages");
        const mail = await requestEmail(p, address);
        assert.match(mail.text, /create your Latchkey demo account/);

        // The browser that asked: a confirm page, and no session from the GET alone.
        const tab = await p.context.newPage();
        const res = await tab.goto(mail.link);
        assert.equal(res.status(), 200);
        assert.equal(await tab.textContent("h1"), "Sign in to Latchkey demo");
        assert.equal(
          await tab.getByRole("button", { name: "Continue signing in" }).count(),
          1,
        );
        assert.equal((await currentSession(p)).status, 401, "opening the link signs nobody in");
        await screenshot(tab, "pages-11-magic-confirm");
        await tab.close();

        // Another browser (no binding cookie): the "open it where you asked" page.
        await withContext("magic-other-browser-page", async (q) => {
          const refused = await q.page.goto(mail.link);
          assert.equal(refused.status(), 403);
          assert.equal(await q.page.textContent("h1"), "Open this link where you asked for it");
          const confirm = q.page.getByRole("button", { name: "Continue signing in" });
          assert.equal(await confirm.count(), 0);
          const code = q.page.getByLabel("6-digit code from the email");
          assert.equal(await code.count(), 1);
          assert.deepEqual(await unlabelledInputs(q), []);
          assert.equal((await currentSession(q)).status, 401);
          await snap(q, "11-magic-other-browser");
        });
      });
    },
  );

  it(
    "11. 'Continue signing in' on the link's page signs in the browser that asked",
    { timeout: TIMEOUT },
    async () => {
      await withContext("magic-here", async (p) => {
        const address = email("magic-here");
        const mail = await requestEmail(p, address);
        const tab = await p.context.newPage();
        await tab.goto(mail.link);
        await tab.getByRole("button", { name: "Continue signing in" }).click();
        await tab.waitForLoadState();
        await screenshot(tab, "pages-11-magic-continued");
        assert.equal(await tab.textContent("h1"), "You are signed in");
        const main = await tab.textContent("main");
        assert.ok(main.includes(`as ${address}.`), main);
        const session = await currentSession(p);
        assert.equal(session.status, 200);
        assert.equal(session.json.user.email, address);
        assert.equal(session.json.user.email_verified, true);
        assert.deepEqual(session.json.session.amr, ["magic_link"]);
        await tab.close();
      });
    },
  );

  it(
    "11. in another browser, the code from the same email signs in on the link's page",
    { timeout: TIMEOUT },
    async () => {
      await withContext("magic-there", async (p) => {
        const address = email("magic-there");
        const mail = await requestEmail(p, address);
        await withContext("magic-other-browser", async (q) => {
          await q.page.goto(mail.link);
          await q.page.getByLabel("6-digit code from the email").fill(mail.code);
          await q.page.getByRole("button", { name: "Sign in" }).click();
          await q.page.waitForLoadState();
          await snap(q, "11-magic-other-browser-code-sent");
          assert.equal(await q.page.textContent("h1"), "You are signed in");
          const signedIn = await currentSession(q);
          assert.equal(signedIn.status, 200);
          assert.equal(signedIn.json.user.email, address);
        });
        // The code was used there: the asking page cannot use it again.
        assert.equal((await currentSession(p)).status, 401);
        await p.page.getByLabel("Code", { exact: true }).fill(mail.code);
        await p.page.getByRole("button", { name: "Continue" }).click();
        const error = await waitForError(p);
        assert.equal(error.text, "That took too long or was already used. Please try again.");
      });
    },
  );
});

describe("hosted pages: branding and settings", () => {
  it(
    "the app's logo and accent colour show; without sign-up there is no 'Create an account'",
    { timeout: TIMEOUT },
    async () => {
      await withContext("branded", async (p) => {
        await p.context.route("https://logo.example/**", (route) =>
          route.fulfill({ status: 200, contentType: "image/png", body: PNG_1X1 }),
        );
        await p.page.goto(loginUrl(BRANDED_APP));
        await autofillSettled(p);
        assert.match(await p.page.title(), /^Sign in to Branded app\b/);
        const logo = p.page.locator("header img.logo");
        assert.equal(await logo.getAttribute("src"), "https://logo.example/logo.png");
        assert.equal(await logo.getAttribute("alt"), "");
        await p.page.waitForFunction(() => document.querySelector("header img.logo").complete);
        assert.equal(await logo.evaluate((img) => img.naturalWidth), 1, "CSP lets https logos in");
        const accent = await p.page
          .getByRole("button", { name: "Sign in with a passkey" })
          .evaluate((b) => getComputedStyle(b).backgroundColor);
        assert.equal(accent, "rgb(10, 125, 51)");
        assert.equal(await p.page.locator("#show-sign-up").count(), 0);
        assert.equal(await p.page.getByText("Create an account").count(), 0);
        await snap(p, "12-branded-no-sign-up");
      });
    },
  );
});
