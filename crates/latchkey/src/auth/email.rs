//! Email one-time codes and magic links: sign-up, sign-in, email verification, and so account
//! recovery (an email sign-in, then a new passkey).
//!
//! One request sends one email holding a 6-digit code and a magic link; both redeem the same
//! row, once. Codes are stored as keyed hashes (HMAC under a key derived from the master key)
//! and die after five wrong attempts; link tokens are 256-bit and stored as SHA-256. Requests are
//! throttled per address and per IP by the one rate limiter, and answered identically whether
//! or not the address has an account.

use std::sync::Arc;

use rand::Rng;
use serde::Deserialize;
use serde_json::json;

use super::error::{Error, Result, invalid};
use super::events::{self, EventKind};
use super::ids::{AppId, SessionId, UserId, new_id};
use super::jobs::{self, Attempt, EmailJob, Job, JobFailure};
use super::sign_in::{Ending, Proof, SignInMethod, SignInOutcome, SignInTx};
use super::store::{self, Conn};
use super::throttle::Rule;
use super::users::{Profile, SignUp, create_account};
use super::{App, Auth, EmailAddress, Principal, RequestMeta, Site, User};
use crate::clock::Timestamp;
use crate::crypto::{MasterKey, Secret, SecretKind, ct_eq};

/// Codes and links live ten minutes.
pub const CODE_TTL: i64 = 600;
/// Wrong codes a code survives.
pub const MAX_ATTEMPTS: i64 = 5;
/// Code rows are kept a day past expiry, for the audit trail of what was asked.
const RETENTION: i64 = 86_400;
string_enum! {
    /// What an email's code and link are for.
    pub enum CodePurpose {
        SignIn = "sign_in",
        SignUp = "sign_up",
        VerifyEmail = "verify_email",
    }
}

string_enum! {
    /// Why an email is sent: a code's purpose, or a notice that the account's security changed.
    pub enum EmailPurpose {
        SignIn = "sign_in",
        SignUp = "sign_up",
        VerifyEmail = "verify_email",
        SecurityNotice = "security_notice",
        Invitation = "invitation",
    }
}

impl From<CodePurpose> for EmailPurpose {
    fn from(purpose: CodePurpose) -> Self {
        match purpose {
            CodePurpose::SignIn => Self::SignIn,
            CodePurpose::SignUp => Self::SignUp,
            CodePurpose::VerifyEmail => Self::VerifyEmail,
        }
    }
}

/// A code and link awaiting redemption, as stored.
#[derive(Clone, Debug)]
pub(crate) struct EmailCode {
    pub id: String,
    pub app_id: AppId,
    pub email: EmailAddress,
    /// `None`: a decoy, written when nothing was sent, which no code or link can ever redeem.
    pub purpose: Option<CodePurpose>,
    pub user_id: Option<UserId>,
    /// verify_email: the session that asked, the only one that may redeem it.
    pub session_id: Option<SessionId>,
    pub code_hash: Vec<u8>,
    pub token_hash: Vec<u8>,
    pub binding_hash: Option<Vec<u8>>,
    pub attempts: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub replaced_at: Option<Timestamp>,
    /// When its link was confirmed on another device than the one that asked.
    pub approved_at: Option<Timestamp>,
}

impl EmailCode {
    /// Whether it can still be redeemed at `now` (ignoring attempts).
    fn is_live(&self, now: Timestamp) -> bool {
        self.used_at.is_none() && self.replaced_at.is_none() && self.expires_at > now
    }

    /// Whether it can still be redeemed at `now`: live, and not killed by wrong codes.
    fn is_usable(&self, now: Timestamp) -> bool {
        self.is_live(now) && self.attempts < MAX_ATTEMPTS
    }
}

/// `POST /apps/{app}/otp/email`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailCodeRequest {
    pub email: String,
    /// `sign_in` when left out.
    #[serde(default = "sign_in_purpose")]
    pub purpose: CodePurpose,
}

fn sign_in_purpose() -> CodePurpose {
    CodePurpose::SignIn
}

/// What the caller must hand back to the browser after a code request.
#[derive(Debug)]
pub struct CodeRequested {
    /// The value of the short-lived cookie that binds magic links to this browser.
    pub binding: Secret,
}

