//! Passkeys: the WebAuthn registration and authentication ceremonies (WebAuthn L3 §7.1, §7.2),
//! through `webauthn_rp`, and the management of registered passkeys.
//!
//! Options calls store the library's server state under the challenge; verify calls find it by
//! the challenge inside `clientDataJSON`, verify with the library, and consume the challenge in
//! the same transaction that creates the session, so a challenge is good for exactly one
//! attempt, on any instance.

use serde::Deserialize;
use serde_json::{Value, json};
use webauthn_rp::bin::{Decode, Encode};
use webauthn_rp::request::auth::{
    AllowedCredential, AllowedCredentials, AuthenticationVerificationOptions,
};
use webauthn_rp::request::register::{
    CredProtect, Nickname, PublicKeyCredentialUserEntity, RegistrationVerificationOptions,
    UserHandle16, Username,
};
use webauthn_rp::request::{
    AsciiDomain, Credentials as _, PublicKeyCredentialDescriptor, RpId, UserVerificationRequirement,
};
use webauthn_rp::response::register::{DynamicState, StaticState};
use webauthn_rp::response::{AuthTransports, AuthenticatorTransport, Backup, CredentialId};
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication16, DiscoverableAuthenticationServerState,
    DiscoverableCredentialRequestOptions, NonDiscoverableAuthentication16,
    NonDiscoverableAuthenticationServerState, NonDiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration, RegistrationServerState,
};

use super::error::{Error, Result, conflict, invalid};
use super::session::{Principal, SignIn};
use super::user::parse_email;
use super::{Auth, RequestMeta, aaguid, commit, event};
use crate::auth::store::{
    self,
    apps::App,
    ceremonies::{Ceremony, CeremonyKind},
    passkeys::Passkey,
    users::User,
};
use crate::crypto::{b64url, from_b64url};

/// Challenges live five minutes.
pub const CEREMONY_TTL: i64 = 300;

/// `POST /passkeys/register/options`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterOptionsRequest {
    pub email: Option<String>,
    pub display_name: Option<String>,
}

/// `POST /passkeys/authenticate/options`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthenticateOptionsRequest {
    pub email: Option<String>,
}

fn rp_id(app: &App) -> Result<RpId> {
    AsciiDomain::try_from(app.rp_id.clone())
        .map(RpId::Domain)
        .map_err(|_| Error::Internal(format!("app {} has an unusable rp_id", app.id)))
}

fn uv_requirement(app: &App) -> UserVerificationRequirement {
    if app.user_verification == "required" {
        UserVerificationRequirement::Required
    } else {
        UserVerificationRequirement::Preferred
    }
}

/// The WebAuthn user handle of a user: the 16 bytes of their UUID id.
fn user_handle(user_id: &str) -> Result<UserHandle16> {
    let uuid = uuid::Uuid::parse_str(user_id)
        .map_err(|_| Error::Internal(format!("user id {user_id} is not a UUID")))?;
    Ok(UserHandle16::decode(*uuid.as_bytes()).unwrap_or_else(|e| match e {}))
}

/// The transports WebAuthn names, with their bit in `webauthn_rp`'s encoded `AuthTransports`.
const TRANSPORTS: [(AuthenticatorTransport, &str, u8); 6] = [
    (AuthenticatorTransport::Ble, "ble", 0x1),
    (AuthenticatorTransport::Hybrid, "hybrid", 0x2),
    (AuthenticatorTransport::Internal, "internal", 0x4),
    (AuthenticatorTransport::Nfc, "nfc", 0x8),
    (AuthenticatorTransport::SmartCard, "smart-card", 0x10),
    (AuthenticatorTransport::Usb, "usb", 0x20),
];

fn transports_to_strings(t: AuthTransports) -> Vec<String> {
    TRANSPORTS
        .iter()
        .filter(|(tr, _, _)| t.contains(*tr))
        .map(|(_, name, _)| (*name).to_owned())
        .collect()
}

/// The stored transport names back as the library's set (a hint for `allowCredentials`).
fn transports_from_strings(names: &[String]) -> AuthTransports {
    let bits = TRANSPORTS
        .iter()
        .filter(|(_, name, _)| names.iter().any(|n| n == name))
        .fold(0u8, |acc, (_, _, bit)| acc | bit);
    AuthTransports::decode(bits).unwrap_or_else(|_| {
        AuthTransports::decode(0).unwrap_or_else(|_| unreachable!("the empty set decodes"))
    })
}

