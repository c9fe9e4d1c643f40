// The browser SDK (sdk/js/latchkey.js) in a real browser: Debian's headless Chromium with CDP
// virtual authenticators, against a real Latchkey server process. The test page lives on its
// own origin and imports the SDK from the server, as an app's page would.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import {
  cdpToBase64url,
  launchBrowser,
  openPage,
  platformAuthenticator,
  repoRoot,
  screenshot,
  startPageServer,
  startServer,
} from "./harness.mjs";

const APP = "sdk-e2e";
const TIMEOUT = 60_000;

let server;
let pages;
let browser;
let apiKey;
let emailCounter = 0;

/** A unique address per call, so tests never share an account. */
function email(label) {
  emailCounter += 1;
  return `${label}-${emailCounter}-${Date.now().toString(36)}@example.com`;
}

/**
 * Runs `fn` with a fresh page (own cookies, one virtual authenticator). On failure, the page's
 * console, a screenshot and the server's log tail are attached to the error.
 */
async function withPage(name, fn, options) {
  const p = await openPage(browser, pages, options);
  try {
    await fn(p);
  } catch (err) {
    let shot = "";
    try {
      shot = await screenshot(p.page, `FAILED-${name}`);
    } catch {
      shot = "(no screenshot)";
    }
    err.message +=
      `\n--- page console ---\n${p.consoleLines.join("\n")}` +
      `\n--- screenshot: ${shot}` +
      `\n--- server log (tail) ---\n${server.log().split("\n").slice(-30).join("\n")}`;
    throw err;
  } finally {
    await p.close();
  }
}

/** Runs an SDK call in the page; resolves to `{ok}` or `{error}` (see the page's `attempt`). */
function attempt(p, source, arg) {
  // `source` is the body of an async arrow taking `arg`, evaluated in the page.
  return p.page.evaluate(
    ([src, a]) =>
      window.attempt(() => new Function("arg", `return (async () => { ${src} })();`)(a)),
    [source, arg],
  );
}

/** Like `attempt`, but the call must succeed: resolves to its value. */
async function ok(p, source, arg) {
  const r = await attempt(p, source, arg);
  assert.ok(!r.error, `the SDK call failed: ${JSON.stringify(r.error, null, 2)}\ncall: ${source}`);
  return r.ok;
}

/** Shows `value` on the page and saves a screenshot. */
async function snap(p, name, value) {
  await p.page.evaluate((v) => window.show(v), value);
  await screenshot(p.page, name);
}

