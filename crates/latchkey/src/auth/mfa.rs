//! Multi-factor authentication: the app's policy (the sign-in pipeline's policy step), second
//! factors (authenticator apps, RFC 6238 through `totp-rs`), backup codes, the second step of a
//! sign-in the policy held back, and re-authentication of a signed-in session.
//!
//! The rules, in one place:
//! - **Policy.** `off`: no second factor is ever asked. `optional` (the default): users may
//!   enroll; once one has an active factor, a sign-in that is not phishing-resistant (an email
//!   code or link) must add a second. `required`: every sign-in must end with two factors. A
//!   passkey assertion with user verification is two factors by itself (`amr` holds `mfa`).
//! - **The second step.** The first factor's unit of work ends with a challenge instead of a
//!   session: an `mfa_token` (five minutes, single use, stored as its SHA-256) naming the user
//!   and what the first factor proved. A TOTP code, a backup code or a passkey assertion
//!   redeems it; five wrong codes kill it; wrong codes are also counted per user, across tokens
//!   and instances ([`Rule::MfaFailures`]).
//! - **TOTP.** SHA-1, 6 digits, 30-second steps (what every authenticator app reads); a code is
//!   accepted for the current step or one either side, and once: a factor remembers the last
//!   step it accepted and takes only later ones. Secrets are sealed under the master key,
//!   bound to their factor. A factor is pending until a first code proves the person holds it.
//! - **Backup codes.** Ten per set, shown once, stored as keyed hashes, single use.
//! - **Recent authentication.** Removing a factor, deleting the last passkey and regenerating
//!   backup codes need the session's `auth_time` within [`RECENT_AUTH`] seconds; a second
//!   factor ([`Mfa::reauthenticate`]) or a passkey assertion while signed in moves it forward.

use std::fmt;

use rand::Rng;
use serde::Serialize;
use serde_json::{Value, json};
use totp_rs::{Algorithm, TOTP};

use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::new_id;
use super::notices::{self, Change};
use super::sessions::Principal;
use super::sign_in::{Ending, NextTokens, PendingSecondFactor, Proof, SecondFactor, SignInTx};
use super::store::{self, Conn};
use super::throttle::Rule;
use super::users::existing_user;
use super::{Amr, App, AppId, Auth, RequestMeta, Session, SignIn, SignInOutcome, User, UserId};
use crate::clock::Timestamp;
use crate::crypto::{MasterKey, Secret, SecretKind};

/// An `mfa_token` lives five minutes.
pub const CHALLENGE_TTL: i64 = 300;
/// Wrong codes that kill an `mfa_token`.
pub const MAX_ATTEMPTS: i64 = 5;
/// How recent a session's authentication must be for the operations that need it (seconds).
pub const RECENT_AUTH: i64 = 300;
/// A pending factor must be proved within this many seconds of its enrollment.
pub const PENDING_TTL: i64 = 900;
/// Backup codes in one set.
pub const BACKUP_CODES: usize = 10;
/// Active factors one user may have.
pub const MAX_FACTORS: usize = 10;
/// RFC 6238's time step, in seconds.
const STEP: i64 = 30;
/// Characters of a backup code: lower-case letters and digits without the ones people confuse
/// (0/o, 1/l/i).
const BACKUP_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters in a backup code (shown as two groups of five): about 50 bits.
const BACKUP_LEN: usize = 10;

string_enum! {
    /// An app's multi-factor policy.
    pub enum MfaPolicy {
        /// No second factor is ever asked.
        Off = "off",
        /// Users may enroll; an enrolled user's sign-ins that are not phishing-resistant must
        /// add a second factor.
        Optional = "optional",
        /// Every sign-in must end with two factors (or a user-verified passkey).
        Required = "required",
    }
}

string_enum! {
    /// The kinds of second factor a user can enroll.
    pub enum FactorKind {
        /// An authenticator app (RFC 6238 TOTP).
        Totp = "totp",
    }
}

/// A user's second factor, as stored and as listed (without its secret).
#[derive(Clone, Serialize, utoipa::ToSchema)]
pub struct Factor {
    pub id: String,
    #[serde(skip)]
    pub app_id: AppId,
    #[serde(skip)]
    pub user_id: UserId,
    #[serde(rename = "type")]
    pub kind: FactorKind,
    pub name: String,
    /// The secret, sealed under the master key (bound to the factor's id).
    #[serde(skip)]
    pub sealed_secret: Vec<u8>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// `None` while pending.
    #[serde(skip)]
    pub verified_at: Option<Timestamp>,
    #[serde(with = "crate::clock::rfc3339_serde_option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
    /// The last 30-second step a code was accepted for.
    #[serde(skip)]
    pub last_step: Option<i64>,
}

impl fmt::Debug for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Factor")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("verified_at", &self.verified_at)
            .finish_non_exhaustive()
    }
}

