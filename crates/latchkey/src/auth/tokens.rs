//! Access tokens (JWT) and the per-app keys that sign them.
//!
//! Each app has one active signing key, generated on first use with the app's algorithm; its
//! private half is sealed under the master key in the store, its public half published in the
//! app's JWKS. Keys are parsed once per instance and cached; a retired key keeps verifying (and
//! stays in the JWKS) long enough for every token it signed to expire.

pub mod provider;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _,
};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::apps::{SigningAlg, Site};
use super::error::{Error, Result};
use super::ids::{AppId, SessionId, UserId, new_id};
use super::roles::Access;
use super::sign_in::Amr;
use super::store::{StoreError, signing_keys};
use super::{App, Auth, Session, User};
use crate::clock::Timestamp;
use crate::crypto::{Secret, b64url, random_bytes};

/// How long a loaded key set is trusted before it is read again (another instance may rotate).
const KEY_CACHE_TTL: Duration = Duration::from_secs(60);
/// How often an unknown `kid` may make an instance reload an app's keys.
const UNKNOWN_KID_RELOAD: Duration = Duration::from_secs(1);
/// Seconds an access token is still accepted after its `exp`, for clocks slightly apart.
const EXPIRY_LEEWAY: i64 = 5;
/// How long a retired key stays published: longer than the longest access token lifetime.
const RETIRED_KEY_GRACE: i64 = 2 * 86_400;
/// How long a signing key signs before the next use replaces it (90 days); the old one keeps
/// verifying, and stays in the JWKS, for [`RETIRED_KEY_GRACE`] after.
pub const SIGNING_KEY_LIFETIME: i64 = 90 * 86_400;
/// Tokens a key set remembers having checked (a few hundred bytes each); past it, it forgets
/// them all and starts again.
const VERIFIED_TOKENS: usize = 10_000;

/// An app's signing key as stored: the private half sealed under the master key, the public
/// half as a JWK ready for the JWKS document.
#[derive(Clone, Debug)]
pub(crate) struct SigningKey {
    pub kid: String,
    pub app_id: AppId,
    pub alg: SigningAlg,
    /// Sealed private key (see `crypto::MasterKey::seal`, context = kid).
    pub private_key: Vec<u8>,
    pub public_jwk: String,
    pub active: bool,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

/// A public JSON Web Key Set (RFC 7517): the app's current and still-valid previous keys.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Jwks {
    #[schema(value_type = Vec<Object>)]
    pub keys: Vec<Value>,
}

string_enum! {
    /// What a narrow token is only for: it is refused everywhere else, the browser API and
    /// `tokens/verify` included.
    pub enum TokenUse {
        /// PasskeyMe's callback token: read by its `verify-token` and `user` calls only.
        Passkeyme = "passkeyme",
    }
}

/// The `typ` of an OAuth access token's header (RFC 9068).
pub const OAUTH_ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// The kinds of JWT an app signs, told apart by their header's `typ` and their audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JwtType {
    /// A Latchkey session's access token (and PasskeyMe's narrow one).
    Session,
    /// An OAuth access token (`at+jwt`), for the app's OpenID Provider's clients.
    OAuthAccess,
    /// An OpenID Connect id_token, whose audience is a client.
    Id,
}

/// Whom a JWT must be for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Aud {
    /// The app: its access tokens.
    App,
    /// Any audience (an id_token presented back, whose audience the caller then checks).
    Any,
}

/// The claims of a Latchkey access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: AppId,
    pub sub: UserId,
    pub sid: SessionId,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    #[serde(deserialize_with = "super::sign_in::lenient_amr")]
    pub amr: Vec<Amr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub email_verified: bool,
    /// `sub` again and `aud` again, under the names PasskeyMe's tokens give them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<AppId>,
    /// Set on a narrow token: the only use it has.
    #[serde(rename = "lk_use", default, skip_serializing_if = "Option::is_none")]
    pub only_for: Option<TokenUse>,
    /// The session's organization (`null` when none) and the user's roles and permissions when
    /// the token was issued (a change shows at the next refresh; `tokens/verify` sees it at
    /// once). Absent from narrow tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

struct Signer {
    kid: String,
    alg: Algorithm,
    key: EncodingKey,
}

