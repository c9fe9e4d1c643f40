/**
 * Latchkey browser SDK: passkey sign-up and sign-in (including autofill), passkey management,
 * email one-time codes and sessions, against a Latchkey server's browser API.
 *
 * Served by the server at `/sdk/latchkey.js`; these declarations at `/sdk/latchkey.d.ts`.
 */

/** RFC 3339 timestamp in UTC, e.g. `"2025-01-31T12:00:00Z"`. */
export type Timestamp = string;

/** A user of the app (API.md "Objects"). */
export interface User {
  id: string;
  email: string | null;
  email_verified: boolean;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  metadata: Record<string, unknown>;
  disabled: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_sign_in_at: Timestamp | null;
}

/** A WebAuthn authenticator transport, as the server reports it. */
export type PasskeyTransport = "ble" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb";

/** One of the user's passkeys. */
export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  name: string;
  /** The authenticator's AAGUID (UUID form), or `""` when it gave none. */
  aaguid: string;
  transports: PasskeyTransport[];
  backup_eligible: boolean;
  backup_state: boolean;
  user_verified: boolean;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

/** How the user proved themselves. */
export type AuthMethod =
  | "passkey"
  | "mfa"
  | "otp"
  | "magic_link"
  | "totp"
  | "backup_code"
  | (string & {});

/** A signed-in session. */
export interface Session {
  id: string;
  user_id: string;
  amr: AuthMethod[];
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  /** Whether this is the session of the request that fetched it. */
  current: boolean;
  /** Set on a session an application signed in through the OpenID Provider: its client id. */
  client_id: string | null;
  /** That application's name, in lists of sessions. */
  client_name: string | null;
  /** The organization the session acts for (`switchOrganization`), if any. */
  org_id: string | null;
}

/** One of the signed-in user's organizations. */
export interface Membership {
  org_id: string;
  /** The organization's name. */
  name: string;
  /** The user's roles in the organization. */
  roles: string[];
  created_at: Timestamp;
}

/** What the signed-in user may do now (`permissions()`). */
export interface Access {
  /** The session's organization, if it acts for one. */
  org_id: string | null;
  /** App-wide roles, plus the organization's roles while it is active. */
  roles: string[];
  /** The union of those roles' permissions. */
  permissions: string[];
}