impl Factor {
    fn is_active(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// A user's factors and how many backup codes they have left.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Factors {
    /// The active factors, oldest first.
    pub items: Vec<Factor>,
    pub backup_codes_remaining: i64,
}

/// A TOTP factor just enrolled: what the person's authenticator app needs. Its `Debug` shows
/// none of the secret.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TotpEnrollment {
    /// The factor's id (pending until verified).
    pub id: String,
    /// The shared secret, base32 (for typing into an app that cannot scan).
    pub secret: String,
    /// `otpauth://totp/…` with the app as issuer and the user's email as account.
    pub otpauth_uri: String,
    /// The URI as a QR code, an SVG document.
    pub qr_svg: String,
}

impl fmt::Debug for TotpEnrollment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpEnrollment")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A factor made active, with the first set of backup codes when it is the user's first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivatedFactor {
    #[serde(flatten)]
    pub factor: Factor,
    /// Ten single-use codes, shown this once: only with the user's first factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_codes: Option<Vec<String>>,
}

impl fmt::Debug for ActivatedFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivatedFactor")
            .field("factor", &self.factor)
            .finish_non_exhaustive()
    }
}

/// A new set of backup codes, shown once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BackupCodes {
    pub backup_codes: Vec<String>,
}

impl fmt::Debug for BackupCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BackupCodes(..)")
    }
}

/// A sign-in waiting for its second factor, as stored.
#[derive(Clone, Debug)]
pub(crate) struct Challenge {
    pub id: String,
    pub app_id: AppId,
    pub user_id: UserId,
    /// The first factor's method.
    pub method: super::sign_in::SignInMethod,
    /// What the first factor proved.
    pub amr: Vec<Amr>,
    pub attempts: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// Who removes a factor.
#[derive(Clone, Copy, Debug)]
pub enum Remover<'a> {
    /// The user, from this session (which must have authenticated recently).
    User(&'a Session),
    /// An operator, through the server API.
    Operator,
}

/// A code that checked out, and what using it writes.
#[derive(Debug)]
enum Accepted {
    Totp { factor_id: String, step: i64 },
    BackupCode { hash: Vec<u8> },
}

impl Accepted {
    /// Uses the code, in the unit that acts on it: a TOTP step once per factor, a backup code
    /// once.
    async fn spend(
        &self,
        conn: &mut Conn<'_>,
        app_id: &AppId,
        user_id: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        let spent = match self {
            Self::Totp { factor_id, step } => {
                store::mfa::use_step(conn, factor_id, *step, now).await?
            }
            Self::BackupCode { hash } => {
                store::mfa::take_backup_code(conn, app_id, user_id, hash, now).await?
            }
        };
        if spent {
            Ok(())
        } else {
            Err(Error::InvalidCode {
                detail: "this code was already used: wait for the next one".to_owned(),
                attempts_left: None,
            })
        }
    }

    fn second_factor(&self) -> SecondFactor {
        match self {
            Self::Totp { .. } => SecondFactor::Totp,
            Self::BackupCode { .. } => SecondFactor::BackupCode,
        }
    }