/// Email one-time codes and magic links.
pub struct EmailCodes<'a> {
    pub(super) auth: &'a Auth,
}

impl EmailCodes<'_> {
    /// Sends a code and link for the request's purpose to its address, if there is something
    /// to send; answers the same either way.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn request(
        &self,
        app: &App,
        site: Site,
        principal: Option<&Principal>,
        req: EmailCodeRequest,
        meta: &RequestMeta,
    ) -> Result<CodeRequested> {
        let email = EmailAddress::parse(&req.email)?;
        let purpose = req.purpose;
        if purpose == CodePurpose::VerifyEmail {
            let p = principal.ok_or_else(|| {
                Error::Unauthorized("verify_email needs the signed-in user's session".to_owned())
            })?;
            if !p.user.has_email(&email) {
                return invalid(
                    "verify_email sends only to the signed-in user's own email address",
                );
            }
        }
        let throttle = self.auth.throttle();
        throttle.hit_client(Rule::EmailRequests, meta)?;
        throttle.hit(
            Rule::EmailAddress,
            &format!("{}:{}", app.id, email.mailbox()),
        )?;
        let binding = Secret::new(SecretKind::LinkBinding);
        let request = Request {
            app: Arc::new(app.clone()),
            master_key: Arc::clone(&self.auth.master_key),
            base_url: self.auth.apps().base_url(app, site),
            requester: principal.map(|p| (p.user.id.clone(), p.session.id.clone())),
            email,
            purpose,
            binding_hash: binding.hash(),
            meta: meta.clone(),
            now: self.auth.clock.now(),
        };
        let written = self
            .auth
            .store
            .write(move |tx| Box::pin(request.write(tx)))
            .await?;
        match written {
            Requested::Nothing => Ok(CodeRequested { binding }),
            Requested::Enqueued => {
                self.auth.jobs.notify();
                Ok(CodeRequested { binding })
            }
        }
    }

    /// One attempt at delivering an email of the outbox, recorded as `email.sent` or
    /// `email.delivery_failed` (the outbox tries again later, until the code expires).
    pub(crate) async fn deliver(
        &self,
        job: EmailJob,
        attempt: &Attempt,
    ) -> std::result::Result<(), JobFailure> {
        let outcome = self.auth.mailer.send(&job.message).await;
        let (kind, data) = match &outcome {
            Ok(where_to) => {
                tracing::info!(app = %job.app_id, job = %attempt.job_id, purpose = %job.purpose, to = %where_to, "email sent");
                (
                    EventKind::EmailSent,
                    events::data([("purpose", json!(job.purpose))]),
                )
            }
            Err(error) => {
                tracing::warn!(app = %job.app_id, job = %attempt.job_id, purpose = %job.purpose, attempt = attempt.number, %error, "email delivery failed");
                (
                    EventKind::EmailDeliveryFailed,
                    events::data([
                        ("purpose", json!(job.purpose)),
                        ("error", json!(error.message)),
                        ("attempt", json!(attempt.number)),
                    ]),
                )
            }
        };
        let now = self.auth.clock.now();
        let (app_id, user_id, meta) = (job.app_id.clone(), job.user_id.clone(), job.meta.clone());
        let recorded = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    events::record(conn, &app_id, kind, user_id.as_ref(), &meta, data, now).await
                })
            })
            .await;
        if let Err(e) = recorded {
            // The delivery's outcome stands; only its audit record is missing.
            tracing::warn!(error = %e, "recording the email outcome failed");
        }
        outcome.map(|_| ()).map_err(|e| {
            if e.permanent {
                JobFailure::Permanent(e.message)
            } else {
                JobFailure::Retry(e.message)
            }
        })
    }

    /// Signs in with the 6-digit code from the email.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn sign_in_with_code(
        &self,
        app: &App,
        email: &str,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let email = EmailAddress::parse(email)?;
        let code = check_code_format(code)?;
        self.throttle_redemption(meta)?;
        let mut reader = self.auth.store.read().await?;
        let row = store::email_codes::find_latest(&mut reader.conn(), &app.id, &email.lowercase())
            .await?;
        drop(reader);
        self.redeem_code(app, row, code, requester, meta).await
    }

    /// Signs in with the code from the email of the link `token`: what the link's page offers
    /// when it is opened in another browser than the one that asked.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn sign_in_with_link_code(
        &self,
        app: &App,
        token: &Secret,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let code = check_code_format(code)?;
        self.throttle_redemption(meta)?;
        let mut reader = self.auth.store.read().await?;
        let row =
            store::email_codes::find_by_token(&mut reader.conn(), &app.id, &token.hash()).await?;
        drop(reader);
        match row {
            Some(row) => {
                self.redeem_code(app, Some(row), code, requester, meta)
                    .await
            }
            None => Err(expired()),
        }
    }

    fn throttle_redemption(&self, meta: &RequestMeta) -> Result<()> {
        self.auth.throttle().hit_client(Rule::CodeAttempts, meta)
    }

    /// Checks `code` against the row (counting a wrong one) and redeems it.
    async fn redeem_code(
        &self,
        app: &App,
        row: Option<EmailCode>,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let wrong = |attempts_left: i64| Error::InvalidCode {
            detail: if attempts_left > 0 {
                format!("the code is not right: {attempts_left} attempts left")
            } else {
                "the code is not right, and too many wrong codes were tried: request a new one"
                    .to_owned()
            },
            attempts_left: Some(attempts_left),
        };
        let Some(row) = row else {
            return Err(wrong(MAX_ATTEMPTS));
        };
        if row.attempts >= MAX_ATTEMPTS {
            return Err(wrong(0));
        }
        let now = self.auth.clock.now();
        if !row.is_live(now) {
            return Err(expired());
        }
        if !ct_eq(
            &code_hash(&self.auth.master_key, &row.id, code),
            &row.code_hash,
        ) {
            let (app_id, meta) = (app.id.clone(), meta.clone());
            let attempts = self
                .auth
                .store
                .write(move |tx| {
                    Box::pin(async move {
                        let attempts = store::email_codes::count_attempt(tx, &row.id).await?;
                        events::record(
                            tx,
                            &app_id,
                            EventKind::SignInFailed,
                            row.user_id.as_ref(),
                            &meta,
                            events::data([
                                ("method", json!(SignInMethod::EmailOtp)),
                                ("reason", json!("wrong code")),
                            ]),
                            now,
                        )
                        .await?;
                        Ok::<_, Error>(attempts)
                    })
                })
                .await?;
            super::sign_in::count_failure(SignInMethod::EmailOtp);
            return Err(wrong((MAX_ATTEMPTS - attempts).max(0)));
        }
        self.redeem(app, row, SignInMethod::EmailOtp, requester, meta)
            .await
    }

    /// Signs in with the magic link's token, in the browser holding `binding` if the link is
    /// bound.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn sign_in_with_link(
        &self,
        app: &App,
        token: &Secret,
        binding: Option<&Secret>,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        self.throttle_redemption(meta)?;
        let row = self.live_link(app, token, binding).await?;
        self.redeem(app, row, SignInMethod::MagicLink, requester, meta)
            .await
    }

    /// Confirms, from another device than the one that asked, the sign-in the link `token` is
    /// for: the asking browser then signs in by [`Self::link_status`]. Only for a live sign-in
    /// or sign-up link bound to the browser that asked; recorded as `email.link_approved`.
    pub async fn approve_link(&self, app: &App, token: &Secret, meta: &RequestMeta) -> Result<()> {
        self.throttle_redemption(meta)?;
        let row = self.usable_link(app, token).await?;
        let approvable = app.cross_device_links
            && matches!(row.purpose, Some(CodePurpose::SignIn | CodePurpose::SignUp))
            && row.binding_hash.is_some();
        if !approvable {
            return Err(expired());
        }
        let (now, meta, app_id) = (self.auth.clock.now(), meta.clone(), app.id.clone());
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::email_codes::approve(conn, &row.id, now).await? {
                        return Err(expired());
                    }
                    let data = events::data([("purpose", json!(row.purpose))]);
                    let kind = EventKind::EmailLinkApproved;
                    events::record(conn, &app_id, kind, row.user_id.as_ref(), &meta, data, now)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Where the latest email request of the browser holding `binding` stands: still pending,
    /// over (used, replaced, expired, or never made), or confirmed on another device, in which
    /// case this call signs the browser in (once).
    pub async fn link_status(
        &self,
        app: &App,
        binding: &Secret,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<LinkStatus> {
        self.auth.throttle().hit_client(Rule::LinkPolls, meta)?;
        let mut reader = self.auth.store.read().await?;
        let row = store::email_codes::find_by_binding(&mut reader.conn(), &app.id, &binding.hash())
            .await?;
        drop(reader);
        let now = self.auth.clock.now();
        let Some(row) = row.filter(|r| r.is_usable(now)) else {
            return Ok(LinkStatus::Over);
        };
        if row.approved_at.is_none() {
            return Ok(LinkStatus::Pending);
        }
        match self
            .redeem(app, row, SignInMethod::MagicLink, requester, meta)
            .await
        {
            Ok(outcome) => Ok(LinkStatus::SignedIn(outcome)),
            // Used by a concurrent poll.
            Err(Error::ChallengeExpired(_)) => Ok(LinkStatus::Over),
            Err(e) => Err(e),
        }
    }

    /// Whether the link `token` can be used in the browser holding `binding` (what its page
    /// checks before offering to sign in); does not consume it.
    pub async fn check_link(
        &self,
        app: &App,
        token: &Secret,
        binding: Option<&Secret>,
    ) -> Result<()> {
        self.live_link(app, token, binding).await.map(|_| ())
    }

    /// The row behind the link `token`, if it can be used in the browser holding `binding`.
    async fn live_link(
        &self,
        app: &App,
        token: &Secret,
        binding: Option<&Secret>,
    ) -> Result<EmailCode> {
        let row = self.usable_link(app, token).await?;
        if let Some(expected) = &row.binding_hash
            && !binding.is_some_and(|b| ct_eq(&b.hash(), expected))
        {
            return Err(Error::LinkOtherBrowser(
                "this link works only in the browser that asked for it: enter the 6-digit code \
                 from the same email instead"
                    .to_owned(),
            ));
        }
        Ok(row)
    }

    /// The row behind the link `token`, if it can still be redeemed (anywhere).
    async fn usable_link(&self, app: &App, token: &Secret) -> Result<EmailCode> {
        if !SecretKind::MagicLink.is_kind_of(token.expose()) {
            return Err(expired());
        }
        let mut reader = self.auth.store.read().await?;
        let row = store::email_codes::find_by_token(&mut reader.conn(), &app.id, &token.hash())
            .await?
            .ok_or_else(expired)?;
        drop(reader);
        if !row.is_usable(self.auth.clock.now()) {
            return Err(expired());
        }
        Ok(row)
    }

    /// Consumes a verified code or link row and signs its address's owner in, through the
    /// sign-in pipeline (creating the account when the email was a sign-up).
    async fn redeem(
        &self,
        app: &App,
        row: EmailCode,
        method: SignInMethod,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let Some(purpose) = row.purpose else {
            return Err(expired());
        };
        // A verify_email code proves the address only to the session that asked for it; from
        // anywhere else it would hand that account to whoever holds the email (and verify an
        // address whose account someone else may have set up): refused, and left unspent.
        if purpose == CodePurpose::VerifyEmail {
            let same_session = requester.is_some_and(|p| {
                row.session_id.as_ref() == Some(&p.session.id)
                    && row.user_id.as_ref() == Some(&p.user.id)
            });
            if !same_session {
                return Err(Error::Forbidden(
                    "this code verifies the email of the session that asked for it: enter it \
                     there, signed in"
                        .to_owned(),
                ));
            }
        }
        let meta = meta.clone();
        self.auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(redeem_row(conn, tx, row, purpose, method, meta))
            })
            .await
    }
}