fn bad_credential(what: &str) -> Error {
    Error::InvalidRequest(format!(
        "the body must be the PublicKeyCredential JSON from the browser: {what}"
    ))
}

/// The credential JSON a browser sent (`PublicKeyCredential.toJSON()`, plus our optional
/// `name`), parsed once. It is read only as far as routing needs; everything else is left to
/// the library's strict parser.
struct BrowserCredential(Value);

impl BrowserCredential {
    fn parse(body: &[u8]) -> Result<Self> {
        let value: Value =
            serde_json::from_slice(body).map_err(|_| bad_credential("it is not JSON"))?;
        if !value.is_object() {
            return Err(bad_credential("it is not an object"));
        }
        Ok(Self(value))
    }

    /// The challenge inside `clientDataJSON`, which names the ceremony.
    fn challenge(&self) -> Result<String> {
        let cdj = self
            .0
            .pointer("/response/clientDataJSON")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_credential("response.clientDataJSON is missing"))?;
        let cdj = from_b64url(cdj)
            .ok_or_else(|| bad_credential("response.clientDataJSON is not base64url"))?;
        let client_data: Value = serde_json::from_slice(&cdj)
            .map_err(|_| bad_credential("clientDataJSON is not JSON"))?;
        let challenge = client_data
            .get("challenge")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_credential("clientDataJSON has no challenge"))?;
        if challenge.is_empty()
            || challenge.len() > 128
            || !challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad_credential(
                "the challenge in clientDataJSON is not base64url",
            ));
        }
        Ok(challenge.to_owned())
    }

    /// The passkey name a registration may carry beside the credential.
    fn name(&self) -> Result<Option<String>> {
        match self.0.get("name") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(name)) => check_passkey_name(name).map(Some),
            Some(_) => invalid("name must be a string"),
        }
    }

    /// The user-verified flag of the authenticator data sent (trusted only once verified).
    fn user_verified(&self) -> bool {
        self.0
            .pointer("/response/authenticatorData")
            .and_then(Value::as_str)
            .and_then(from_b64url)
            .and_then(|data| data.get(32).copied())
            .is_some_and(|flags| flags & 0x04 != 0)
    }

    /// The JSON for the library's parser: without members it does not know (our `name`;
    /// transports newer than it), refusing a discoverable assertion without a `userHandle`,
    /// which the library would accept and then fail on.
    fn into_library_json(mut self, need_user_handle: bool) -> Result<Vec<u8>> {
        if let Some(object) = self.0.as_object_mut() {
            object.remove("name");
        }
        if let Some(transports) = self
            .0
            .pointer_mut("/response/transports")
            .and_then(Value::as_array_mut)
        {
            transports.retain(|t| {
                t.as_str()
                    .is_some_and(|t| TRANSPORTS.iter().any(|(_, n, _)| *n == t))
            });
        }
        // RP ID hash (32) + flags (1) + counter (4): anything shorter is malformed, and saying
        // so here keeps a malformed assertion from using up its challenge.
        if let Some(data) = self
            .0
            .pointer("/response/authenticatorData")
            .and_then(Value::as_str)
            && from_b64url(data).is_some_and(|d| d.len() < 37)
        {
            return Err(bad_credential(
                "response.authenticatorData is shorter than 37 bytes",
            ));
        }
        if need_user_handle
            && self
                .0
                .pointer("/response/userHandle")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            return Err(bad_credential(
                "response.userHandle is required for a username-less sign-in",
            ));
        }
        serde_json::to_vec(&self.0).map_err(|_| bad_credential("it cannot be re-encoded"))
    }
}