    fn details(&self) -> serde_json::Map<String, Value> {
        match self {
            Self::Totp { factor_id, .. } => events::data([
                ("second_factor", json!(SecondFactor::Totp)),
                ("factor_id", json!(factor_id)),
            ]),
            Self::BackupCode { .. } => {
                events::data([("second_factor", json!(SecondFactor::BackupCode))])
            }
        }
    }
}

/// The `amr` value a second factor adds.
pub(crate) fn amr_of(factor: SecondFactor) -> Amr {
    match factor {
        SecondFactor::Totp => Amr::Totp,
        SecondFactor::BackupCode => Amr::BackupCode,
        SecondFactor::Passkey => Amr::Passkey,
    }
}

/// Refuses unless `session`'s user proved themselves within [`RECENT_AUTH`] seconds.
pub fn require_recent_authentication(session: &Session, now: Timestamp) -> Result<()> {
    if now - session.auth_time <= RECENT_AUTH {
        return Ok(());
    }
    Err(Error::ReauthenticationRequired(format!(
        "this needs a recent sign-in: confirm it is you (a passkey, or a code through \
         sessions/current/reauthenticate), then try again within {} minutes",
        RECENT_AUTH / 60
    )))
}

/// Whether the policy step could hold back a sign-in that proved `proof` (then it reads the
/// user's factors); when not, the sign-in goes on without reading anything.
pub(crate) fn may_hold_back(app: &App, proof: &Proof) -> bool {
    let phishing_resistant = proof.amr.contains(&Amr::Passkey);
    match app.mfa {
        MfaPolicy::Off => false,
        _ if proof.amr.contains(&Amr::Mfa) => false,
        MfaPolicy::Optional => !phishing_resistant,
        MfaPolicy::Required => true,
    }
}

/// The policy step: the second factors `user` may complete this sign-in with, if the app's
/// policy holds it back (`None`: sign in now). Reads the store only when the policy could ask.
pub(crate) async fn factors_needed(
    conn: &mut Conn<'_>,
    app: &App,
    user: &User,
    proof: &Proof,
) -> Result<Option<Vec<SecondFactor>>> {
    if !may_hold_back(app, proof) {
        return Ok(None);
    }
    let phishing_resistant = proof.amr.contains(&Amr::Passkey);
    let summary = store::mfa::summary(conn, &app.id, &user.id).await?;
    if app.mfa == MfaPolicy::Optional && summary.factors == 0 {
        return Ok(None);
    }
    let mut factors = Vec::new();
    if summary.factors > 0 {
        factors.push(SecondFactor::Totp);
    }
    if summary.backup_codes > 0 {
        factors.push(SecondFactor::BackupCode);
    }
    if summary.passkeys > 0 && !phishing_resistant {
        factors.push(SecondFactor::Passkey);
    }
    Ok(Some(factors))
}

/// Writes the challenge of a sign-in held back for `factors`, and its event: the pending
/// outcome the caller hands back instead of a session.
pub(crate) async fn issue_challenge(
    conn: &mut Conn<'_>,
    app: &App,
    user: &User,
    proof: &Proof,
    factors: Vec<SecondFactor>,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<PendingSecondFactor> {
    let token = Secret::new(SecretKind::MfaToken);
    let challenge = Challenge {
        id: new_id(),
        app_id: app.id.clone(),
        user_id: user.id.clone(),
        method: proof.method,
        amr: proof.amr.clone(),
        attempts: 0,
        created_at: now,
        expires_at: now + CHALLENGE_TTL,
        used_at: None,
    };
    store::mfa::insert_challenge(conn, &challenge, &token.hash()).await?;
    events::record(
        conn,
        &app.id,
        EventKind::MfaChallengeIssued,
        Some(&user.id),
        meta,
        events::data([
            ("method", json!(proof.method)),
            ("amr", json!(proof.amr)),
            ("factors", json!(factors)),
        ]),
        now,
    )
    .await?;
    metrics::counter!(
        "latchkey_sign_ins_total",
        "method" => proof.method.as_str(),
        "outcome" => "mfa_required"
    )
    .increment(1);
    Ok(PendingSecondFactor {
        mfa_token: token,
        factors,
    })
}

/// Redeems the challenge `id` in a unit that completes its sign-in: the challenge as stored,
/// if it was live (and is now used).
pub(crate) async fn take_challenge(
    conn: &mut Conn<'_>,
    app_id: &AppId,
    id: &str,
    now: Timestamp,
) -> Result<Challenge> {
    let challenge = store::mfa::find_challenge(conn, app_id, id)
        .await?
        .ok_or_else(challenge_over)?;
    if !store::mfa::take_challenge(conn, id, now, MAX_ATTEMPTS).await? {
        return Err(challenge_over());
    }
    Ok(challenge)
}

/// A session's user proved themselves again (`added`): the session's `amr` gains it, its
/// `auth_time` moves to now, and it goes on with new tokens (the old refresh tokens are spent).
pub(crate) async fn step_up(
    conn: &mut Conn<'_>,
    tx: &SignInTx,
    mut session: Session,
    user: User,
    added: &[Amr],
    mut details: serde_json::Map<String, Value>,
    meta: &RequestMeta,
) -> Result<Ending> {
    let now = tx.now;
    session.amr = Amr::combine(&session.amr, added);
    session.auth_time = now;
    if !store::sessions::reauthenticated(conn, &session, now).await? {
        return Err(Error::Unauthorized("this session has ended".to_owned()));
    }
    details.insert("session_id".to_owned(), json!(session.id));
    details.insert("amr".to_owned(), json!(session.amr));
    events::record(
        conn,
        &tx.app().id,
        EventKind::SessionReauthenticated,
        Some(&user.id),
        meta,
        details,
        now,
    )
    .await?;
    store::sessions::rotate_session_refresh_tokens(conn, &session.id, now).await?;
    tx.continue_session(conn, session, Some(user), NextTokens::fresh())
        .await
}

/// What a second factor of the first factor's own kind gets (a passkey after a passkey).
pub(crate) fn same_factor_twice() -> Error {
    Error::InvalidRequest(
        "the second factor must be another kind than the first: use one of the factors the \
         mfa_required answer lists"
            .to_owned(),
    )
}

/// What an ended, used or unknown `mfa_token` gets.
fn challenge_over() -> Error {
    Error::ChallengeExpired("this mfa_token expired or was already used: sign in again".to_owned())
}

/// The seal context of a factor's secret.
fn seal_context(factor_id: &str) -> Vec<u8> {
    format!("latchkey totp factor {factor_id}").into_bytes()
}

/// A label part of an `otpauth://` URI: no `:` (it separates issuer and account), and at most
/// `max` characters, so that the URI always fits a QR code.
fn label(text: &str, max: usize) -> String {
    text.replace(':', " ").trim().chars().take(max).collect()
}

/// The authenticator-app form of `secret` for `user` of `app`.
fn totp(app: &App, user: &User, secret: Vec<u8>) -> TOTP {
    let issuer = if app.name.trim().is_empty() {
        app.id.as_str()
    } else {
        app.name.as_str()
    };
    let account = user
        .email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .or_else(|| user.display_name.clone())
        .unwrap_or_else(|| user.id.as_str().to_owned());
    // Skew 0: the steps beside the current one are tried one by one (`matching_step`), so the
    // step a code belongs to is known and can be spent.
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        STEP.unsigned_abs(),
        secret,
        Some(label(issuer, 40)),
        label(&account, 100),
    )
}

/// The step at `now`, or one either side of it, whose code is `code`.
fn matching_step(totp: &TOTP, code: &str, now: Timestamp) -> Option<i64> {
    let current = now.div_euclid(STEP);
    [current, current - 1, current + 1]
        .into_iter()
        .find(|step| u64::try_from(step * STEP).is_ok_and(|at| totp.check(code, at)))
}

/// The QR code of `uri`, as an SVG document.
fn qr_svg(uri: &str) -> Result<String> {
    // Level L holds the longest URI the labels' limits allow (non-Latin names, percent-encoded,
    // included); a phone's camera reads it from a screen without trouble.
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::L)
        .map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// A TOTP code as typed: six digits, spaces allowed.
fn totp_code(code: &str) -> Result<String> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Error::InvalidRequest(
            "code must be the 6 digits the authenticator app shows".to_owned(),
        ))
    }
}

