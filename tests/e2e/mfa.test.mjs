// Two-step sign-in on the hosted pages, in headless Chromium with a virtual authenticator,
// against a real server process: the account page enrolls an authenticator app (its QR code and
// a first code), shows the backup codes once, and removes the app after asking the person to
// confirm it is them; the login page then asks for the second factor after an email code (a
// code from the app, a backup code, or a passkey), and, for an app that requires two factors,
// lets an account with none finish by creating a passkey.
//
// Codes are computed from the enrolled secret by an independent TOTP implementation (the
// `otpauth` package), as an authenticator app would. Screenshots go to
// target/e2e-screenshots/mfa-*.png.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import * as OTPAuth from "otpauth";

import { inContext, launchBrowser, screenshot, startServer } from "./harness.mjs";

const OPTIONAL = "mfa-optional";
const REQUIRED = "mfa-required";
const TIMEOUT = 90_000;

let server;
let browser;
const keys = {};
let counter = 0;

function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now().toString(36)}@example.com`;
}

const withContext = (name, fn) => inContext(browser, server, "mfa", name, fn);

const snap = (p, name) => screenshot(p.page, `mfa-${name}`);
const loginUrl = (app) => `${server.url}/apps/${app}/login`;
const accountUrl = (app) => `${server.url}/apps/${app}/account`;

async function waitForStep(p, step) {
  await p.page.locator(`#${step}`).waitFor({ state: "visible", timeout: 10_000 });
}

