/**
 * Latchkey browser SDK: passkey sign-up and sign-in (including autofill), passkey management,
 * email one-time codes and sessions, against a Latchkey server's browser API
 * (`/apps/{app}/…`).
 *
 * One dependency-free ES module; no build step. A Latchkey server serves it at
 * `/sdk/latchkey.js`, with TypeScript declarations at `/sdk/latchkey.d.ts`.
 *
 * ```js
 * import { Latchkey } from "https://auth.example.com/sdk/latchkey.js";
 * const latchkey = Latchkey({ baseUrl: "https://auth.example.com", app: "shop" });
 * const { user } = await latchkey.signUp({ email: "jdoe@example.com" });
 * ```
 *
 * The server sets an `HttpOnly` session cookie on every sign-in, so a page needs no token
 * handling: every request is sent with `credentials: "include"`. Every failure rejects with a
 * {@link LatchkeyError} whose `code` is the server's problem `code`, or one of the SDK's own:
 * `cancelled` (the person dismissed the browser's passkey prompt, or the caller aborted),
 * `network_error` (the server could not be reached), `not_supported` (no WebAuthn, or no
 * autofill, in this browser), `credential_exists` (the authenticator already holds a passkey
 * for this account), `security_error` (the page's origin does not fit the app's relying party),
 * `webauthn_error` (any other failure of the browser's WebAuthn call), `invalid_response`
 * (the server answered something that is not the expected JSON) and `mfa_required`.
 *
 * Multi-factor authentication: when the app's policy asks for a second factor, a sign-in
 * method rejects with `mfa_required` and the error's `mfa` holds `{mfaToken, factors}`; finish
 * with `completeSignIn` (an authenticator-app or backup code), `completeSignInWithPasskey`, or,
 * for an account with no second factor yet under a policy that requires one,
 * `finishSignInWithNewPasskey`. The signed-in user manages factors with `listFactors`,
 * `enrollTotp`, `verifyTotp`, `removeFactor` and `regenerateBackupCodes`; the operations that
 * need a recent sign-in reject with `reauthentication_required` until `reauthenticate` (a code)
 * or `reauthenticateWithPasskey` succeeds.
 *
 * Organizations: `listOrganizations` lists the signed-in user's memberships,
 * `switchOrganization` makes the session act for one (its tokens then carry the organization's
 * roles and permissions), `acceptInvitation` accepts an emailed invitation, and `permissions`
 * says what the user may do now.
 *
 * Where the browser has the WebAuthn Signal API, the SDK tells the passkey provider what the
 * server knows: a passkey the server does not recognise (`signalUnknownCredential`), the passkeys
 * left after one was deleted (`signalAllAcceptedCredentials`), and the signed-in user's current
 * name (`signalCurrentUserDetails`). These hints never make an SDK call fail.
 *
 * @module latchkey
 */

/**
 * The shapes of the server's objects are declared in `latchkey.d.ts`, beside this file.
 * @typedef {import("./latchkey.js").LatchkeyClient} LatchkeyClient
 * @typedef {import("./latchkey.js").SignInResult} SignInResult
 * @typedef {import("./latchkey.js").CurrentSession} CurrentSession
 * @typedef {import("./latchkey.js").Membership} Membership
 * @typedef {import("./latchkey.js").Access} Access
 * @typedef {import("./latchkey.js").Passkey} Passkey
 */

/**
 * A failed Latchkey call.
 *
 * `code` is the server's stable problem `code` (`conflict`, `invalid_code`, `unauthorized`, …)
 * or one of the SDK's own (see the module documentation). `status` is the HTTP status (0 when
 * no response was involved), `detail` a human-readable sentence, and `problem` the whole
 * RFC 9457 problem-details body (`null` when there was none).
 */
export class LatchkeyError extends Error {
  /**
   * @param {string} code stable machine-readable error code
   * @param {string} message human-readable explanation
   * @param {{status?: number, detail?: string, problem?: object|null, cause?: unknown}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "LatchkeyError";
    /** @type {string} */
    this.code = code;
    /** @type {number} */
    this.status = extra.status ?? 0;
    /** @type {string} */
    this.detail = extra.detail ?? message;
    /** @type {object|null} */
    this.problem = extra.problem ?? null;
  }
}

// ---------------------------------------------------------------------------------------------
// base64url

const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5), the form WebAuthn JSON uses.
 *
 * @param {ArrayBuffer|ArrayBufferView} data the bytes
 * @returns {string} the base64url text
 */
