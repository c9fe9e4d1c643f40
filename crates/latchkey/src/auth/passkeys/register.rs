//! Registration (WebAuthn L3 §7.1): a sign-up with a new passkey, or a passkey added to a
//! signed-in account.

use std::sync::Arc;

use serde_json::{Value, json};
use webauthn_rp::bin::{Decode, Encode};
use webauthn_rp::request::PublicKeyCredentialDescriptor;
use webauthn_rp::request::register::{
    CredProtect, Nickname, PublicKeyCredentialUserEntity, RegistrationVerificationOptions, Username,
};
use webauthn_rp::response::{Backup, CredentialId};
use webauthn_rp::{PublicKeyCredentialCreationOptions, Registration, RegistrationServerState};

use super::ceremony::{Ceremony, CeremonyKind, NewCeremony, already_used, options_json};
use super::credential::{BrowserCredential, transports_from_strings, transports_to_strings};
use super::{
    Passkey, Passkeys, RegisterOptionsRequest, aaguid, insert_passkey, rp_id, user_handle,
    uv_requirement,
};
use crate::auth::apps::UserVerification;
use crate::auth::error::{Error, Result, invalid};
use crate::auth::events::{self, EventKind};
use crate::auth::ids::{SessionId, UserId};
use crate::auth::mfa::{self, Challenge};
use crate::auth::notices::{self, Change};
use crate::auth::sign_in::{Amr, Ending, NextTokens, Proof, SecondFactor, SignInOutcome, SignInTx};
use crate::auth::store::{self, Conn};
use crate::auth::throttle::{self, Rule};
use crate::auth::users::{Profile, SignUp, check_name, create_account};
use crate::auth::{App, EmailAddress, Principal, RequestMeta};
use crate::clock::Timestamp;
use crate::crypto::{MasterKey, Secret, b64url, from_b64url};

/// Who a registration is for, as its options call decided.
struct Registrant {
    user_id: UserId,
    email: Option<EmailAddress>,
    display_name: Option<String>,
    /// Adding a passkey: the session it continues.
    principal: Option<Principal>,
    /// The passkeys the authenticator must not register again.
    exclude: Vec<PublicKeyCredentialDescriptor<Vec<u8>>>,
}

/// A registration the library verified: the passkey to store.
struct VerifiedRegistration {
    passkey: Passkey,
}