/// One app's parsed keys.
pub(crate) struct AppKeys {
    /// The active key of the app's algorithm.
    signer: Option<Signer>,
    /// Active keys of other algorithms (made for OAuth clients that ask for one).
    others: Vec<Signer>,
    verifiers: HashMap<String, (Algorithm, DecodingKey)>,
    jwks: Vec<Value>,
    loaded: Instant,
    /// Loaded because a token named an unknown key.
    forced: bool,
    /// When this set changes by itself (its signing key is due for replacement, or a retired
    /// key leaves the JWKS): it is read again then, whatever its age.
    stale_at: Option<Timestamp>,
    /// Tokens whose signature, issuer and audience these keys already checked, by the SHA-256
    /// of the whole token. A backend verifies the same access token on each of its requests,
    /// and the signature check is most of a verify's work; a remembered token is still checked
    /// for expiry, and its session read, every time. Gone with the key set (read again every
    /// minute, or at once after a rotation on this instance).
    verified: Mutex<HashMap<[u8; 32], Arc<AccessClaims>>>,
}

impl AppKeys {
    /// The claims of `token` if these keys already checked it.
    fn remembered(&self, digest: &[u8; 32]) -> Option<Arc<AccessClaims>> {
        self.verified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(digest)
            .cloned()
    }

    /// Remembers that these keys checked a token.
    fn remember(&self, digest: [u8; 32], claims: Arc<AccessClaims>) {
        let mut verified = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
        if verified.len() >= VERIFIED_TOKENS {
            verified.clear();
        }
        verified.insert(digest, claims);
    }
}

impl AppKeys {
    /// Signs an access token for the session at `now`; returns it and its lifetime in seconds.
    /// Needs no store access: the keys were loaded beforehand.
    pub(crate) fn sign_access_token(
        &self,
        issuer: &str,
        app: &App,
        user: &User,
        session: &Session,
        access: &Access,
        now: Timestamp,
    ) -> Result<(Secret, i64)> {
        let grant = (&session.id, &session.amr[..]);
        let mut claims = self.claims(issuer, app, user, grant, now, None);
        claims.org_id = Some(access.org_id.clone());
        claims.roles = Some(access.roles.clone());
        claims.permissions = Some(access.permissions.clone());
        Ok((self.sign_claims(None, &claims)?, app.access_token_ttl))
    }

    /// Signs a token for the session `sid` (signed in by `amr`) at `now`; a narrow one when
    /// `only_for` names its use.
    pub(crate) fn sign_token(
        &self,
        issuer: &str,
        app: &App,
        user: &User,
        (sid, amr): (&SessionId, &[Amr]),
        now: Timestamp,
        only_for: Option<TokenUse>,
    ) -> Result<(Secret, i64)> {
        let claims = self.claims(issuer, app, user, (sid, amr), now, only_for);
        Ok((self.sign_claims(None, &claims)?, app.access_token_ttl))
    }

    /// The claims of a token for the session `sid` (signed in by `amr`) at `now`.
    fn claims(
        &self,
        issuer: &str,
        app: &App,
        user: &User,
        (sid, amr): (&SessionId, &[Amr]),
        now: Timestamp,
        only_for: Option<TokenUse>,
    ) -> AccessClaims {
        AccessClaims {
            iss: issuer.to_owned(),
            aud: app.id.clone(),
            sub: user.id.clone(),
            sid: sid.clone(),
            iat: now,
            exp: now + app.access_token_ttl,
            jti: new_id(),
            amr: amr.to_vec(),
            email: user.email.as_ref().map(ToString::to_string),
            email_verified: user.email_verified,
            user_id: Some(user.id.clone()),
            app_id: Some(app.id.clone()),
            only_for,
            org_id: None,
            roles: None,
            permissions: None,
        }
    }

    /// Signs `claims` as a JWT with the current key, its header naming the key and, when
    /// given, the token's type (`typ`). Needs no store access.
    pub(crate) fn sign_claims<T: Serialize>(
        &self,
        typ: Option<&str>,
        claims: &T,
    ) -> Result<Secret> {
        self.sign_claims_as(None, typ, claims)
    }

    /// The active signer of `alg` (the app's own when `None`).
    fn signer_of(&self, alg: Option<SigningAlg>) -> Option<&Signer> {
        match alg.map(algorithm) {
            None => self.signer.as_ref(),
            Some(alg) => self
                .signer
                .iter()
                .chain(&self.others)
                .find(|s| s.alg == alg),
        }
    }

