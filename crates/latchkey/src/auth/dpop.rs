//! DPoP proofs (RFC 9449): a client proves, request by request, that it holds the private key
//! its tokens are bound to.
//!
//! A proof is a JWT the client signs with that key, carrying the public half in its header. It
//! is checked here for its type, algorithm, signature, the request it names (`htm`, `htu`), its
//! age (`iat`), the access token it goes with (`ath`), and single use: every `jti` is recorded
//! in the store until the proof could no longer be accepted, so a proof replayed at another
//! instance is refused too. Server nonces are not required.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;
use serde_json::Value;
use sha2::Digest as _;

use super::Auth;
use super::error::{Error, Result};
use super::oidc::{OAuthErrorCode, oauth_error};
use super::store;
use super::tokens::decoding_key;
use crate::crypto::b64url;

/// The signature algorithms a proof may use.
pub const ALGORITHMS: [&str; 3] = ["ES256", "EdDSA", "RS256"];
/// How far a proof's `iat` may be from now, either way, in seconds.
const PROOF_WINDOW: i64 = 60;
/// Longest proof taken.
const MAX_PROOF: usize = 8_192;

#[derive(Deserialize)]
struct ProofClaims {
    jti: String,
    htm: String,
    htu: String,
    iat: i64,
    #[serde(default)]
    ath: Option<String>,
}

/// What a proof must match: the request it came with.
pub struct ProofTarget<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The URL the request was sent to, without query or fragment.
    pub url: &'a str,
    /// The access token the request presents (a resource request), whose hash the proof
    /// must name.
    pub access_token: Option<&'a str>,
}

fn bad(why: &str) -> Error {
    oauth_error(
        OAuthErrorCode::InvalidDpopProof,
        format!("the DPoP proof is not valid: {why}"),
    )
}

/// DPoP proof checking.
pub struct Dpop<'a> {
    pub(super) auth: &'a Auth,
}

impl Dpop<'_> {
    /// Checks `proof` for `target` and records it as used; returns the JWK SHA-256 thumbprint
    /// (RFC 7638) of its key, which the tokens are bound to (`cnf.jkt`).
    pub async fn verify(&self, proof: &str, target: &ProofTarget<'_>) -> Result<String> {
        if proof.len() > MAX_PROOF {
            return Err(bad("too long"));
        }
        let header = jsonwebtoken::decode_header(proof).map_err(|_| bad("malformed"))?;
        if header.typ.as_deref() != Some("dpop+jwt") {
            return Err(bad("its typ must be dpop+jwt"));
        }
        let jwk = raw_header(proof)
            .and_then(|h| h.get("jwk").cloned())
            .ok_or_else(|| bad("its header carries no jwk"))?;
        let (alg, thumbprint) = key_of(&jwk).ok_or_else(|| bad("its key is not one we take"))?;
        if header.alg != alg {
            return Err(bad("its alg does not fit its key"));
        }
        let key = decoding_key(&jwk).ok_or_else(|| bad("its key is not usable"))?;
        let mut validation = Validation::new(alg);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<ProofClaims>(proof, &key, &validation)
            .map_err(|_| bad("its signature or claims are rejected"))?
            .claims;
        if !claims.htm.eq_ignore_ascii_case(target.method) {
            return Err(bad("htm is not this request's method"));
        }
        if !same_url(&claims.htu, target.url) {
            return Err(bad("htu is not this endpoint's URL"));
        }
        let now = self.auth.clock.now();
        if claims.iat.abs_diff(now) > PROOF_WINDOW.unsigned_abs() {
            return Err(bad("iat is too far from now"));
        }
        if let Some(token) = target.access_token {
            let expected = b64url(&sha2::Sha256::digest(token.as_bytes()));
            if claims.ath.as_deref() != Some(expected.as_str()) {
                return Err(bad("ath does not match the access token"));
            }
        }
        if claims.jti.is_empty() || claims.jti.len() > 256 {
            return Err(bad("jti must be 1 to 256 characters"));
        }
        let jti_hash = sha2::Sha256::digest(format!("{thumbprint}.{}", claims.jti)).to_vec();
        let expires_at = claims.iat.max(now) + PROOF_WINDOW;
        let fresh = self
            .auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    store::oauth::record_dpop_proof(conn, &jti_hash, expires_at, now).await
                })
            })
            .await?;
        if !fresh {
            return Err(bad("it was used before"));
        }
        Ok(thumbprint)
    }
}

/// A JWT's header as JSON.
fn raw_header(token: &str) -> Option<Value> {
    let header = token.split('.').next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The algorithm a public JWK signs with here, and its RFC 7638 thumbprint: the required
/// members in lexicographic order, as compact JSON, hashed with SHA-256. `None` for a private
/// key, or a key type or curve not taken.
fn key_of(jwk: &Value) -> Option<(Algorithm, String)> {
    if jwk.get("d").is_some() || jwk.get("p").is_some() {
        return None;
    }
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty() && v.len() <= 1_024)
    };
    let text = |v: &str| serde_json::to_string(v).ok();
    let (alg, canonical) = match (member("kty")?, member("crv")) {
        ("EC", Some("P-256")) => (
            Algorithm::ES256,
            format!(
                r#"{{"crv":"P-256","kty":"EC","x":{},"y":{}}}"#,
                text(member("x")?)?,
                text(member("y")?)?
            ),
        ),
        ("OKP", Some("Ed25519")) => (
            Algorithm::EdDSA,
            format!(
                r#"{{"crv":"Ed25519","kty":"OKP","x":{}}}"#,
                text(member("x")?)?
            ),
        ),
        ("RSA", _) => (
            Algorithm::RS256,
            format!(
                r#"{{"e":{},"kty":"RSA","n":{}}}"#,
                text(member("e")?)?,
                text(member("n")?)?
            ),
        ),
        _ => return None,
    };
    Some((alg, b64url(&sha2::Sha256::digest(canonical.as_bytes()))))
}

/// Whether `htu` names `url`: compared without query and fragment, after the syntax-based
/// normalisation of RFC 3986 (case of scheme and host, default port), as RFC 9449, section
/// 4.3 says.
fn same_url(htu: &str, url: &str) -> bool {
    let normal = |text: &str| {
        url::Url::parse(text).ok().map(|mut u| {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        })
    };
    normal(htu).is_some_and(|h| Some(h) == normal(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_follow_rfc_7638() {
        // RFC 7638, section 3.1's example key.
        let jwk = serde_json::json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let (alg, thumbprint) = key_of(&jwk).expect("an RSA key");
        assert_eq!(alg, Algorithm::RS256);
        assert_eq!(thumbprint, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn private_and_unknown_keys_are_refused() {
        let private =
            serde_json::json!({"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"});
        assert!(key_of(&private).is_none());
        let odd = serde_json::json!({"kty": "EC", "crv": "Ed25519", "x": "a"});
        assert!(key_of(&odd).is_none(), "a curve of another key type");
        let symmetric = serde_json::json!({"kty": "oct", "k": "a"});
        assert!(key_of(&symmetric).is_none());
    }

    #[test]
    fn htu_is_compared_as_a_normalised_url_without_query() {
        assert!(same_url("https://a.example/t?x=1#f", "https://a.example/t"));
        assert!(same_url("HTTPS://A.example:443/t", "https://a.example/t"));
        assert!(!same_url("https://a.example/u", "https://a.example/t"));
        assert!(!same_url("not a url", "https://a.example/t"));
    }
}