impl Passkeys<'_> {
    /// Starts a registration: a sign-up when `principal` is `None`, else a new passkey for the
    /// signed-in user.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn start_registration(
        &self,
        app: &App,
        principal: Option<&Principal>,
        req: RegisterOptionsRequest,
        meta: &RequestMeta,
    ) -> Result<Value> {
        let client = throttle::client_key(meta);
        self.auth.throttle().hit(Rule::PasskeyOptions, &client)?;
        let rp_id = rp_id(app)?;
        let mfa_challenge = match &req.mfa_token {
            Some(token) => Some(self.second_factor_enrollment(app, token).await?),
            None => None,
        };
        let registrant = match (&mfa_challenge, principal) {
            (Some(challenge), _) => self.enrolling(app, challenge).await?,
            (None, Some(p)) => self.adding_to(app, p).await?,
            (None, None) => self.signing_up(app, req, &client).await?,
        };
        let handle = user_handle(&registrant.user_id)?;
        // WebAuthn user names follow RFC 8265 (no spaces, for one); the address or the display
        // name when they qualify, else a name derived from the id.
        let fallback = format!(
            "user-{}",
            registrant
                .user_id
                .as_str()
                .split('-')
                .next()
                .unwrap_or("passkey")
        );
        let email = registrant.email.as_ref().map(EmailAddress::as_str);
        let display_name = registrant.display_name.as_deref();
        let name = [email, display_name]
            .into_iter()
            .flatten()
            .find_map(|n| Username::try_from(n).ok())
            .or_else(|| Username::try_from(fallback.as_str()).ok())
            .ok_or_else(|| Error::Internal("no usable WebAuthn user name".to_owned()))?;
        let nickname = display_name
            .or(email)
            .and_then(|n| Nickname::try_from(n).ok());
        let entity = PublicKeyCredentialUserEntity {
            name,
            id: &handle,
            display_name: nickname,
        };
        let mut options =
            PublicKeyCredentialCreationOptions::passkey(&rp_id, entity, registrant.exclude);
        options.authenticator_selection.user_verification = uv_requirement(app);
        if app.user_verification != UserVerification::Required {
            // credProtect "user verification required" would contradict a preferred UV.
            options.extensions.cred_protect = CredProtect::None;
        }
        let (server, client) = options
            .start_ceremony()
            .map_err(|e| Error::Internal(format!("creation options: {e}")))?;
        let mut client = options_json(&client)?;
        // The library names the RP by its id; people should see the app's name.
        let rp_path = if client.get("publicKey").is_some() {
            "/publicKey/rp"
        } else {
            "/rp"
        };
        if let Some(rp) = client.pointer_mut(rp_path).and_then(Value::as_object_mut) {
            rp.insert("name".to_owned(), json!(app.rp_name));
        }
        let state = server
            .encode()
            .map_err(|e| Error::Internal(format!("encode state: {e}")))?;
        let enrolling = mfa_challenge.is_some();
        let new = NewCeremony {
            kind: CeremonyKind::Register,
            user_id: Some(registrant.user_id),
            session_id: registrant.principal.map(|p| p.session.id),
            // An address on a registration ceremony means a sign-up.
            email: registrant.email.filter(|_| !enrolling),
            display_name: registrant.display_name,
            mfa_challenge: mfa_challenge.map(|c| c.id),
        };
        self.store_ceremony(app, new, state, client).await
    }

    /// The challenge of a sign-in held back for a second factor, whose user has none to give:
    /// a passkey made now is one. A user with any second factor must use it instead.
    async fn second_factor_enrollment(&self, app: &App, token: &str) -> Result<Challenge> {
        let challenge = self
            .auth
            .mfa()
            .live_challenge(app, &Secret::from_presented(token.to_owned()))
            .await?;
        let mut reader = self.auth.store.read().await?;
        let summary = store::mfa::summary(&mut reader.conn(), &app.id, &challenge.user_id).await?;
        if summary != store::mfa::Summary::default() {
            return Err(has_second_factors());
        }
        Ok(challenge)
    }

    /// A passkey as the second factor of the challenge's user.
    async fn enrolling(&self, app: &App, challenge: &Challenge) -> Result<Registrant> {
        let mut reader = self.auth.store.read().await?;
        let user = store::users::find_user(&mut reader.conn(), &app.id, &challenge.user_id)
            .await?
            .ok_or_else(|| Error::Unauthorized("this account no longer exists".to_owned()))?;
        Ok(Registrant {
            user_id: user.id,
            email: user.email,
            display_name: user.display_name,
            principal: None,
            exclude: Vec::new(),
        })
    }

    /// A passkey for the signed-in user, excluding the ones they have.
    async fn adding_to(&self, app: &App, p: &Principal) -> Result<Registrant> {
        let mut reader = self.auth.store.read().await?;
        let existing =
            store::passkeys::list_user_passkeys(&mut reader.conn(), &app.id, &p.user.id).await?;
        if existing.len() >= MAX_PASSKEYS_PER_USER {
            return Err(too_many_passkeys());
        }
        // An account that has a passkey or a second factor gets another way in only from a
        // session that just proved it is its person (a stale or stolen one must not plant one).
        // An account with neither has nothing to prove it with: its session adds the first.
        let factors = store::mfa::summary(&mut reader.conn(), &app.id, &p.user.id).await?;
        if !existing.is_empty() || factors.factors > 0 {
            mfa::require_recent_authentication(&p.session, self.auth.clock.now())?;
        }
        let exclude = existing
            .iter()
            .filter_map(|pk| {
                let id = CredentialId::decode(from_b64url(&pk.id)?).ok()?;
                Some(PublicKeyCredentialDescriptor {
                    id,
                    transports: transports_from_strings(&pk.transports),
                })
            })
            .collect();
        Ok(Registrant {
            user_id: p.user.id.clone(),
            email: p.user.email.clone(),
            display_name: p.user.display_name.clone(),
            principal: Some(p.clone()),
            exclude,
        })
    }

    /// A sign-up: a new user id, for an address that has no account yet.
    async fn signing_up(
        &self,
        app: &App,
        req: RegisterOptionsRequest,
        client: &str,
    ) -> Result<Registrant> {
        if !app.sign_up_allowed {
            return invalid("sign-up is disabled for this app: ask its operator for an account");
        }
        if app.sign_up_email_first {
            // The same answer for every address, before anything is looked up: sign-up here
            // never tells whether an account exists.
            return invalid(
                "this app signs people up with an email code first: request one with purpose \
                 sign_up, sign in with it, then add a passkey",
            );
        }
        self.auth.throttle().hit(Rule::SignUps, client)?;
        let email = req.email.as_deref().map(EmailAddress::parse).transpose()?;
        if let Some(email) = &email {
            let mut reader = self.auth.store.read().await?;
            if store::users::find_user_by_email(&mut reader.conn(), &app.id, email)
                .await?
                .is_some()
            {
                return Err(Error::Conflict(
                    "an account with that email already exists: sign in instead".to_owned(),
                ));
            }
        }
        if let Some(name) = &req.display_name {
            if name.trim().is_empty() {
                return invalid(
                    "display_name must be 1 to 100 characters with no control characters",
                );
            }
            check_name("display_name", Some(name))?;
        }
        Ok(Registrant {
            user_id: UserId::generate(),
            email,
            display_name: req.display_name,
            principal: None,
            exclude: Vec::new(),
        })
    }

    /// Finishes a registration (WebAuthn L3 §7.1) and signs the user in: parse, verify, act.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn finish_registration(
        &self,
        app: &App,
        body: &[u8],
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        self.auth.throttle().hit_client(Rule::PasskeyVerify, meta)?;
        let credential = BrowserCredential::parse(body)?;
        let name = credential.name()?;
        let ceremony = self
            .open_ceremony(app, &credential, &[CeremonyKind::Register])
            .await?;
        let registration = Registration::from_json_relaxed(&credential.into_library_json(false)?)
            .map_err(|e| {
            Error::InvalidRequest(format!("the registration response is malformed: {e}"))
        })?;
        let now = self.auth.clock.now();
        match verify_registration(app, &ceremony, &registration, name, now) {
            Ok(verified) => self.register(app, ceremony, verified, meta).await,
            Err(refusal @ Error::InvalidCredential(_)) => Err(self
                .fail_ceremony(app, &ceremony, None, refusal, meta)
                .await),
            Err(e) => Err(e),
        }
    }

    /// Stores a verified passkey and signs in: a new account and session for a sign-up, the
    /// same session going on for a passkey added while signed in.
    async fn register(
        &self,
        app: &App,
        ceremony: Ceremony,
        verified: VerifiedRegistration,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let passkey = verified.passkey;
        let in_flight = self.auth.ceremonies.clone();
        let meta = meta.clone();
        let master_key = Arc::clone(&self.auth.master_key);
        let outcome = self
            .auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    if !in_flight.take(conn, &ceremony).await? {
                        return Err(already_used());
                    }
                    if let Some(challenge_id) = &ceremony.mfa_challenge {
                        return enroll_second_factor(
                            conn,
                            &tx,
                            challenge_id,
                            &passkey,
                            &master_key,
                            &meta,
                        )
                        .await;
                    }
                    match &ceremony.session_id {
                        // Adding a passkey continues the session it was started from (a second
                        // session would be left behind, held by no browser).
                        Some(session_id) => {
                            add_to_session(conn, &tx, session_id, &passkey, &master_key, &meta)
                                .await
                        }
                        None => {
                            let profile = Profile {
                                email: ceremony.email.clone(),
                                display_name: ceremony.display_name.clone(),
                                ..Profile::default()
                            };
                            let user = create_account(
                                conn,
                                tx.app(),
                                passkey.user_id.clone(),
                                profile,
                                SignUp::Passkey,
                                &meta,
                                tx.now,
                            )
                            .await?;
                            insert_passkey(conn, &passkey, &meta, tx.now).await?;
                            let proof = Proof::passkey(
                                passkey.user_verified,
                                events::data([("passkey_id", json!(passkey.id))]),
                            );
                            tx.finish(conn, user, proof, &meta).await
                        }
                    }
                })
            })
            .await;
        // A security notice may wait in the outbox.
        self.auth.jobs.notify();
        outcome
    }
}