    /// [`Self::sign_claims`] with the active key of `alg` (the app's own when `None`), which the
    /// keys must have been loaded with ([`Tokens::keys_with`]).
    pub(crate) fn sign_claims_as<T: Serialize>(
        &self,
        alg: Option<SigningAlg>,
        typ: Option<&str>,
        claims: &T,
    ) -> Result<Secret> {
        let signer = self
            .signer_of(alg)
            .ok_or_else(|| internal("app has no active key of that algorithm"))?;
        let mut header = Header::new(signer.alg);
        header.kid = Some(signer.kid.clone());
        if let Some(typ) = typ {
            header.typ = Some(typ.to_owned());
        }
        let token = jsonwebtoken::encode(&header, claims, &signer.key)
            .map_err(|e| internal(&format!("signing failed: {e}")))?;
        Ok(Secret::from_presented(token))
    }

    /// The algorithm [`Self::sign_claims_as`] signs with for `alg` (an id_token's `at_hash`
    /// depends on it).
    pub(crate) fn signing_alg(&self, alg: Option<SigningAlg>) -> Option<Algorithm> {
        self.signer_of(alg).map(|s| s.alg)
    }
}

#[derive(Default)]
pub(crate) struct KeyCache(RwLock<HashMap<AppId, Arc<AppKeys>>>);

impl KeyCache {
    fn get(&self, app_id: &AppId) -> Option<Arc<AppKeys>> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(app_id)
            .filter(|k| k.loaded.elapsed() < KEY_CACHE_TTL)
            .cloned()
    }

    fn put(&self, app_id: &AppId, keys: Arc<AppKeys>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.insert(app_id.clone(), keys);
    }

    pub(crate) fn forget(&self, app_id: &AppId) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.remove(app_id);
    }
}

fn algorithm(alg: SigningAlg) -> Algorithm {
    match alg {
        SigningAlg::Es256 => Algorithm::ES256,
        SigningAlg::EdDsa => Algorithm::EdDSA,
        SigningAlg::Rs256 => Algorithm::RS256,
    }
}

fn internal(what: &str) -> Error {
    Error::Internal(format!("signing key: {what}"))
}

/// Generates a key pair for `alg`: the private key as PKCS#8 DER and the public JWK.
fn generate_key(alg: SigningAlg, kid: &str) -> Result<(Vec<u8>, Value)> {
    let rng = SystemRandom::new();
    match alg {
        SigningAlg::Es256 => {
            let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
                .map_err(|_| internal("P-256 generation failed"))?;
            let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
                .map_err(|_| internal("P-256 key rejected"))?;
            // Uncompressed point: 0x04 ‖ x ‖ y.
            let point = pair.public_key().as_ref();
            if point.len() != 65 {
                return Err(internal("unexpected P-256 public key length"));
            }
            let jwk = json!({"kty": "EC", "crv": "P-256", "x": b64url(&point[1..33]),
                "y": b64url(&point[33..65]), "use": "sig", "alg": "ES256", "kid": kid});
            Ok((pkcs8.as_ref().to_vec(), jwk))
        }
        SigningAlg::EdDsa => {
            let pkcs8 =
                Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| internal("Ed25519 generation"))?;
            let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref())
                .map_err(|_| internal("Ed25519 key rejected"))?;
            let jwk = json!({"kty": "OKP", "crv": "Ed25519",
                "x": b64url(pair.public_key().as_ref()), "use": "sig", "alg": "EdDSA", "kid": kid});
            Ok((pkcs8.as_ref().to_vec(), jwk))
        }
        SigningAlg::Rs256 => {
            let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
                .map_err(|_| internal("RSA generation"))?;
            let pkcs8: aws_lc_rs::encoding::Pkcs8V1Der<'_> =
                pair.as_der().map_err(|_| internal("RSA export"))?;
            let public = pair.public_key();
            let jwk = json!({"kty": "RSA",
                "n": b64url(public.modulus().big_endian_without_leading_zero()),
                "e": b64url(public.exponent().big_endian_without_leading_zero()),
                "use": "sig", "alg": "RS256", "kid": kid});
            Ok((pkcs8.as_ref().to_vec(), jwk))
        }
    }
}

