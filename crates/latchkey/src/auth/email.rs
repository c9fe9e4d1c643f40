//! Email one-time codes and magic links: sign-up, sign-in, email verification, and so account
//! recovery (an email sign-in, then a new passkey).
//!
//! One request sends one email holding a 6-digit code and a magic link; both redeem the same
//! row, once. Codes are stored as keyed hashes (HMAC under a key derived from the master key)
//! and die after five wrong attempts; link tokens are 256-bit and stored as SHA-256. Requests are
//! throttled per address and per IP with counters in the store, and answered identically whether
//! or not the address has an account.

use rand::Rng;
use serde::Deserialize;
use serde_json::json;

use super::error::{Error, Result, invalid};
use super::session::{Principal, SignIn};
use super::user::parse_email;
use super::{Auth, RequestMeta, commit, event, new_id};
use crate::auth::store::rate_limits::{self, Limit};
use crate::auth::store::{self, Conn, apps::App, email_codes::EmailCode, users::User};
use crate::crypto::{ct_eq, hash_secret, new_secret};

/// The purpose of a row written when nothing was sent; it can never be redeemed.
const DECOY: &str = "decoy";
/// Codes and links live ten minutes.
pub const CODE_TTL: i64 = 600;
/// Wrong codes a code survives.
pub const MAX_ATTEMPTS: i64 = 5;
const LINK_PREFIX: &str = "lk_ml_";
const BINDING_PREFIX: &str = "lk_lb_";
/// Per address: one email per 30 seconds and five per hour.
const ADDRESS_LIMITS: [Limit; 2] = [
    Limit { max: 1, window: 30 },
    Limit {
        max: 5,
        window: 3600,
    },
];
/// Per IP, across addresses: 30 email requests a minute.
const IP_EMAIL_LIMITS: [Limit; 1] = [Limit {
    max: 30,
    window: 60,
}];
/// Per IP: 60 code or link redemptions a minute (each code also dies after five misses).
const IP_REDEEM_LIMITS: [Limit; 1] = [Limit {
    max: 60,
    window: 60,
}];

/// `POST /apps/{app}/otp/email`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailCodeRequest {
    pub email: String,
    pub purpose: String,
}

/// What the caller must hand back to the browser after a code request.
#[derive(Debug)]
pub struct CodeRequested {
    /// The value of the short-lived cookie that binds magic links to this browser.
    pub binding: String,
}

/// The purposes of an email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    SignIn,
    SignUp,
    VerifyEmail,
}

impl Purpose {
    fn parse(text: &str) -> Result<Self> {
        match text {
            "sign_in" => Ok(Self::SignIn),
            "sign_up" => Ok(Self::SignUp),
            "verify_email" => Ok(Self::VerifyEmail),
            _ => invalid("purpose must be \"sign_in\", \"sign_up\" or \"verify_email\""),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignUp => "sign_up",
            Self::VerifyEmail => "verify_email",
        }
    }
}

fn rate_limited(retry_after: i64, what: &str) -> Error {
    Error::RateLimited {
        detail: format!("too many {what}: try again in {retry_after} seconds"),
        retry_after: u64::try_from(retry_after).unwrap_or(1),
    }
}

