//! The sign-in pipeline: every way in ends here.
//!
//! A method (a passkey assertion, an email code, a magic link; later TOTP, upstream providers,
//! OIDC authorize) proves who someone is and says how, as a [`Proof`] with its `amr`. From there
//! the steps are the same for all of them, in this order:
//!
//! 1. [`SignIns::run`]: the app's signing key is loaded (signing then needs no store access),
//!    then the method's unit of work runs: it does its own writes (consuming a challenge or a
//!    code, creating the account) and ends through its [`SignInTx`].
//! 2. [`SignInTx::finish`]: the policy step decides whether another factor is needed (the hook
//!    multi-factor authentication fills); if not, the session with its first refresh token, an
//!    auth token and the `sign_in.succeeded` event are written, and the user's sign-in time
//!    recorded (refusing a user disabled meanwhile). The unit commits.
//! 3. The access token is signed and the sign-in counted; the caller gets a [`SignInOutcome`].
//!
//! [`SignInTx::continue_session`] is the same ending for a session that goes on (a refresh, a
//! passkey added while signed in): new tokens for the existing session instead of a new one.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::SessionId;
use super::passkeys::ceremony::already_used;
use super::roles::Access;
use super::sessions::{Session, principal_of};
use super::store::{self, BoxFuture, Conn};
use super::tokens::AppKeys;
use super::{App, Auth, RequestMeta, User};
use crate::clock::Timestamp;
use crate::crypto::{MasterKey, Secret, SecretKind};

/// `auth_token`s live five minutes.
pub const AUTH_TOKEN_TTL: i64 = 300;

string_enum! {
    /// Authentication method references (RFC 8176, plus `passkey`): how a session's user
    /// proved themselves.
    pub enum Amr {
        /// A passkey assertion (something held).
        Passkey = "passkey",
        /// More than one factor: a user-verified passkey, or a second factor after the first.
        Mfa = "mfa",
        /// A one-time code sent by email.
        Otp = "otp",
        /// A link sent by email.
        MagicLink = "magic_link",
        /// A code from an authenticator app (RFC 6238), as a second factor.
        Totp = "totp",
        /// A single-use backup code, as a second factor.
        BackupCode = "backup_code",
    }
}

impl Amr {
    /// The kind of evidence a value stands for: two values of different kinds are two
    /// factors. `mfa` is none (it says there were two).
    fn factor(self) -> Option<u8> {
        match self {
            Self::Passkey => Some(0),
            Self::Otp | Self::MagicLink => Some(1),
            Self::Totp => Some(2),
            Self::BackupCode => Some(3),
            Self::Mfa => None,
        }
    }

    /// What a user proved in total after `first` and then `then`: both lists' values, and
    /// `mfa` once they hold two factors of different kinds (or either held two already).
    pub(crate) fn combine(first: &[Self], then: &[Self]) -> Vec<Self> {
        let mut all: Vec<Self> = Vec::with_capacity(first.len() + then.len() + 1);
        for value in first.iter().chain(then) {
            if *value != Self::Mfa && !all.contains(value) {
                all.push(*value);
            }
        }
        let mut kinds: Vec<u8> = all.iter().filter_map(|a| a.factor()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        // `mfa` goes last, after the factors it sums up.
        if kinds.len() >= 2 || first.contains(&Self::Mfa) || then.contains(&Self::Mfa) {
            all.push(Self::Mfa);
        }
        all
    }
}

/// An `amr` list as stored or signed, keeping the values this version knows: a value added by a
/// newer version (read during a rolling upgrade) is left out rather than failing the read.
pub(crate) fn amr_from_json(text: &str) -> Vec<Amr> {
    serde_json::from_str::<Vec<String>>(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|value| value.parse().ok())
        .collect()
}

/// [`amr_from_json`] for serde (`#[serde(deserialize_with = ...)]`), e.g. a token's claim.
pub(crate) fn lenient_amr<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<Amr>, D::Error> {
    let values = <Vec<String> as serde::Deserialize>::deserialize(d)?;
    Ok(values.iter().filter_map(|v| v.parse().ok()).collect())
}

string_enum! {
    /// The ways of signing in, as the app's configuration, the audit log and the metrics name
    /// them.
    pub enum SignInMethod {
        Passkey = "passkey",
        EmailOtp = "email_otp",
        MagicLink = "magic_link",
    }
}

string_enum! {
    /// A factor that can complete a sign-in the policy held back.
    pub enum SecondFactor {
        Totp = "totp",
        BackupCode = "backup_code",
        Passkey = "passkey",
    }
}

/// What a person proved, and how: the first factor of a sign-in.
#[derive(Debug)]
pub(crate) struct Proof {
    pub method: SignInMethod,
    pub amr: Vec<Amr>,
    /// Facts for the audit event (which passkey, which email purpose).
    pub details: Map<String, Value>,
}

impl Proof {
    /// A passkey assertion or a new passkey: `mfa` too when the authenticator verified the user
    /// (something held plus something known or been).
    pub fn passkey(user_verified: bool, details: Map<String, Value>) -> Self {
        let mut amr = vec![Amr::Passkey];
        if user_verified {
            amr.push(Amr::Mfa);
        }
        Self {
            method: SignInMethod::Passkey,
            amr,
            details,
        }
    }