/// Consumes a code or link row inside the sign-in's unit of work and ends through the
/// pipeline.
async fn redeem_row(
    conn: &mut Conn<'_>,
    tx: SignInTx,
    row: EmailCode,
    purpose: CodePurpose,
    method: SignInMethod,
    meta: RequestMeta,
) -> Result<Ending> {
    let (app, now) = (tx.app(), tx.now);
    if !store::email_codes::take_code(conn, &row.id, now, MAX_ATTEMPTS).await? {
        return Err(expired());
    }
    let user = match purpose {
        CodePurpose::VerifyEmail => {
            let user = match &row.user_id {
                Some(id) => store::users::find_user(conn, &app.id, id).await?,
                None => None,
            };
            let user = user.filter(|u| u.has_email(&row.email)).ok_or_else(|| {
                Error::ChallengeExpired(
                    "the account's email address has changed since this code was sent".to_owned(),
                )
            })?;
            mark_verified(conn, app, user, &meta, now, false).await?
        }
        CodePurpose::SignIn | CodePurpose::SignUp => {
            match store::users::find_user_by_email(conn, &app.id, &row.email).await? {
                Some(user) => mark_verified(conn, app, user, &meta, now, true).await?,
                None => {
                    let profile = Profile {
                        email: Some(row.email.clone()),
                        ..Profile::default()
                    };
                    let how = SignUp::Email(method);
                    create_account(conn, app, UserId::generate(), profile, how, &meta, now).await?
                }
            }
        }
    };
    let proof = Proof::email(method, events::data([("purpose", json!(purpose))]));
    tx.finish(conn, user, proof, &meta).await
}