fn has_second_factors() -> Error {
    Error::Conflict(
        "this account has a second factor: complete the sign-in with it (the factors the \
         mfa_required answer lists)"
            .to_owned(),
    )
}

/// Stores a passkey as the second factor of the held-back sign-in `challenge_id` (its user had
/// none), and completes that sign-in.
async fn enroll_second_factor(
    conn: &mut Conn<'_>,
    tx: &SignInTx,
    challenge_id: &str,
    passkey: &Passkey,
    master_key: &MasterKey,
    meta: &RequestMeta,
) -> Result<Ending> {
    let (app_id, now) = (&tx.app().id, tx.now);
    let challenge = mfa::take_challenge(conn, app_id, challenge_id, now).await?;
    if challenge.user_id != passkey.user_id {
        return Err(Error::Internal(
            "an enrollment ceremony for another user".to_owned(),
        ));
    }
    store::users::lock_user(conn, app_id, &passkey.user_id).await?;
    if store::mfa::summary(conn, app_id, &passkey.user_id).await? != store::mfa::Summary::default()
    {
        return Err(has_second_factors());
    }
    let user = store::users::find_user(conn, app_id, &passkey.user_id)
        .await?
        .ok_or_else(|| Error::Unauthorized("this account no longer exists".to_owned()))?;
    insert_passkey(conn, passkey, meta, now).await?;
    notices::enqueue(
        conn,
        master_key,
        tx.app(),
        &user,
        Change::PasskeyAdded,
        meta,
        now,
    )
    .await?;
    let proof = Proof::second_factor(
        challenge.method,
        &challenge.amr,
        SecondFactor::Passkey,
        events::data([
            ("second_factor", json!(SecondFactor::Passkey)),
            ("passkey_id", json!(passkey.id)),
            ("enrolled", json!(true)),
        ]),
    )?;
    tx.finish(conn, user, proof, meta).await
}

