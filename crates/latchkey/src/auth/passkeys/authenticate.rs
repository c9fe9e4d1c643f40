//! Authentication (WebAuthn L3 §7.2): username-less (discoverable, fit for autofill) or
//! restricted to one address's passkeys (`allowCredentials`).

use serde_json::{Value, json};
use webauthn_rp::bin::{Decode, Encode};
use webauthn_rp::request::auth::{
    AllowedCredential, AllowedCredentials, AuthenticationVerificationOptions,
};
use webauthn_rp::request::{Credentials as _, PublicKeyCredentialDescriptor};
use webauthn_rp::response::register::DynamicState;
use webauthn_rp::response::{AuthTransports, Backup, CredentialId};
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication16, DiscoverableAuthenticationServerState,
    DiscoverableCredentialRequestOptions, NonDiscoverableAuthentication16,
    NonDiscoverableAuthenticationServerState, NonDiscoverableCredentialRequestOptions,
};

use super::ceremony::{Ceremony, CeremonyKind, NewCeremony, already_used, options_json};
use super::credential::{BrowserCredential, transports_from_strings};
use super::{AuthenticateOptionsRequest, Passkey, Passkeys, rp_id, user_handle, uv_requirement};
use crate::auth::apps::UserVerification;
use crate::auth::error::{Error, Result};
use crate::auth::events;
use crate::auth::mfa;
use crate::auth::roles::Access;
use crate::auth::sign_in::{Proof, SecondFactor, SignInOutcome, check_claim};
use crate::auth::store;
use crate::auth::throttle::{self, Rule};
use crate::auth::{App, EmailAddress, Principal, RequestMeta, Session, User};
use crate::crypto::{Secret, b64url, from_b64url};

/// An assertion as the library parsed it, for the kind of ceremony it answers.
enum Assertion {
    Discoverable(DiscoverableAuthentication16),
    Allow(NonDiscoverableAuthentication16),
}

impl Assertion {
    /// Parses the browser's JSON for the ceremony's kind; a malformed body is refused here,
    /// before it could use up the challenge.
    fn parse(credential: BrowserCredential, kind: CeremonyKind) -> Result<Self> {
        let malformed = |e: String| {
            Error::InvalidRequest(format!("the authentication response is malformed: {e}"))
        };
        let discoverable = kind == CeremonyKind::Authenticate;
        let clean = credential.into_library_json(discoverable)?;
        Ok(if discoverable {
            Self::Discoverable(
                DiscoverableAuthentication16::from_json_relaxed(&clean)
                    .map_err(|e| malformed(e.to_string()))?,
            )
        } else {
            Self::Allow(
                NonDiscoverableAuthentication16::from_json_relaxed(&clean)
                    .map_err(|e| malformed(e.to_string()))?,
            )
        })
    }

    fn raw_id(&self) -> Vec<u8> {
        match self {
            Self::Discoverable(a) => a.raw_id().as_ref().to_vec(),
            Self::Allow(a) => a.raw_id().as_ref().to_vec(),
        }
    }

    fn is_discoverable(&self) -> bool {
        matches!(self, Self::Discoverable(_))
    }
}

