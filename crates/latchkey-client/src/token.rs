//! Offline verification of Latchkey access tokens against the app's JWKS.
//!
//! This module owns the key cache and the rules a token must pass: a `kid` the app's JWKS
//! publishes; an `alg` that is that key's algorithm and one Latchkey signs with (ES256, EdDSA,
//! RS256; `none` and every HMAC algorithm are refused before any key is looked at, so a public key
//! can never be used as an HMAC secret); a good signature; the app's issuer and audience; an `exp`
//! not passed beyond a small leeway. The cryptography is `jsonwebtoken`'s; nothing here parses
//! more of a token than the header fields it must read first.
//!
//! The JWKS is fetched once and cached, for an hour at most (see
//! [`ClientBuilder::jwks_max_age`](crate::ClientBuilder::jwks_max_age)). A token naming a key
//! the cache does not hold makes the cache refetch, because the app may have rotated its key; so that made-up `kid`s cannot turn
//! every request into a fetch, such a refresh happens at most once per
//! [`ClientBuilder::jwks_refresh_interval`](crate::ClientBuilder::jwks_refresh_interval).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Result, TokenError};
use crate::types::{SessionId, UserId};

/// The claims of a verified Latchkey access token (API.md "Access token").
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Claims {
    /// The user.
    pub sub: UserId,
    /// The session the token belongs to.
    pub sid: SessionId,
    /// `PUBLIC_URL/apps/{app}`.
    pub iss: String,
    /// The app id.
    pub aud: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// Issue time, seconds since the Unix epoch.
    pub iat: i64,
    /// The token's unique id.
    pub jti: String,
    /// How the user proved themselves: `passkey`, `mfa`, `otp`, `magic_link`.
    #[serde(default)]
    pub amr: Vec<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: bool,
    /// The session's active organization when the token was issued (`None`: none).
    #[serde(default)]
    pub org_id: Option<String>,
    /// The user's roles when the token was issued (the organization's and the app-wide ones).
    #[serde(default)]
    pub roles: Vec<String>,
    /// The union of those roles' permissions when the token was issued. A change reaches the
    /// next token (at the next refresh); `Client::verify_token` sees it at once.
    #[serde(default)]
    pub permissions: Vec<String>,
}

impl Claims {
    /// Whether the token grants the permission `key` (e.g. `invoices:read`).
    pub fn has_permission(&self, key: &str) -> bool {
        self.permissions.iter().any(|p| p == key)
    }

    /// Whether the token carries the role `key`.
    pub fn has_role(&self, key: &str) -> bool {
        self.roles.iter().any(|r| r == key)
    }
}

/// The only algorithms Latchkey signs with.
fn supported_algorithm(name: &str) -> Option<Algorithm> {
    match name {
        "ES256" => Some(Algorithm::ES256),
        "EdDSA" => Some(Algorithm::EdDSA),
        "RS256" => Some(Algorithm::RS256),
        _ => None,
    }
}

/// One verification key from the JWKS.
#[derive(Clone)]
struct Key {
    alg: Algorithm,
    key: DecodingKey,
}

/// A JWK as far as this crate reads it.
#[derive(Deserialize)]
struct Jwk {
    kid: Option<String>,
    kty: String,
    crv: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    x: Option<String>,
    y: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

impl Jwk {
    /// The key, if it is a signing key of a supported type whose `alg` (when given) matches it.
    fn into_key(self) -> Option<(String, Key)> {
        if self.use_.as_deref().is_some_and(|u| u != "sig") {
            return None;
        }
        let (alg, key) = match (self.kty.as_str(), self.crv.as_deref()) {
            ("EC", Some("P-256")) => (
                Algorithm::ES256,
                DecodingKey::from_ec_components(self.x.as_deref()?, self.y.as_deref()?).ok()?,
            ),
            ("OKP", Some("Ed25519")) => (
                Algorithm::EdDSA,
                DecodingKey::from_ed_components(self.x.as_deref()?).ok()?,
            ),
            ("RSA", _) => (
                Algorithm::RS256,
                DecodingKey::from_rsa_components(self.n.as_deref()?, self.e.as_deref()?).ok()?,
            ),
            _ => return None,
        };
        if let Some(declared) = self.alg.as_deref()
            && supported_algorithm(declared) != Some(alg)
        {
            return None;
        }
        Some((self.kid?, Key { alg, key }))
    }
}

/// Reads a JWKS document, keeping the keys this crate can use and skipping the rest.
fn parse_jwks(body: &[u8]) -> std::result::Result<HashMap<String, Key>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Jwks {
        keys: Vec<Value>,
    }
    let jwks: Jwks = serde_json::from_slice(body)?;
    Ok(jwks
        .keys
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Jwk>(v).ok()?.into_key())
        .collect())
}