async function messageText(p) {
  return p.page.textContent("#message");
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

async function currentSession(p, app) {
  const res = await p.context.request.get(`${server.url}/apps/${app}/sessions/current`);
  return { status: res.status(), json: res.ok() ? await res.json() : null };
}

async function signOut(p, app) {
  const res = await p.context.request.delete(`${server.url}/apps/${app}/sessions/current`, {
    headers: { origin: server.url },
  });
  assert.equal(res.status(), 204);
}

async function createUser(app, address) {
  const res = await server.api("POST", `/apps/${app}/users`, {
    body: { email: address, email_verified: true },
    token: keys[app],
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** The login page's email-code path up to the code being accepted. */
async function emailCode(p, app, address) {
  await p.page.goto(loginUrl(app));
  await p.page.locator("#step-start").getByLabel("Email").fill(address);
  const since = Date.now();
  await p.page.getByRole("button", { name: "Email me a sign-in code" }).click();
  await waitForStep(p, "step-code");
  const code = await server.emailCode(address, { after: since });
  await p.page.getByLabel("Code", { exact: true }).fill(code);
  await p.page.getByRole("button", { name: "Continue" }).click();
}

/** The authenticator app: reads the secret as the page shows it. */
function authenticatorApp(shownSecret) {
  return new OTPAuth.TOTP({
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(shownSecret.replace(/\s/g, "")),
  });
}

/** Makes the session's last authentication `seconds` older, as if that time had passed (the
 * server is another process: its clock cannot be moved). */
function ageSession(sessionId, seconds) {
  const db = path.join(server.dataDir, "latchkey.db");
  execFileSync("python3", [
    "-c",
    "import sqlite3, sys\n" +
      "c = sqlite3.connect(sys.argv[1], timeout=10)\n" +
      "c.execute('update sessions set auth_time = auth_time - ? where id = ?', (int(sys.argv[3]), sys.argv[2]))\n" +
      "c.commit()\n",
    db,
    sessionId,
    String(seconds),
  ]);
}

before(async () => {
  // Several email sign-ins of one address within a minute.
  server = await startServer({ env: { LATCHKEY_RATE_LIMITS: "email_address=100/60" } });
  for (const [id, mfa] of [
    [OPTIONAL, "optional"],
    [REQUIRED, "required"],
  ]) {
    await server.createApp({
      id,
      name: `Two-step ${mfa}`,
      rp_id: "localhost",
      origins: [server.url],
      mfa,
    });
    keys[id] = await server.createApiKey(id);
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe("two-step sign-in on the hosted pages", () => {
  it(
    "the account page adds an authenticator app; the login page then asks for its code, a backup code or a passkey; removing it asks to confirm it is you",
    { timeout: TIMEOUT },
    async () => {
      await withContext("optional", async (p) => {
        const address = email("ada");
        const user = await createUser(OPTIONAL, address);

        // Signed in by email, with a passkey made on the way.
        await emailCode(p, OPTIONAL, address);
        await waitForStep(p, "step-offer-passkey");
        await p.page.getByRole("button", { name: "Create a passkey" }).click();
        await waitForStep(p, "step-done");

        // The account page: add an authenticator app.
        await p.page.goto(accountUrl(OPTIONAL));
        await p.page.locator("#mfa-section").waitFor({ state: "visible" });
        await p.page.getByRole("button", { name: "Add an authenticator app" }).click();
        await p.page.locator("#totp-enroll").waitFor({ state: "visible" });
        await p.page.waitForFunction(() => {
          const img = document.getElementById("totp-qr");
          return img.complete && img.naturalWidth > 0;
        });
        const secret = await p.page.textContent("#totp-secret");
        const app = authenticatorApp(secret);
        assert.equal(
          await p.page.getByLabel("Code from the app").getAttribute("autocomplete"),
          "one-time-code",
        );
        await snap(p, "01-enroll");
        await p.page.getByLabel("Code from the app").fill(app.generate());
        await p.page.getByRole("button", { name: "Turn on" }).click();
        await p.page.locator("#backup-box").waitFor({ state: "visible" });
        const backupCodes = await p.page.locator("#backup-codes li").allTextContents();
        assert.equal(backupCodes.length, 10);
        assert.match(await p.page.textContent("#factors"), /Authenticator app/);
        assert.equal(await p.page.textContent("#backup-status"), "10 backup codes left.");
        await snap(p, "02-backup-codes");

        // An email sign-in now asks for the second step (the passkey waits: no autofill).
        await signOut(p, OPTIONAL);
        await p.setPresence(false);
        await emailCode(p, OPTIONAL, address);
        await waitForStep(p, "step-mfa");
        assert.equal(
          await p.page.getAttribute("#totp-code", "autocomplete"),
          "one-time-code",
        );
        assert.equal(await p.page.evaluate(() => document.activeElement.id), "totp-code");
        assert.ok(await p.page.getByRole("button", { name: "Use a passkey instead" }).isVisible());
        assert.ok(await p.page.locator("#mfa-new-passkey").isHidden(), "a passkey exists");
        assert.ok(await p.page.getByRole("button", { name: "Use a backup code" }).isVisible());
        assert.equal((await currentSession(p, OPTIONAL)).status, 401, "no session yet");
        await snap(p, "03-second-step");
        await p.page.getByLabel("Code from your authenticator app").fill("000000");
        await p.page.getByRole("button", { name: "Continue" }).click();
        await waitForMessage(p, "That code is not right. 4 tries left.");
        // The next step's code (the enrollment spent this one's).
        await p.page
          .getByLabel("Code from your authenticator app")
          .fill(app.generate({ timestamp: Date.now() + 30_000 }));
        await p.page.getByRole("button", { name: "Continue" }).click();
        await waitForStep(p, "step-offer-passkey");
        await p.page.getByRole("button", { name: "Not now" }).click();
        await waitForStep(p, "step-done");
        let session = await currentSession(p, OPTIONAL);
        assert.equal(session.json.user.id, user.id);
        assert.deepEqual(session.json.session.amr, ["otp", "totp", "mfa"]);

        // A backup code instead.
        await signOut(p, OPTIONAL);
        await emailCode(p, OPTIONAL, address);
        await waitForStep(p, "step-mfa");
        await p.page.getByRole("button", { name: "Use a backup code" }).click();
        await p.page.getByLabel("Backup code").fill(backupCodes[0]);
        await snap(p, "04-backup-code");
        await p.page.locator("#backup-form").getByRole("button", { name: "Continue" }).click();
        await waitForStep(p, "step-offer-passkey");
        await p.page.getByRole("button", { name: "Not now" }).click();
        await waitForStep(p, "step-done");
        session = await currentSession(p, OPTIONAL);
        assert.deepEqual(session.json.session.amr, ["otp", "backup_code", "mfa"]);

        // The passkey instead.
        await signOut(p, OPTIONAL);
        await emailCode(p, OPTIONAL, address);
        await waitForStep(p, "step-mfa");
        await p.setPresence(true);
        await p.page.getByRole("button", { name: "Use a passkey instead" }).click();
        await waitForStep(p, "step-done");
        session = await currentSession(p, OPTIONAL);
        assert.deepEqual(session.json.session.amr, ["otp", "passkey", "mfa"]);

        // Removing the app a while later: confirm it is you (with the passkey), then it goes.
        ageSession(session.json.session.id, 600);
        await p.page.goto(accountUrl(OPTIONAL));
        await p.page.locator("#factors li.passkey").first().waitFor();
        await p.page.getByRole("button", { name: "Remove Authenticator app" }).click();
        await p.page.locator("#reauth").waitFor({ state: "visible" });
        assert.equal(await messageText(p), "Please confirm it is you to make this change.");
        await snap(p, "05-confirm-it-is-you");
        let factors = await server.api("GET", `/apps/${OPTIONAL}/users/${user.id}/mfa/factors`, {
          token: keys[OPTIONAL],
        });
        assert.equal(factors.json.items.length, 1, "nothing removed yet");
        await p.page.getByRole("button", { name: "Confirm with a passkey" }).click();
        await waitForMessage(p, "Authenticator app removed.");
        assert.ok(await p.page.locator("#reauth").isHidden());
        factors = await server.api("GET", `/apps/${OPTIONAL}/users/${user.id}/mfa/factors`, {
          token: keys[OPTIONAL],
        });
        assert.equal(factors.json.items.length, 0);
        await snap(p, "06-removed");
      });
    },
  );

  it(
    "an app that requires two factors lets an account with none finish by creating a passkey",
    { timeout: TIMEOUT },
    async () => {
      await withContext("required", async (p) => {
        const address = email("lise");
        const user = await createUser(REQUIRED, address);
        await emailCode(p, REQUIRED, address);
        await waitForStep(p, "step-mfa");
        assert.ok(await p.page.locator("#mfa-enroll-text").isVisible());
        assert.ok(await p.page.locator("#totp-form").isHidden());
        await snap(p, "07-required-create-passkey");
        await p.page.getByRole("button", { name: "Create a passkey" }).click();
        await waitForStep(p, "step-done");
        const session = await currentSession(p, REQUIRED);
        assert.equal(session.json.user.id, user.id);
        assert.deepEqual(session.json.session.amr, ["otp", "passkey", "mfa"]);
        assert.equal((await p.credentials()).length, 1);

        // That passkey (user-verified) signs in by itself.
        await signOut(p, REQUIRED);
        await p.page.goto(loginUrl(REQUIRED));
        await waitForStep(p, "step-done");
        const again = await currentSession(p, REQUIRED);
        assert.deepEqual(again.json.session.amr, ["passkey", "mfa"]);
      });
    },
  );
});