export function base64urlEncode(data) {
  const bytes = toBytes(data);
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64url text (padding optional) into a fresh `ArrayBuffer`.
 *
 * @param {string} text base64url text
 * @returns {ArrayBuffer} the bytes
 * @throws {TypeError} when `text` is not a string of base64url
 */
export function base64urlDecode(text) {
  if (typeof text !== "string") {
    throw new TypeError("base64urlDecode expects a string");
  }
  const bare = text.replace(/=+$/, "");
  if (!B64URL.test(bare) || bare.length % 4 === 1) {
    throw new TypeError(`not base64url: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const b64 = bare.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((bare.length + 3) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

function toBytes(data) {
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError("expected an ArrayBuffer or a typed array");
}

function isBinary(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

// ---------------------------------------------------------------------------------------------
// WebAuthn JSON ⇄ browser objects (WebAuthn L3 §5.1.8–5.1.10), for browsers without
// parseCreationOptionsFromJSON / parseRequestOptionsFromJSON / toJSON.

/** Unwraps `{"publicKey": {...}}` as the server sends it; bare options pass as they are. */
function unwrapOptions(json) {
  if (json === null || typeof json !== "object") {
    throw new TypeError("WebAuthn options must be an object");
  }
  return json.publicKey && typeof json.publicKey === "object" ? json.publicKey : json;
}

function descriptorFromJSON(d) {
  return { ...d, id: base64urlDecode(d.id) };
}

function prfValuesFromJSON(v) {
  const out = { first: base64urlDecode(v.first) };
  if (v.second !== undefined) {
    out.second = base64urlDecode(v.second);
  }
  return out;
}

/** The binary members of client extension inputs (prf, largeBlob), decoded. */
function extensionsFromJSON(ext) {
  if (!ext || typeof ext !== "object") {
    return ext;
  }
  const out = { ...ext };
  if (ext.prf && typeof ext.prf === "object") {
    out.prf = { ...ext.prf };
    if (ext.prf.eval) {
      out.prf.eval = prfValuesFromJSON(ext.prf.eval);
    }
    if (ext.prf.evalByCredential) {
      out.prf.evalByCredential = Object.fromEntries(
        Object.entries(ext.prf.evalByCredential).map(([k, v]) => [k, prfValuesFromJSON(v)]),
      );
    }
  }
  if (ext.largeBlob && typeof ext.largeBlob === "object" && ext.largeBlob.write !== undefined) {
    out.largeBlob = { ...ext.largeBlob, write: base64urlDecode(ext.largeBlob.write) };
  }
  return out;
}

/**
 * Turns `PublicKeyCredentialCreationOptionsJSON` (or the server's `{"publicKey": …}` around it)
 * into the options `navigator.credentials.create({ publicKey })` takes, decoding `challenge`,
 * `user.id`, `excludeCredentials[].id` and binary extension inputs. The same as
 * `PublicKeyCredential.parseCreationOptionsFromJSON`, for browsers that lack it.
 *
 * @param {object} json creation options in WebAuthn JSON form
 * @returns {PublicKeyCredentialCreationOptions}
 */
export function creationOptionsFromJSON(json) {
  const o = unwrapOptions(json);
  const out = {
    ...o,
    challenge: base64urlDecode(o.challenge),
    user: { ...o.user, id: base64urlDecode(o.user.id) },
  };
  if (o.excludeCredentials) {
    out.excludeCredentials = o.excludeCredentials.map(descriptorFromJSON);
  }
  if (o.extensions) {
    out.extensions = extensionsFromJSON(o.extensions);
  }
  return out;
}

/**
 * Turns `PublicKeyCredentialRequestOptionsJSON` (or the server's `{"publicKey": …}` around it)
 * into the options `navigator.credentials.get({ publicKey })` takes, decoding `challenge`,
 * `allowCredentials[].id` and binary extension inputs. The same as
 * `PublicKeyCredential.parseRequestOptionsFromJSON`, for browsers that lack it.
 *
 * @param {object} json request options in WebAuthn JSON form
 * @returns {PublicKeyCredentialRequestOptions}
 */
export function requestOptionsFromJSON(json) {
  const o = unwrapOptions(json);
  const out = { ...o, challenge: base64urlDecode(o.challenge) };
  if (o.allowCredentials) {
    out.allowCredentials = o.allowCredentials.map(descriptorFromJSON);
  }
  if (o.extensions) {
    out.extensions = extensionsFromJSON(o.extensions);
  }
  return out;
}

/** Client extension outputs in JSON form: every binary value base64url-encoded. */
function jsonValue(value) {
  if (isBinary(value)) {
    return base64urlEncode(value);
  }
  if (Array.isArray(value)) {
    return value.map(jsonValue);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}

/**
 * The JSON form of a `PublicKeyCredential` from `navigator.credentials.create()` or `.get()`,
 * member for member what `credential.toJSON()` produces (WebAuthn L3 §5.1.8):
 * `RegistrationResponseJSON` for a new credential, `AuthenticationResponseJSON` for an
 * assertion. Works in browsers without `toJSON()`, and without the
 * `getAuthenticatorData()`/`getPublicKeyAlgorithm()` accessors (it then reads the attestation
 * object's CBOR).
 *
 * @param {PublicKeyCredential} cred the credential the browser returned
 * @returns {object} the credential in WebAuthn JSON form
 */
export function credentialToJSON(cred) {
  const r = cred.response;
  const out = {
    id: cred.id,
    rawId: base64urlEncode(cred.rawId),
    response: {},
    type: cred.type,
    clientExtensionResults: jsonValue(
      typeof cred.getClientExtensionResults === "function" ? cred.getClientExtensionResults() : {},
    ),
  };
  if (cred.authenticatorAttachment) {
    out.authenticatorAttachment = cred.authenticatorAttachment;
  }
  out.response.clientDataJSON = base64urlEncode(r.clientDataJSON);
  if (r.attestationObject !== undefined) {
    // AuthenticatorAttestationResponseJSON
    let authData = null;
    let parsedAuthData = null;
    const attestation = () => {
      if (!authData) {
        const object = cborDecode(toBytes(r.attestationObject));
        authData = object.get("authData");
        if (!(authData instanceof Uint8Array)) {
          throw new TypeError("the attestation object has no authData");
        }
      }
      return authData;
    };
    const coseKey = () => {
      parsedAuthData ??= credentialPublicKey(attestation());
      return parsedAuthData;
    };
    out.response.authenticatorData = base64urlEncode(
      typeof r.getAuthenticatorData === "function" ? r.getAuthenticatorData() : attestation(),
    );
    out.response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    if (typeof r.getPublicKey === "function") {
      const spki = r.getPublicKey();
      if (spki) {
        out.response.publicKey = base64urlEncode(spki);
      }
    }
    out.response.publicKeyAlgorithm =
      typeof r.getPublicKeyAlgorithm === "function" ? r.getPublicKeyAlgorithm() : coseKey().get(3);
    out.response.attestationObject = base64urlEncode(r.attestationObject);
  } else {
    // AuthenticatorAssertionResponseJSON
    out.response.authenticatorData = base64urlEncode(r.authenticatorData);
    out.response.signature = base64urlEncode(r.signature);
    if (r.userHandle) {
      out.response.userHandle = base64urlEncode(r.userHandle);
    }
  }
  return out;
}

/**
 * The COSE public key inside authenticator data with attested credential data (WebAuthn L3
 * §6.1: rpIdHash 32, flags 1, signCount 4, aaguid 16, credentialIdLength 2, credentialId, key).
 */
function credentialPublicKey(authData) {
  const AT = 0x40;
  if (authData.length < 55 || !(authData[32] & AT)) {
    throw new TypeError("the authenticator data holds no credential public key");
  }
  const idLength = (authData[53] << 8) | authData[54];
  const key = cborDecodeFirst(authData, 55 + idLength).value;
  if (!(key instanceof Map)) {
    throw new TypeError("the credential public key is not a COSE key");
  }
  return key;
}

/** Decodes one CBOR item (RFC 8949) that fills `bytes`: enough for attestation objects. */
function cborDecode(bytes) {
  const { value, end } = cborDecodeFirst(bytes, 0);
  if (end !== bytes.length) {
    throw new TypeError("trailing bytes after CBOR item");
  }
  return value;
}

/** Decodes the CBOR item at `offset`: maps become `Map`s, byte strings `Uint8Array`s. */
function cborDecodeFirst(bytes, offset) {
  let pos = offset;
  const need = (n) => {
    if (pos + n > bytes.length) {
      throw new TypeError("truncated CBOR");
    }
  };
  const read = () => {
    need(1);
    const initial = bytes[pos++];
    const major = initial >> 5;
    const info = initial & 0x1f;
    let arg;
    if (info < 24) {
      arg = info;
    } else if (info <= 27) {
      const n = 1 << (info - 24);
      need(n);
      if (major === 7 && n > 1) {
        // A half, single or double float.
        const view = new DataView(bytes.buffer, bytes.byteOffset + pos, n);
        pos += n;
        return n === 2
          ? halfFloat(view.getUint16(0))
          : n === 4
            ? view.getFloat32(0)
            : view.getFloat64(0);
      }
      arg = 0;
      for (let i = 0; i < n; i++) {
        arg = arg * 256 + bytes[pos++];
      }
    } else {
      throw new TypeError("indefinite-length or reserved CBOR is not supported here");
    }
    switch (major) {
      case 0:
        return arg;
      case 1:
        return -1 - arg;
      case 2: {
        need(arg);
        const value = bytes.slice(pos, pos + arg);
        pos += arg;
        return value;
      }
      case 3: {
        need(arg);
        const value = new TextDecoder().decode(bytes.subarray(pos, pos + arg));
        pos += arg;
        return value;
      }
      case 4: {
        const items = [];
        for (let i = 0; i < arg; i++) {
          items.push(read());
        }
        return items;
      }
      case 5: {
        const map = new Map();
        for (let i = 0; i < arg; i++) {
          const k = read();
          map.set(k, read());
        }
        return map;
      }
      case 6:
        return read(); // a tag: its content is what matters here
      default:
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22 || info === 23) return null;
        return arg;
    }
  };
  const value = read();
  return { value, end: pos };
}

/** An IEEE 754 half-precision float (RFC 8949 Appendix D). */
function halfFloat(half) {
  const exp = (half >> 10) & 0x1f;
  const mant = half & 0x3ff;
  const value =
    exp === 0
      ? mant * 2 ** -24
      : exp !== 31
        ? (mant + 1024) * 2 ** (exp - 25)
        : mant === 0
          ? Infinity
          : NaN;
  return half & 0x8000 ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Browser capabilities

function publicKeyCredential() {
  return typeof globalThis.PublicKeyCredential === "function"
    ? globalThis.PublicKeyCredential
    : null;
}

function webAuthnAvailable() {
  return (
    publicKeyCredential() !== null &&
    typeof navigator !== "undefined" &&
    !!navigator.credentials &&
    typeof navigator.credentials.create === "function" &&
    typeof navigator.credentials.get === "function"
  );
}

function parseCreation(json) {
  const PKC = publicKeyCredential();
  if (PKC && typeof PKC.parseCreationOptionsFromJSON === "function") {
    return PKC.parseCreationOptionsFromJSON(unwrapOptions(json));
  }
  return creationOptionsFromJSON(json);
}

function parseRequest(json) {
  const PKC = publicKeyCredential();
  if (PKC && typeof PKC.parseRequestOptionsFromJSON === "function") {
    return PKC.parseRequestOptionsFromJSON(unwrapOptions(json));
  }
  return requestOptionsFromJSON(json);
}

function toJSON(cred) {
  return typeof cred.toJSON === "function" ? cred.toJSON() : credentialToJSON(cred);
}

/** Maps a `navigator.credentials` failure to a LatchkeyError. */
function webAuthnError(err, signal) {
  if (err instanceof LatchkeyError) {
    return err;
  }
  const name = err && err.name;
  if (signal?.aborted || name === "NotAllowedError" || name === "AbortError") {
    return new LatchkeyError("cancelled", "the passkey prompt was dismissed or cancelled", {
      cause: err,
    });
  }
  if (name === "InvalidStateError") {
    return new LatchkeyError(
      "credential_exists",
      "this authenticator already holds a passkey for this account",
      { cause: err },
    );
  }
  if (name === "SecurityError") {
    return new LatchkeyError(
      "security_error",
      `the browser refused the request for this page's origin: ${err.message}`,
      { cause: err },
    );
  }
  if (name === "NotSupportedError") {
    return new LatchkeyError("not_supported", `the browser cannot do this: ${err.message}`, {
      cause: err,
    });
  }
  return new LatchkeyError(
    "webauthn_error",
    `the browser's passkey call failed: ${err?.message ?? err}`,
    {
      cause: err,
    },
  );
}

/** The WebAuthn user handle of a Latchkey user: the 16 bytes of the user's UUID, base64url. */
function userHandleOf(userId) {
  const hex = String(userId).replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) {
    return null;
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return base64urlEncode(bytes);
}

// ---------------------------------------------------------------------------------------------
// The client

/**
 * The page's pending autofill request (of any client), aborted when a modal ceremony starts:
 * browsers refuse a modal `create()`/`get()` while a conditional one is pending.
 * @type {AbortController|null}
 */
let autofill = null;

/**
 * Creates a client for one app of a Latchkey server.
 *
 * @param {{baseUrl: string, app: string}} options `baseUrl` is the server's public URL
 *   (e.g. `https://auth.example.com`), `app` the app id.
 * @returns {LatchkeyClient}
 */
export function Latchkey({ baseUrl, app } = {}) {
  if (typeof baseUrl !== "string" || baseUrl === "") {
    throw new TypeError("Latchkey: baseUrl is required, e.g. https://auth.example.com");
  }
  if (typeof app !== "string" || app === "") {
    throw new TypeError("Latchkey: app (the app id) is required");
  }
  const root = `${baseUrl.replace(/\/+$/, "")}/apps/${encodeURIComponent(app)}`;
  let configPromise = null;

  /**
   * One call to the browser API. Resolves to the parsed JSON body (or `null` for 204).
   * @param {string} method
   * @param {string} path after `/apps/{app}`
   * @param {object} [body]
   * @param {AbortSignal} [signal]
   */
  async function request(method, path, body, signal) {
    const headers = { accept: "application/json, application/problem+json" };
    const init = { method, credentials: "include", headers, signal };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(root + path, init);
    } catch (err) {
      if (signal?.aborted || err?.name === "AbortError") {
        throw new LatchkeyError("cancelled", "the request was aborted", { cause: err });
      }
      throw new LatchkeyError(
        "network_error",
        `could not reach the Latchkey server: ${err?.message ?? err}`,
        {
          cause: err,
        },
      );
    }
    const type = response.headers.get("content-type") || "";
    let payload = null;
    if (response.status !== 204) {
      const text = await response.text().catch(() => "");
      if (text !== "" && /json/i.test(type)) {
        try {
          payload = JSON.parse(text);
        } catch (err) {
          throw new LatchkeyError(
            "invalid_response",
            `the server's ${response.status} answer is not valid JSON`,
            {
              status: response.status,
              cause: err,
            },
          );
        }
      }
    }
    if (!response.ok) {
      if (payload && typeof payload === "object" && typeof payload.code === "string") {
        const detail = payload.detail || payload.title || `HTTP ${response.status}`;
        throw new LatchkeyError(payload.code, detail, {
          status: response.status,
          detail,
          problem: payload,
        });
      }
      throw new LatchkeyError(
        response.status === 401 ? "unauthorized" : "http_error",
        `the server answered ${response.status} ${response.statusText}`.trim(),
        { status: response.status },
      );
    }
    if (response.status !== 204 && (payload === null || typeof payload !== "object")) {
      throw new LatchkeyError(
        "invalid_response",
        `the server's ${response.status} answer is not JSON`,
        {
          status: response.status,
        },
      );
    }
    return payload;
  }

  /** The app's public configuration, fetched once (again after a failure). */
  function config() {
    if (!configPromise) {
      configPromise = request("GET", "/config").catch((err) => {
        configPromise = null;
        throw err;
      });
    }
    return configPromise;
  }

  /** Runs a Signal API call if the browser has it; never fails. */
  async function hint(name, build) {
    try {
      const PKC = publicKeyCredential();
      if (!PKC || typeof PKC[name] !== "function") {
        return;
      }
      const { rp_id: rpId } = await config();
      const args = await build(rpId);
      if (args) {
        await PKC[name](args);
      }
    } catch {
      // A hint to the passkey provider: its failure changes nothing for the caller.
    }
  }

  function signalUnknown(err) {
    const credentialId = err?.problem?.unknown_credential?.credential_id;
    if (typeof credentialId !== "string") {
      return Promise.resolve();
    }
    return hint("signalUnknownCredential", (rpId) => ({ rpId, credentialId }));
  }

  function signalUser(user) {
    const userId = userHandleOf(user.id);
    if (!userId) {
      return Promise.resolve();
    }
    const name = user.email || user.display_name || `user-${String(user.id).split("-")[0]}`;
    const displayName = user.display_name || user.email || "";
    return hint("signalCurrentUserDetails", (rpId) => ({ rpId, userId, name, displayName }));
  }

  function requireWebAuthn() {
    if (!webAuthnAvailable()) {
      throw new LatchkeyError("not_supported", "this browser does not support passkeys (WebAuthn)");
    }
  }

  /** A modal ceremony takes over from a pending autofill request. */
  function cancelAutofill() {
    if (autofill) {
      autofill.abort(new DOMException("a modal passkey request started", "AbortError"));
      autofill = null;
    }
  }

  /**
   * A sign-in call's answer: the sign-in result, or, when the app asks for a second factor,
   * the rejection that carries what finishing needs.
   */
  function signedIn(payload) {
    if (payload && payload.mfa_required === true) {
      const err = new LatchkeyError(
        "mfa_required",
        "this sign-in needs a second factor: finish it with completeSignIn or completeSignInWithPasskey",
        { status: 200 },
      );
      err.mfa = { mfaToken: payload.mfa_token, factors: payload.factors };
      throw err;
    }
    return payload;
  }

  /** options → create → verify. */
  async function register(optionsBody, name) {
    requireWebAuthn();
    cancelAutofill();
    const options = await request("POST", "/passkeys/register/options", optionsBody);
    let credential;
    try {
      credential = await navigator.credentials.create({ publicKey: parseCreation(options) });
    } catch (err) {
      throw webAuthnError(err);
    }
    if (!credential) {
      throw new LatchkeyError("cancelled", "no passkey was created");
    }
    const json = toJSON(credential);
    if (name !== undefined) {
      json.name = name;
    }
    return signedIn(await request("POST", "/passkeys/register/verify", json));
  }

  /** options → get → verify, telling the provider about passkeys the server does not know. */
  async function authenticate(optionsBody, mediation, signal) {
    const options = await request("POST", "/passkeys/authenticate/options", optionsBody, signal);
    let credential;
    try {
      const publicKey = parseRequest(options);
      credential = await navigator.credentials.get(
        mediation ? { mediation, publicKey, signal } : { publicKey, signal },
      );
    } catch (err) {
      throw webAuthnError(err, signal);
    }
    if (!credential) {
      throw new LatchkeyError("cancelled", "no passkey was chosen");
    }
    try {
      return signedIn(await request("POST", "/passkeys/authenticate/verify", toJSON(credential)));
    } catch (err) {
      await signalUnknown(err);
      throw err;
    }
  }

  /** @type {LatchkeyClient} */
  const client = {
    /**
     * Signs up with a new passkey: creates the account for `email` and signs in.
     * Rejects with `conflict` when that email already has an account.
     * @param {{email?: string, displayName?: string}} [args]
     * @returns {Promise<SignInResult>}
     */
    async signUp({ email, displayName } = {}) {
      return register({ email, display_name: displayName });
    },

    /**
     * Signs in with a passkey through the browser's modal prompt: username-less without
     * `email`, or restricted to that account's passkeys with it.
     * @param {{email?: string}} [args]
     * @returns {Promise<SignInResult>}
     */
    async signIn({ email } = {}) {
      requireWebAuthn();
      cancelAutofill();
      return authenticate(email === undefined ? {} : { email });
    },

    /**
     * Starts passkey autofill (conditional mediation): resolves once the person picks a passkey
     * from the autofill menu of an `<input autocomplete="username webauthn">` on the page.
     * Abort it through `signal`, which rejects with `cancelled`; a modal `signIn`, `signUp` or
     * `addPasskey` cancels it too. Rejects with `not_supported` where autofill is unavailable.
     * @param {{signal?: AbortSignal}} [args]
     * @returns {Promise<SignInResult>}
     */
    async signInWithAutofill({ signal } = {}) {
      requireWebAuthn();
      if (!(await client.isAutofillSupported())) {
        throw new LatchkeyError(
          "not_supported",
          "this browser does not offer passkeys in autofill",
        );
      }
      if (signal?.aborted) {
        throw new LatchkeyError("cancelled", "the autofill request was aborted before it started", {
          cause: signal.reason,
        });
      }
      cancelAutofill();
      const controller = new AbortController();
      const forward = () => controller.abort(signal.reason);
      signal?.addEventListener("abort", forward, { once: true });
      autofill = controller;
      try {
        return await authenticate({}, "conditional", controller.signal);
      } finally {
        signal?.removeEventListener("abort", forward);
        if (autofill === controller) {
          autofill = null;
        }
      }
    },

    /**
     * Adds a passkey to the signed-in account, optionally naming it (else the server names it
     * after its provider). Resolves to a fresh sign-in result.
     * @param {{name?: string}} [args]
     * @returns {Promise<SignInResult>}
     */
    async addPasskey({ name } = {}) {
      return register({}, name);
    },

    /**
     * The signed-in user's passkeys.
     * @returns {Promise<Passkey[]>}
     */
    async listPasskeys() {
      const page = await request("GET", "/passkeys");
      return page.items;
    },

    /**
     * Renames one of the signed-in user's passkeys.
     * @param {string} id the passkey's id (its credential id)
     * @param {string} name the new name, 1 to 64 characters
     * @returns {Promise<Passkey>}
     */
    async renamePasskey(id, name) {
      return request("PATCH", `/passkeys/${encodeURIComponent(id)}`, { name });
    },

    /**
     * Deletes one of the signed-in user's passkeys, then tells the passkey provider which of
     * the user's passkeys remain (Signal API), so it can hide the deleted one.
     * @param {string} id the passkey's id (its credential id)
     * @returns {Promise<void>}
     */
    async deletePasskey(id) {
      await request("DELETE", `/passkeys/${encodeURIComponent(id)}`);
      await hint("signalAllAcceptedCredentials", async (rpId) => {
        const [me, remaining] = await Promise.all([
          request("GET", "/me"),
          request("GET", "/passkeys"),
        ]);
        const userId = userHandleOf(me.id);
        return (
          userId && { rpId, userId, allAcceptedCredentialIds: remaining.items.map((p) => p.id) }
        );
      });
    },

    /**
     * The applications (OAuth clients of the app's OpenID Provider) the signed-in user
     * allowed, newest first.
     * @returns {Promise<Array<{client_id: string, client_name: string, scopes: string[], created_at: string, updated_at: string}>>}
     */
    async listConsents() {
      const page = await request("GET", "/consents");
      return page.items;
    },

    /**
     * Withdraws an application's access: its consent goes and its sessions of this user end.
     * @param {string} clientId
     */
    async revokeConsent(clientId) {
      await request("DELETE", `/consents/${encodeURIComponent(clientId)}`);
    },

    /**
     * Emails a 6-digit code and a magic link to `email`. The answer is the same whether or not
     * the address has an account.
     * @param {{email: string, purpose: "sign_in"|"sign_up"|"verify_email"}} args
     * @returns {Promise<{expires_in: number}>}
     */
    async sendEmailCode({ email, purpose } = {}) {
      return request("POST", "/otp/email", { email, purpose });
    },

    /**
     * Whether the link of this browser's last `sendEmailCode` was confirmed on another device:
     * `{status: "pending"}`, `{status: "over"}` (used, replaced or expired), or, once confirmed
     * there, the sign-in result (this browser is then signed in).
     * @returns {Promise<SignInResult | {status: "pending" | "over"}>}
     */
    async emailLinkStatus() {
      return request("POST", "/otp/email/status", {});
    },

    /**
     * Waits while the person opens the emailed link on another device and confirms it there:
     * resolves to the sign-in result, or `null` once the request is over (used, replaced or
     * expired). Checks every `interval` milliseconds until `signal` aborts. The code in the
     * same email stays the way in meanwhile.
     * @param {{signal?: AbortSignal, interval?: number}} [args]
     * @returns {Promise<SignInResult | null>}
     */
    async waitForEmailLink({ signal, interval = 3000 } = {}) {
      for (;;) {
        if (signal && signal.aborted) throw new LatchkeyError("cancelled", "stopped waiting");
        const answer = await request("POST", "/otp/email/status", {}, signal);
        if (answer && (answer.access_token || answer.mfa_required)) return signedIn(answer);
        if (!answer || answer.status === "over") return null;
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, interval);
          if (signal) signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    },

    /**
     * Signs in with the code from the email.
     * @param {{email: string, code: string}} args
     * @returns {Promise<SignInResult>}
     */
    async signInWithEmailCode({ email, code } = {}) {
      return signedIn(await request("POST", "/sessions", { method: "email_otp", email, code }));
    },

    /**
     * Finishes a sign-in that rejected with `mfa_required`, with a code from the person's
     * authenticator app (`method: "totp"`) or one of their backup codes (`"backup_code"`).
     * Five wrong codes end that sign-in (`invalid_code` with `attempts_left: 0`).
     * @param {{mfaToken: string, method: "totp"|"backup_code", code: string}} args
     * @returns {Promise<SignInResult>}
     */
    async completeSignIn({ mfaToken, method, code } = {}) {
      return signedIn(
        await request("POST", "/sessions", { method, mfa_token: mfaToken, code }),
      );
    },

    /**
     * Finishes a sign-in that rejected with `mfa_required` with one of the account's passkeys
     * (when `factors` lists `passkey`).
     * @param {{mfaToken: string}} args
     * @returns {Promise<SignInResult>}
     */
    async completeSignInWithPasskey({ mfaToken } = {}) {
      requireWebAuthn();
      cancelAutofill();
      return authenticate({ mfa_token: mfaToken });
    },

    /**
     * Finishes a sign-in that rejected with `mfa_required` and no `factors` (the app requires a
     * second factor and the account has none): a passkey made now on this device is it.
     * @param {{mfaToken: string, name?: string}} args
     * @returns {Promise<SignInResult>}
     */
    async finishSignInWithNewPasskey({ mfaToken, name } = {}) {
      return register({ mfa_token: mfaToken }, name);
    },

    /**
     * The signed-in user's second factors and how many backup codes are left.
     * @returns {Promise<{items: Array<{id: string, type: "totp", name: string, created_at: string, last_used_at: string|null}>, backup_codes_remaining: number}>}
     */
    async listFactors() {
      return request("GET", "/mfa/factors");
    },

    /**
     * Starts enrolling an authenticator app: its secret, `otpauth://` URI and QR code (SVG).
     * The factor stays pending until `verifyTotp` receives a first code from the app.
     * @param {{name?: string}} [args]
     * @returns {Promise<{id: string, secret: string, otpauth_uri: string, qr_svg: string}>}
     */
    async enrollTotp({ name } = {}) {
      return request("POST", "/mfa/totp", name === undefined ? {} : { name });
    },

    /**
     * Activates a pending authenticator app with a code it shows. The user's first factor
     * also returns ten backup codes, shown this once.
     * @param {string} id the pending factor's id
     * @param {string} code
     */
    async verifyTotp(id, code) {
      return request("POST", `/mfa/totp/${encodeURIComponent(id)}/verify`, { code });
    },

    /**
     * Removes one of the signed-in user's factors (needs a recent sign-in).
     * @param {string} id
     * @returns {Promise<void>}
     */
    async removeFactor(id) {
      await request("DELETE", `/mfa/factors/${encodeURIComponent(id)}`);
    },

    /**
     * A new set of ten backup codes, shown this once; the old set stops working (needs a
     * recent sign-in).
     * @returns {Promise<string[]>}
     */
    async regenerateBackupCodes() {
      const answer = await request("POST", "/mfa/backup-codes");
      return answer.backup_codes;
    },

    /**
     * Proves it is the signed-in user again with an authenticator-app or backup code: the
     * session goes on, authenticated now (what `reauthentication_required` asks for).
     * @param {{method: "totp"|"backup_code", code: string}} args
     * @returns {Promise<SignInResult>}
     */
    async reauthenticate({ method, code } = {}) {
      return request("POST", "/sessions/current/reauthenticate", { method, code });
    },

    /**
     * Proves it is the signed-in user again with one of their passkeys: the session goes on,
     * authenticated now.
     * @returns {Promise<SignInResult>}
     */
    async reauthenticateWithPasskey() {
      requireWebAuthn();
      cancelAutofill();
      return authenticate({});
    },

    /**
     * The signed-in user's organizations, with their roles in each.
     * @returns {Promise<Membership[]>}
     */
    async listOrganizations() {
      const answer = await request("GET", "/me/organizations");
      return answer.items;
    },

    /**
     * Acts for one of the signed-in user's organizations (`null`: for none). The session goes
     * on with new tokens that carry the organization, its roles and permissions; rejects with
     * `forbidden` for an organization the user is not a member of.
     * @param {string | null} orgId
     * @returns {Promise<SignInResult>}
     */
    async switchOrganization(orgId) {
      return request("POST", "/sessions/current/organization", { org_id: orgId ?? null });
    },

    /**
     * Accepts an invitation to an organization for the signed-in user, who must be signed in
     * with the invited address. `token` is the `token` of the invitation link's query.
     * @param {string} token
     * @returns {Promise<Membership>}
     */
    async acceptInvitation(token) {
      return request("POST", `/invitations/${encodeURIComponent(token)}/accept`);
    },

    /**
     * What the signed-in user may do now: the session's organization, their roles there and
     * app-wide, and the union of those roles' permissions.
     * @returns {Promise<Access>}
     */
    async permissions() {
      return request("GET", "/sessions/current/permissions");
    },

    /**
     * The signed-in user and session, or `null` when no one is signed in. Also tells the
     * passkey provider the user's current name (Signal API).
     * @returns {Promise<CurrentSession | null>}
     */
    async session() {
      let current;
      try {
        current = await request("GET", "/sessions/current");
      } catch (err) {
        if (err instanceof LatchkeyError && err.status === 401) {
          return null;
        }
        throw err;
      }
      if (current?.user) {
        await signalUser(current.user);
      }
      return current;
    },

    /**
     * Refreshes the session behind the cookie: a new access token and refresh token. Where the
     * browser has Web Locks, one refresh runs at a time across this origin's tabs, so tabs never
     * race each other's rotation.
     * @returns {Promise<SignInResult>}
     */
    async refresh() {
      const run = () => request("POST", "/sessions/refresh", {});
      const locks = globalThis.navigator?.locks;
      if (locks?.request) {
        return locks.request(`latchkey refresh ${root}`, run);
      }
      return run();
    },

    /**
     * Signs out: ends the session and clears the cookie. Signing out twice is not an error.
     * @returns {Promise<void>}
     */
    async signOut() {
      await request("DELETE", "/sessions/current");
    },

    /**
     * Whether this browser can use passkeys at all (WebAuthn is present and the page is a
     * secure context).
     * @returns {boolean}
     */
    isPasskeySupported() {
      return webAuthnAvailable() && globalThis.isSecureContext !== false;
    },

    /**
     * Whether this browser offers passkeys in form autofill (conditional mediation).
     * @returns {Promise<boolean>}
     */
    async isAutofillSupported() {
      const PKC = publicKeyCredential();
      if (!webAuthnAvailable() || typeof PKC.isConditionalMediationAvailable !== "function") {
        return false;
      }
      try {
        return (await PKC.isConditionalMediationAvailable()) === true;
      } catch {
        return false;
      }
    },
  };
  return client;
}

export default Latchkey;