fn encoding_key(alg: Algorithm, pkcs8: &[u8]) -> Result<EncodingKey> {
    match alg {
        Algorithm::ES256 => Ok(EncodingKey::from_ec_der(pkcs8)),
        Algorithm::EdDSA => Ok(EncodingKey::from_ed_der(pkcs8)),
        Algorithm::RS256 => {
            // jsonwebtoken takes RSA keys as PKCS#1; its PEM reader unwraps PKCS#8 for us.
            let pem = format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                base64::engine::general_purpose::STANDARD.encode(pkcs8)
            );
            EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| internal("RSA key unreadable"))
        }
        _ => Err(internal("unsupported algorithm")),
    }
}

/// A new active signing key of `alg` for the app `app_id`, its private half sealed under
/// `master_key`.
fn new_key(
    master_key: &crate::crypto::MasterKey,
    app_id: &AppId,
    alg: SigningAlg,
    now: Timestamp,
) -> Result<SigningKey> {
    let kid = b64url(&random_bytes::<12>());
    let (pkcs8, jwk) = generate_key(alg, &kid)?;
    Ok(SigningKey {
        private_key: master_key.seal(kid.as_bytes(), &pkcs8),
        kid,
        app_id: app_id.clone(),
        alg,
        public_jwk: jwk.to_string(),
        active: true,
        created_at: now,
        retired_at: None,
    })
}

/// The SHA-256 of a whole token: what a checked token is remembered by.
fn token_digest(token: &str) -> [u8; 32] {
    sha2::Sha256::digest(token.as_bytes()).into()
}

pub(crate) fn decoding_key(jwk: &Value) -> Option<DecodingKey> {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str);
    match s("kty")? {
        "EC" => DecodingKey::from_ec_components(s("x")?, s("y")?).ok(),
        "OKP" => DecodingKey::from_ed_components(s("x")?).ok(),
        "RSA" => DecodingKey::from_rsa_components(s("n")?, s("e")?).ok(),
        _ => None,
    }
}

/// Signing keys, access tokens and the JWKS.
pub struct Tokens<'a> {
    pub(super) auth: &'a Auth,
}