impl Auth {
    /// Counts a request against `key`'s limits in its own transaction.
    async fn throttle(&self, key: &str, limits: &[Limit], what: &str) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let wait = rate_limits::hit(&mut tx, key, limits, now).await?;
        commit(tx).await?;
        match wait {
            Some(retry_after) => Err(rate_limited(retry_after, what)),
            None => Ok(()),
        }
    }

    fn code_hash(&self, row_id: &str, code: &str) -> Vec<u8> {
        self.master_key
            .keyed_hash(&[b"email code", row_id.as_bytes(), code.as_bytes()])
    }

    /// Sends a code and link for `purpose` to `email`, if there is something to send; answers the
    /// same either way.
    pub async fn request_email_code(
        &self,
        app: &App,
        principal: Option<&Principal>,
        req: EmailCodeRequest,
        meta: &RequestMeta,
    ) -> Result<CodeRequested> {
        let email = parse_email(&req.email)?;
        let purpose = Purpose::parse(&req.purpose)?;
        if purpose == Purpose::VerifyEmail {
            let p = principal.ok_or_else(|| {
                Error::Unauthorized("verify_email needs the signed-in user's session".to_owned())
            })?;
            if p.user.email.as_deref().map(str::to_lowercase) != Some(email.to_lowercase()) {
                return invalid(
                    "verify_email sends only to the signed-in user's own email address",
                );
            }
        }
        let ip = throttle_key(meta);
        self.throttle(
            &format!("otp-ip:{ip}"),
            &IP_EMAIL_LIMITS,
            "email requests from this address",
        )
        .await?;
        let binding = new_secret(BINDING_PREFIX);
        let now = self.clock.now();
        let email_lower = email.to_lowercase();
        let mut tx = self.store.begin().await?;
        if let Some(retry_after) = rate_limits::hit(
            &mut tx,
            &format!("otp-address:{}:{email_lower}", app.id),
            &ADDRESS_LIMITS,
            now,
        )
        .await?
        {
            commit(tx).await?;
            return Err(rate_limited(retry_after, "emails to this address"));
        }
        let existing = store::users::find_user_by_email(&mut tx, &app.id, &email).await?;
        // What this request really sends, whatever the caller asked: an address's owner always
        // gets a way in, strangers get nothing that reveals an account.
        let send = match (purpose, &existing) {
            (Purpose::VerifyEmail, _) => {
                principal.map(|p| (Purpose::VerifyEmail, Some(p.user.id.clone())))
            }
            (_, Some(user)) if user.disabled => None,
            (_, Some(_)) => Some((Purpose::SignIn, None)),
            (Purpose::SignUp, None) if app.sign_up_allowed => Some((Purpose::SignUp, None)),
            (Purpose::SignIn, None) if app.sign_up_allowed && app.unknown_email_sign_up => {
                Some((Purpose::SignUp, None))
            }
            _ => None,
        };
        let Some((purpose, user_id)) = send else {
            // Nothing is sent, but a code row is written all the same (one no code can ever
            // match): a guess at it then answers exactly like a guess at a real one, so wrong
            // codes do not reveal which addresses have accounts.
            let decoy = EmailCode {
                id: new_id(),
                app_id: app.id.clone(),
                email: email.clone(),
                purpose: DECOY.to_owned(),
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
            };
            store::email_codes::replace_pending(&mut tx, &app.id, &email_lower, now).await?;
            store::email_codes::insert_code(&mut tx, &decoy).await?;
            commit(tx).await?;
            return Ok(CodeRequested { binding });
        };
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        let token = new_secret(LINK_PREFIX);
        let id = new_id();
        let row = EmailCode {
            code_hash: self.code_hash(&id, &code),
            id,
            app_id: app.id.clone(),
            email: email.clone(),
            purpose: purpose.as_str().to_owned(),
            user_id: user_id.clone(),
            // verify_email belongs to the session that asked for it.
            session_id: principal
                .filter(|_| purpose == Purpose::VerifyEmail)
                .map(|p| p.session.id.clone()),
            token_hash: hash_secret(&token),
            binding_hash: app.magic_link_binding.then(|| hash_secret(&binding)),
            attempts: 0,
            created_at: now,
            expires_at: now + CODE_TTL,
            used_at: None,
            replaced_at: None,
        };
        store::email_codes::replace_pending(&mut tx, &app.id, &email_lower, now).await?;
        store::email_codes::insert_code(&mut tx, &row).await?;
        commit(tx).await?;

        let link = format!(
            "{}/apps/{}/login/magic?token={token}",
            self.public_url, app.id
        );
        let message = crate::mail::render(
            &app.email_templates,
            purpose.as_str(),
            &app.name,
            &email,
            &code,
            &link,
            CODE_TTL / 60,
        );
        self.deliver(
            app,
            message,
            user_id.or(existing.map(|u| u.id)),
            purpose,
            meta.clone(),
        );
        Ok(CodeRequested { binding })
    }

    /// Sends in the background, bounded by the mailer's timeout, and records the outcome.
    fn deliver(
        &self,
        app: &App,
        message: crate::mail::Email,
        user_id: Option<String>,
        purpose: Purpose,
        meta: RequestMeta,
    ) {
        let mailer = self.mailer.clone();
        let store = self.store.clone();
        let clock = self.clock.clone();
        let app_id = app.id.clone();
        tokio::spawn(async move {
            let outcome = mailer.send(&message).await;
            let (kind, data) = match &outcome {
                Ok(where_to) => {
                    tracing::info!(app = %app_id, purpose = purpose.as_str(), to = %where_to, "email sent");
                    (
                        event::Kind::EmailSent,
                        event::data([("purpose", json!(purpose.as_str()))]),
                    )
                }
                Err(error) => {
                    tracing::warn!(app = %app_id, purpose = purpose.as_str(), %error, "email delivery failed");
                    (
                        event::Kind::EmailDeliveryFailed,
                        event::data([
                            ("purpose", json!(purpose.as_str())),
                            ("error", json!(error)),
                        ]),
                    )
                }
            };
            let recorded = async {
                let mut conn = store.write_conn().await?;
                event::record(
                    &mut conn,
                    &app_id,
                    kind,
                    user_id.as_deref(),
                    &meta,
                    data,
                    clock.now(),
                )
                .await
            }
            .await;
            if let Err(e) = recorded {
                tracing::warn!(error = %e, "recording the email outcome failed");
            }
        });
    }

    /// Signs in with the 6-digit code from the email.
    pub async fn sign_in_with_code(
        &self,
        app: &App,
        email: &str,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let email = parse_email(email)?;
        let code = check_code_format(code)?;
        self.throttle_redemption(meta).await?;
        let mut conn = self.store.conn().await?;
        let row =
            store::email_codes::find_latest(&mut conn, &app.id, &email.to_lowercase()).await?;
        drop(conn);
        self.redeem_code(app, row, code, requester, meta).await
    }

    /// Signs in with the code from the email of the link `token`: what the link's page offers
    /// when it is opened in another browser than the one that asked.
    pub async fn sign_in_with_link_code(
        &self,
        app: &App,
        token: &str,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let code = check_code_format(code)?;
        self.throttle_redemption(meta).await?;
        let mut conn = self.store.conn().await?;
        let row =
            store::email_codes::find_by_token(&mut conn, &app.id, &hash_secret(token)).await?;
        drop(conn);
        match row {
            Some(row) => {
                self.redeem_code(app, Some(row), code, requester, meta)
                    .await
            }
            None => Err(expired()),
        }
    }

    async fn throttle_redemption(&self, meta: &RequestMeta) -> Result<()> {
        let ip = throttle_key(meta);
        self.throttle(
            &format!("redeem-ip:{ip}"),
            &IP_REDEEM_LIMITS,
            "sign-in attempts from this address",
        )
        .await
    }

    /// Checks `code` against the row (counting a wrong one) and redeems it.
    async fn redeem_code(
        &self,
        app: &App,
        row: Option<EmailCode>,
        code: &str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        let wrong = |attempts_left: i64| Error::InvalidCode {
            detail: if attempts_left > 0 {
                format!("the code is not right: {attempts_left} attempts left")
            } else {
                "the code is not right, and too many wrong codes were tried: request a new one"
                    .to_owned()
            },
            attempts_left,
        };
        let Some(row) = row else {
            return Err(wrong(MAX_ATTEMPTS));
        };
        if row.attempts >= MAX_ATTEMPTS {
            return Err(wrong(0));
        }
        let now = self.clock.now();
        if row.used_at.is_some() || row.replaced_at.is_some() || row.expires_at <= now {
            return Err(expired());
        }
        if !ct_eq(&self.code_hash(&row.id, code), &row.code_hash) {
            let mut tx = self.store.begin().await?;
            let attempts = store::email_codes::count_attempt(&mut tx, &row.id).await?;
            event::record(
                &mut tx,
                &app.id,
                event::Kind::SignInFailed,
                row.user_id.as_deref(),
                meta,
                event::data([
                    ("method", json!("email_otp")),
                    ("reason", json!("wrong code")),
                ]),
                now,
            )
            .await?;
            commit(tx).await?;
            metrics::counter!("latchkey_sign_ins_total", "method" => "email_otp", "outcome" => "failure")
                .increment(1);
            return Err(wrong((MAX_ATTEMPTS - attempts).max(0)));
        }
        self.redeem(app, row, "email_otp", requester, meta).await
    }

    /// Signs in with the magic link's token, in the browser holding `binding` if the link is bound.
    pub async fn sign_in_with_link(
        &self,
        app: &App,
        token: &str,
        binding: Option<&str>,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        self.throttle_redemption(meta).await?;
        let row = self.check_link(app, token, binding).await?;
        self.redeem(app, row, "magic_link", requester, meta).await
    }

    /// The live row behind a link, if this browser may use it; does not consume it.
    pub async fn check_link(
        &self,
        app: &App,
        token: &str,
        binding: Option<&str>,
    ) -> Result<EmailCode> {
        if !token.starts_with(LINK_PREFIX) {
            return Err(expired());
        }
        let mut conn = self.store.conn().await?;
        let row = store::email_codes::find_by_token(&mut conn, &app.id, &hash_secret(token))
            .await?
            .ok_or_else(expired)?;
        if row.used_at.is_some()
            || row.replaced_at.is_some()
            || row.expires_at <= self.clock.now()
            || row.attempts >= MAX_ATTEMPTS
        {
            return Err(expired());
        }
        if let Some(expected) = &row.binding_hash
            && !binding.is_some_and(|b| ct_eq(&hash_secret(b), expected))
        {
            return Err(Error::LinkOtherBrowser(
                "this link works only in the browser that asked for it: enter the 6-digit code \
                 from the same email instead"
                    .to_owned(),
            ));
        }
        Ok(row)
    }

    /// Consumes a verified code or link row and signs its address's owner in.
    async fn redeem(
        &self,
        app: &App,
        row: EmailCode,
        method: &'static str,
        requester: Option<&Principal>,
        meta: &RequestMeta,
    ) -> Result<SignIn> {
        if row.purpose == DECOY {
            return Err(expired());
        }
        // A verify_email code proves the address only to the session that asked for it; from
        // anywhere else it would hand that account to whoever holds the email (and verify an
        // address whose account someone else may have set up): refused, and left unspent.
        if row.purpose == "verify_email" {
            let same_session = requester.is_some_and(|p| {
                row.session_id.as_deref() == Some(p.session.id.as_str())
                    && row.user_id.as_deref() == Some(p.user.id.as_str())
            });
            if !same_session {
                return Err(Error::Forbidden(
                    "this code verifies the email of the session that asked for it: enter it \
                     there, signed in"
                        .to_owned(),
                ));
            }
        }
        self.prepare_signing(app).await?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        if !store::email_codes::take_code(&mut tx, &row.id, now, MAX_ATTEMPTS).await? {
            return Err(expired());
        }
        let mut user = match row.purpose.as_str() {
            "verify_email" => {
                let user = match &row.user_id {
                    Some(id) => store::users::find_user(&mut tx, &app.id, id).await?,
                    None => None,
                };
                let user = user
                    .filter(|u| {
                        u.email.as_deref().map(str::to_lowercase) == Some(row.email.to_lowercase())
                    })
                    .ok_or_else(|| {
                        Error::ChallengeExpired(
                            "the account's email address has changed since this code was sent"
                                .to_owned(),
                        )
                    })?;
                self.mark_verified(&mut tx, app, user, meta, now, false)
                    .await?
            }
            _ => match store::users::find_user_by_email(&mut tx, &app.id, &row.email).await? {
                Some(user) => {
                    self.mark_verified(&mut tx, app, user, meta, now, true)
                        .await?
                }
                None if app.sign_up_allowed => {
                    let user = User {
                        id: new_id(),
                        app_id: app.id.clone(),
                        email: Some(row.email.clone()),
                        email_verified: true,
                        given_name: None,
                        family_name: None,
                        display_name: None,
                        metadata: Default::default(),
                        disabled: false,
                        created_at: now,
                        updated_at: now,
                        last_sign_in_at: None,
                    };
                    store::users::insert_user(&mut tx, &user).await?;
                    event::record(
                        &mut tx,
                        &app.id,
                        event::Kind::UserSignedUp,
                        Some(&user.id),
                        meta,
                        event::data([("method", json!(method))]),
                        now,
                    )
                    .await?;
                    user
                }
                None => {
                    return Err(Error::Forbidden(
                        "sign-up is disabled for this app".to_owned(),
                    ));
                }
            },
        };
        if user.disabled {
            return Err(Error::Forbidden("this account is disabled".to_owned()));
        }
        let amr = vec![
            if method == "email_otp" {
                "otp"
            } else {
                "magic_link"
            }
            .to_owned(),
        ];
        let minted = self
            .sign_in_user(
                &mut tx,
                app,
                &mut user,
                amr,
                method,
                event::data([("purpose", json!(row.purpose))]),
                meta,
                now,
            )
            .await?;
        commit(tx).await?;
        self.finish_sign_in(app, user, minted).await
    }

    /// Marks the user's email verified. When the address is proven from outside the account
    /// (`protect`) and it had never been verified, whatever was attached to the account before
    /// — passkeys, sessions — was never proven to be the address owner's: it is removed first
    /// (account pre-hijacking defence).
    async fn mark_verified(
        &self,
        conn: &mut Conn,
        app: &App,
        mut user: User,
        meta: &RequestMeta,
        now: i64,
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
                "takeover_protection",
            )
            .await?;
            event::record(
                conn,
                &app.id,
                event::Kind::TakeoverProtection,
                Some(&user.id),
                meta,
                event::data([
                    (
                        "passkeys_removed",
                        json!(passkeys.iter().map(|p| p.id.clone()).collect::<Vec<_>>()),
                    ),
                    ("sessions_revoked", json!(sessions)),
                ]),
                now,
            )
            .await?;
        }
        user.email_verified = true;
        user.updated_at = now;
        store::users::set_email_verified(conn, &app.id, &user.id, now).await?;
        event::record(
            conn,
            &app.id,
            event::Kind::EmailVerified,
            Some(&user.id),
            meta,
            event::data([("email", json!(user.email))]),
            now,
        )
        .await?;
        Ok(user)
    }
}

/// What per-IP limits count by: the IPv4 address, or the /64 an IPv6 address belongs to (one
/// client holds a whole /64, so counting single IPv6 addresses would bind nothing).
fn throttle_key(meta: &RequestMeta) -> String {
    match meta
        .ip
        .as_deref()
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
    {
        Some(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Some(ip) => ip.to_string(),
        None => "unknown".to_owned(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ip: &str) -> String {
        throttle_key(&RequestMeta {
            ip: Some(ip.to_owned()),
            user_agent: None,
        })
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_eq!(throttle_key(&RequestMeta::default()), "unknown");
    }
}