    /// A second factor that completed a sign-in held back after `first_method` proved
    /// `first_amr`: both factors' values, and `mfa`. Refused when the second is of the same
    /// kind as the first (a passkey twice is one factor).
    pub fn second_factor(
        first_method: SignInMethod,
        first_amr: &[Amr],
        second: SecondFactor,
        details: Map<String, Value>,
    ) -> Result<Self> {
        let amr = Amr::combine(first_amr, &[super::mfa::amr_of(second)]);
        if !amr.contains(&Amr::Mfa) {
            return Err(super::mfa::same_factor_twice());
        }
        metrics::counter!(
            "latchkey_mfa_total",
            "factor" => second.as_str(),
            "outcome" => "success"
        )
        .increment(1);
        Ok(Self {
            method: first_method,
            amr,
            details,
        })
    }

    /// An email code or magic link.
    pub fn email(method: SignInMethod, details: Map<String, Value>) -> Self {
        let amr = match method {
            SignInMethod::MagicLink => Amr::MagicLink,
            SignInMethod::EmailOtp | SignInMethod::Passkey => Amr::Otp,
        };
        Self {
            method,
            amr: vec![amr],
            details,
        }
    }
}

/// Everything a successful sign-in hands back. Its secrets print redacted.
#[derive(Debug)]
pub struct SignIn {
    pub user: User,
    pub session: Session,
    /// What the user may do in the session, as its access token carries it.
    pub access: Access,
    pub access_token: Secret,
    pub expires_in: i64,
    pub refresh_token: Secret,
    pub auth_token: Secret,
    /// The browser session cookie's value, for a new session; `None` when the session goes on
    /// (the browser keeps the cookie it has).
    pub cookie: Option<Secret>,
}

/// A sign-in whose first factor held while the app's policy asks for another: no session and
/// no cookie yet, only a short-lived token that a second factor redeems.
#[derive(Debug)]
pub struct PendingSecondFactor {
    pub mfa_token: Secret,
    /// The second factors this user has.
    pub factors: Vec<SecondFactor>,
}

/// The tokens a session that goes on moves to.
pub(crate) struct NextTokens {
    pub refresh_token: Secret,
    pub auth_token: Secret,
}

impl NextTokens {
    /// Fresh random tokens.
    pub fn fresh() -> Self {
        Self {
            refresh_token: Secret::new(SecretKind::RefreshToken),
            auth_token: Secret::new(SecretKind::AuthToken),
        }
    }

    /// The tokens that follow `refresh_token`, derived from it under `key`: a rotation repeated
    /// within the reuse grace hands over the same tokens, and the store keeps only their hashes.
    pub fn following(refresh_token: &Secret, key: &MasterKey) -> Self {
        let refresh = refresh_token.successor(key, SecretKind::RefreshToken);
        Self {
            auth_token: refresh.successor(key, SecretKind::AuthToken),
            refresh_token: refresh,
        }
    }
}

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignInOutcome {
    /// Signed in: a session, its tokens and a cookie.
    SignedIn(Box<SignIn>),
    /// The policy wants another factor before there is a session.
    SecondFactorRequired(PendingSecondFactor),
}

impl SignInOutcome {
    /// The sign-in result of a session that goes on (`what`: a refresh, a re-authentication,
    /// an organization switch), which never waits for another factor.
    pub(crate) fn continued(self, what: &str) -> Result<SignIn> {
        match self {
            Self::SignedIn(sign_in) => Ok(*sign_in),
            Self::SecondFactorRequired(_) => Err(Error::Internal(format!(
                "{what} cannot be held back for another factor"
            ))),
        }
    }
}

/// The pipeline's entry.
pub(crate) struct SignIns<'a> {
    pub(super) auth: &'a Auth,
    /// The DPoP key an OAuth grant's new access token is bound to.
    pub(super) dpop_jkt: Option<String>,
}