function assertSignInResult(result, { email: address, amr }) {
  assert.equal(typeof result.user.id, "string");
  if (address !== undefined) assert.equal(result.user.email, address);
  assert.equal(result.session.user_id, result.user.id);
  assert.equal(result.session.current, true);
  assert.equal(result.token_type, "Bearer");
  assert.match(result.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.ok(result.expires_in > 0);
  assert.equal(typeof result.refresh_token, "string");
  assert.equal(typeof result.auth_token, "string");
  if (amr) assert.deepEqual(result.session.amr, amr);
}

/** The claims of a JWT (not verified: the server's own tests do that). */
function jwtClaims(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

/**
 * Compares options parsed by the SDK's helpers with the browser's native parser. Members only
 * the native result has must be WebIDL defaults the browser fills in; members only the helper
 * has must be ones this browser does not know (passing them to `create()` is harmless).
 */
function assertSameOptions(native, helper, { defaults, unknownToBrowser }, at = "") {
  if (
    native === null ||
    typeof native !== "object" ||
    helper === null ||
    typeof helper !== "object"
  ) {
    assert.deepEqual(helper, native, `options differ at ${at || "(root)"}`);
    return;
  }
  if (Array.isArray(native) || Array.isArray(helper)) {
    assert.ok(Array.isArray(native) && Array.isArray(helper), `array vs object at ${at}`);
    assert.equal(helper.length, native.length, `array length at ${at}`);
    native.forEach((v, i) =>
      assertSameOptions(v, helper[i], { defaults, unknownToBrowser }, `${at}[${i}]`),
    );
    return;
  }
  for (const key of new Set([...Object.keys(native), ...Object.keys(helper)])) {
    const where = at ? `${at}.${key}` : key;
    if (key in native && key in helper) {
      assertSameOptions(native[key], helper[key], { defaults, unknownToBrowser }, where);
    } else if (key in native) {
      assert.ok(
        where in defaults,
        `the native parser has ${where} = ${JSON.stringify(native[key])}, the helper none`,
      );
      assert.deepEqual(native[key], defaults[where], `native default of ${where}`);
    } else {
      assert.ok(
        unknownToBrowser.includes(where),
        `the helper has ${where}, the native parser none`,
      );
    }
  }
}

before(async () => {
  server = await startServer();
  pages = await startPageServer({ serverUrl: server.url, app: APP });
  await server.createApp({
    id: APP,
    name: "SDK e2e",
    rp_id: "localhost",
    origins: [pages.origin],
  });
  apiKey = await server.createApiKey(APP);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await server?.stop();
});

describe("serving the SDK", () => {
  it("serves latchkey.js and latchkey.d.ts as they are in sdk/js, cacheable, to any origin", async () => {
    for (const [file, type] of [
      ["latchkey.js", "text/javascript; charset=utf-8"],
      ["latchkey.d.ts", "application/typescript; charset=utf-8"],
    ]) {
      const res = await server.api("GET", `/sdk/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get("content-type"), type);
      assert.equal(res.headers.get("cache-control"), "public, max-age=300");
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      const onDisk = await readFile(path.join(repoRoot, "sdk/js", file), "utf8");
      assert.equal(res.text, onDisk, `${file} differs from sdk/js/${file}: rebuild the server`);
    }
  });

  it("is an ES module exporting exactly the documented API", { timeout: TIMEOUT }, async () => {
    await withPage("exports", async (p) => {
      const shape = await p.page.evaluate(() => ({
        exports: Object.keys(sdk).sort(),
        isDefault: sdk.default === sdk.Latchkey,
        client: Object.keys(lk).sort(),
        passkeys: lk.isPasskeySupported(),
      }));
      assert.deepEqual(shape.exports, [
        "Latchkey",
        "LatchkeyError",
        "base64urlDecode",
        "base64urlEncode",
        "creationOptionsFromJSON",
        "credentialToJSON",
        "default",
        "requestOptionsFromJSON",
      ]);
      assert.equal(shape.isDefault, true);
      assert.deepEqual(shape.client, [
        "acceptInvitation",
        "addPasskey",
        "completeSignIn",
        "completeSignInWithPasskey",
        "deletePasskey",
        "emailLinkStatus",
        "enrollTotp",
        "finishSignInWithNewPasskey",
        "isAutofillSupported",
        "isPasskeySupported",
        "listConsents",
        "listFactors",
        "listOrganizations",
        "listPasskeys",
        "permissions",
        "reauthenticate",
        "reauthenticateWithPasskey",
        "refresh",
        "regenerateBackupCodes",
        "removeFactor",
        "renamePasskey",
        "revokeConsent",
        "sendEmailCode",
        "session",
        "signIn",
        "signInWithAutofill",
        "signInWithEmailCode",
        "signOut",
        "signUp",
        "switchOrganization",
        "verifyTotp",
        "waitForEmailLink",
      ]);
      assert.equal(shape.passkeys, true);
      assert.equal(await ok(p, "return lk.isAutofillSupported();"), true);
    });
  });
});

describe("helpers", () => {
  it(
    "base64url round-trips every byte value and every padding length",
    { timeout: TIMEOUT },
    async () => {
      await withPage("base64url", async (p) => {
        const all = Array.from({ length: 256 }, (_, i) => i);
        const cases = [[], [0], [255], [0xfb, 0xff], [0xfb, 0xff, 0xbf], [1, 2, 3, 4], all];
        // Every length 0..70 of a running pattern, too: all three padding cases many times.
        for (let n = 0; n <= 70; n++)
          cases.push(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
        const got = await p.page.evaluate((cases) => {
          return cases.map((bytes) => {
            const u8 = new Uint8Array(bytes);
            const text = sdk.base64urlEncode(u8);
            const back = sdk.base64urlDecode(text);
            return {
              text,
              fromBuffer: sdk.base64urlEncode(u8.buffer),
              back: Array.from(new Uint8Array(back)),
              isArrayBuffer: back instanceof ArrayBuffer,
            };
          });
        }, cases);
        cases.forEach((bytes, i) => {
          const expected = Buffer.from(bytes).toString("base64url"); // Node's, independent
          assert.equal(got[i].text, expected, `encoding ${bytes.length} bytes`);
          assert.equal(
            got[i].fromBuffer,
            expected,
            `encoding an ArrayBuffer of ${bytes.length} bytes`,
          );
          assert.deepEqual(got[i].back, bytes, `round trip of ${bytes.length} bytes`);
          assert.equal(got[i].isArrayBuffer, true);
        });
        assert.equal(got[cases.indexOf(all)].text.includes("-"), true, "the alphabet uses '-'");
        assert.equal(got[cases.indexOf(all)].text.includes("_"), true, "the alphabet uses '_'");

        const edge = await p.page.evaluate(() => {
          const bytes = new Uint8Array([9, 8, 7, 6, 5, 4, 3]);
          const tryDecode = (t) => {
            try {
              return Array.from(new Uint8Array(sdk.base64urlDecode(t)));
            } catch (e) {
              return e.name;
            }
          };
          return {
            // RFC 4648 §10 test vectors.
            vectors: ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map((s) =>
              sdk.base64urlEncode(new TextEncoder().encode(s)),
            ),
            subarray: sdk.base64urlEncode(bytes.subarray(2, 5)),
            dataView: sdk.base64urlEncode(new DataView(bytes.buffer, 1, 2)),
            padded: tryDecode("Zm8="),
            unpadded: tryDecode("Zm8"),
            bad: ["Z", "Zm9v+", "Zm9v/", "Zm 9v", "Zm=9", "é", 42].map(tryDecode),
            badInput: (() => {
              try {
                return sdk.base64urlEncode("text");
              } catch (e) {
                return e.name;
              }
            })(),
          };
        });
        assert.deepEqual(edge.vectors, ["", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"]);
        assert.equal(edge.subarray, Buffer.from([7, 6, 5]).toString("base64url"));
        assert.equal(edge.dataView, Buffer.from([8, 7]).toString("base64url"));
        assert.deepEqual(edge.padded, [0x66, 0x6f]);
        assert.deepEqual(edge.unpadded, [0x66, 0x6f]);
        assert.deepEqual(edge.bad, Array(7).fill("TypeError"));
        assert.equal(edge.badInput, "TypeError");
      });
    },
  );

  it(
    "creationOptionsFromJSON and requestOptionsFromJSON match the browser's own parsers",
    { timeout: TIMEOUT },
    async () => {
      await withPage("options-helpers", async (p) => {
        const got = await p.page.evaluate(async (base) => {
          const post = async (path, body) =>
            (
              await fetch(base + path, {
                method: "POST",
                credentials: "include",
                headers: { "content-type": "application/json" },
                body: JSON.stringify(body),
              })
            ).json();
          // The server's real options, and hand-made ones with every binary member.
          const creation = [
            await post("/passkeys/register/options", {
              email: "helpers@example.com",
              display_name: "H",
            }),
            {
              publicKey: {
                challenge: "AAECAwQFBgcICQoLDA0ODw",
                rp: { id: "localhost", name: "x" },
                user: { id: "_-_-AQID", name: "n", displayName: "d" },
                pubKeyCredParams: [{ type: "public-key", alg: -7 }],
                timeout: 1000,
                excludeCredentials: [
                  { type: "public-key", id: "BAUG", transports: ["usb", "internal"] },
                  { type: "public-key", id: "-_8" },
                ],
                authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
                attestation: "direct",
                hints: ["client-device"],
                extensions: {
                  credProps: true,
                  prf: { eval: { first: "AAAA", second: "AQEB" } },
                  largeBlob: { support: "preferred" },
                  notAnExtension: 1,
                },
              },
            },
          ];
          const request = [
            await post("/passkeys/authenticate/options", {}),
            await post("/passkeys/authenticate/options", { email: "helpers@example.com" }),
            {
              publicKey: {
                challenge: "AAEC",
                rpId: "localhost",
                timeout: 1000,
                userVerification: "discouraged",
                hints: ["security-key"],
                allowCredentials: [{ type: "public-key", id: "BAUG", transports: ["nfc"] }],
                extensions: {
                  prf: {
                    eval: { first: "AAAA" },
                    evalByCredential: { BAUG: { first: "AQEB", second: "AgIC" } },
                  },
                  largeBlob: { write: "AQID" },
                },
              },
            },
          ];
          return {
            creation: creation.map((json) => ({
              json,
              native: canon(PublicKeyCredential.parseCreationOptionsFromJSON(json.publicKey)),
              helper: canon(sdk.creationOptionsFromJSON(json)),
              bare: canon(sdk.creationOptionsFromJSON(json.publicKey)),
            })),
            request: request.map((json) => ({
              json,
              native: canon(PublicKeyCredential.parseRequestOptionsFromJSON(json.publicKey)),
              helper: canon(sdk.requestOptionsFromJSON(json)),
              bare: canon(sdk.requestOptionsFromJSON(json.publicKey)),
            })),
            refusal: (() => {
              try {
                sdk.requestOptionsFromJSON({ publicKey: { challenge: "not base64url!" } });
                return "accepted";
              } catch (e) {
                return e.name;
              }
            })(),
          };
        }, `${server.url}/apps/${APP}`);

        const defaults = {
          "extensions.credProps": false,
          "extensions.enforceCredentialProtectionPolicy": false,
          "authenticatorSelection.requireResidentKey": false,
          attestation: "none",
          hints: [],
          userVerification: "preferred",
          excludeCredentials: [],
        };
        // Chromium does not know attestationFormats yet, nor (of course) made-up extensions.
        const unknownToBrowser = ["attestationFormats", "extensions.notAnExtension"];
        for (const c of [...got.creation, ...got.request]) {
          assertSameOptions(c.native, c.helper, { defaults, unknownToBrowser });
          assert.deepEqual(c.bare, c.helper, "bare options and {publicKey} convert alike");
          assert.deepEqual(c.helper.challenge, { $bytes: c.json.publicKey.challenge });
        }
        // The server's creation options carry the 16-byte user handle.
        const serverUser = got.creation[0].helper.user.id.$bytes;
        assert.equal(Buffer.from(serverUser, "base64url").length, 16);
        // The decoy or real allow list of an email request is converted too.
        assert.ok(got.request[1].helper.allowCredentials.length >= 1);
        assert.ok(got.request[1].helper.allowCredentials.every((d) => d.id.$bytes));
        assert.equal(got.refusal, "TypeError");
      });
    },
  );

  it(
    "credentialToJSON matches credential.toJSON(), also when it must read the CBOR itself",
    { timeout: TIMEOUT },
    async () => {
      await withPage("credential-to-json", async (p) => {
        const got = await p.page.evaluate(async (base) => {
          const post = async (path, body) =>
            (
              await fetch(base + path, {
                method: "POST",
                credentials: "include",
                headers: { "content-type": "application/json" },
                body: JSON.stringify(body),
              })
            ).json();
          // A browser without the L3 accessors: only what WebAuthn L1 had.
          const bare = (cred) => ({
            id: cred.id,
            rawId: cred.rawId,
            type: cred.type,
            authenticatorAttachment: cred.authenticatorAttachment,
            getClientExtensionResults: () => cred.getClientExtensionResults(),
            response:
              "attestationObject" in cred.response
                ? {
                    clientDataJSON: cred.response.clientDataJSON,
                    attestationObject: cred.response.attestationObject,
                  }
                : cred.response,
          });
          const out = { created: [] };
          // The authenticator's default algorithm (the first offered, Ed25519), then ES256 alone.
          for (const algs of [null, [-7], [-257, -7]]) {
            const json = await post("/passkeys/register/options", {
              email: `cbor${algs ? algs.join("_") : "default"}@example.com`,
            });
            const options = sdk.creationOptionsFromJSON(json);
            if (algs) options.pubKeyCredParams = algs.map((alg) => ({ type: "public-key", alg }));
            options.extensions = { credProps: true };
            const cred = await navigator.credentials.create({ publicKey: options });
            out.created.push({
              native: JSON.parse(JSON.stringify(cred.toJSON())),
              helper: JSON.parse(JSON.stringify(sdk.credentialToJSON(cred))),
              cbor: JSON.parse(JSON.stringify(sdk.credentialToJSON(bare(cred)))),
            });
          }
          const request = await post("/passkeys/authenticate/options", {});
          const assertion = await navigator.credentials.get({
            publicKey: sdk.requestOptionsFromJSON(request),
          });
          out.asserted = {
            native: JSON.parse(JSON.stringify(assertion.toJSON())),
            helper: JSON.parse(JSON.stringify(sdk.credentialToJSON(assertion))),
          };
          return out;
        }, `${server.url}/apps/${APP}`);

        const algorithms = got.created.map((c) => c.native.response.publicKeyAlgorithm);
        assert.deepEqual(
          algorithms.slice(1),
          [-7, -257],
          "the authenticator used the algorithms asked for",
        );
        for (const c of got.created) {
          assert.deepEqual(c.helper, c.native);
          assert.deepEqual(c.native.clientExtensionResults, { credProps: { rk: true } });
          // Without the accessors: authenticatorData and the algorithm come from the CBOR.
          const { publicKey, transports, ...rest } = c.native.response;
          assert.ok(publicKey, "Chromium gives the SPKI public key");
          assert.deepEqual(c.cbor.response, { ...rest, transports: [] });
          assert.deepEqual({ ...c.cbor, response: null }, { ...c.native, response: null });
        }
        assert.deepEqual(got.asserted.helper, got.asserted.native);
        assert.ok(
          got.asserted.native.response.userHandle,
          "a discoverable assertion has a user handle",
        );
        assert.ok(got.asserted.native.response.signature);
      });
    },
  );
});

describe("passkeys", () => {
  it(
    "signUp signs in; session() shows the user and tells the provider their current name",
    { timeout: TIMEOUT },
    async () => {
      await withPage("sign-up", async (p) => {
        const address = email("signup");
        const result = await ok(p, "return lk.signUp(arg);", {
          email: address,
          displayName: "Ada Lovelace",
        });
        assertSignInResult(result, { email: address, amr: ["passkey", "mfa"] });
        assert.equal(result.user.display_name, "Ada Lovelace");
        assert.equal(result.user.email_verified, false);
        const claims = jwtClaims(result.access_token);
        assert.equal(claims.sub, result.user.id);
        assert.equal(claims.sid, result.session.id);
        assert.equal(claims.aud, APP);

        const current = await ok(p, "return lk.session();");
        assert.equal(current.user.id, result.user.id);
        assert.equal(current.user.email, address);
        assert.equal(current.session.id, result.session.id);
        assert.equal(current.session.current, true);
        await snap(p, "01-signed-up", {
          signedInAs: current.user.email,
          session: current.session.id,
        });

        // The one passkey on the authenticator has the user's handle: the UUID's 16 bytes.
        const [credential] = await p.credentials();
        const handle = Buffer.from(result.user.id.replace(/-/g, ""), "hex").toString("base64url");
        assert.equal(cdpToBase64url(credential.userHandle), handle);
        assert.equal(credential.rpId, "localhost");

        // signalCurrentUserDetails: the provider learns a new display name from session().
        const patched = await ok(
          p,
          `const r = await fetch(arg.url, { method: "PATCH", credentials: "include",
           headers: { "content-type": "application/json" }, body: JSON.stringify({ display_name: "Ada King" }) });
         return r.json();`,
          { url: `${server.url}/apps/${APP}/me` },
        );
        assert.equal(patched.display_name, "Ada King");
        const updated = new Promise((resolve) => p.cdp.once("WebAuthn.credentialUpdated", resolve));
        await ok(p, "return lk.session();");
        const event = await Promise.race([
          updated,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error("no credentialUpdated")), 5000),
          ),
        ]);
        assert.equal(event.credential.userDisplayName, "Ada King");
        assert.equal(event.credential.userName, address);
        const [after] = await p.credentials();
        assert.equal(after.userDisplayName, "Ada King");
      });
    },
  );

  it(
    "signOut ends the session: session() is null and signed-in calls are unauthorized",
    { timeout: TIMEOUT },
    async () => {
      await withPage("sign-out", async (p) => {
        await ok(p, "return lk.signUp(arg);", { email: email("signout") });
        assert.notEqual(await ok(p, "return lk.session();"), null);
        assert.equal(await ok(p, "return lk.signOut();"), undefined);
        assert.equal(await ok(p, "return lk.session();"), null);
        await snap(p, "02-signed-out", { session: null });
        // Signing out twice is fine; listing passkeys now is a 401 LatchkeyError.
        assert.equal(await ok(p, "return lk.signOut();"), undefined);
        const r = await attempt(p, "return lk.listPasskeys();");
        assert.equal(r.error.isLatchkeyError, true);
        assert.equal(r.error.code, "unauthorized");
        assert.equal(r.error.status, 401);
      });
    },
  );

  it(
    "signIn() without an email: a username-less sign-in with the discoverable passkey",
    { timeout: TIMEOUT },
    async () => {
      await withPage("sign-in-discoverable", async (p) => {
        const address = email("discoverable");
        const up = await ok(p, "return lk.signUp(arg);", { email: address });
        await ok(p, "return lk.signOut();");
        const asserted = new Promise((resolve) =>
          p.cdp.once("WebAuthn.credentialAsserted", resolve),
        );
        const result = await ok(p, "return lk.signIn();");
        assertSignInResult(result, { email: address, amr: ["passkey", "mfa"] });
        assert.equal(result.user.id, up.user.id);
        assert.notEqual(result.session.id, up.session.id);
        const used = await asserted;
        const [registered] = await ok(p, "return lk.listPasskeys();");
        assert.equal(cdpToBase64url(used.credential.credentialId), registered.id);
        assert.equal((await ok(p, "return lk.session();")).user.id, up.user.id);
        await snap(p, "03-signed-in-username-less", { signedInAs: result.user.email });
      });
    },
  );

  it("signIn({ email }) signs in with that account's passkey", { timeout: TIMEOUT }, async () => {
    await withPage("sign-in-email", async (p) => {
      // Two accounts on one authenticator: the email picks which one signs in.
      const first = await ok(p, "return lk.signUp(arg);", { email: email("first") });
      await ok(p, "return lk.signOut();");
      const secondEmail = email("second");
      const second = await ok(p, "return lk.signUp(arg);", { email: secondEmail });
      await ok(p, "return lk.signOut();");
      assert.equal((await p.credentials()).length, 2);
      const result = await ok(p, "return lk.signIn(arg);", { email: secondEmail.toUpperCase() });
      assertSignInResult(result, { email: secondEmail });
      assert.equal(result.user.id, second.user.id);
      const again = await ok(p, "return lk.signIn(arg);", { email: first.user.email });
      assert.equal(again.user.id, first.user.id);
      await snap(p, "04-signed-in-with-email", { signedInAs: again.user.email });
    });
  });

  it(
    "signInWithAutofill resolves through conditional mediation on the username field",
    { timeout: TIMEOUT },
    async () => {
      await withPage("autofill", async (p) => {
        const address = email("autofill");
        const up = await ok(p, "return lk.signUp(arg);", { email: address });
        await ok(p, "return lk.signOut();");
        assert.equal(await p.page.getAttribute("#username", "autocomplete"), "username webauthn");
        const result = await ok(p, "return lk.signInWithAutofill();");
        assertSignInResult(result, { email: address });
        assert.equal(result.user.id, up.user.id);
        assert.equal((await ok(p, "return lk.session();")).user.id, up.user.id);
        await snap(p, "05-signed-in-by-autofill", { signedInAs: result.user.email });
      });
    },
  );

  it(
    "aborting signInWithAutofill rejects with cancelled; a modal sign-up takes over from it",
    { timeout: TIMEOUT },
    async () => {
      await withPage("autofill-abort", async (p) => {
        // Chromium's virtual environment answers a conditional request at once (NotAllowedError
        // when no passkey fits); without presence simulation it waits, as a real autofill does.
        await p.cdp.send("WebAuthn.setAutomaticPresenceSimulation", {
          authenticatorId: p.authenticatorId,
          enabled: false,
        });
        const outcome = await p.page.evaluate(async () => {
          const controller = new AbortController();
          let settled = false;
          const pending = window.attempt(() =>
            lk.signInWithAutofill({ signal: controller.signal }),
          );
          pending.then(() => {
            settled = true;
          });
          await new Promise((r) => setTimeout(r, 1000));
          const pendingBeforeAbort = !settled;
          controller.abort();
          return { pendingBeforeAbort, result: await pending };
        });
        assert.equal(outcome.pendingBeforeAbort, true, "the autofill request waits for a passkey");
        assert.equal(outcome.result.error?.code, "cancelled", JSON.stringify(outcome.result));
        assert.equal(outcome.result.error.isLatchkeyError, true);
        assert.equal(outcome.result.error.cause?.name, "AbortError");

        const early = await attempt(
          p,
          "const c = new AbortController(); c.abort(); return lk.signInWithAutofill({ signal: c.signal });",
        );
        assert.equal(early.error?.code, "cancelled");

        // A pending autofill request gives way to a modal ceremony: Chromium itself would refuse
        // the modal one ("A request is already pending").
        await p.page.evaluate(() => {
          window.autofillResult = null;
          window
            .attempt(() => lk.signInWithAutofill())
            .then((r) => {
              window.autofillResult = r;
            });
        });
        await new Promise((r) => setTimeout(r, 700));
        assert.equal(await p.page.evaluate(() => window.autofillResult), null, "autofill pending");
        const address = email("modal");
        const signUp = attempt(p, "return lk.signUp(arg);", { email: address });
        await p.page.waitForFunction(() => window.autofillResult !== null, null, {
          timeout: 10_000,
        });
        const autofill = await p.page.evaluate(() => window.autofillResult);
        assert.equal(autofill.error?.code, "cancelled");
        // The sign-up's prompt is answered by a security key plugged in now.
        await p.addAuthenticator({ ...platformAuthenticator, transport: "usb" });
        const up = await signUp;
        assert.ok(!up.error, JSON.stringify(up.error));
        assert.equal(up.ok.user.email, address);
        await snap(p, "06-autofill-cancelled", {
          autofill: autofill.error.code,
          signedUp: address,
        });
      });
    },
  );

  it(
    "dismissing the browser's prompt rejects with cancelled, and nothing is created",
    { timeout: TIMEOUT },
    async () => {
      await withPage("cancelled", async (p) => {
        const address = email("cancel");
        // The person fails (or refuses) user verification: the browser answers NotAllowedError.
        await p.cdp.send("WebAuthn.setUserVerified", {
          authenticatorId: p.authenticatorId,
          isUserVerified: false,
        });
        const r = await attempt(p, "return lk.signUp(arg);", { email: address });
        assert.equal(r.error?.code, "cancelled", JSON.stringify(r.error));
        assert.equal(r.error.isLatchkeyError, true);
        assert.equal(r.error.cause?.name, "NotAllowedError");
        assert.equal((await p.credentials()).length, 0);
        await snap(p, "07-prompt-cancelled", { signUp: r.error.code });
        // No account came of it: the same email signs up fine once verification works.
        await p.cdp.send("WebAuthn.setUserVerified", {
          authenticatorId: p.authenticatorId,
          isUserVerified: true,
        });
        const up = await ok(p, "return lk.signUp(arg);", { email: address });
        assert.equal(up.user.email, address);
        await ok(p, "return lk.signOut();");
        // Sign-in prompts too.
        await p.cdp.send("WebAuthn.setUserVerified", {
          authenticatorId: p.authenticatorId,
          isUserVerified: false,
        });
        const signIn = await attempt(p, "return lk.signIn();");
        assert.equal(signIn.error?.code, "cancelled", JSON.stringify(signIn.error));
        assert.equal(await ok(p, "return lk.session();"), null);
      });
    },
  );

  it(
    "addPasskey adds a second passkey; list, rename and delete it; the provider forgets it",
    { timeout: TIMEOUT },
    async () => {
      await withPage("manage-passkeys", async (p) => {
        const address = email("manage");
        const up = await ok(p, "return lk.signUp(arg);", { email: address });
        const [firstOnA] = await p.credentials();

        // A second authenticator (a security key); the first one stops answering, as if absent.
        const second = await p.addAuthenticator({ ...platformAuthenticator, transport: "usb" });
        await p.cdp.send("WebAuthn.setAutomaticPresenceSimulation", {
          authenticatorId: p.authenticatorId,
          enabled: false,
        });
        const added = await ok(p, "return lk.addPasskey(arg);", { name: "Work key" });
        assertSignInResult(added, { email: address });
        assert.equal(added.user.id, up.user.id);
        const [onB] = await p.credentials(second);
        assert.ok(onB, "the second authenticator holds the new passkey");
        const idOnB = cdpToBase64url(onB.credentialId);
        const idOnA = cdpToBase64url(firstOnA.credentialId);

        let list = await ok(p, "return lk.listPasskeys();");
        assert.equal(list.length, 2);
        assert.deepEqual(new Set(list.map((k) => k.id)), new Set([idOnA, idOnB]));
        const work = list.find((k) => k.id === idOnB);
        assert.equal(work.name, "Work key");
        assert.deepEqual(work.transports, ["usb"]);
        assert.equal(work.user_verified, true);
        await snap(
          p,
          "08-two-passkeys",
          list.map((k) => ({ id: k.id, name: k.name })),
        );

        const renamed = await ok(p, "return lk.renamePasskey(arg.id, arg.name);", {
          id: idOnA,
          name: "Laptop",
        });
        assert.equal(renamed.id, idOnA);
        assert.equal(renamed.name, "Laptop");
        list = await ok(p, "return lk.listPasskeys();");
        assert.equal(list.find((k) => k.id === idOnA).name, "Laptop");

        const bad = await attempt(p, "return lk.renamePasskey(arg.id, arg.name);", {
          id: idOnA,
          name: "",
        });
        assert.equal(bad.error?.code, "invalid_request");
        assert.equal(bad.error.status, 400);

        // Deleting tells the provider which passkeys remain (signalAllAcceptedCredentials):
        // Chromium removes the deleted one from the authenticator that holds it.
        const deleted = new Promise((resolve) => p.cdp.once("WebAuthn.credentialDeleted", resolve));
        assert.equal(await ok(p, "return lk.deletePasskey(arg);", idOnB), undefined);
        list = await ok(p, "return lk.listPasskeys();");
        assert.deepEqual(
          list.map((k) => k.id),
          [idOnA],
        );
        const event = await Promise.race([
          deleted,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error("no credentialDeleted")), 5000),
          ),
        ]);
        assert.equal(event.authenticatorId, second);
        assert.equal(cdpToBase64url(event.credentialId), idOnB);
        assert.equal((await p.credentials(second)).length, 0);
        assert.equal((await p.credentials()).length, 1, "the remaining passkey stays");
        await snap(
          p,
          "09-one-passkey-left",
          list.map((k) => ({ id: k.id, name: k.name })),
        );

        const gone = await attempt(p, "return lk.deletePasskey(arg);", idOnB);
        assert.equal(gone.error?.code, "not_found");
      });
    },
  );

  it(
    "a passkey the server no longer knows: invalid_credential, and the provider is told",
    { timeout: TIMEOUT },
    async () => {
      await withPage("unknown-credential", async (p) => {
        const up = await ok(p, "return lk.signUp(arg);", { email: email("unknown") });
        const [credential] = await p.credentials();
        const credentialId = cdpToBase64url(credential.credentialId);
        // The account is deleted by the app's backend; the passkey stays on the authenticator.
        const res = await server.api("DELETE", `/apps/${APP}/users/${up.user.id}`, {
          token: apiKey,
        });
        assert.equal(res.status, 204, res.text);
        await ok(p, "return lk.signOut();");

        const deleted = new Promise((resolve) => p.cdp.once("WebAuthn.credentialDeleted", resolve));
        const r = await attempt(p, "return lk.signIn();");
        assert.equal(r.error?.code, "invalid_credential");
        assert.equal(r.error.status, 401);
        assert.equal(r.error.problem.unknown_credential.credential_id, credentialId);
        const event = await Promise.race([
          deleted,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error("no credentialDeleted")), 5000),
          ),
        ]);
        assert.equal(cdpToBase64url(event.credentialId), credentialId);
        assert.equal((await p.credentials()).length, 0, "signalUnknownCredential removed it");
        await snap(p, "10-unknown-credential", { signIn: r.error.code, detail: r.error.detail });
      });
    },
  );

  it(
    "signUp and signIn work in a browser without the L3 JSON methods or response accessors",
    { timeout: TIMEOUT },
    async () => {
      await withPage("fallback-path", async (p) => {
        const removed = await p.page.evaluate(() => {
          const gone = [];
          const drop = (obj, name, label) => {
            if (obj && name in obj) {
              delete obj[name];
              gone.push(label);
            }
          };
          drop(PublicKeyCredential, "parseCreationOptionsFromJSON", "parseCreationOptionsFromJSON");
          drop(PublicKeyCredential, "parseRequestOptionsFromJSON", "parseRequestOptionsFromJSON");
          drop(PublicKeyCredential.prototype, "toJSON", "toJSON");
          for (const m of [
            "getAuthenticatorData",
            "getPublicKey",
            "getPublicKeyAlgorithm",
            "getTransports",
          ]) {
            drop(AuthenticatorAttestationResponse.prototype, m, m);
          }
          return {
            gone,
            still: [
              typeof PublicKeyCredential.parseCreationOptionsFromJSON,
              typeof PublicKeyCredential.prototype.toJSON,
              typeof AuthenticatorAttestationResponse.prototype.getAuthenticatorData,
            ],
          };
        });
        assert.equal(removed.gone.length, 7, `removed ${removed.gone}`);
        assert.deepEqual(removed.still, ["undefined", "undefined", "undefined"]);
        const address = email("fallback");
        const up = await ok(p, "return lk.signUp(arg);", { email: address });
        assertSignInResult(up, { email: address, amr: ["passkey", "mfa"] });
        await ok(p, "return lk.signOut();");
        const result = await ok(p, "return lk.signIn();");
        assert.equal(result.user.id, up.user.id);
        const list = await ok(p, "return lk.listPasskeys();");
        assert.equal(list.length, 1);
        assert.deepEqual(list[0].transports, []); // nothing told the server without getTransports
      });
    },
  );
});

describe("email codes and sessions", () => {
  it(
    "sendEmailCode + signInWithEmailCode sign in with the code from the outbox",
    { timeout: TIMEOUT },
    async () => {
      await withPage("email-code", async (p) => {
        const address = email("code");
        const since = Date.now();
        const sent = await ok(p, "return lk.sendEmailCode(arg);", {
          email: address,
          purpose: "sign_up",
        });
        assert.deepEqual(sent, { expires_in: 600 });
        const code = await server.emailCode(address, { after: since });
        assert.match(code, /^\d{6}$/);

        // A wrong code first: invalid_code, with the attempts left in the problem.
        const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
        const miss = await attempt(p, "return lk.signInWithEmailCode(arg);", {
          email: address,
          code: wrong,
        });
        assert.equal(miss.error?.code, "invalid_code");
        assert.equal(miss.error.status, 401);
        assert.equal(miss.error.problem.attempts_left, 4);

        const result = await ok(p, "return lk.signInWithEmailCode(arg);", { email: address, code });
        assertSignInResult(result, { email: address, amr: ["otp"] });
        assert.equal(result.user.email_verified, true);
        const current = await ok(p, "return lk.session();");
        assert.equal(current.user.id, result.user.id);
        await snap(p, "11-signed-in-by-email-code", {
          signedInAs: current.user.email,
          amr: current.session.amr,
        });

        // Used once: the same code again is challenge_expired.
        await ok(p, "return lk.signOut();");
        const reuse = await attempt(p, "return lk.signInWithEmailCode(arg);", {
          email: address,
          code,
        });
        assert.equal(reuse.error?.code, "challenge_expired");
      });
    },
  );

  it(
    "a server error rejects with a LatchkeyError carrying the problem (signUp of a taken email: conflict)",
    { timeout: TIMEOUT },
    async () => {
      await withPage("conflict", async (p) => {
        const address = email("taken");
        await ok(p, "return lk.signUp(arg);", { email: address });
        await ok(p, "return lk.signOut();");
        const before = (await p.credentials()).length;
        const r = await attempt(p, "return lk.signUp(arg);", { email: address });
        assert.equal(r.error?.isLatchkeyError, true);
        assert.equal(r.error.isError, true);
        assert.equal(r.error.name, "LatchkeyError");
        assert.equal(r.error.code, "conflict");
        assert.equal(r.error.status, 409);
        assert.equal(r.error.problem.code, "conflict");
        assert.equal(r.error.problem.status, 409);
        assert.equal(r.error.detail, r.error.problem.detail);
        assert.ok(r.error.detail.length > 0);
        assert.equal((await p.credentials()).length, before, "no prompt, no passkey");
        await snap(p, "12-conflict", r.error.problem);

        // Malformed input is the server's invalid_request, passed through the same way.
        const bad = await attempt(p, "return lk.sendEmailCode(arg);", {
          email: "not an email",
          purpose: "sign_in",
        });
        assert.equal(bad.error?.code, "invalid_request");
        assert.equal(bad.error.status, 400);
      });
    },
  );

  it("refresh() rotates the tokens of the cookie's session", { timeout: TIMEOUT }, async () => {
    await withPage("refresh", async (p) => {
      const up = await ok(p, "return lk.signUp(arg);", { email: email("refresh") });
      const refreshed = await ok(p, "return lk.refresh();");
      assertSignInResult(refreshed, { email: up.user.email });
      assert.equal(refreshed.session.id, up.session.id, "the same session");
      assert.notEqual(refreshed.access_token, up.access_token);
      assert.notEqual(refreshed.refresh_token, up.refresh_token);
      assert.equal(jwtClaims(refreshed.access_token).sid, up.session.id);
      assert.notEqual(jwtClaims(refreshed.access_token).jti, jwtClaims(up.access_token).jti);
      // The cookie still identifies the session afterwards.
      assert.equal((await ok(p, "return lk.session();")).session.id, up.session.id);
      await ok(p, "return lk.signOut();");
      const r = await attempt(p, "return lk.refresh();");
      assert.equal(r.error?.code, "unauthorized");
    });
  });

  it("refresh() holds a Web Lock, so tabs refresh one at a time", { timeout: TIMEOUT }, async () => {
    await withPage("refresh-lock", async (p) => {
      await ok(p, "return lk.signUp(arg);", { email: email("refresh-lock") });
      const seen = await ok(
        p,
        `const refreshes = [lk.refresh(), lk.refresh(), lk.refresh()];
         const state = await navigator.locks.query();
         const results = await Promise.all(refreshes);
         return {
           held: state.held.map((l) => l.name),
           pending: state.pending.map((l) => l.name),
           sessions: results.map((r) => r.session.id),
           tokens: new Set(results.map((r) => r.refresh_token)).size,
         };`,
      );
      assert.equal(seen.held.length, 1, "one refresh holds the lock");
      assert.match(seen.held[0], /^latchkey refresh /);
      assert.equal(seen.pending.length, 2, "the others wait for it");
      assert.equal(new Set(seen.sessions).size, 1, "one session throughout");
      assert.equal(seen.tokens, 3, "each refresh rotated in turn");
    });
  });
});

describe("failures without a server answer", () => {
  it(
    "network_error when the server cannot be reached; not_supported without WebAuthn",
    { timeout: TIMEOUT },
    async () => {
      await withPage("no-server-no-webauthn", async (p) => {
        const unreachable = await p.page.evaluate(async () => {
          const client = sdk.Latchkey({ baseUrl: "http://localhost:9", app: "nope" });
          return window.attempt(() => client.session());
        });
        assert.equal(unreachable.error?.code, "network_error");
        assert.equal(unreachable.error.isLatchkeyError, true);
        assert.equal(unreachable.error.status, 0);

        await p.page.evaluate(() => {
          delete window.PublicKeyCredential;
        });
        assert.equal(await p.page.evaluate(() => lk.isPasskeySupported()), false);
        assert.equal(await ok(p, "return lk.isAutofillSupported();"), false);
        for (const call of [
          "lk.signUp({ email: 'x@example.com' })",
          "lk.signIn()",
          "lk.signInWithAutofill()",
          "lk.addPasskey()",
        ]) {
          const r = await attempt(p, `return ${call};`);
          assert.equal(r.error?.code, "not_supported", call);
        }
        // Everything that is not WebAuthn still works.
        assert.equal(await ok(p, "return lk.session();"), null);
      });
    },
  );
});
