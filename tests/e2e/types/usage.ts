// Compiled (never run) by types.test.mjs with `tsc --strict`: how an app uses the SDK, checked
// against sdk/js/latchkey.d.ts. Each `@ts-expect-error` is a misuse the declarations must refuse.

import Latchkey, {
  Latchkey as NamedLatchkey,
  LatchkeyError,
  base64urlDecode,
  base64urlEncode,
  creationOptionsFromJSON,
  credentialToJSON,
  requestOptionsFromJSON,
  type CurrentSession,
  type LatchkeyClient,
  type Passkey,
  type Session,
  type SignInResult,
  type User,
} from "../../../sdk/js/latchkey.js";

const lk: LatchkeyClient = Latchkey({ baseUrl: "https://auth.example.com", app: "shop" });
const same: typeof Latchkey = NamedLatchkey;
void same;

// @ts-expect-error the app id is required
Latchkey({ baseUrl: "https://auth.example.com" });

async function flows(): Promise<void> {
  const up: SignInResult = await lk.signUp({ email: "jdoe@example.com", displayName: "J. Doe" });
  const user: User = up.user;
  const session: Session = up.session;
  const email: string | null = user.email;
  const amr: string[] = session.amr;
  const bearer: "Bearer" = up.token_type;
  const seconds: number = up.expires_in;
  void [email, amr, bearer, seconds, up.access_token, up.refresh_token, up.auth_token];

  await lk.signIn();
  await lk.signIn({ email: "jdoe@example.com" });
  const controller = new AbortController();
  await lk.signInWithAutofill({ signal: controller.signal });
  await lk.signInWithAutofill();
  await lk.addPasskey({ name: "Work laptop" });

  const passkeys: Passkey[] = await lk.listPasskeys();
  const first = passkeys[0];
  const renamed: Passkey = await lk.renamePasskey(first.id, "Phone");
  const flags: boolean[] = [renamed.backup_eligible, renamed.backup_state, renamed.user_verified];
  const lastUsed: string | null = renamed.last_used_at;
  void [flags, lastUsed];
  const deleted: void = await lk.deletePasskey(first.id);
  void deleted;

  const sent: { expires_in: number } = await lk.sendEmailCode({
    email: "a@b.co",
    purpose: "sign_in",
  });
  void sent;
  // @ts-expect-error not a purpose
  await lk.sendEmailCode({ email: "a@b.co", purpose: "login" });
  await lk.signInWithEmailCode({ email: "a@b.co", code: "123456" });
  // @ts-expect-error the code is required
  await lk.signInWithEmailCode({ email: "a@b.co" });

  const current: CurrentSession | null = await lk.session();
  // @ts-expect-error session() may be null
  current.user;
  if (current) {
    const isCurrent: boolean = current.session.current;
    void isCurrent;
  }
  const refreshed: SignInResult = await lk.refresh();
  void refreshed;
  await lk.signOut();
  const supported: boolean = lk.isPasskeySupported();
  const autofill: boolean = await lk.isAutofillSupported();
  void [supported, autofill];
  // @ts-expect-error renamePasskey needs the new name
  await lk.renamePasskey(first.id);
}

function errors(e: unknown): string | undefined {
  if (e instanceof LatchkeyError) {
    const status: number = e.status;
    const detail: string = e.detail;
    const problemCode: string | undefined = e.problem?.code;
    const left: number | undefined = e.problem?.attempts_left;
    const unknown: string | undefined = e.problem?.unknown_credential?.credential_id;
    void [status, detail, problemCode, left, unknown];
    if (e.code === "cancelled" || e.code === "conflict") return e.code;
    const asError: Error = e;
    return asError.message;
  }
  return undefined;
}

function helpers(cred: PublicKeyCredential): void {
  const text: string = base64urlEncode(new Uint8Array([1, 2, 3]));
  const bytes: ArrayBuffer = base64urlDecode(text);
  base64urlEncode(bytes);
  // @ts-expect-error strings are not bytes
  base64urlEncode("text");
  const create: PublicKeyCredentialCreationOptions = creationOptionsFromJSON({
    publicKey: {
      challenge: "AAEC",
      rp: { id: "localhost", name: "x" },
      user: { id: "AQID", name: "n", displayName: "d" },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    },
  });
  const get: PublicKeyCredentialRequestOptions = requestOptionsFromJSON({ challenge: "AAEC" });
  const json = credentialToJSON(cred);
  const id: string = json.id;
  const clientData: string = json.response.clientDataJSON;
  void [create, get, id, clientData];
}

async function secondFactor(lk: LatchkeyClient, code: string): Promise<string> {
  try {
    return (await lk.signInWithEmailCode({ email: "a@example.com", code })).user.id;
  } catch (e) {
    if (!(e instanceof LatchkeyError) || e.code !== "mfa_required" || !e.mfa) throw e;
    const { mfaToken, factors } = e.mfa;
    if (factors.includes("passkey")) {
      return (await lk.completeSignInWithPasskey({ mfaToken })).user.id;
    }
    if (factors.length === 0) {
      return (await lk.finishSignInWithNewPasskey({ mfaToken })).user.id;
    }
    const done = await lk.completeSignIn({ mfaToken, method: "totp", code: "123456" });
    // @ts-expect-error a passkey is not a code
    await lk.completeSignIn({ mfaToken, method: "passkey", code: "x" });
    return done.session.amr.includes("totp") ? done.user.id : "";
  }
}

async function factors(lk: LatchkeyClient): Promise<number> {
  const enrolled = await lk.enrollTotp({ name: "Phone" });
  const svg: string = enrolled.qr_svg;
  const active = await lk.verifyTotp(enrolled.id, "123456");
  const codes: string[] = active.backup_codes ?? (await lk.regenerateBackupCodes());
  const { items, backup_codes_remaining } = await lk.listFactors();
  await lk.removeFactor(items[0].id);
  await lk.reauthenticate({ method: "backup_code", code: codes[0] });
  await lk.reauthenticateWithPasskey();
  void svg;
  return backup_codes_remaining;
}

async function organizations(lk: LatchkeyClient): Promise<string[]> {
  const memberships = await lk.listOrganizations();
  const first: string = memberships[0].org_id;
  const result = await lk.switchOrganization(first);
  const active: string | null = result.session.org_id;
  await lk.switchOrganization(null);
  const joined = await lk.acceptInvitation("lk_inv_token");
  const access = await lk.permissions();
  // @ts-expect-error an organization id is a string
  await lk.switchOrganization(42);
  void active;
  return [...joined.roles, ...access.permissions];
}

void [flows, errors, helpers, secondFactor, factors, organizations];