impl SignIns<'_> {
    /// The same pipeline, binding an OAuth grant's access token to the DPoP key `jkt`.
    pub fn bound_to(mut self, jkt: Option<&str>) -> Self {
        self.dpop_jkt = jkt.map(str::to_owned);
        self
    }

    /// Runs a sign-in's unit of work: step 1 loads the app's signing key (never inside a unit:
    /// no store access waits there), then `work` does the method's own writes on the unit's
    /// connection and ends through its [`SignInTx`]; once the unit commits, a new session's
    /// access token is signed and the sign-in counted.
    pub async fn run<F>(self, app: &App, work: F) -> Result<SignInOutcome>
    where
        F: for<'c> FnOnce(&'c mut Conn<'c>, SignInTx) -> BoxFuture<'c, Result<Ending>>
            + Send
            + 'static,
    {
        self.run_unit(app, false, work).await
    }

    /// [`Self::run`], or, if `one_statement`, for a unit whose writes are one statement (a
    /// passkey sign-in through [`SignInTx::finish_claiming`]): on PostgreSQL that runs without
    /// a transaction around it ([`store::Store::write_one`]).
    pub async fn run_unit<F>(self, app: &App, one_statement: bool, work: F) -> Result<SignInOutcome>
    where
        F: for<'c> FnOnce(&'c mut Conn<'c>, SignInTx) -> BoxFuture<'c, Result<Ending>>
            + Send
            + 'static,
    {
        let tx = SignInTx {
            keys: self.auth.tokens().keys(app).await?,
            issuer: self.auth.tokens().issuer(app).into(),
            app: Arc::new(app.clone()),
            now: self.auth.clock.now(),
            dpop_jkt: self.dpop_jkt.map(Arc::from),
        };
        let after = tx.clone();
        let store = &self.auth.store;
        let ending = if one_statement {
            store.write_one(move |conn| work(conn, tx)).await?
        } else {
            store.write(move |conn| work(conn, tx)).await?
        };
        match ending {
            Ending::NewSession(written) => {
                let method = written.method;
                let sign_in = after.hand_over(*written)?;
                metrics::counter!(
                    "latchkey_sign_ins_total",
                    "method" => method.as_str(),
                    "outcome" => "success"
                )
                .increment(1);
                Ok(SignInOutcome::SignedIn(Box::new(sign_in)))
            }
            Ending::Continued(sign_in) => Ok(SignInOutcome::SignedIn(sign_in)),
            Ending::SecondFactor(pending) => Ok(SignInOutcome::SecondFactorRequired(pending)),
            Ending::Refused(refusal) => Err(refusal),
        }
    }
}

/// How a sign-in's unit of work ends; every ending commits what the unit wrote.
pub(crate) enum Ending {
    /// A new session was written; its access token is signed after the commit.
    NewSession(Box<Written>),
    /// An existing session goes on, its tokens signed inside the unit.
    Continued(Box<SignIn>),
    /// The policy holds the sign-in back for another factor.
    SecondFactor(PendingSecondFactor),
    /// No sign-in, but the unit's writes stand (a reused refresh token revoking its session).
    Refused(Error),
}

/// A new session's rows, written, and its secrets, before its access token is signed.
pub(crate) struct Written {
    method: SignInMethod,
    user: User,
    session: Session,
    /// What the user may do, for the access token.
    access: Access,
    refresh_token: Secret,
    auth_token: Secret,
    cookie: Secret,
}

/// What a sign-in's unit of work ends through: the app, its signing keys (loaded before the
/// unit), and the sign-in's moment, which every row it writes carries.
#[derive(Clone)]
pub(crate) struct SignInTx {
    keys: Arc<AppKeys>,
    issuer: Arc<str>,
    app: Arc<App>,
    pub now: Timestamp,
    dpop_jkt: Option<Arc<str>>,
}