#[derive(Default)]
struct CacheState {
    /// `None` until the first successful fetch.
    keys: Option<Arc<HashMap<String, Key>>>,
    /// When `keys` was fetched.
    fetched_at: Option<Instant>,
    /// When an unknown `kid` last made the cache refetch.
    last_forced_refresh: Option<Instant>,
}

/// The app's JWKS, fetched lazily.
pub(crate) struct KeyCache {
    state: RwLock<CacheState>,
    /// Held while fetching, so concurrent requests with a new `kid` cause one fetch, not many.
    fetching: tokio::sync::Mutex<()>,
    min_forced_interval: Duration,
    /// How long a fetched key set is trusted; older, it is fetched again, so a key the app
    /// retired stops being accepted.
    max_age: Duration,
}

impl KeyCache {
    pub(crate) fn new(min_forced_interval: Duration, max_age: Duration) -> Self {
        Self {
            state: RwLock::default(),
            fetching: tokio::sync::Mutex::new(()),
            min_forced_interval,
            max_age,
        }
    }

    /// Whether keys are loaded, whether they are still fresh, and the key `kid` among them.
    fn cached(&self, kid: &str) -> (bool, bool, Option<Key>) {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        let fresh = state
            .fetched_at
            .is_some_and(|at| at.elapsed() < self.max_age);
        match &state.keys {
            Some(keys) => (true, fresh, keys.get(kid).cloned()),
            None => (false, false, None),
        }
    }

    /// The key `kid`, fetching the JWKS with `fetch` when it is not cached and a fetch is due.
    async fn key<F, Fut>(&self, kid: &str, fetch: F) -> Result<Key>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<u8>>>,
    {
        if let (_, true, Some(key)) = self.cached(kid) {
            return Ok(key);
        }
        let _fetching = self.fetching.lock().await;
        // Another request may have fetched while this one waited.
        let (loaded, fresh, stale_key) = self.cached(kid);
        if let (true, Some(key)) = (fresh, &stale_key) {
            return Ok(key.clone());
        }
        if loaded && fresh {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            if state
                .last_forced_refresh
                .is_some_and(|at| at.elapsed() < self.min_forced_interval)
            {
                return Err(TokenError::UnknownKey.into());
            }
            // Counted before the fetch, so a failing server is not asked again at once either.
            state.last_forced_refresh = Some(Instant::now());
        }
        let body = match fetch().await {
            Ok(body) => body,
            // An outage must not fail every request: a key that was trusted stays trusted
            // until Latchkey answers again.
            Err(e) => match stale_key {
                Some(key) => {
                    tracing::warn!(error = %e, "refetching the app's JWKS failed; using the cached keys");
                    return Ok(key);
                }
                None => return Err(e),
            },
        };
        let keys = parse_jwks(&body).map_err(|source| crate::Error::Decode {
            what: "the JWKS",
            source,
        })?;
        tracing::debug!(keys = keys.len(), forced = loaded, "fetched the app's JWKS");
        let key = keys.get(kid).cloned();
        {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            state.keys = Some(Arc::new(keys));
            state.fetched_at = Some(Instant::now());
        }
        key.ok_or_else(|| TokenError::UnknownKey.into())
    }
}

/// The header fields read before any key is chosen.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

fn read_header(token: &str) -> std::result::Result<Header, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
}

/// What a token is checked against.
pub(crate) struct Expected<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) audience: &'a str,
    pub(crate) leeway: Duration,
}