/// An email request, decided and written in one unit of work.
struct Request {
    app: Arc<App>,
    master_key: Arc<MasterKey>,
    /// The base of the app's paths where the request came in: the link goes there, where the
    /// browser that asked holds its binding cookie.
    base_url: String,
    /// The signed-in user and session that asked, if any.
    requester: Option<(UserId, SessionId)>,
    email: EmailAddress,
    purpose: CodePurpose,
    binding_hash: Vec<u8>,
    meta: RequestMeta,
    now: Timestamp,
}

/// Where a browser's latest email request stands ([`EmailCodes::link_status`]).
#[derive(Debug)]
pub enum LinkStatus {
    /// Neither used nor confirmed yet.
    Pending,
    /// Used, replaced, expired, or never made from this browser.
    Over,
    /// Confirmed on another device: this browser is now signed in.
    SignedIn(SignInOutcome),
}

/// What an email request wrote.
enum Requested {
    /// Nothing to send: a decoy row stands in for the code.
    Nothing,
    /// A code row and its email job.
    Enqueued,
}

impl Request {
    async fn write(self, tx: &mut Conn<'_>) -> Result<Requested> {
        let (app, now) = (&*self.app, self.now);
        let existing = store::users::find_user_by_email(tx, &app.id, &self.email).await?;
        // What this request really sends, whatever the caller asked: an address's owner always
        // gets a way in, strangers get nothing that reveals an account.
        let send = match (self.purpose, &existing) {
            (CodePurpose::VerifyEmail, _) => self
                .requester
                .as_ref()
                .map(|(user_id, _)| (CodePurpose::VerifyEmail, Some(user_id.clone()))),
            (_, Some(user)) if user.disabled => None,
            (_, Some(_)) => Some((CodePurpose::SignIn, None)),
            (CodePurpose::SignUp, None) if app.sign_up_allowed => Some((CodePurpose::SignUp, None)),
            (CodePurpose::SignIn, None) if app.sign_up_allowed && app.unknown_email_sign_up => {
                Some((CodePurpose::SignUp, None))
            }
            _ => None,
        };
        store::email_codes::replace_pending(tx, &app.id, &self.email.lowercase(), now).await?;
        let Some((purpose, user_id)) = send else {
            // Nothing is sent, but a code row is written all the same (one no code can ever
            // match): a guess at it then answers exactly like a guess at a real one, so wrong
            // codes do not reveal which addresses have accounts.
            let decoy = EmailCode {
                id: new_id(),
                app_id: app.id.clone(),
                email: self.email,
                purpose: None,
                user_id: None,
                session_id: None,
                code_hash: crate::crypto::random_bytes::<32>().to_vec(),
                token_hash: crate::crypto::random_bytes::<32>().to_vec(),
                binding_hash: None,
                attempts: 0,
                created_at: now,
                expires_at: now + CODE_TTL,
                used_at: None,
                replaced_at: None,
                approved_at: None,
            };
            store::email_codes::insert_code(tx, &decoy).await?;
            return Ok(Requested::Nothing);
        };
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        let token = Secret::new(SecretKind::MagicLink);
        let id = new_id();
        let row = EmailCode {
            code_hash: code_hash(&self.master_key, &id, &code),
            id,
            app_id: app.id.clone(),
            email: self.email.clone(),
            purpose: Some(purpose),
            user_id: user_id.clone(),
            // verify_email belongs to the session that asked for it.
            session_id: self
                .requester
                .filter(|_| purpose == CodePurpose::VerifyEmail)
                .map(|(_, session_id)| session_id),
            token_hash: token.hash(),
            binding_hash: app.magic_link_binding.then_some(self.binding_hash),
            attempts: 0,
            created_at: now,
            expires_at: now + CODE_TTL,
            used_at: None,
            replaced_at: None,
            approved_at: None,
        };
        let link = format!("{}/login/magic?token={}", self.base_url, token.expose());
        let message = crate::mail::render(
            &app.email_templates,
            purpose.as_str(),
            &app.name,
            self.email.as_str(),
            &code,
            &link,
            CODE_TTL / 60,
        );
        let job = Job::Email(EmailJob {
            app_id: app.id.clone(),
            user_id: user_id.or(existing.map(|u| u.id)),
            purpose: purpose.into(),
            message,
            meta: self.meta,
        });
        store::email_codes::insert_code(tx, &row).await?;
        // The email is promised in the same transaction as its code: a crash after the commit
        // delays it, never loses it. It is useless once the code expires.
        jobs::enqueue(tx, &self.master_key, &job, now, Some(row.expires_at)).await?;
        Ok(Requested::Enqueued)
    }
}