/// The challenge string of options JSON (`{"publicKey": {...}}` or the bare options).
fn challenge_in_options(options: &Value) -> Result<String> {
    options
        .pointer("/publicKey/challenge")
        .or_else(|| options.get("challenge"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Internal("options without a challenge".to_owned()))
}

/// Wraps options in `{"publicKey": …}` unless the library already did.
fn public_key_envelope(options: Value) -> Value {
    if options.get("publicKey").is_some() {
        options
    } else {
        json!({ "publicKey": options })
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Internal(format!("options serialization: {e}")))
}

fn check_passkey_name(name: &str) -> Result<String> {
    let name = name.trim();
    let len = name.chars().count();
    if !(1..=64).contains(&len) || name.chars().any(char::is_control) {
        return invalid("name must be 1 to 64 characters with no control characters");
    }
    Ok(name.to_owned())
}

impl Auth {
    /// Starts a registration: a sign-up when `principal` is `None`, else a new passkey for the
    /// signed-in user.
    pub async fn start_registration(
        &self,
        app: &App,
        principal: Option<&Principal>,
        req: RegisterOptionsRequest,
    ) -> Result<Value> {
        let rp_id = rp_id(app)?;
        let now = self.clock.now();
        let mut conn = self.store.conn().await?;
        let (user_id, email, display_name, session_id, exclude) = match principal {
            Some(p) => {
                let existing =
                    store::passkeys::list_user_passkeys(&mut conn, &app.id, &p.user.id).await?;
                let exclude = existing
                    .iter()
                    .filter_map(|pk| {
                        let id = CredentialId::decode(from_b64url(&pk.id)?).ok()?;
                        Some(PublicKeyCredentialDescriptor {
                            id,
                            transports: transports_from_strings(&pk.transports),
                        })
                    })
                    .collect::<Vec<_>>();
                (
                    p.user.id.clone(),
                    p.user.email.clone(),
                    p.user.display_name.clone(),
                    Some(p.session.id.clone()),
                    exclude,
                )
            }
            None => {
                if !app.sign_up_allowed {
                    return invalid(
                        "sign-up is disabled for this app: ask its operator for an account",
                    );
                }
                let email = req.email.as_deref().map(parse_email).transpose()?;
                if let Some(email) = &email
                    && store::users::find_user_by_email(&mut conn, &app.id, email)
                        .await?
                        .is_some()
                {
                    return Err(Error::Conflict(
                        "an account with that email already exists: sign in instead".to_owned(),
                    ));
                }
                if let Some(name) = &req.display_name
                    && (name.trim().is_empty()
                        || name.chars().count() > 100
                        || name.chars().any(char::is_control))
                {
                    return invalid(
                        "display_name must be 1 to 100 characters with no control characters",
                    );
                }
                (
                    super::new_id(),
                    email,
                    req.display_name.clone(),
                    None,
                    Vec::new(),
                )
            }
        };
        drop(conn);
        let handle = user_handle(&user_id)?;
        // WebAuthn user names follow RFC 8265 (no spaces, for one); the address or the display
        // name when they qualify, else a name derived from the id.
        let fallback = format!("user-{}", user_id.split('-').next().unwrap_or("passkey"));
        let name = [email.as_deref(), display_name.as_deref()]
            .into_iter()
            .flatten()
            .find_map(|n| Username::try_from(n).ok())
            .or_else(|| Username::try_from(fallback.as_str()).ok())
            .ok_or_else(|| Error::Internal("no usable WebAuthn user name".to_owned()))?;
        let nickname = display_name
            .as_deref()
            .or(email.as_deref())
            .and_then(|n| Nickname::try_from(n).ok());
        let entity = PublicKeyCredentialUserEntity {
            name,
            id: &handle,
            display_name: nickname,
        };
        let mut options = PublicKeyCredentialCreationOptions::passkey(&rp_id, entity, exclude);
        options.authenticator_selection.user_verification = uv_requirement(app);
        if app.user_verification != "required" {
            // credProtect "user verification required" would contradict a preferred UV.
            options.extensions.cred_protect = CredProtect::None;
        }
        let (server, client) = options
            .start_ceremony()
            .map_err(|e| Error::Internal(format!("creation options: {e}")))?;
        let mut client = to_json(&client)?;
        // The library names the RP by its id; people should see the app's name.
        let rp_path = if client.get("publicKey").is_some() {
            "/publicKey/rp"
        } else {
            "/rp"
        };
        if let Some(rp) = client.pointer_mut(rp_path).and_then(Value::as_object_mut) {
            rp.insert("name".to_owned(), json!(app.rp_name));
        }
        let challenge = challenge_in_options(&client)?;
        let state = server
            .encode()
            .map_err(|e| Error::Internal(format!("encode state: {e}")))?;
        let mut conn = self.store.write_conn().await?;
        store::ceremonies::insert_ceremony(
            &mut conn,
            &Ceremony {
                challenge,
                app_id: app.id.clone(),
                kind: CeremonyKind::Register,
                user_id: Some(user_id),
                session_id,
                email,
                display_name,
                state,
                expires_at: now + CEREMONY_TTL,
            },
        )
        .await?;
        Ok(public_key_envelope(client))
    }

    /// Finds the ceremony `credential` answers, if it is this app's, of `kinds`, and not expired.
    async fn open_ceremony(
        &self,
        app: &App,
        credential: &BrowserCredential,
        kinds: &[CeremonyKind],
    ) -> Result<Ceremony> {
        let challenge = credential.challenge()?;
        let mut conn = self.store.conn().await?;
        let expired = || {
            Error::ChallengeExpired(
                "the challenge is unknown, expired or already used: request new options".to_owned(),
            )
        };
        let ceremony = store::ceremonies::find_ceremony(&mut conn, &app.id, &challenge)
            .await?
            .filter(|c| kinds.contains(&c.kind))
            .ok_or_else(expired)?;
        drop(conn);
        if ceremony.expires_at <= self.clock.now() {
            let mut conn = self.store.write_conn().await?;
            store::ceremonies::take_ceremony(&mut conn, &app.id, &ceremony.challenge).await?;
            return Err(expired());
        }
        Ok(ceremony)
    }

    /// Consumes a ceremony whose response failed, and records why.
    async fn fail_ceremony(
        &self,
        app: &App,
        ceremony: &Ceremony,
        user_id: Option<&str>,
        refusal: Error,
        meta: &RequestMeta,
    ) -> Error {
        let result: Result<bool> = async {
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            if !store::ceremonies::take_ceremony(&mut tx, &app.id, &ceremony.challenge).await? {
                // A concurrent request used the challenge first: this one is a replay.
                return Ok(false);
            }
            event::record(
                &mut tx,
                &app.id,
                event::Kind::SignInFailed,
                user_id,
                meta,
                event::data([
                    ("method", json!("passkey")),
                    ("ceremony", json!(ceremony.kind.as_str())),
                    ("reason", json!(refusal.to_string())),
                ]),
                now,
            )
            .await?;
            commit(tx).await?;
            Ok(true)
        }
        .await;
        match result {
            Ok(true) => {
                metrics::counter!("latchkey_sign_ins_total", "method" => "passkey", "outcome" => "failure")
                    .increment(1);
                refusal
            }
            Ok(false) => Error::ChallengeExpired("the challenge was already used".to_owned()),
            Err(e) => e,
        }
    }

    /// Finishes a registration (WebAuthn L3 §7.1) and signs the user in.
    pub async fn finish_registration(
        &self,
        app: &App,
        body: &[u8],
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let credential = BrowserCredential::parse(body)?;
        let name = credential.name()?;
        let ceremony = self
            .open_ceremony(app, &credential, &[CeremonyKind::Register])
            .await?;
        let registration = Registration::from_json_relaxed(&credential.into_library_json(false)?)
            .map_err(|e| {
            Error::InvalidRequest(format!("the registration response is malformed: {e}"))
        })?;
        let server = RegistrationServerState::<16>::decode(ceremony.state.as_slice())
            .map_err(|e| Error::Internal(format!("stored ceremony unreadable: {e}")))?;
        let rp_id = rp_id(app)?;
        let origins: Vec<&str> = app.origins.iter().map(String::as_str).collect();
        let options = RegistrationVerificationOptions::<&str, &str> {
            allowed_origins: &origins,
            ..Default::default()
        };
        let credential = match server.verify(&rp_id, &registration, &options) {
            Ok(c) => c,
            Err(e) => {
                let reason = format!("the passkey could not be verified: {e}");
                return Err(self
                    .fail_ceremony(app, &ceremony, None, Error::InvalidCredential(reason), meta)
                    .await);
            }
        };
        let (cred_id, transports, _handle, static_state, dynamic_state, metadata) =
            credential.into_parts();
        if app.user_verification == "required" && !dynamic_state.user_verified {
            let reason = "this app requires user verification (PIN or biometric)".to_owned();
            return Err(self
                .fail_ceremony(app, &ceremony, None, Error::InvalidCredential(reason), meta)
                .await);
        }
        let aaguid_bytes: Option<[u8; 16]> = metadata.aaguid.data().try_into().ok();
        let provider = aaguid_bytes.as_ref().and_then(aaguid::provider_name);
        let now = self.clock.now();
        let user_id = ceremony
            .user_id
            .clone()
            .ok_or_else(|| Error::Internal("register ceremony without user".to_owned()))?;
        let passkey = Passkey {
            app_id: app.id.clone(),
            id: b64url(cred_id.as_ref()),
            user_id: user_id.clone(),
            name: name.unwrap_or_else(|| provider.unwrap_or("Passkey").to_owned()),
            aaguid: aaguid_bytes
                .as_ref()
                .map(aaguid::format_aaguid)
                .unwrap_or_default(),
            transports: transports_to_strings(transports),
            backup_eligible: !matches!(dynamic_state.backup, Backup::NotEligible),
            backup_state: matches!(dynamic_state.backup, Backup::Exists),
            user_verified: dynamic_state.user_verified,
            sign_count: i64::from(dynamic_state.sign_count),
            static_state: static_state.encode().unwrap_or_else(|e| match e {}),
            dynamic_state: dynamic_state
                .encode()
                .unwrap_or_else(|e| match e {})
                .to_vec(),
            created_at: now,
            last_used_at: Some(now),
        };
        self.prepare_signing(app).await?;
        let mut tx = self.store.begin().await?;
        if !store::ceremonies::take_ceremony(&mut tx, &app.id, &ceremony.challenge).await? {
            return Err(Error::ChallengeExpired(
                "the challenge was already used".to_owned(),
            ));
        }
        // Sign-up makes a user and a session; adding a passkey continues the session it was
        // started from (a second session would be left behind, held by no browser).
        let (mut user, continuing) = match &ceremony.session_id {
            None => {
                let user = User {
                    id: user_id.clone(),
                    app_id: app.id.clone(),
                    email: ceremony.email.clone(),
                    email_verified: false,
                    given_name: None,
                    family_name: None,
                    display_name: ceremony.display_name.clone(),
                    metadata: Default::default(),
                    disabled: false,
                    created_at: now,
                    updated_at: now,
                    last_sign_in_at: None,
                };
                store::users::insert_user(&mut tx, &user)
                    .await
                    .map_err(conflict(
                        "an account with that email was created meanwhile: sign in instead",
                    ))?;
                event::record(
                    &mut tx,
                    &app.id,
                    event::Kind::UserSignedUp,
                    Some(&user.id),
                    meta,
                    event::data([("method", json!("passkey"))]),
                    now,
                )
                .await?;
                (user, None)
            }
            Some(session_id) => {
                let session = store::sessions::find_session(&mut tx, &app.id, session_id)
                    .await?
                    .filter(|s| s.revoked_at.is_none() && s.expires_at > now);
                let user = store::users::find_user(&mut tx, &app.id, &user_id).await?;
                match (session, user) {
                    (Some(session), Some(u)) if !u.disabled => {
                        // A passkey added from a session that an email code or link opened is
                        // how an account whose passkeys are gone is recovered.
                        if !session.amr.iter().any(|m| m == "passkey") {
                            event::record(
                                &mut tx,
                                &app.id,
                                event::Kind::AccountRecovered,
                                Some(&u.id),
                                meta,
                                event::data([
                                    ("session_id", json!(session.id)),
                                    ("amr", json!(session.amr)),
                                ]),
                                now,
                            )
                            .await?;
                        }
                        (u, Some(session))
                    }
                    _ => {
                        return Err(Error::Unauthorized(
                            "the session that started this registration has ended".to_owned(),
                        ));
                    }
                }
            }
        };
        store::passkeys::insert_passkey(&mut tx, &passkey)
            .await
            .map_err(conflict("this passkey is already registered"))?;
        event::record(
            &mut tx,
            &app.id,
            event::Kind::PasskeyAdded,
            Some(&user.id),
            meta,
            event::data([
                ("passkey_id", json!(passkey.id)),
                ("name", json!(passkey.name)),
                ("aaguid", json!(passkey.aaguid)),
            ]),
            now,
        )
        .await?;
        if let Some(session) = continuing {
            store::sessions::rotate_session_refresh_tokens(&mut tx, &session.id, now).await?;
            return self
                .rotate_in(tx, app, session, Some(user.clone()), now)
                .await;
        }
        let minted = self
            .sign_in_user(
                &mut tx,
                app,
                &mut user,
                passkey_amr(passkey.user_verified),
                "passkey",
                event::data([("passkey_id", json!(passkey.id))]),
                meta,
                now,
            )
            .await?;
        commit(tx).await?;
        self.finish_sign_in(app, user, minted).await
    }

    /// Starts a sign-in: discoverable without `email` (suitable for autofill), restricted to
    /// that user's passkeys with it.
    pub async fn start_authentication(
        &self,
        app: &App,
        req: AuthenticateOptionsRequest,
    ) -> Result<Value> {
        let rp_id = rp_id(app)?;
        let now = self.clock.now();
        let (kind, client, state, user_id) = match req.email {
            None => {
                let mut options = DiscoverableCredentialRequestOptions::passkey(&rp_id);
                options.0.user_verification = uv_requirement(app);
                let (server, client) = options
                    .start_ceremony()
                    .map_err(|e| Error::Internal(format!("request options: {e}")))?;
                let state = server
                    .encode()
                    .map_err(|e| Error::Internal(format!("encode state: {e}")))?;
                (CeremonyKind::Authenticate, to_json(&client)?, state, None)
            }
            Some(email) => {
                let email = parse_email(&email)?;
                let mut conn = self.store.conn().await?;
                let found =
                    store::passkeys::allow_list_by_email(&mut conn, &app.id, &email.to_lowercase())
                        .await?;
                drop(conn);
                let (user_id, passkeys) = found.unzip();
                let ids: Vec<(Vec<u8>, AuthTransports)> = passkeys
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(id, transports)| {
                        Some((from_b64url(id)?, transports_from_strings(transports)))
                    })
                    .collect();
                // An address without passkeys gets a credential id that looks real and is
                // stable per address, so the answer does not reveal whether it has an account.
                let ids = if ids.is_empty() {
                    let mut fake = self.master_key.keyed_hash(&[
                        b"decoy credential",
                        app.id.as_bytes(),
                        email.to_lowercase().as_bytes(),
                    ]);
                    // Real credential ids vary in length (16 bytes for some providers, 20 for
                    // others, more for security keys); so does the decoy, stably per address.
                    let len = 16 + usize::from(fake[31] % 17);
                    fake.truncate(len);
                    vec![(
                        fake,
                        transports_from_strings(&["internal".to_owned(), "hybrid".to_owned()]),
                    )]
                } else {
                    ids
                };
                let mut allowed = AllowedCredentials::with_capacity(ids.len());
                for (id, transports) in ids {
                    let id = CredentialId::decode(id)
                        .map_err(|_| Error::Internal("stored credential id unusable".to_owned()))?;
                    allowed.push(AllowedCredential::from(PublicKeyCredentialDescriptor {
                        id,
                        transports,
                    }));
                }
                let mut options =
                    NonDiscoverableCredentialRequestOptions::second_factor(&rp_id, allowed)
                        .map_err(|_| Error::Internal("empty allow list".to_owned()))?;
                let request = options.options();
                request.user_verification = uv_requirement(app);
                let (server, client) = options
                    .start_ceremony()
                    .map_err(|e| Error::Internal(format!("request options: {e}")))?;
                let state = server
                    .encode()
                    .map_err(|e| Error::Internal(format!("encode state: {e}")))?;
                (
                    CeremonyKind::AuthenticateAllow,
                    to_json(&client)?,
                    state,
                    user_id,
                )
            }
        };
        let challenge = challenge_in_options(&client)?;
        let mut conn = self.store.write_conn().await?;
        store::ceremonies::insert_ceremony(
            &mut conn,
            &Ceremony {
                challenge,
                app_id: app.id.clone(),
                kind,
                user_id,
                session_id: None,
                email: None,
                display_name: None,
                state,
                expires_at: now + CEREMONY_TTL,
            },
        )
        .await?;
        Ok(public_key_envelope(client))
    }

    /// Finishes a sign-in (WebAuthn L3 §7.2).
    pub async fn finish_authentication(
        &self,
        app: &App,
        body: &[u8],
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let credential = BrowserCredential::parse(body)?;
        let ceremony = self
            .open_ceremony(
                app,
                &credential,
                &[CeremonyKind::Authenticate, CeremonyKind::AuthenticateAllow],
            )
            .await?;
        let uv_now = credential.user_verified();
        let discoverable = ceremony.kind == CeremonyKind::Authenticate;
        let malformed = |e: String| {
            Error::InvalidRequest(format!("the authentication response is malformed: {e}"))
        };
        // Parse first, so a malformed body does not burn the challenge.
        enum Parsed {
            Discoverable(DiscoverableAuthentication16),
            Allow(NonDiscoverableAuthentication16),
        }
        let clean = credential.into_library_json(discoverable)?;
        let parsed = if discoverable {
            Parsed::Discoverable(
                DiscoverableAuthentication16::from_json_relaxed(&clean)
                    .map_err(|e| malformed(e.to_string()))?,
            )
        } else {
            Parsed::Allow(
                NonDiscoverableAuthentication16::from_json_relaxed(&clean)
                    .map_err(|e| malformed(e.to_string()))?,
            )
        };
        let raw_id = match &parsed {
            Parsed::Discoverable(a) => a.raw_id().as_ref().to_vec(),
            Parsed::Allow(a) => a.raw_id().as_ref().to_vec(),
        };
        let credential_id = b64url(&raw_id);
        let mut conn = self.store.conn().await?;
        let stored =
            store::passkeys::find_passkey_with_user(&mut conn, &app.id, &credential_id).await?;
        drop(conn);
        let Some((mut passkey, owner)) = stored else {
            let refusal = Error::UnknownCredential {
                detail: "this passkey is not registered with this app".to_owned(),
                credential_id: credential_id.clone(),
            };
            return Err(self
                .fail_ceremony(app, &ceremony, None, refusal, meta)
                .await);
        };
        let handle = user_handle(&passkey.user_id)?;
        let static_state = StaticState::decode(passkey.static_state.as_slice())
            .map_err(|e| Error::Internal(format!("stored passkey unreadable: {e}")))?;
        let dyn_bytes: [u8; 7] =
            passkey.dynamic_state.as_slice().try_into().map_err(|_| {
                Error::Internal("stored passkey state has the wrong size".to_owned())
            })?;
        let dynamic_state = DynamicState::decode(dyn_bytes)
            .map_err(|e| Error::Internal(format!("stored passkey state unreadable: {e}")))?;
        let rp_id = rp_id(app)?;
        let origins: Vec<&str> = app.origins.iter().map(String::as_str).collect();
        let options = AuthenticationVerificationOptions::<&str, &str> {
            allowed_origins: &origins,
            update_uv: true,
            ..Default::default()
        };
        let id_for_cred = CredentialId::decode(raw_id.as_slice())
            .map_err(|_| Error::InvalidRequest("the credential id is malformed".to_owned()))?;
        let mut cred =
            AuthenticatedCredential::new(id_for_cred, &handle, static_state, dynamic_state)
                .map_err(|e| Error::Internal(format!("stored passkey inconsistent: {e}")))?;
        // The signature check is the one CPU-heavy step of a request (a few hundred µs); off
        // the async worker, so the tasks driving the single SQLite writer are not kept waiting.
        let outcome = match parsed {
            Parsed::Discoverable(a) => {
                let state =
                    DiscoverableAuthenticationServerState::decode(ceremony.state.as_slice())
                        .map_err(|e| Error::Internal(format!("stored ceremony unreadable: {e}")))?;
                cpu_bound(|| state.verify(&rp_id, &a, &mut cred, &options))
                    .map_err(|e| e.to_string())
            }
            Parsed::Allow(a) => {
                if ceremony.user_id.as_deref() != Some(passkey.user_id.as_str()) {
                    Err("this passkey does not belong to the account that was asked for".to_owned())
                } else {
                    let state =
                        NonDiscoverableAuthenticationServerState::decode(ceremony.state.as_slice())
                            .map_err(|e| {
                                Error::Internal(format!("stored ceremony unreadable: {e}"))
                            })?;
                    cpu_bound(|| state.verify(&rp_id, &a, &mut cred, &options))
                        .map_err(|e| e.to_string())
                }
            }
        };
        if let Err(e) = outcome {
            let reason = format!("the passkey assertion could not be verified: {e}");
            return Err(self
                .fail_ceremony(
                    app,
                    &ceremony,
                    Some(&passkey.user_id),
                    Error::InvalidCredential(reason),
                    meta,
                )
                .await);
        }
        if app.user_verification == "required" && !uv_now {
            let reason = "this app requires user verification (PIN or biometric)".to_owned();
            return Err(self
                .fail_ceremony(
                    app,
                    &ceremony,
                    Some(&passkey.user_id),
                    Error::InvalidCredential(reason),
                    meta,
                )
                .await);
        }
        // A disabled account is refused like a failed assertion: the challenge is used up.
        if owner.as_ref().is_some_and(|u| u.disabled) {
            let refusal = Error::Forbidden("this account is disabled".to_owned());
            return Err(self
                .fail_ceremony(app, &ceremony, Some(&passkey.user_id), refusal, meta)
                .await);
        }
        let new_state = cred.dynamic_state();
        let now = self.clock.now();
        passkey.dynamic_state = new_state.encode().unwrap_or_else(|e| match e {}).to_vec();
        let previous_count = passkey.sign_count;
        passkey.sign_count = i64::from(new_state.sign_count);
        passkey.backup_state = matches!(new_state.backup, Backup::Exists);
        passkey.user_verified = new_state.user_verified;
        passkey.last_used_at = Some(now);
        self.prepare_signing(app).await?;
        let mut tx = self.store.begin().await?;
        let claim = store::passkeys::claim_assertion(
            &mut tx,
            &ceremony.challenge,
            &passkey,
            previous_count,
        )
        .await?;
        if !claim.ceremony_taken {
            return Err(Error::ChallengeExpired(
                "the challenge was already used".to_owned(),
            ));
        }
        if !claim.passkey_updated {
            return Err(Error::InvalidCredential(
                "the passkey was used or removed at the same moment: sign in again".to_owned(),
            ));
        }
        // The owner as read before the transaction; the sign-in below refuses, inside it, an
        // owner disabled or deleted since.
        let mut user = owner.ok_or_else(|| {
            Error::InvalidCredential("this passkey's account no longer exists".to_owned())
        })?;
        let minted = self
            .sign_in_user(
                &mut tx,
                app,
                &mut user,
                passkey_amr(uv_now),
                "passkey",
                event::data([
                    ("passkey_id", json!(passkey.id)),
                    ("discoverable", json!(discoverable)),
                ]),
                meta,
                now,
            )
            .await?;
        commit(tx).await?;
        self.finish_sign_in(app, user, minted).await
    }

    /// The user's passkeys, oldest first.
    pub async fn list_passkeys(&self, app: &App, user_id: &str) -> Result<Vec<Passkey>> {
        let mut conn = self.store.conn().await?;
        Ok(store::passkeys::list_user_passkeys(&mut conn, &app.id, user_id).await?)
    }

    pub async fn rename_passkey(
        &self,
        app: &App,
        user_id: &str,
        id: &str,
        name: &str,
        meta: &RequestMeta,
    ) -> Result<Passkey> {
        let name = check_passkey_name(name)?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut passkey = store::passkeys::find_passkey(&mut tx, &app.id, id)
            .await?
            .filter(|p| p.user_id == user_id)
            .ok_or_else(|| Error::NotFound(format!("there is no passkey {id:?}")))?;
        store::passkeys::rename_passkey(&mut tx, &app.id, id, &name).await?;
        event::record(
            &mut tx,
            &app.id,
            event::Kind::PasskeyRenamed,
            Some(user_id),
            meta,
            event::data([("passkey_id", json!(id)), ("name", json!(name))]),
            now,
        )
        .await?;
        commit(tx).await?;
        passkey.name = name;
        Ok(passkey)
    }

    pub async fn delete_passkey(
        &self,
        app: &App,
        user_id: &str,
        id: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !store::passkeys::delete_passkey(&mut tx, &app.id, user_id, id).await? {
            return Err(Error::NotFound(format!("there is no passkey {id:?}")));
        }
        event::record(
            &mut tx,
            &app.id,
            event::Kind::PasskeyRemoved,
            Some(user_id),
            meta,
            event::data([("passkey_id", json!(id))]),
            now,
        )
        .await?;
        commit(tx).await
    }
}

/// `amr` of a passkey sign-in: `mfa` too when the authenticator verified the user (something
/// held plus something known or been).
fn passkey_amr(user_verified: bool) -> Vec<String> {
    let mut amr = vec!["passkey".to_owned()];
    if user_verified {
        amr.push("mfa".to_owned());
    }
    amr
}

/// Runs CPU-bound work so it does not hold up the async worker it was called on: on the
/// multi-threaded runtime the worker's other tasks move to another thread meanwhile
/// (`block_in_place`); elsewhere (a current-thread runtime) it simply runs.
fn cpu_bound<R>(work: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}