/// Verifies `token` as of `now`, looking its key up in `cache` (fetching with `fetch`).
pub(crate) async fn verify<F, Fut>(
    cache: &KeyCache,
    fetch: F,
    token: &str,
    expected: &Expected<'_>,
    now: SystemTime,
) -> Result<Claims>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Vec<u8>>>,
{
    let header = read_header(token)?;
    let alg = supported_algorithm(&header.alg)
        .ok_or_else(|| TokenError::UnsupportedAlgorithm(header.alg.clone()))?;
    let kid = header.kid.ok_or(TokenError::UnknownKey)?;
    let key = cache.key(&kid, fetch).await?;
    if key.alg != alg {
        return Err(TokenError::AlgorithmMismatch.into());
    }
    let mut validation = Validation::new(key.alg);
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Expiry is checked below against `now`, which tests may move.
    validation.validate_exp = false;
    let claims = jsonwebtoken::decode::<Claims>(token, &key.key, &validation)
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
            ErrorKind::InvalidAudience => TokenError::WrongAudience,
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::InvalidAlgorithm => TokenError::AlgorithmMismatch,
            ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
                TokenError::Malformed
            }
            ErrorKind::MissingRequiredClaim(_)
            | ErrorKind::InvalidClaimFormat(_)
            | ErrorKind::Json(_) => TokenError::InvalidClaims,
            _ => TokenError::InvalidSignature,
        })?
        .claims;
    let now = i64::try_from(now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs())
        .unwrap_or(i64::MAX);
    let leeway = i64::try_from(expected.leeway.as_secs()).unwrap_or(i64::MAX);
    // RFC 7519 §4.1.4: the token must not be accepted on or after `exp`.
    if now >= claims.exp.saturating_add(leeway) {
        return Err(TokenError::Expired.into());
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_none_and_hmac_before_looking_for_a_key() {
        for alg in ["none", "HS256", "HS384", "HS512", "ES384", "PS256"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","kid":"k"}}"#));
            let token = format!("{header}.e30.");
            assert_eq!(
                read_header(&token)
                    .map(|h| supported_algorithm(&h.alg))
                    .ok(),
                Some(None),
                "{alg}"
            );
        }
    }

    #[test]
    fn malformed_tokens() {
        for token in ["", "a.b", "a.b.c.d", "!!!.e30.x", "e30.e30.x"] {
            assert!(read_header(token).is_err(), "{token}");
        }
    }

    #[test]
    fn jwks_keeps_only_usable_signing_keys() {
        let x = URL_SAFE_NO_PAD.encode([7u8; 32]);
        let body = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "ed", "alg": "EdDSA", "use": "sig"},
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "enc", "use": "enc"},
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "lies", "alg": "RS256"},
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac", "alg": "HS256"},
            {"kty": "OKP", "crv": "Ed25519", "x": x},
            "not a key",
        ]});
        let keys = parse_jwks(body.to_string().as_bytes()).expect("parses");
        assert_eq!(keys.keys().collect::<Vec<_>>(), vec!["ed"]);
    }
    /// A throwaway Ed25519 key made for these tests only.
    const TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIBRm6P0cr4JxICtkOhzEx0VH1rfpL4Q9PtPRkWHVDlV+