impl Passkeys<'_> {
    /// Starts a sign-in: discoverable without `email` (suitable for autofill), restricted to
    /// that user's passkeys with it.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn start_authentication(
        &self,
        app: &App,
        req: AuthenticateOptionsRequest,
        meta: &RequestMeta,
    ) -> Result<Value> {
        self.auth
            .throttle()
            .hit_client(Rule::PasskeyOptions, meta)?;
        let rp_id = rp_id(app)?;
        let start_failed = |e: String| Error::Internal(format!("request options: {e}"));
        let encode_failed = |e: String| Error::Internal(format!("encode state: {e}"));
        if let Some(token) = req.mfa_token {
            if req.email.is_some() {
                return Err(Error::InvalidRequest(
                    "send email or mfa_token, not both".to_owned(),
                ));
            }
            return self.start_second_factor(app, &rp_id, &token).await;
        }
        match req.email {
            None => {
                let mut options = DiscoverableCredentialRequestOptions::passkey(&rp_id);
                options.0.user_verification = uv_requirement(app);
                let (server, client) = options
                    .start_ceremony()
                    .map_err(|e| start_failed(e.to_string()))?;
                let state = server.encode().map_err(|e| encode_failed(e.to_string()))?;
                let new = NewCeremony::sign_in(CeremonyKind::Authenticate, None);
                self.store_ceremony(app, new, state, options_json(&client)?)
                    .await
            }
            Some(email) => {
                let email = EmailAddress::parse(&email)?;
                let mut reader = self.auth.store.read().await?;
                let found =
                    store::passkeys::allow_list_by_email(&mut reader.conn(), &app.id, &email)
                        .await?;
                drop(reader);
                let (user_id, passkeys) = found.unzip();
                let ids: Vec<(Vec<u8>, AuthTransports)> = passkeys
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(id, transports)| {
                        Some((from_b64url(id)?, transports_from_strings(transports)))
                    })
                    .collect();
                let ids = if ids.is_empty() {
                    vec![self.decoy_credential(app, &email)]
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
                options.options().user_verification = uv_requirement(app);
                let (server, client) = options
                    .start_ceremony()
                    .map_err(|e| start_failed(e.to_string()))?;
                let state = server.encode().map_err(|e| encode_failed(e.to_string()))?;
                let new = NewCeremony::sign_in(CeremonyKind::AuthenticateAllow, user_id);
                self.store_ceremony(app, new, state, options_json(&client)?)
                    .await
            }
        }
    }

    /// Options for a passkey that completes a sign-in held back for a second factor: that
    /// user's passkeys only, the ceremony naming the challenge.
    async fn start_second_factor(
        &self,
        app: &App,
        rp_id: &webauthn_rp::request::RpId,
        token: &str,
    ) -> Result<Value> {
        let challenge = self
            .auth
            .mfa()
            .live_challenge(app, &Secret::from_presented(token.to_owned()))
            .await?;
        // A passkey after a passkey is one factor, not two.
        if challenge.amr.contains(&crate::auth::Amr::Passkey) {
            return Err(mfa::same_factor_twice());
        }
        let mut reader = self.auth.store.read().await?;
        let passkeys =
            store::passkeys::list_user_passkeys(&mut reader.conn(), &app.id, &challenge.user_id)
                .await?;
        drop(reader);
        let mut allowed = AllowedCredentials::with_capacity(passkeys.len());
        for passkey in &passkeys {
            let Some(id) = from_b64url(&passkey.id).and_then(|raw| CredentialId::decode(raw).ok())
            else {
                continue;
            };
            allowed.push(AllowedCredential::from(PublicKeyCredentialDescriptor {
                id,
                transports: transports_from_strings(&passkey.transports),
            }));
        }
        let mut options = NonDiscoverableCredentialRequestOptions::second_factor(rp_id, allowed)
            .map_err(|_| {
                Error::InvalidRequest(
                    "this account has no passkey: complete the sign-in with another factor"
                        .to_owned(),
                )
            })?;
        options.options().user_verification = uv_requirement(app);
        let (server, client) = options
            .start_ceremony()
            .map_err(|e| Error::Internal(format!("request options: {e}")))?;
        let state = server
            .encode()
            .map_err(|e| Error::Internal(format!("encode state: {e}")))?;
        let mut new =
            NewCeremony::sign_in(CeremonyKind::AuthenticateAllow, Some(challenge.user_id));
        new.mfa_challenge = Some(challenge.id);
        self.store_ceremony(app, new, state, options_json(&client)?)
            .await
    }

    /// What an address without passkeys is offered: a credential id that looks real and is
    /// stable per address, so the answer does not reveal whether it has an account.
    fn decoy_credential(&self, app: &App, email: &EmailAddress) -> (Vec<u8>, AuthTransports) {
        let mut fake = self.auth.master_key.keyed_hash(&[
            b"decoy credential",
            app.id.as_str().as_bytes(),
            email.lowercase().as_bytes(),
        ]);
        // Real credential ids vary in length (16 bytes for some providers, 20 for others,
        // more for security keys); so does the decoy, stably per address.
        let len = 16 + usize::from(fake[31] % 17);
        fake.truncate(len);
        (
            fake,
            transports_from_strings(&["internal".to_owned(), "hybrid".to_owned()]),
        )
    }

    /// Finishes a sign-in (WebAuthn L3 §7.2): parse, verify, act.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn finish_authentication(
        &self,
        app: &App,
        body: &[u8],
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let throttle = self.auth.throttle();
        let client = throttle::client_key(meta);
        throttle.hit(Rule::PasskeyVerify, &client)?;
        throttle.check(Rule::FailedAssertions, &client)?;
        // Parse.
        let credential = BrowserCredential::parse(body)?;
        let ceremony = self
            .open_ceremony(
                app,
                &credential,
                &[CeremonyKind::Authenticate, CeremonyKind::AuthenticateAllow],
            )
            .await?;
        let user_verified = credential.user_verified();
        let assertion = Assertion::parse(credential, ceremony.kind)?;
        let credential_id = b64url(&assertion.raw_id());
        // Failures are counted per client and per passkey from that client: not per passkey
        // alone, which would let anyone lock its owner out.
        let passkey_client = format!("{}:{credential_id}|{client}", app.id);
        throttle.check(Rule::FailedAssertionsPasskey, &passkey_client)?;
        // A refusal counts unless it was a replay of a challenge another request used first
        // (then the refusal is that, whatever this request's own check found: under
        // concurrent replays the passkey's counter has often moved on by then).
        let failed = |refusal: Error| {
            if !matches!(refusal, Error::ChallengeExpired(_)) {
                throttle.count(Rule::FailedAssertions, &client);
                throttle.count(Rule::FailedAssertionsPasskey, &passkey_client);
            }
            refusal
        };
        let mut reader = self.auth.store.read().await?;
        let stored =
            store::passkeys::find_passkey_with_user(&mut reader.conn(), &app.id, &credential_id)
                .await?;
        drop(reader);
        let Some((passkey, owner, access)) = stored else {
            let refusal = if assertion.is_discoverable() {
                // The browser chose this passkey itself: naming it lets the page have it
                // forgotten (the Signal API), and reveals nothing the caller did not hold.
                Error::UnknownCredential {
                    detail: "this passkey is not registered with this app".to_owned(),
                    credential_id,
                }
            } else {
                // Asked for by address: the allow list of an address without passkeys is a
                // decoy, and answering it differently would tell which addresses have accounts.
                assertion_refused("this passkey is not registered with this app")
            };
            return Err(failed(
                self.fail_ceremony(app, &ceremony, None, refusal, meta)
                    .await,
            ));
        };
        // Verify.
        let checked = verify_assertion(app, &ceremony, &assertion, &passkey, user_verified)
            .and_then(|updated| match &owner {
                // A disabled account is refused like a failed assertion: the challenge is used
                // up.
                Some(user) if user.disabled => {
                    Err(Error::Forbidden("this account is disabled".to_owned()))
                }
                _ => Ok(updated),
            });
        let updated = match checked {
            Ok(updated) => updated,
            Err(
                refusal @ (Error::InvalidCredential(_)
                | Error::AssertionRefused { .. }
                | Error::Forbidden(_)),
            ) => {
                return Err(failed(
                    self.fail_ceremony(app, &ceremony, Some(&passkey.user_id), refusal, meta)
                        .await,
                ));
            }
            Err(e) => return Err(e),
        };
        // Act: a sign-in's second factor, the signed-in user proving themselves again, or a
        // sign-in.
        let proof = Proof::passkey(
            user_verified,
            events::data([
                ("passkey_id", json!(passkey.id)),
                ("discoverable", json!(assertion.is_discoverable())),
            ]),
        );
        let purpose = match (&ceremony.mfa_challenge, requester) {
            (Some(id), _) => Purpose::SecondFactor(id.clone()),
            (None, Some(p)) if p.user.id == passkey.user_id => {
                Purpose::Reauthenticate(Box::new(p.session.clone()))
            }
            (None, _) => Purpose::SignIn,
        };
        self.sign_in_with(
            app, &ceremony, passkey, updated, owner, access, proof, purpose, meta,
        )
        .await
    }

    /// Consumes the challenge and stores the passkey's new state (counter compare-and-set) in
    /// the sign-in's transaction, then signs the owner in.
    #[allow(clippy::too_many_arguments)]
    async fn sign_in_with(
        &self,
        app: &App,
        ceremony: &Ceremony,
        mut passkey: Passkey,
        updated: DynamicState,
        owner: Option<User>,
        access: Access,
        proof: Proof,
        purpose: Purpose,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let in_flight = self.auth.ceremonies.clone();
        let (ceremony, meta) = (ceremony.clone(), meta.clone());
        // A plain sign-in is one statement on PostgreSQL; the others write more, and so does
        // one the policy step may hold back.
        let plain = matches!(purpose, Purpose::SignIn) && !mfa::may_hold_back(app, &proof);
        self.auth
            .sign_ins()
            .run_unit(app, plain, move |conn, tx| {
                Box::pin(async move {
                    // The owner as read before; the pipeline refuses, in its statement, an owner
                    // disabled or deleted since.
                    let user = owner.ok_or_else(|| {
                        Error::InvalidCredential(
                            "this passkey's account no longer exists".to_owned(),
                        )
                    })?;
                    let previous_count = passkey.sign_count;
                    passkey.dynamic_state =
                        updated.encode().unwrap_or_else(|e| match e {}).to_vec();
                    passkey.sign_count = i64::from(updated.sign_count);
                    passkey.backup_state = matches!(updated.backup, Backup::Exists);
                    passkey.user_verified = updated.user_verified;
                    passkey.last_used_at = Some(tx.now);
                    let challenge = in_flight.stored_challenge(&ceremony);
                    if challenge.is_none() && !in_flight.take(conn, &ceremony).await? {
                        return Err(already_used());
                    }
                    let claim = store::sessions::PasskeyClaim {
                        challenge,
                        passkey: &passkey,
                        previous_count,
                    };
                    match purpose {
                        Purpose::SignIn => {
                            tx.finish_claiming(conn, user, proof, &meta, Some(claim), Some(access))
                                .await
                        }
                        Purpose::SecondFactor(id) => {
                            let pending =
                                mfa::take_challenge(conn, &tx.app().id, &id, tx.now).await?;
                            if pending.user_id != user.id {
                                return Err(Error::Internal(
                                    "a second-factor ceremony for another user".to_owned(),
                                ));
                            }
                            let proof = Proof::second_factor(
                                pending.method,
                                &pending.amr,
                                SecondFactor::Passkey,
                                proof.details,
                            )?;
                            tx.finish_claiming(conn, user, proof, &meta, Some(claim), Some(access))
                                .await
                        }
                        Purpose::Reauthenticate(session) => {
                            let written =
                                store::sessions::claim_passkey(conn, &tx.app().id, &claim).await?;
                            check_claim(written)?;
                            mfa::step_up(
                                conn,
                                &tx,
                                *session,
                                user,
                                &proof.amr,
                                proof.details,
                                &meta,
                            )
                            .await
                        }
                    }
                })
            })
            .await
    }
}