impl SignInTx {
    /// The app signed in to.
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Steps 2 and 3 for `user`, who proved `proof`: the policy, then a new session with its
    /// tokens and event.
    pub async fn finish(
        &self,
        conn: &mut Conn<'_>,
        user: User,
        proof: Proof,
        meta: &RequestMeta,
    ) -> Result<Ending> {
        self.finish_claiming(conn, user, proof, meta, None, None)
            .await
    }

    /// [`Self::finish`] with a passkey assertion's own writes (its ceremony consumed, its
    /// counter moved), made with the sign-in's: on PostgreSQL the whole sign-in is then one
    /// statement. The session is written only if the claim holds. `access` is what the user may
    /// do, when the caller read it with the user (a one-statement unit must); else it is read
    /// here.
    pub async fn finish_claiming(
        &self,
        conn: &mut Conn<'_>,
        mut user: User,
        proof: Proof,
        meta: &RequestMeta,
        claim: Option<store::sessions::PasskeyClaim<'_>>,
        access: Option<Access>,
    ) -> Result<Ending> {
        let (app, now) = (&*self.app, self.now);
        if user.disabled {
            return Err(Error::Forbidden("this account is disabled".to_owned()));
        }
        if let Some(factors) = super::mfa::factors_needed(conn, app, &user, &proof).await? {
            // The first factor's own writes stand (a passkey's challenge and counter); the
            // session waits for the second.
            if let Some(claim) = &claim {
                let written = store::sessions::claim_passkey(conn, &app.id, claim).await?;
                check_claim(written)?;
            }
            let pending =
                super::mfa::issue_challenge(conn, app, &user, &proof, factors, meta, now).await?;
            return Ok(Ending::SecondFactor(pending));
        }
        let cookie = Secret::new(SecretKind::SessionCookie);
        let refresh_token = Secret::new(SecretKind::RefreshToken);
        let auth_token = Secret::new(SecretKind::AuthToken);
        let session = Session {
            id: SessionId::generate(),
            app_id: app.id.clone(),
            user_id: user.id.clone(),
            amr: proof.amr,
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + app.refresh_token_ttl,
            revoked_at: None,
            auth_time: now,
            org_id: None,
            grant: None,
        };
        let mut details = proof.details;
        details.insert("method".to_owned(), json!(proof.method));
        details.insert("session_id".to_owned(), json!(session.id));
        let event = events::Event::new(
            &app.id,
            EventKind::SignInSucceeded,
            Some(&user.id),
            meta,
            details,
            now,
        );
        // The user's sign-in time is written with the rows, as one column and only while the
        // user is enabled: a whole-row write could undo a concurrent change (a disable), and a
        // disable that committed first stops the sign-in before its session is written.
        // A new session has no organization: the user's app-wide roles.
        let access = match access {
            Some(access) => access,
            None => store::roles::user_access(conn, &app.id, &user.id, None).await?,
        };
        let written = store::sessions::insert_sign_in(
            conn,
            &store::sessions::NewSignIn {
                session: &session,
                cookie_hash: &cookie.hash(),
                refresh_token_hash: &refresh_token.hash(),
                auth_token_hash: &auth_token.hash(),
                auth_token_expires_at: now + AUTH_TOKEN_TTL,
                event: &event,
                claim,
            },
        )
        .await?;
        check_claim(written)?;
        if !written.user_enabled {
            return Err(Error::Forbidden(
                "this account is disabled or no longer exists".to_owned(),
            ));
        }
        user.last_sign_in_at = Some(now);
        Ok(Ending::NewSession(Box::new(Written {
            method: proof.method,
            user,
            session,
            access,
            refresh_token,
            auth_token,
            cookie,
        })))
    }

    /// The ending for a session that goes on: a new refresh token (the caller has spent the
    /// old one), a new auth token and access token, the session slid forward. `user` is the
    /// session's user as read inside this unit (`None`: the row is gone), and must still be
    /// allowed in. The token is signed here, before the commit: the old refresh token is spent,
    /// so its caller must get the new tokens, or a retry would look like reuse and revoke the
    /// session.
    pub async fn continue_session(
        &self,
        conn: &mut Conn<'_>,
        mut session: Session,
        user: Option<User>,
        next: NextTokens,
    ) -> Result<Ending> {
        let now = self.now;
        let user = principal_of(session.clone(), user, now)?.user;
        let NextTokens {
            refresh_token,
            auth_token,
        } = next;
        session.last_seen_at = now;
        session.expires_at = now + self.app.refresh_token_ttl;
        store::sessions::continue_session(
            conn,
            &session,
            &refresh_token.hash(),
            &auth_token.hash(),
            now + AUTH_TOKEN_TTL,
        )
        .await?;
        let org = session.org_id.as_deref();
        let access = store::roles::user_access(conn, &self.app.id, &user.id, org).await?;
        let (access_token, expires_in) = self.sign(&user, &session, &access)?;
        Ok(Ending::Continued(Box::new(SignIn {
            user,
            session,
            access,
            access_token,
            expires_in,
            refresh_token,
            auth_token,
            cookie: None,
        })))
    }