/// A backup code as typed: letters and digits, any case, spaces and hyphens ignored.
fn backup_code(code: &str) -> Result<String> {
    let clean: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    if clean.len() == BACKUP_LEN && clean.bytes().all(|b| BACKUP_ALPHABET.contains(&b)) {
        Ok(clean)
    } else {
        Err(Error::InvalidRequest(
            "code must be one of your backup codes (ten letters and digits, like abcde-23456)"
                .to_owned(),
        ))
    }
}

/// The keyed hash a backup code is stored as, bound to its user.
fn backup_hash(key: &MasterKey, app_id: &AppId, user_id: &UserId, code: &str) -> Vec<u8> {
    key.keyed_hash(&[
        b"backup code",
        app_id.as_str().as_bytes(),
        user_id.as_str().as_bytes(),
        code.as_bytes(),
    ])
}

/// A new set of backup codes (as shown: `abcde-23456`) and their hashes.
fn new_backup_codes(
    key: &MasterKey,
    app_id: &AppId,
    user_id: &UserId,
) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut rng = rand::rng();
    (0..BACKUP_CODES)
        .map(|_| {
            let raw: String = (0..BACKUP_LEN)
                .map(|_| char::from(BACKUP_ALPHABET[rng.random_range(0..BACKUP_ALPHABET.len())]))
                .collect();
            let hash = backup_hash(key, app_id, user_id, &raw);
            (format!("{}-{}", &raw[..5], &raw[5..]), hash)
        })
        .unzip()
}

/// The throttling subject of one user's wrong codes.
fn user_key(app_id: &AppId, user_id: &UserId) -> String {
    format!("{app_id}:{user_id}")
}

/// The multi-factor service.
pub struct Mfa<'a> {
    pub(super) auth: &'a Auth,
}