/** An application (an OAuth client) the user allowed to use their account. */
export interface Consent {
  client_id: string;
  client_name: string;
  /** What it may have: `openid`, `profile`, `email`, `offline_access`. */
  scopes: string[];
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** What every successful sign-in (and `refresh()`, and `addPasskey()`) resolves to. */
export interface SignInResult {
  user: User;
  session: Session;
  /** A JWT signed with the app's key; verifiable offline with the app's JWKS. */
  access_token: string;
  token_type: "Bearer";
  /** Seconds until `access_token` expires. */
  expires_in: number;
  refresh_token: string;
  /** Single use, five minutes: hand it to the app's backend, which redeems it once. */
  auth_token: string;
}

/** `session()`: the current user and session. */
/** A second factor that can finish a held-back sign-in. */
export type SecondFactor = "totp" | "backup_code" | "passkey";

/** A sign-in whose first factor held while the app asks for a second. */
export interface SecondFactorChallenge {
  /** Five minutes, single use. */
  mfaToken: string;
  /** The factors this user can finish with; empty: make a passkey (`finishSignInWithNewPasskey`). */
  factors: SecondFactor[];
}

/** A second factor of the signed-in user. */
export interface Factor {
  id: string;
  type: "totp";
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface Factors {
  items: Factor[];
  backup_codes_remaining: number;
}

/** An authenticator app being enrolled: what it needs to scan. */
export interface TotpEnrollment {
  id: string;
  /** base32 */
  secret: string;
  otpauth_uri: string;
  /** An SVG document. */
  qr_svg: string;
}

export interface CurrentSession {
  user: User;
  session: Session;
}

export type EmailCodePurpose = "sign_in" | "sign_up" | "verify_email";

/** RFC 9457 problem details, as the server sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  /** With `invalid_code`: wrong tries the code still survives. */
  attempts_left?: number;
  /** With `rate_limited`: seconds to wait. */
  retry_after?: number;
  /** With `invalid_credential` for a passkey the server does not know. */
  unknown_credential?: { credential_id: string };
  [extension: string]: unknown;
}

/** Error codes the SDK itself produces (besides the server's problem codes). */
export type LatchkeyClientErrorCode =
  /** The person dismissed the browser's passkey prompt, or the caller aborted. */
  | "cancelled"
  /** The server could not be reached. */
  | "network_error"
  /** No WebAuthn (or no autofill) in this browser. */
  | "not_supported"
  /** The authenticator already holds a passkey for this account (`InvalidStateError`). */
  | "credential_exists"
  /** The browser refused the page's origin for the relying party (`SecurityError`). */
  | "security_error"
  /** Any other failure of `navigator.credentials`. */
  | "webauthn_error"
  /** The server answered something that is not the expected JSON. */
  | "invalid_response"
  /** A non-2xx answer without a problem body. */
  | "http_error"
  /** The app asks for a second factor: `mfa` says how to finish the sign-in. */
  | "mfa_required";

/** Problem codes of API.md. */
export type LatchkeyServerErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "challenge_expired"
  | "invalid_credential"
  | "invalid_code"
  | "origin_not_allowed"
  | "link_other_browser"
  | "reauthentication_required";

export type LatchkeyErrorCode = LatchkeyClientErrorCode | LatchkeyServerErrorCode | (string & {});

/** A failed Latchkey call. */
export class LatchkeyError extends Error {
  constructor(
    code: string,
    message: string,
    extra?: { status?: number; detail?: string; problem?: Problem | null; cause?: unknown },
  );
  readonly name: "LatchkeyError";
  /** The server's problem `code`, or one of the SDK's own. */
  code: LatchkeyErrorCode;
  /** HTTP status; 0 when no response was involved. */
  status: number;
  /** A human-readable sentence. */
  detail: string;
  /** The whole problem-details body; `null` when there was none. */
  problem: Problem | null;
  /** With `mfa_required`: what finishing the sign-in needs. */
  mfa?: SecondFactorChallenge;
}

export interface LatchkeyOptions {
  /** The Latchkey server's public URL, e.g. `"https://auth.example.com"`. */
  baseUrl: string;
  /** The app id. */
  app: string;
}

/** A client for one app of a Latchkey server. */
export interface LatchkeyClient {
  /**
   * Signs up with a new passkey: creates the account for `email` and signs in.
   * Rejects with `conflict` when that email already has an account.
   */
  signUp(args?: { email?: string; displayName?: string }): Promise<SignInResult>;
  /** Signs in with a passkey: username-less without `email`, that account's passkeys with it. */
  signIn(args?: { email?: string }): Promise<SignInResult>;
  /**
   * Passkey autofill (conditional mediation) for an `<input autocomplete="username webauthn">`
   * on the page. Aborting `signal` — or starting a modal ceremony — rejects with `cancelled`.
   */
  signInWithAutofill(args?: { signal?: AbortSignal }): Promise<SignInResult>;
  /** Adds a passkey to the signed-in account; resolves to a fresh sign-in result. */
  addPasskey(args?: { name?: string }): Promise<SignInResult>;
  /** The signed-in user's passkeys. */
  listPasskeys(): Promise<Passkey[]>;
  /** Renames one of the signed-in user's passkeys (1 to 64 characters). */
  renamePasskey(id: string, name: string): Promise<Passkey>;
  /** Deletes one of the signed-in user's passkeys. */
  deletePasskey(id: string): Promise<void>;
  /** The applications the signed-in user allowed, newest first. */
  listConsents(): Promise<Consent[]>;
  /** Withdraws an application's access: its consent goes and its sessions of this user end. */
  revokeConsent(clientId: string): Promise<void>;
  /** Emails a 6-digit code and a magic link. */
  sendEmailCode(args: {
    email: string;
    purpose: EmailCodePurpose;
  }): Promise<{ expires_in: number }>;
  /** Signs in with the code from the email. */
  signInWithEmailCode(args: { email: string; code: string }): Promise<SignInResult>;
  /** Finishes a sign-in that rejected with `mfa_required`, with an authenticator-app or backup code. */
  completeSignIn(args: {
    mfaToken: string;
    method: "totp" | "backup_code";
    code: string;
  }): Promise<SignInResult>;
  /** Finishes a sign-in that rejected with `mfa_required` with one of the account's passkeys. */
  completeSignInWithPasskey(args: { mfaToken: string }): Promise<SignInResult>;
  /** Finishes a sign-in that rejected with `mfa_required` and no factors: a new passkey is the second. */
  finishSignInWithNewPasskey(args: { mfaToken: string; name?: string }): Promise<SignInResult>;
  /** The signed-in user's second factors and remaining backup codes. */
  listFactors(): Promise<Factors>;
  /** Starts enrolling an authenticator app (pending until `verifyTotp`). */
  enrollTotp(args?: { name?: string }): Promise<TotpEnrollment>;
  /** Activates a pending authenticator app; the first factor also returns ten backup codes. */
  verifyTotp(id: string, code: string): Promise<Factor & { backup_codes?: string[] }>;
  /** Removes a factor (needs a recent sign-in). */
  removeFactor(id: string): Promise<void>;
  /** A new set of ten backup codes; the old set dies (needs a recent sign-in). */
  regenerateBackupCodes(): Promise<string[]>;
  /** Re-authenticates the session with a code (what `reauthentication_required` asks for). */
  reauthenticate(args: { method: "totp" | "backup_code"; code: string }): Promise<SignInResult>;
  /** Re-authenticates the session with a passkey. */
  reauthenticateWithPasskey(): Promise<SignInResult>;
  /** The signed-in user's organizations, with their roles in each. */
  listOrganizations(): Promise<Membership[]>;
  /**
   * Acts for one of the user's organizations (`null`: none): the session goes on with new
   * tokens carrying it; rejects with `forbidden` for one the user is not a member of.
   */
  switchOrganization(orgId: string | null): Promise<SignInResult>;
  /** Accepts an emailed invitation (the link's `token`) for the signed-in user. */
  acceptInvitation(token: string): Promise<Membership>;
  /** What the signed-in user may do now. */
  permissions(): Promise<Access>;
  /**
   * Whether the link of this browser's last `sendEmailCode` was confirmed on another device:
   * pending, over (used, replaced or expired), or the sign-in result once confirmed there.
   */
  emailLinkStatus(): Promise<
    | SignInResult
    | { status: "pending" | "over" }
    | { mfa_required: true; mfa_token: string; factors: SecondFactor[] }
  >;
  /**
   * Waits while the emailed link is confirmed on another device: the sign-in result, or `null`
   * once the request is over. Checks every `interval` ms (default 3000) until `signal` aborts.
   */
  waitForEmailLink(args?: { signal?: AbortSignal; interval?: number }): Promise<SignInResult | null>;
  /** The signed-in user and session, or `null` when no one is signed in. */
  session(): Promise<CurrentSession | null>;
  /** New access and refresh tokens for the cookie's session. */
  refresh(): Promise<SignInResult>;
  /** Ends the session and clears the cookie. */
  signOut(): Promise<void>;
  /** Whether this browser can use passkeys at all. */
  isPasskeySupported(): boolean;
  /** Whether this browser offers passkeys in form autofill. */
  isAutofillSupported(): Promise<boolean>;
}

/** Creates a client for one app of a Latchkey server. */
export function Latchkey(options: LatchkeyOptions): LatchkeyClient;
export default Latchkey;

/** Bytes → base64url without padding. */
export function base64urlEncode(data: ArrayBuffer | ArrayBufferView): string;
/** base64url (padding optional) → bytes. Throws `TypeError` on anything else. */
export function base64urlDecode(text: string): ArrayBuffer;

/** JSON creation options (bare or as `{publicKey: …}`) → what `navigator.credentials.create` takes. */
export function creationOptionsFromJSON(
  json:
    PublicKeyCredentialCreationOptionsJSON | { publicKey: PublicKeyCredentialCreationOptionsJSON },
): PublicKeyCredentialCreationOptions;
/** JSON request options (bare or as `{publicKey: …}`) → what `navigator.credentials.get` takes. */
export function requestOptionsFromJSON(
  json:
    PublicKeyCredentialRequestOptionsJSON | { publicKey: PublicKeyCredentialRequestOptionsJSON },
): PublicKeyCredentialRequestOptions;
/** A credential from `create()`/`get()` → its JSON form, as `credential.toJSON()` makes it. */
export function credentialToJSON(
  credential: PublicKeyCredential,
): RegistrationResponseJSON | AuthenticationResponseJSON;

// WebAuthn Level 3 JSON forms, declared here so the SDK's types do not depend on the
// TypeScript DOM library version.

export type Base64URLString = string;

export interface PublicKeyCredentialDescriptorJSON {
  id: Base64URLString;
  type: "public-key";
  transports?: string[];
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id?: string; name: string };
  user: { id: Base64URLString; name: string; displayName: string };
  challenge: Base64URLString;
  pubKeyCredParams: { type: "public-key"; alg: number }[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: "platform" | "cross-platform";
    residentKey?: "discouraged" | "preferred" | "required";
    requireResidentKey?: boolean;
    userVerification?: "discouraged" | "preferred" | "required";
  };
  hints?: string[];
  attestation?: "none" | "indirect" | "direct" | "enterprise";
  attestationFormats?: string[];
  extensions?: Record<string, unknown>;
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: "discouraged" | "preferred" | "required";
  hints?: string[];
  extensions?: Record<string, unknown>;
}

export interface RegistrationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: "public-key";
  authenticatorAttachment?: "platform" | "cross-platform";
  clientExtensionResults: Record<string, unknown>;
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    transports: string[];
    /** Absent when the browser does not understand the key's algorithm. */
    publicKey?: Base64URLString;
    publicKeyAlgorithm: number;
    attestationObject: Base64URLString;
  };
}

export interface AuthenticationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: "public-key";
  authenticatorAttachment?: "platform" | "cross-platform";
  clientExtensionResults: Record<string, unknown>;
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    signature: Base64URLString;
    userHandle?: Base64URLString;
  };
}
