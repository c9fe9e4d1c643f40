// Organizations on the hosted pages, in headless Chromium with a virtual authenticator, against
// a real server process: an invitation goes out by email (the outbox), its link opens the
// invitation page, the invited person creates an account on the login page with a passkey,
// comes back, joins and then acts for the organization; the account page lists their
// organizations and switches the one the session acts for, and the session's tokens follow.
// Screenshots go to target/e2e-screenshots/orgs-*.png.

import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { inContext, launchBrowser, screenshot, startServer, waitForEmail } from "./harness.mjs";

const APP = "b2b";
const TIMEOUT = 90_000;

let server;
let browser;
let key;

async function api(method, route, body) {
  const res = await server.api(method, `/apps/${APP}${route}`, { body, token: key });
  assert.ok(res.status >= 200 && res.status < 300, `${method} ${route}: ${res.status} ${res.text}`);
  return res.json;
}

const withContext = (name, fn) => inContext(browser, server, "orgs", name, fn);

async function browserGet(p, route) {
  const res = await p.context.request.get(`${server.url}/apps/${APP}${route}`);
  assert.equal(res.status(), 200, await res.text());
  return res.json();
}

async function waitForMessage(p, text) {
  await p.page.waitForFunction(
    (t) => {
      const box = document.getElementById("message");
      return !box.hidden && box.textContent === t;
    },
    text,
    { timeout: 10_000 },
  );
}

before(async () => {
  server = await startServer();
  await server.createApp({ id: APP, name: "Ledger", rp_id: "localhost", origins: [server.url] });
  key = await server.createApiKey(APP);
  await api("POST", "/permissions", { key: "members:manage" });
  await api("POST", "/permissions", { key: "invoices:read" });
  await api("POST", "/roles", {
    key: "admin",
    name: "Admin",
    permissions: ["members:manage", "invoices:read"],
  });
  await api("POST", "/roles", { key: "viewer", name: "Viewer", permissions: ["invoices:read"] });
  await api("POST", "/organizations", { id: "acme", name: "Acme" });
  await api("POST", "/organizations", { id: "globex", name: "Globex" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe("organizations on the hosted pages", () => {
  it(
    "an invited person signs up from the email's link, joins, and switches organizations on the account page",
    { timeout: TIMEOUT },
    async () => {
      await withContext("invitation", async (p) => {
        const address = `grace-${Date.now().toString(36)}@example.com`;
        const since = Date.now();
        await api("POST", "/organizations/acme/invitations", { email: address, roles: ["admin"] });
        const mail = await waitForEmail(path.join(server.dataDir, "outbox"), address, {
          after: since,
        });
        const text = mail.parts.find((part) => part.type.startsWith("text/plain"))?.text ?? "";
        const link = text.match(/https?:\/\/\S+\/invitation\?token=lk_inv_[A-Za-z0-9_-]+/)?.[0];
        assert.ok(link, `an invitation link in:\n${text}`);

        // The link's page: who invites whom; not signed in, so sign up first.
        await p.page.goto(link);
        await p.page.locator("#step-signed-out").waitFor({ state: "visible" });
        assert.match(await p.page.textContent("main"), /join Acme on Ledger/);
        assert.ok((await p.page.textContent("main")).includes(address));
        await screenshot(p.page, "orgs-01-invitation");
        await p.page.getByRole("button", { name: "Create an account" }).click();

        // The login page starts on sign-up with the invited address, then comes back.
        await p.page.locator("#step-sign-up").waitFor({ state: "visible" });
        assert.equal(await p.page.locator("#sign-up-email").inputValue(), address);
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        await p.page.waitForURL((url) => url.pathname === `/apps/${APP}/invitation`);
        await p.page.locator("#step-accept").waitFor({ state: "visible" });
        assert.equal(await p.page.textContent("#who"), address);
        await p.page.getByRole("button", { name: "Join Acme" }).click();
        await p.page.locator("#step-done").waitFor({ state: "visible" });
        assert.equal(await p.page.textContent("#done-text"), "You joined Acme.");
        await screenshot(p.page, "orgs-02-joined");

        // The session acts for the organization: its roles and permissions.
        const current = await browserGet(p, "/sessions/current");
        assert.equal(current.session.org_id, "acme");
        assert.equal(current.user.email_verified, true, "the link proved the address");
        assert.deepEqual(await browserGet(p, "/sessions/current/permissions"), {
          org_id: "acme",
          roles: ["admin"],
          permissions: ["invoices:read", "members:manage"],
        });

        // A second organization; the account page switches between them.
        await api("POST", "/organizations/globex/members", {
          user_id: current.user.id,
          roles: ["viewer"],
        });
        await p.page.goto(`${server.url}/apps/${APP}/account`);
        await p.page.locator("#organizations-section").waitFor({ state: "visible" });
        const items = p.page.locator("#organizations li");
        await items.nth(1).waitFor();
        assert.deepEqual(
          (await items.locator("strong").allTextContents()).sort(),
          ["Acme (acting for it now)", "Globex"],
        );
        await screenshot(p.page, "orgs-03-account");
        await p.page.getByRole("button", { name: "Switch to Globex" }).click();
        await waitForMessage(p, "You now act for Globex.");
        assert.deepEqual(await browserGet(p, "/sessions/current/permissions"), {
          org_id: "globex",
          roles: ["viewer"],
          permissions: ["invoices:read"],
        });
        await p.page.getByRole("button", { name: "Stop acting for Globex" }).click();
        await waitForMessage(p, "You no longer act for Globex.");
        const left = await browserGet(p, "/sessions/current");
        assert.equal(left.session.org_id, null);
      });
    },
  );

  it(
    "someone signed in with another address is told so and can sign out to use the invited one",
    { timeout: TIMEOUT },
    async () => {
      await withContext("other-address", async (p) => {
        const since = Date.now();
        const address = `hopper-${Date.now().toString(36)}@example.com`;
        await api("POST", "/organizations/acme/invitations", { email: address });
        const mail = await waitForEmail(path.join(server.dataDir, "outbox"), address, {
          after: since,
        });
        const text = mail.parts.find((part) => part.type.startsWith("text/plain"))?.text ?? "";
        const link = text.match(/https?:\/\/\S+\/invitation\?token=lk_inv_[A-Za-z0-9_-]+/)?.[0];

        // Signed up as someone else first.
        await p.page.goto(`${server.url}/apps/${APP}/login?start=sign-up`);
        await p.page.locator("#sign-up-email").fill(`other-${Date.now().toString(36)}@example.com`);
        await p.page.getByRole("button", { name: "Create account with a passkey" }).click();
        await p.page.locator("#step-done").waitFor({ state: "visible" });

        await p.page.goto(link);
        await p.page.locator("#step-other").waitFor({ state: "visible" });
        await p.page.getByRole("button", { name: "Sign out to use the invited address" }).click();
        await p.page.locator("#step-signed-out").waitFor({ state: "visible" });
        const res = await p.context.request.get(`${server.url}/apps/${APP}/sessions/current`);
        assert.equal(res.status(), 401);
      });
    },
  );
});