impl Tokens<'_> {
    /// The app's parsed keys, generating its first signing key if it has none.
    pub(crate) async fn keys(&self, app: &App) -> Result<Arc<AppKeys>> {
        self.keys_with(app, None).await
    }

    /// [`Self::keys`] with an active key of `alg` too (made if the app has none yet), for a
    /// client whose id_tokens must use it.
    pub(crate) async fn keys_with(
        &self,
        app: &App,
        alg: Option<SigningAlg>,
    ) -> Result<Arc<AppKeys>> {
        if let Some(keys) = self.auth.keys.get(&app.id)
            && keys.stale_at.is_none_or(|at| at > self.auth.clock.now())
            && keys.signer_of(alg).is_some()
        {
            return Ok(keys);
        }
        self.load_app_keys(app, false, alg).await
    }

    /// Replaces the app's signing key now: tokens it signed keep verifying, and it stays in the
    /// JWKS, until they have all expired. Returns the JWKS, the new key first.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn rotate(&self, app: &App) -> Result<Jwks> {
        let now = self.auth.clock.now();
        // Two rotations at once (on PostgreSQL, the second may not see the first's new key to
        // retire it): the loser tries once more, after the winner committed.
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.replace_key(app, app.signing_alg, now, None).await? {
                Ok(()) => break,
                Err(StoreError::Conflict) if attempts < 3 => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.auth.keys.forget(&app.id);
        self.jwks(app).await
    }

    /// Makes a new active signing key of `alg` for `app`, retiring in the same unit its active
    /// key of `alg` if that was made before `created_before`, or every active key when `None`
    /// (a rotation). [`StoreError::Conflict`] if the app still has an active key of `alg`
    /// (another request or instance replaced it first).
    async fn replace_key(
        &self,
        app: &App,
        alg: SigningAlg,
        now: Timestamp,
        created_before: Option<Timestamp>,
    ) -> Result<std::result::Result<(), StoreError>> {
        // Making an RSA key takes a while: not on a task that serves requests.
        let (master_key, app_id) = (self.auth.master_key.clone(), app.id.clone());
        let key = tokio::task::spawn_blocking(move || new_key(&master_key, &app_id, alg, now))
            .await
            .map_err(|e| internal(&format!("key generation: {e}")))??;
        let app_id = app.id.clone();
        Ok(self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move {
                    match created_before {
                        Some(before) => {
                            signing_keys::retire_active_created_before(
                                tx, &app_id, alg, before, now,
                            )
                            .await?
                        }
                        None => signing_keys::retire_active(tx, &app_id, now).await?,
                    };
                    signing_keys::insert_key(tx, &key).await
                })
            })
            .await)
    }

    /// Reads the app's keys, first making an active key of the app's algorithm (and of
    /// `extra`) where there is none or it is due for replacement.
    async fn load_app_keys(
        &self,
        app: &App,
        forced: bool,
        extra: Option<SigningAlg>,
    ) -> Result<Arc<AppKeys>> {
        let now = self.auth.clock.now();
        let mut reader = self.auth.store.read().await?;
        let active = signing_keys::active_keys(&mut reader.conn(), &app.id).await?;
        drop(reader);
        let wanted: Vec<SigningAlg> = std::iter::once(app.signing_alg)
            .chain(extra.filter(|a| *a != app.signing_alg))
            .collect();
        let due_before = now - SIGNING_KEY_LIFETIME;
        for alg in &wanted {
            let since = active.iter().find(|(a, _)| a == alg).map(|(_, at)| *at);
            if since.is_none_or(|since| since <= due_before) {
                // Only a key still due: another instance may have replaced it already.
                match self.replace_key(app, *alg, now, Some(due_before)).await? {
                    // Another request or instance made one first: use theirs.
                    Ok(()) | Err(StoreError::Conflict) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        // A key of another algorithm no one asked for now is retired when due, not replaced: the
        // next client that wants it makes a new one.
        for (alg, _) in active
            .iter()
            .filter(|(alg, at)| !wanted.contains(alg) && *at <= due_before)
        {
            let (app_id, alg) = (app.id.clone(), *alg);
            self.auth
                .store
                .write(move |tx| {
                    Box::pin(async move {
                        signing_keys::retire_active_created_before(
                            tx, &app_id, alg, due_before, now,
                        )
                        .await
                    })
                })
                .await?;
        }
        let mut reader = self.auth.store.read().await?;
        let rows =
            signing_keys::list_published(&mut reader.conn(), &app.id, now - RETIRED_KEY_GRACE)
                .await?;
        drop(reader);
        let mut keys = AppKeys {
            signer: None,
            others: Vec::new(),
            verifiers: HashMap::new(),
            jwks: Vec::new(),
            loaded: Instant::now(),
            forced,
            stale_at: None,
            verified: Mutex::default(),
        };
        for row in rows {
            let alg = algorithm(row.alg);
            let jwk: Value = serde_json::from_str(&row.public_jwk)
                .map_err(|_| internal("stored JWK unreadable"))?;
            if let Some(dk) = decoding_key(&jwk) {
                keys.verifiers.insert(row.kid.clone(), (alg, dk));
            }
            keys.jwks.push(jwk);
            let changes_at = match row.retired_at {
                Some(retired_at) => retired_at + RETIRED_KEY_GRACE,
                None => row.created_at + SIGNING_KEY_LIFETIME,
            };
            keys.stale_at = Some(keys.stale_at.map_or(changes_at, |at| at.min(changes_at)));
            if row.active {
                let pkcs8 = self
                    .auth
                    .master_key
                    .open(row.kid.as_bytes(), &row.private_key)
                    .ok_or_else(|| {
                        internal(
                            "cannot decrypt: is LATCHKEY_MASTER_KEY the one it was sealed with?",
                        )
                    })?;
                let signer = Signer {
                    kid: row.kid,
                    alg,
                    key: encoding_key(alg, &pkcs8)?,
                };
                if row.alg == app.signing_alg {
                    keys.signer = Some(signer);
                } else {
                    keys.others.push(signer);
                }
            }
        }
        let keys = Arc::new(keys);
        self.auth.keys.put(&app.id, keys.clone());
        Ok(keys)
    }

    /// The issuer of `app`'s tokens: the origin of its own domain if it has one, else
    /// `PUBLIC_URL/apps/{app}`.
    pub fn issuer(&self, app: &App) -> String {
        self.auth.apps().base_url(app, Site::Own)
    }

    /// Checks an access token's signature, issuer, audience and expiry (not the session: see
    /// `Auth::principal_from_access_token`). A narrow token is refused.
    pub async fn verify_access_token(&self, app: &App, token: &str) -> Result<Arc<AccessClaims>> {
        self.verify_token_for(app, token, None).await
    }

    /// [`Self::verify_access_token`], accepting also a narrow token for `use_`.
    pub async fn verify_token_for(
        &self,
        app: &App,
        token: &str,
        use_: Option<TokenUse>,
    ) -> Result<Arc<AccessClaims>> {
        let bad = |why: &str| Error::Unauthorized(format!("the access token is not valid: {why}"));
        let keys = self.keys(app).await?;
        let digest = token_digest(token);
        let claims = match keys.remembered(&digest) {
            Some(claims) => claims,
            None => {
                let (keys, data) = self
                    .decode::<AccessClaims>(app, keys, token, JwtType::Session, Aud::App)
                    .await
                    .map_err(bad)?;
                let claims = Arc::new(data);
                keys.remember(digest, Arc::clone(&claims));
                claims
            }
        };
        if claims.exp + EXPIRY_LEEWAY < self.auth.clock.now() {
            return Err(bad("expired"));
        }
        if claims.only_for.is_some() && claims.only_for != use_ {
            return Err(bad("it is for another use"));
        }
        Ok(claims)
    }

    /// Checks a JWT of this app of the type `typ` names: its key (reloading the app's keys, at
    /// most once a second, for a key it does not know), algorithm, issuer, audience (the app,
    /// or `audience`) and required claims, not its expiry (checked against the domain's clock
    /// by the caller). The refusal says why in a few words.
    pub(crate) async fn decode<T: serde::de::DeserializeOwned>(
        &self,
        app: &App,
        mut keys: Arc<AppKeys>,
        token: &str,
        typ: JwtType,
        audience: Aud,
    ) -> std::result::Result<(Arc<AppKeys>, T), &'static str> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| "malformed")?;
        let is_oauth = header
            .typ
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(OAUTH_ACCESS_TOKEN_TYPE));
        if is_oauth != (typ == JwtType::OAuthAccess) {
            return Err("it is another kind of token");
        }
        let kid = header.kid.ok_or("no kid")?;
        let reloaded_just_now = keys.forced && keys.loaded.elapsed() < UNKNOWN_KID_RELOAD;
        if !keys.verifiers.contains_key(&kid) && !reloaded_just_now {
            // Another instance may have rotated since we loaded; but made-up kids must not
            // make every request read the store: at most one such reload a second.
            keys = self
                .load_app_keys(app, true, None)
                .await
                .map_err(|_| "keys unavailable")?;
        }
        let (alg, key) = keys.verifiers.get(&kid).ok_or("unknown key")?;
        if header.alg != *alg {
            return Err("wrong algorithm");
        }
        let mut validation = Validation::new(*alg);
        // Tokens issued before the app had its own domain name the shared issuer.
        validation.set_issuer(&[
            self.issuer(app),
            self.auth.apps().base_url(app, Site::Shared),
        ]);
        match audience {
            Aud::App => validation.set_audience(&[app.id.as_str()]),
            Aud::Any => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry against the domain's clock, not the library's reading of the system time.
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<T>(token, key, &validation)
            .map_err(|_| "signature or claims rejected")?;
        Ok((keys, data.claims))
    }

    /// The app's JWKS document.
    pub async fn jwks(&self, app: &App) -> Result<Jwks> {
        let keys = self.keys(app).await?;
        Ok(Jwks {
            keys: keys.jwks.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_and_verify() {
        for alg in SigningAlg::ALL.iter().copied() {
            let (pkcs8, jwk) = generate_key(alg, "k1").expect("generate");
            let a = algorithm(alg);
            let ek = encoding_key(a, &pkcs8).expect("encoding key");
            let mut header = Header::new(a);
            header.kid = Some("k1".into());
            let token =
                jsonwebtoken::encode(&header, &json!({"sub": "u", "exp": 4_000_000_000u64}), &ek)
                    .expect("sign");
            let dk = decoding_key(&jwk).expect("decoding key");
            let mut v = Validation::new(a);
            v.validate_aud = false;
            v.set_required_spec_claims(&["exp"]);
            jsonwebtoken::decode::<Value>(&token, &dk, &v).expect("verify");
        }
    }
}