/// What a verified assertion is for.
enum Purpose {
    /// Signing in.
    SignIn,
    /// Completing the held-back sign-in of this MFA challenge.
    SecondFactor(String),
    /// Re-authenticating the signed-in user's session, which goes on.
    Reauthenticate(Box<Session>),
}

/// The library's verdict on an assertion for the stored passkey: the passkey's new dynamic
/// state (flags, counter), or the refusal.
fn verify_assertion(
    app: &App,
    ceremony: &Ceremony,
    assertion: &Assertion,
    passkey: &Passkey,
    user_verified: bool,
) -> Result<DynamicState> {
    let handle = user_handle(&passkey.user_id)?;
    let static_state =
        webauthn_rp::response::register::StaticState::decode(passkey.static_state.as_slice())
            .map_err(|e| Error::Internal(format!("stored passkey unreadable: {e}")))?;
    let dyn_bytes: [u8; 7] = passkey
        .dynamic_state
        .as_slice()
        .try_into()
        .map_err(|_| Error::Internal("stored passkey state has the wrong size".to_owned()))?;
    let dynamic_state = DynamicState::decode(dyn_bytes)
        .map_err(|e| Error::Internal(format!("stored passkey state unreadable: {e}")))?;
    let rp_id = rp_id(app)?;
    let web_origins = app.web_origins();
    let origins: Vec<&str> = web_origins.iter().map(String::as_str).collect();
    let options = AuthenticationVerificationOptions::<&str, &str> {
        allowed_origins: &origins,
        update_uv: true,
        ..Default::default()
    };
    let raw_id = assertion.raw_id();
    let id = CredentialId::decode(raw_id.as_slice())
        .map_err(|_| Error::InvalidRequest("the credential id is malformed".to_owned()))?;
    let mut credential = AuthenticatedCredential::new(id, &handle, static_state, dynamic_state)
        .map_err(|e| Error::Internal(format!("stored passkey inconsistent: {e}")))?;
    let unreadable = |e: String| Error::Internal(format!("stored ceremony unreadable: {e}"));
    // The signature check (tens of µs through aws-lc) runs on the request's task: moving it off
    // the worker would cost more than it takes.
    let outcome = match assertion {
        Assertion::Discoverable(a) => {
            let state = DiscoverableAuthenticationServerState::decode(ceremony.state.as_slice())
                .map_err(|e| unreadable(e.to_string()))?;
            state
                .verify(&rp_id, a, &mut credential, &options)
                .map_err(|e| e.to_string())
        }
        Assertion::Allow(a) => {
            if ceremony.user_id.as_ref() != Some(&passkey.user_id) {
                Err("this passkey does not belong to the account that was asked for".to_owned())
            } else {
                let state =
                    NonDiscoverableAuthenticationServerState::decode(ceremony.state.as_slice())
                        .map_err(|e| unreadable(e.to_string()))?;
                state
                    .verify(&rp_id, a, &mut credential, &options)
                    .map_err(|e| e.to_string())
            }
        }
    };
    if let Err(e) = outcome {
        return Err(assertion_refused(&format!(
            "the passkey assertion could not be verified: {e}"
        )));
    }
    if app.user_verification == UserVerification::Required && !user_verified {
        return Err(Error::InvalidCredential(
            "this app requires user verification (PIN or biometric)".to_owned(),
        ));
    }
    Ok(credential.dynamic_state())
}

/// The one answer to an assertion that does not verify, whatever the `reason` (which the audit
/// log keeps): a bad signature on a real passkey and an answer to a decoy look the same.
fn assertion_refused(reason: &str) -> Error {
    Error::AssertionRefused {
        reason: reason.to_owned(),
    }
}