    /// The ending for a rotation repeated within the reuse grace: the tokens the first rotation
    /// handed over (`next`, derived again), nothing written, and an access token signed for the
    /// session as it stands. `user` must still be allowed in.
    pub async fn continue_again(
        &self,
        conn: &mut Conn<'_>,
        session: Session,
        user: Option<User>,
        next: NextTokens,
    ) -> Result<Ending> {
        let user = principal_of(session.clone(), user, self.now)?.user;
        let org = session.org_id.as_deref();
        let access = store::roles::user_access(conn, &self.app.id, &user.id, org).await?;
        let (access_token, expires_in) = self.sign(&user, &session, &access)?;
        Ok(Ending::Continued(Box::new(SignIn {
            user,
            session,
            access,
            access_token,
            expires_in,
            refresh_token: next.refresh_token,
            auth_token: next.auth_token,
            cookie: None,
        })))
    }

    /// A new session's sign-in result, its access token signed now (after the commit).
    fn hand_over(&self, written: Written) -> Result<SignIn> {
        let (access_token, expires_in) =
            self.sign(&written.user, &written.session, &written.access)?;
        Ok(SignIn {
            user: written.user,
            session: written.session,
            access: written.access,
            access_token,
            expires_in,
            refresh_token: written.refresh_token,
            auth_token: written.auth_token,
            cookie: Some(written.cookie),
        })
    }

    /// The session's access token, signed with the keys loaded before the unit (no store
    /// access): an OAuth access token for a client's grant, else a Latchkey one.
    fn sign(&self, user: &User, session: &Session, access: &Access) -> Result<(Secret, i64)> {
        if session.grant.is_some() {
            let jkt = self.dpop_jkt.as_deref();
            return super::oidc::oauth_access_token(
                &self.keys,
                &self.issuer,
                &self.app,
                user,
                session,
                jkt,
                self.now,
            );
        }
        self.keys
            .sign_access_token(&self.issuer, &self.app, user, session, access, self.now)
    }
}

/// Refuses a passkey claim that did not hold: its challenge already used, or its passkey used
/// or removed at the same moment.
pub(crate) fn check_claim(written: store::sessions::SignInWritten) -> Result<()> {
    if !written.ceremony_taken {
        return Err(already_used());
    }
    if !written.passkey_updated {
        return Err(Error::InvalidCredential(
            "the passkey was used or removed at the same moment: sign in again".to_owned(),
        ));
    }
    Ok(())
}

/// Counts a failed sign-in of `method`.
pub(crate) fn count_failure(method: SignInMethod) {
    metrics::counter!(
        "latchkey_sign_ins_total",
        "method" => method.as_str(),
        "outcome" => "failure"
    )
    .increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amr_lists_keep_the_values_this_version_knows() {
        assert_eq!(
            amr_from_json(r#"["passkey","fed","mfa"]"#),
            vec![Amr::Passkey, Amr::Mfa]
        );
        assert_eq!(amr_from_json("not json"), Vec::<Amr>::new());
        let claims: Vec<Amr> =
            lenient_amr(serde_json::json!(["otp", "sms"])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claims, vec![Amr::Otp]);
    }

    #[test]
    fn proofs_name_their_factors() {
        assert_eq!(
            Proof::passkey(true, Map::new()).amr,
            vec![Amr::Passkey, Amr::Mfa]
        );
        assert_eq!(Proof::passkey(false, Map::new()).amr, vec![Amr::Passkey]);
        let link = Proof::email(SignInMethod::MagicLink, Map::new());
        assert_eq!(link.amr, vec![Amr::MagicLink]);
        assert_eq!(
            Proof::email(SignInMethod::EmailOtp, Map::new()).amr,
            vec![Amr::Otp]
        );
    }
}