-----END PRIVATE KEY-----
";
    /// Its public key, as the JWK's `x`.
    const TEST_KEY_X: &str = "BI9XjkeV5Yvb7yE3t2OG9osazKXJbzggPW_Uv5dr2AA";
    const ISSUER: &str = "https://auth.test/apps/acme";

    fn test_jwks() -> Vec<u8> {
        serde_json::json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": TEST_KEY_X,
            "kid": "k1", "alg": "EdDSA", "use": "sig"}]})
        .to_string()
        .into_bytes()
    }

    fn claims() -> Value {
        serde_json::json!({"iss": ISSUER, "aud": "acme", "sub": "u1", "sid": "s1", "iat": 1000,
            "exp": 1900, "jti": "j1", "amr": ["passkey"], "email": "a@example.com",
            "email_verified": true})
    }

    fn sign(claims: &Value) -> String {
        let key = jsonwebtoken::EncodingKey::from_ed_pem(TEST_KEY_PEM.as_bytes()).expect("key");
        let mut header = jsonwebtoken::Header::new(Algorithm::EdDSA);
        header.kid = Some("k1".to_owned());
        jsonwebtoken::encode(&header, claims, &key).expect("sign")
    }

    async fn check(token: &str, now: u64) -> Result<Claims> {
        let cache = KeyCache::new(Duration::from_secs(60), Duration::from_secs(3600));
        let expected = Expected {
            issuer: ISSUER,
            audience: "acme",
            leeway: Duration::from_secs(10),
        };
        let now = UNIX_EPOCH + Duration::from_secs(now);
        verify(&cache, || async { Ok(test_jwks()) }, token, &expected, now).await
    }

    fn token_error(r: Result<Claims>) -> TokenError {
        match r {
            Err(crate::Error::InvalidToken(e)) => e,
            other => panic!("expected a refused token, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn accepts_a_good_token_and_reads_its_claims() {
        let claims = check(&sign(&claims()), 1500).await.expect("valid");
        assert_eq!(claims.sub.as_str(), "u1");
        assert_eq!(claims.sid.as_str(), "s1");
        assert_eq!(claims.amr, ["passkey"]);
        assert_eq!(claims.email.as_deref(), Some("a@example.com"));
    }

    #[tokio::test]
    async fn checks_audience_issuer_and_claims() {
        let mut c = claims();
        c["aud"] = "other".into();
        assert_eq!(
            token_error(check(&sign(&c), 1500).await),
            TokenError::WrongAudience
        );
        let mut c = claims();
        c["iss"] = "https://auth.test/apps/other".into();
        assert_eq!(
            token_error(check(&sign(&c), 1500).await),
            TokenError::WrongIssuer
        );
        for missing in ["sid", "exp", "iss", "aud", "sub"] {
            let mut c = claims();
            c.as_object_mut().expect("object").remove(missing);
            assert!(check(&sign(&c), 1500).await.is_err(), "without {missing}");
        }
    }

    #[tokio::test]
    async fn expiry_allows_only_the_leeway() {
        let token = sign(&claims());
        assert!(check(&token, 1909).await.is_ok());
        assert_eq!(token_error(check(&token, 1910).await), TokenError::Expired);
    }

    #[tokio::test]
    async fn an_alg_other_than_the_keys_is_refused() {
        let token = sign(&claims());
        let (_, rest) = token.split_once('.').expect("jwt");
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"ES256","kid":"k1"}"#);
        let forged = format!("{header}.{rest}");
        assert_eq!(
            token_error(check(&forged, 1500).await),
            TokenError::AlgorithmMismatch
        );
    }

    #[tokio::test]
    async fn unknown_kids_refresh_at_most_once_per_interval() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(test_jwks())
        };
        let cache = KeyCache::new(Duration::from_secs(60), Duration::from_secs(3600));
        assert!(cache.key("k1", fetch).await.is_ok());
        assert!(cache.key("k1", fetch).await.is_ok());
        assert_eq!(fetches.load(Ordering::SeqCst), 1, "cached");
        assert!(cache.key("nope", fetch).await.is_err());
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            2,
            "an unknown kid refreshes"
        );
        assert!(cache.key("nope2", fetch).await.is_err());
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            2,
            "but not again within the interval"
        );

        let eager = KeyCache::new(Duration::ZERO, Duration::from_secs(3600));
        for _ in 0..3 {
            assert!(eager.key("nope", fetch).await.is_err());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn keys_older_than_the_max_age_are_fetched_again() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(test_jwks())
        };
        let cache = KeyCache::new(Duration::from_secs(60), Duration::ZERO);
        assert!(cache.key("k1", fetch).await.is_ok());
        assert!(cache.key("k1", fetch).await.is_ok());
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            2,
            "stale keys are refetched"
        );
        // A failing refetch keeps the cached key rather than failing the request.
        let failing = || async { Err(crate::Error::Config("down".to_owned())) };
        assert!(cache.key("k1", failing).await.is_ok());
        assert!(cache.key("nope", failing).await.is_err());
    }
}