impl Mfa<'_> {
    /// The user's active factors and remaining backup codes.
    pub async fn factors(&self, app: &App, user_id: &UserId) -> Result<Factors> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        existing_user(&mut conn, &app.id, user_id).await?;
        let items = store::mfa::user_factors(&mut conn, &app.id, user_id)
            .await?
            .into_iter()
            .filter(Factor::is_active)
            .collect();
        let summary = store::mfa::summary(&mut conn, &app.id, user_id).await?;
        Ok(Factors {
            items,
            backup_codes_remaining: summary.backup_codes,
        })
    }

    /// Starts enrolling an authenticator app for the signed-in user: a pending factor (any
    /// other pending one is dropped) and what the app needs to scan.
    pub async fn enroll_totp(
        &self,
        app: &App,
        p: &Principal,
        name: Option<String>,
        meta: &RequestMeta,
    ) -> Result<TotpEnrollment> {
        if app.mfa == MfaPolicy::Off {
            return Err(Error::InvalidRequest(
                "this app does not use second factors (its mfa setting is off)".to_owned(),
            ));
        }
        // A way in is added only by someone who just proved it is them: a stale or stolen
        // session must not plant a factor that then passes for them.
        require_recent_authentication(&p.session, self.auth.clock.now())?;
        // An address never proven is not yet the person's: a sign-in by email to it removes
        // what the account holds (the pre-hijacking defence), a factor included.
        if p.user.email.is_some() && !p.user.email_verified {
            return Err(Error::InvalidRequest(
                "verify your email address first (an email code with purpose verify_email): \
                 a second factor needs an account whose address is proven"
                    .to_owned(),
            ));
        }
        let name = match name {
            None => "Authenticator app".to_owned(),
            Some(name) => {
                let name = name.trim().to_owned();
                if name.is_empty()
                    || name.chars().count() > 100
                    || name.chars().any(char::is_control)
                {
                    return Err(Error::InvalidRequest(
                        "name must be 1 to 100 characters with no control characters".to_owned(),
                    ));
                }
                name
            }
        };
        let now = self.auth.clock.now();
        let secret = crate::crypto::random_bytes::<20>().to_vec();
        let id = new_id();
        let factor = Factor {
            sealed_secret: self.auth.master_key.seal(&seal_context(&id), &secret),
            id,
            app_id: app.id.clone(),
            user_id: p.user.id.clone(),
            kind: FactorKind::Totp,
            name,
            created_at: now,
            verified_at: None,
            last_used_at: None,
            last_step: None,
        };
        let totp = totp(app, &p.user, secret);
        let otpauth_uri = totp.get_url();
        let enrollment = TotpEnrollment {
            id: factor.id.clone(),
            secret: totp.get_secret_base32(),
            qr_svg: qr_svg(&otpauth_uri)?,
            otpauth_uri,
        };
        let meta = meta.clone();
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let existing =
                        store::mfa::user_factors(conn, &factor.app_id, &factor.user_id).await?;
                    if existing.iter().filter(|f| f.is_active()).count() >= MAX_FACTORS {
                        return Err(Error::Conflict(format!(
                            "this account has {MAX_FACTORS} second factors, the most it may \
                             have: remove one first"
                        )));
                    }
                    store::mfa::delete_pending(conn, &factor.app_id, &factor.user_id).await?;
                    store::mfa::insert_factor(conn, &factor).await?;
                    events::record(
                        conn,
                        &factor.app_id,
                        EventKind::MfaEnrollmentStarted,
                        Some(&factor.user_id),
                        &meta,
                        events::data([
                            ("factor_id", json!(factor.id)),
                            ("type", json!(factor.kind)),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(enrollment)
    }

    /// The signed-in user's pending factor `id` and its QR code (SVG).
    pub async fn pending_qr(&self, app: &App, p: &Principal, id: &str) -> Result<String> {
        let factor = self.pending(app, &p.user.id, id).await?;
        let secret = self.open(&factor)?;
        qr_svg(&totp(app, &p.user, secret).get_url())
    }

    async fn pending(&self, app: &App, user_id: &UserId, id: &str) -> Result<Factor> {
        let mut reader = self.auth.store.read().await?;
        let now = self.auth.clock.now();
        store::mfa::user_factors(&mut reader.conn(), &app.id, user_id)
            .await?
            .into_iter()
            .find(|f| f.id == id && !f.is_active() && now - f.created_at <= PENDING_TTL)
            .ok_or_else(|| {
                Error::NotFound(
                    "no pending factor with that id: enroll again (a pending factor lasts 15 \
                     minutes)"
                        .to_owned(),
                )
            })
    }

    fn open(&self, factor: &Factor) -> Result<Vec<u8>> {
        self.auth
            .master_key
            .open(&seal_context(&factor.id), &factor.sealed_secret)
            .ok_or_else(|| Error::Internal(format!("factor {} cannot be opened", factor.id)))
    }

    /// Activates the signed-in user's pending factor `id` with a first code from it; the
    /// user's first factor also brings a set of backup codes.
    pub async fn verify_totp(
        &self,
        app: &App,
        p: &Principal,
        id: &str,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<ActivatedFactor> {
        let code = totp_code(code)?;
        let throttle = self.auth.throttle();
        throttle.hit_client(Rule::CodeAttempts, meta)?;
        let subject = user_key(&app.id, &p.user.id);
        throttle.check(Rule::MfaFailures, &subject)?;
        let factor = self.pending(app, &p.user.id, id).await?;
        let now = self.auth.clock.now();
        let secret = self.open(&factor)?;
        let Some(step) = matching_step(&totp(app, &p.user, secret), &code, now) else {
            return Err(self
                .wrong_code(app, None, &p.user.id, SecondFactor::Totp, meta)
                .await);
        };
        let (app_arc, user, meta) = (app.clone(), p.user.clone(), meta.clone());
        let master_key = std::sync::Arc::clone(&self.auth.master_key);
        let (activated, notified) = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let app = &app_arc;
                    let others = store::mfa::user_factors(conn, &app.id, &user.id)
                        .await?
                        .into_iter()
                        .filter(|f| f.is_active())
                        .count();
                    if !store::mfa::activate_factor(conn, &factor.id, step, now).await? {
                        return Err(Error::NotFound(
                            "no pending factor with that id: enroll again".to_owned(),
                        ));
                    }
                    let backup_codes = if others == 0 {
                        let (codes, hashes) = new_backup_codes(&master_key, &app.id, &user.id);
                        store::mfa::replace_backup_codes(conn, &app.id, &user.id, &hashes, now)
                            .await?;
                        Some(codes)
                    } else {
                        None
                    };
                    events::record(
                        conn,
                        &app.id,
                        EventKind::MfaFactorAdded,
                        Some(&user.id),
                        &meta,
                        events::data([
                            ("factor_id", json!(factor.id)),
                            ("type", json!(factor.kind)),
                            ("backup_codes_generated", json!(backup_codes.is_some())),
                        ]),
                        now,
                    )
                    .await?;
                    let notified = notices::enqueue(
                        conn,
                        &master_key,
                        app,
                        &user,
                        Change::FactorAdded,
                        &meta,
                        now,
                    )
                    .await?;
                    let factor = Factor {
                        verified_at: Some(now),
                        last_used_at: Some(now),
                        last_step: Some(step),
                        ..factor
                    };
                    Ok::<_, Error>((
                        ActivatedFactor {
                            factor,
                            backup_codes,
                        },
                        notified,
                    ))
                })
            })
            .await?;
        if notified {
            self.auth.jobs.notify();
        }
        Ok(activated)
    }

    /// Removes a factor of `user_id`: by the user (from a recently authenticated session) or
    /// by an operator.
    pub async fn remove_factor(
        &self,
        app: &App,
        user_id: &UserId,
        id: &str,
        by: Remover<'_>,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        if let Remover::User(session) = by {
            require_recent_authentication(session, now)?;
        }
        let by_name = match by {
            Remover::User(_) => "user",
            Remover::Operator => "operator",
        };
        let (app, user_id, id, meta) = (app.clone(), user_id.clone(), id.to_owned(), meta.clone());
        let master_key = std::sync::Arc::clone(&self.auth.master_key);
        let notified = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let user = existing_user(conn, &app.id, &user_id).await?;
                    if !store::mfa::delete_factor(conn, &app.id, &user_id, &id).await? {
                        return Err(Error::NotFound("no such factor".to_owned()));
                    }
                    events::record(
                        conn,
                        &app.id,
                        EventKind::MfaFactorRemoved,
                        Some(&user_id),
                        &meta,
                        events::data([("factor_id", json!(id)), ("by", json!(by_name))]),
                        now,
                    )
                    .await?;
                    notices::enqueue(
                        conn,
                        &master_key,
                        &app,
                        &user,
                        Change::FactorRemoved,
                        &meta,
                        now,
                    )
                    .await
                })
            })
            .await?;
        if notified {
            self.auth.jobs.notify();
        }
        Ok(())
    }

    /// A new set of backup codes for the signed-in user (the old set dies); needs a recent
    /// authentication.
    pub async fn regenerate_backup_codes(
        &self,
        app: &App,
        p: &Principal,
        meta: &RequestMeta,
    ) -> Result<BackupCodes> {
        let now = self.auth.clock.now();
        require_recent_authentication(&p.session, now)?;
        if app.mfa == MfaPolicy::Off {
            return Err(Error::InvalidRequest(
                "this app does not use second factors (its mfa setting is off)".to_owned(),
            ));
        }
        let (codes, hashes) = new_backup_codes(&self.auth.master_key, &app.id, &p.user.id);
        let (app, user, meta) = (app.clone(), p.user.clone(), meta.clone());
        let master_key = std::sync::Arc::clone(&self.auth.master_key);
        let notified = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    store::mfa::replace_backup_codes(conn, &app.id, &user.id, &hashes, now).await?;
                    events::record(
                        conn,
                        &app.id,
                        EventKind::MfaBackupCodesGenerated,
                        Some(&user.id),
                        &meta,
                        events::data([("count", json!(hashes.len()))]),
                        now,
                    )
                    .await?;
                    notices::enqueue(
                        conn,
                        &master_key,
                        &app,
                        &user,
                        Change::BackupCodesGenerated,
                        &meta,
                        now,
                    )
                    .await
                })
            })
            .await?;
        if notified {
            self.auth.jobs.notify();
        }
        Ok(BackupCodes {
            backup_codes: codes,
        })
    }

    /// The live challenge of `token`, read (not yet redeemed).
    pub(crate) async fn live_challenge(&self, app: &App, token: &Secret) -> Result<Challenge> {
        if !SecretKind::MfaToken.is_kind_of(token.expose()) {
            return Err(challenge_over());
        }
        let mut reader = self.auth.store.read().await?;
        let challenge =
            store::mfa::find_challenge_by_token(&mut reader.conn(), &app.id, &token.hash())
                .await?
                .ok_or_else(challenge_over)?;
        if challenge.attempts >= MAX_ATTEMPTS {
            return Err(Error::InvalidCode {
                detail: "too many wrong codes were tried for this sign-in: sign in again"
                    .to_owned(),
                attempts_left: Some(0),
            });
        }
        let now = self.auth.clock.now();
        if challenge.used_at.is_some() || challenge.expires_at <= now {
            return Err(challenge_over());
        }
        Ok(challenge)
    }

    /// The second step of a sign-in: a TOTP or backup code redeems the `mfa_token`, and the
    /// sign-in ends with a session whose `amr` names both factors.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn complete(
        &self,
        app: &App,
        token: &Secret,
        second: SecondFactor,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<SignInOutcome> {
        let throttle = self.auth.throttle();
        throttle.hit_client(Rule::CodeAttempts, meta)?;
        let challenge = self.live_challenge(app, token).await?;
        throttle.check(Rule::MfaFailures, &user_key(&app.id, &challenge.user_id))?;
        let Some(accepted) = self
            .check_code(app, &challenge.user_id, second, code)
            .await?
        else {
            return Err(self
                .wrong_code(app, Some(&challenge), &challenge.user_id, second, meta)
                .await);
        };
        let meta = meta.clone();
        self.auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    let app_id = tx.app().id.clone();
                    let challenge = take_challenge(conn, &app_id, &challenge.id, tx.now).await?;
                    accepted
                        .spend(conn, &app_id, &challenge.user_id, tx.now)
                        .await?;
                    let user = store::users::find_user(conn, &app_id, &challenge.user_id)
                        .await?
                        .ok_or_else(|| {
                            Error::Unauthorized("this account no longer exists".to_owned())
                        })?;
                    let details = accepted.details();
                    events::record(
                        conn,
                        &app_id,
                        EventKind::MfaSucceeded,
                        Some(&user.id),
                        &meta,
                        details.clone(),
                        tx.now,
                    )
                    .await?;
                    let proof = Proof::second_factor(
                        challenge.method,
                        &challenge.amr,
                        accepted.second_factor(),
                        details,
                    )?;
                    tx.finish(conn, user, proof, &meta).await
                })
            })
            .await
    }

    /// Re-authenticates the signed-in session with a second-factor code: its `auth_time` moves
    /// to now, its `amr` gains the factor, and it goes on with new tokens.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn reauthenticate(
        &self,
        app: &App,
        p: Principal,
        second: SecondFactor,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        if second == SecondFactor::Passkey {
            return Err(Error::InvalidRequest(
                "re-authenticate with a passkey through passkeys/authenticate/options and \
                 passkeys/authenticate/verify"
                    .to_owned(),
            ));
        }
        let throttle = self.auth.throttle();
        throttle.hit_client(Rule::CodeAttempts, meta)?;
        throttle.check(Rule::MfaFailures, &user_key(&app.id, &p.user.id))?;
        let Some(accepted) = self.check_code(app, &p.user.id, second, code).await? else {
            return Err(self.wrong_code(app, None, &p.user.id, second, meta).await);
        };
        let meta = meta.clone();
        let outcome = self
            .auth
            .sign_ins()
            .run(app, move |conn, tx| {
                Box::pin(async move {
                    let Principal { user, session } = p;
                    accepted.spend(conn, &tx.app().id, &user.id, tx.now).await?;
                    let added = [amr_of(accepted.second_factor())];
                    step_up(conn, &tx, session, user, &added, accepted.details(), &meta).await
                })
            })
            .await?;
        outcome.continued("a re-authentication")
    }

    /// Checks `code` as `second` against the user's factors: what using it writes, or `None`
    /// for a wrong code.
    async fn check_code(
        &self,
        app: &App,
        user_id: &UserId,
        second: SecondFactor,
        code: &str,
    ) -> Result<Option<Accepted>> {
        let mut reader = self.auth.store.read().await?;
        let mut conn = reader.conn();
        match second {
            SecondFactor::Totp => {
                let code = totp_code(code)?;
                let Some(user) = store::users::find_user(&mut conn, &app.id, user_id).await? else {
                    return Ok(None);
                };
                let factors = store::mfa::user_factors(&mut conn, &app.id, user_id).await?;
                drop(reader);
                let now = self.auth.clock.now();
                for factor in factors.into_iter().filter(Factor::is_active) {
                    let secret = self.open(&factor)?;
                    if let Some(step) = matching_step(&totp(app, &user, secret), &code, now) {
                        return Ok(Some(Accepted::Totp {
                            factor_id: factor.id,
                            step,
                        }));
                    }
                }
                Ok(None)
            }
            SecondFactor::BackupCode => {
                let code = backup_code(code)?;
                let hash = backup_hash(&self.auth.master_key, &app.id, user_id, &code);
                let found = store::mfa::has_backup_code(&mut conn, &app.id, user_id, &hash).await?;
                Ok(found.then_some(Accepted::BackupCode { hash }))
            }
            SecondFactor::Passkey => Err(Error::InvalidRequest(
                "a passkey completes the sign-in through passkeys/authenticate/options with the \
                 mfa_token"
                    .to_owned(),
            )),
        }
    }

    /// Records a wrong code (against the challenge, if there is one, and the user's count) and
    /// returns the refusal to answer with.
    async fn wrong_code(
        &self,
        app: &App,
        challenge: Option<&Challenge>,
        user_id: &UserId,
        second: SecondFactor,
        meta: &RequestMeta,
    ) -> Error {
        self.auth
            .throttle()
            .count(Rule::MfaFailures, &user_key(&app.id, user_id));
        metrics::counter!(
            "latchkey_mfa_total",
            "factor" => second.as_str(),
            "outcome" => "failure"
        )
        .increment(1);
        let now = self.auth.clock.now();
        let (app_id, user_id, meta) = (app.id.clone(), user_id.clone(), meta.clone());
        let challenge_id = challenge.map(|c| c.id.clone());
        let recorded = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let attempts = match &challenge_id {
                        Some(id) => Some(store::mfa::count_attempt(conn, id).await?),
                        None => None,
                    };
                    events::record(
                        conn,
                        &app_id,
                        EventKind::MfaFailed,
                        Some(&user_id),
                        &meta,
                        events::data([
                            ("second_factor", json!(second)),
                            ("reason", json!("wrong code")),
                        ]),
                        now,
                    )
                    .await?;
                    Ok::<_, Error>(attempts)
                })
            })
            .await;
        let attempts = match recorded {
            Ok(attempts) => attempts,
            Err(e) => return e,
        };
        let attempts_left = attempts.map(|a| (MAX_ATTEMPTS - a).max(0));
        Error::InvalidCode {
            detail: match attempts_left {
                Some(0) => "the code is not right, and too many wrong codes were tried for this \
                            sign-in: sign in again"
                    .to_owned(),
                Some(left) => format!("the code is not right: {left} attempts left"),
                None => "the code is not right".to_owned(),
            },
            attempts_left,
        }
    }

    /// Deletes ended challenges and factors left pending (the sweeper calls it).
    pub(crate) async fn sweep(conn: &mut Conn<'_>, now: Timestamp) -> store::Result<()> {
        store::mfa::sweep(conn, now - PENDING_TTL.max(CHALLENGE_TTL)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_or_one_beside_it() {
        let totp = TOTP::new_unchecked(
            Algorithm::SHA1,
            6,
            0,
            30,
            b"12345678901234567890".to_vec(),
            None,
            String::new(),
        );
        // RFC 6238 appendix B: SHA-1 at T = 59 is 94287082 (8 digits); 6 digits: 287082.
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(matching_step(&totp, "287082", 59), Some(1));
        assert_eq!(matching_step(&totp, "287082", 59 + 30), Some(1));
        assert_eq!(matching_step(&totp, "287082", 59 - 30), Some(1));
        assert_eq!(matching_step(&totp, "287082", 59 + 60), None);
        assert_eq!(matching_step(&totp, "000000", 59), None);
    }

    #[test]
    fn backup_codes_are_read_as_typed() {
        assert_eq!(
            backup_code("ABCDE-23456").ok().as_deref(),
            Some("abcde23456")
        );
        assert_eq!(
            backup_code(" abcde 23456 ").ok().as_deref(),
            Some("abcde23456")
        );
        assert!(backup_code("abcde-2345").is_err());
        assert!(
            backup_code("abcde-23450").is_err(),
            "0 is not in the alphabet"
        );
        assert!(totp_code("123 456").is_ok());
        assert!(totp_code("12345a").is_err());
    }

    #[test]
    fn new_backup_codes_are_distinct_and_hashed_per_user() {
        let key = MasterKey::from_bytes([7; 32]);
        let (app, alice, bob) = (
            AppId::from("a".to_owned()),
            UserId::from("u1".to_owned()),
            UserId::from("u2".to_owned()),
        );
        let (codes, hashes) = new_backup_codes(&key, &app, &alice);
        assert_eq!(codes.len(), BACKUP_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), BACKUP_CODES);
        let raw = backup_code(&codes[0]).unwrap_or_default();
        assert_eq!(backup_hash(&key, &app, &alice, &raw), hashes[0]);
        assert_ne!(backup_hash(&key, &app, &bob, &raw), hashes[0]);
    }
}