/// The keyed hash a code is stored as, bound to its row.
fn code_hash(master_key: &MasterKey, row_id: &str, code: &str) -> Vec<u8> {
    master_key.keyed_hash(&[b"email code", row_id.as_bytes(), code.as_bytes()])
}

/// Marks the user's email verified. When the address is proven from outside the account
/// (`protect`) and it had never been verified, whatever was attached to the account before —
/// passkeys, sessions, second factors — was never proven to be the address owner's: it is removed first
/// (account pre-hijacking defence).
pub(super) async fn mark_verified(
    conn: &mut Conn<'_>,
    app: &App,
    mut user: User,
    meta: &RequestMeta,
    now: Timestamp,
    protect: bool,
) -> Result<User> {
    if user.email_verified {
        return Ok(user);
    }
    if protect {
        let passkeys = store::passkeys::list_user_passkeys(conn, &app.id, &user.id).await?;
        for p in &passkeys {
            store::passkeys::delete_passkey(conn, &app.id, &user.id, &p.id).await?;
        }
        let sessions = store::sessions::revoke_user_sessions(
            conn,
            &app.id,
            &user.id,
            now,
            super::sessions::RevokeReason::TakeoverProtection,
        )
        .await?;
        // Second factors too: one planted before the owner came would lock them out.
        let factors = store::mfa::delete_user_factors(conn, &app.id, &user.id).await?;
        events::record(
            conn,
            &app.id,
            EventKind::TakeoverProtection,
            Some(&user.id),
            meta,
            events::data([
                (
                    "passkeys_removed",
                    json!(passkeys.iter().map(|p| p.id.clone()).collect::<Vec<_>>()),
                ),
                ("sessions_revoked", json!(sessions)),
                ("factors_removed", json!(factors)),
            ]),
            now,
        )
        .await?;
    }
    user.email_verified = true;
    user.updated_at = now;
    store::users::set_email_verified(conn, &app.id, &user.id, now).await?;
    events::record(
        conn,
        &app.id,
        EventKind::EmailVerified,
        Some(&user.id),
        meta,
        events::data([("email", json!(user.email))]),
        now,
    )
    .await?;
    Ok(user)
}

/// Forgets codes a day after they stopped being usable.
pub(super) async fn sweep(conn: &mut Conn<'_>, now: Timestamp) -> store::Result<()> {
    store::email_codes::delete_stale(conn, now - RETENTION)
        .await
        .map(|_| ())
}

/// The code as typed, if it has the shape of one.
fn check_code_format(code: &str) -> Result<&str> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        invalid("code must be the 6 digits from the email")
    }
}

fn expired() -> Error {
    Error::ChallengeExpired(
        "the code or link has expired or was already used: request a new one".to_owned(),
    )
}