/// Passkeys one user may have: enough for every device and a few security keys, few enough
/// that an account cannot be stuffed with them.
pub const MAX_PASSKEYS_PER_USER: usize = 50;

fn too_many_passkeys() -> Error {
    Error::Conflict(format!(
        "this account has {MAX_PASSKEYS_PER_USER} passkeys, the most it may have: remove one first"
    ))
}

/// Stores a passkey added from the signed-in session `session_id`, which goes on.
async fn add_to_session(
    conn: &mut Conn<'_>,
    tx: &SignInTx,
    session_id: &SessionId,
    passkey: &Passkey,
    master_key: &MasterKey,
    meta: &RequestMeta,
) -> Result<Ending> {
    let (app_id, now) = (&tx.app().id, tx.now);
    let session = store::sessions::find_session(conn, app_id, session_id)
        .await?
        .filter(|s| s.is_live(now));
    let user = store::users::find_user(conn, app_id, &passkey.user_id).await?;
    let (session, user) = match (session, user) {
        (Some(session), Some(user)) if !user.disabled => (session, user),
        _ => {
            return Err(Error::Unauthorized(
                "the session that started this registration has ended".to_owned(),
            ));
        }
    };
    // Checked again here, under the user's row lock: registrations finishing side by side each
    // saw room for one more.
    store::users::lock_user(conn, app_id, &user.id).await?;
    let count = store::passkeys::count_user_passkeys(conn, app_id, &user.id).await?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_PASSKEYS_PER_USER {
        return Err(too_many_passkeys());
    }
    // A passkey added from a session that an email code or link opened is how an account whose
    // passkeys are gone is recovered.
    if !session.amr.contains(&Amr::Passkey) {
        events::record(
            conn,
            app_id,
            EventKind::AccountRecovered,
            Some(&user.id),
            meta,
            events::data([
                ("session_id", json!(session.id)),
                ("amr", json!(session.amr)),
            ]),
            now,
        )
        .await?;
    }
    insert_passkey(conn, passkey, meta, now).await?;
    notices::enqueue(
        conn,
        master_key,
        tx.app(),
        &user,
        Change::PasskeyAdded,
        meta,
        now,
    )
    .await?;
    store::sessions::rotate_session_refresh_tokens(conn, &session.id, now).await?;
    tx.continue_session(conn, session, Some(user), NextTokens::fresh())
        .await
}

/// The library's verdict on a registration, and the passkey it yields; the refusal otherwise.
fn verify_registration(
    app: &App,
    ceremony: &Ceremony,
    registration: &Registration,
    name: Option<String>,
    now: Timestamp,
) -> Result<VerifiedRegistration> {
    let server = RegistrationServerState::<16>::decode(ceremony.state.as_slice())
        .map_err(|e| Error::Internal(format!("stored ceremony unreadable: {e}")))?;
    let rp_id = rp_id(app)?;
    let web_origins = app.web_origins();
    let origins: Vec<&str> = web_origins.iter().map(String::as_str).collect();
    let options = RegistrationVerificationOptions::<&str, &str> {
        allowed_origins: &origins,
        ..Default::default()
    };
    let credential = server
        .verify(&rp_id, registration, &options)
        .map_err(|e| Error::InvalidCredential(format!("the passkey could not be verified: {e}")))?;
    let (cred_id, transports, _handle, static_state, dynamic_state, metadata) =
        credential.into_parts();
    if app.user_verification == UserVerification::Required && !dynamic_state.user_verified {
        return Err(Error::InvalidCredential(
            "this app requires user verification (PIN or biometric)".to_owned(),
        ));
    }
    let user_id = ceremony
        .user_id
        .clone()
        .ok_or_else(|| Error::Internal("register ceremony without user".to_owned()))?;
    let aaguid_bytes: Option<[u8; 16]> = metadata.aaguid.data().try_into().ok();
    let provider = aaguid_bytes.as_ref().and_then(aaguid::provider_name);
    Ok(VerifiedRegistration {
        passkey: Passkey {
            app_id: app.id.clone(),
            id: b64url(cred_id.as_ref()),
            user_id,
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
        },
    })
}
