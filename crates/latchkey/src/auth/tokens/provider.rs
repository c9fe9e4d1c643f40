//! The process's `jsonwebtoken` crypto provider: jsonwebtoken's aws-lc provider, except that each
//! signing key is parsed once.
//!
//! `jsonwebtoken::encode` asks the provider for a signer for every token, and the aws-lc provider
//! parses the key's DER each time (for ES256 about 10 of the 25 µs a token costs; for RS256 it
//! parses inside every signature, which costs more than the signature). This provider keeps the
//! parsed key pairs of the algorithms apps sign with (ES256, EdDSA, RS256), keyed by the key's
//! DER, and signs with the calls the aws-lc provider makes. Everything else (verifiers, JWK
//! utilities, other algorithms, keys that do not parse) is the aws-lc provider's, unchanged; the
//! JWT itself is still `jsonwebtoken::encode`'s.
//!
//! It must not keep keys for ever nor show them: at most [`CAPACITY`] keys are held (emptied when
//! full: keys rotate, and the keys still in use are parsed again on their next token), and
//! nothing here implements `Debug`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock, RwLock};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use jsonwebtoken::crypto::{CryptoProvider, JwkUtils, JwtSigner, aws_lc};
use jsonwebtoken::signature::{self, Signer};
use jsonwebtoken::{Algorithm, AlgorithmFamily, EncodingKey};

/// How many parsed keys are kept: far more than the apps an instance signs for at once (each
/// has one active key); beyond that, tokens cost a parse again, as without this provider.
const CAPACITY: usize = 1024;

/// jsonwebtoken's aws-lc provider with [`cached_signer`] as its signer factory.
static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: cached_signer,
    verifier_factory: aws_lc::DEFAULT_PROVIDER.verifier_factory,
    jwk_utils: JwkUtils {
        extract_rsa_public_key_components: aws_lc::DEFAULT_PROVIDER
            .jwk_utils
            .extract_rsa_public_key_components,
        extract_ec_public_key_coordinates: aws_lc::DEFAULT_PROVIDER
            .jwk_utils
            .extract_ec_public_key_coordinates,
        compute_digest: aws_lc::DEFAULT_PROVIDER.jwk_utils.compute_digest,
    },
};

/// The keys [`PROVIDER`] has parsed.
static PARSED: LazyLock<ParsedKeys> = LazyLock::new(|| ParsedKeys::new(CAPACITY));

/// Makes this the process's jsonwebtoken provider, once; later calls (tests start many servers in
/// one process) change nothing. Returns whether it is the process's provider: not if
/// jsonwebtoken was used, or another provider installed, before the first call (tokens are then
/// still signed correctly, parsing the key each time).
pub fn install() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let installed = PROVIDER.install_default().is_ok();
        if !installed {
            tracing::warn!(
                "jsonwebtoken's crypto provider was chosen before start-up: \
                 signing keys will be parsed for every token"
            );
        }
        installed
    })
}

/// [`CryptoProvider::signer_factory`]: a signer over the cached key pair when there is one.
fn cached_signer(
    alg: &Algorithm,
    key: &EncodingKey,
) -> jsonwebtoken::errors::Result<Box<dyn JwtSigner>> {
    match PARSED.get(*alg, key) {
        Some(pair) => Ok(Box::new(CachedSigner(pair))),
        None => (aws_lc::DEFAULT_PROVIDER.signer_factory)(alg, key),
    }
}

/// A parsed private key of one of the algorithms apps sign with.
enum KeyPair {
    Es256(EcdsaKeyPair),
    EdDsa(Ed25519KeyPair),
    Rs256(RsaKeyPair),
}

impl KeyPair {
    /// The family of key `alg` signs with, for the algorithms cached here.
    fn family(alg: Algorithm) -> Option<AlgorithmFamily> {
        match alg {
            Algorithm::ES256 => Some(AlgorithmFamily::Ec),
            Algorithm::EdDSA => Some(AlgorithmFamily::Ed),
            Algorithm::RS256 => Some(AlgorithmFamily::Rsa),
            _ => None,
        }
    }

    /// Parses `der` as the aws-lc provider would for `alg`; `None` for other algorithms and for
    /// keys it would refuse (the aws-lc provider then says why).
    fn parse(alg: Algorithm, der: &[u8]) -> Option<Self> {
        match alg {
            Algorithm::ES256 => EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                .ok()
                .map(Self::Es256),
            Algorithm::EdDSA => Ed25519KeyPair::from_pkcs8(der).ok().map(Self::EdDsa),
            Algorithm::RS256 => RsaKeyPair::from_der(der).ok().map(Self::Rs256),
            _ => None,
        }
    }

    fn algorithm(&self) -> Algorithm {
        match self {
            Self::Es256(_) => Algorithm::ES256,
            Self::EdDsa(_) => Algorithm::EdDSA,
            Self::Rs256(_) => Algorithm::RS256,
        }
    }
}

/// Parsed key pairs by their DER, at most `capacity` of them.
struct ParsedKeys {
    capacity: usize,
    pairs: RwLock<HashMap<Vec<u8>, Arc<KeyPair>>>,
}

impl ParsedKeys {
    fn new(capacity: usize) -> Self {
        Self {
            capacity,
            pairs: RwLock::new(HashMap::new()),
        }
    }

    /// The parsed pair of `key` for `alg`, parsing it on first use.
    fn get(&self, alg: Algorithm, key: &EncodingKey) -> Option<Arc<KeyPair>> {
        if KeyPair::family(alg) != Some(key.family()) {
            return None;
        }
        let cached = {
            let pairs = self.pairs.read().unwrap_or_else(|e| e.into_inner());
            pairs.get(key.inner()).cloned()
        };
        if let Some(pair) = cached {
            // The same DER asked for with another algorithm: the aws-lc provider decides.
            return (pair.algorithm() == alg).then_some(pair);
        }
        let pair = Arc::new(KeyPair::parse(alg, key.inner())?);
        let mut pairs = self.pairs.write().unwrap_or_else(|e| e.into_inner());
        if pairs.len() >= self.capacity {
            pairs.clear();
        }
        pairs.insert(key.inner().to_vec(), pair.clone());
        Some(pair)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.pairs.read().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// Signs with a cached key pair, as the aws-lc provider's signers do with the pair they parse.
struct CachedSigner(Arc<KeyPair>);

impl Signer<Vec<u8>> for CachedSigner {
    fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        match &*self.0 {
            KeyPair::Es256(pair) => pair
                .sign(&SystemRandom::new(), msg)
                .map(|sig| sig.as_ref().to_vec())
                .map_err(signature::Error::from_source),
            KeyPair::EdDsa(pair) => Ok(pair.sign(msg).as_ref().to_vec()),
            KeyPair::Rs256(pair) => {
                let mut sig = vec![0; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), msg, &mut sig)
                    .map_err(signature::Error::from_source)?;
                Ok(sig)
            }
        }
    }
}

impl JwtSigner for CachedSigner {
    fn algorithm(&self) -> Algorithm {
        self.0.algorithm()
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::{DecodingKey, Header, Validation};
    use serde_json::{Value, json};

    use super::*;
    use crate::auth::apps::SigningAlg;
    use crate::auth::tokens::{algorithm, decoding_key, encoding_key, generate_key};
    use crate::crypto::b64url;

    /// A new app key as `load_app_keys` holds it, and the key its JWKS publishes.
    fn app_key(alg: SigningAlg, kid: &str) -> (Algorithm, EncodingKey, DecodingKey) {
        let (pkcs8, jwk) = generate_key(alg, kid).expect("generate");
        let alg = algorithm(alg);
        let published = decoding_key(&jwk).expect("published JWK");
        (
            alg,
            encoding_key(alg, &pkcs8).expect("encoding key"),
            published,
        )
    }

    /// `jsonwebtoken::encode` with this provider (the process's provider cannot be relied on
    /// here: any test of this binary may have used jsonwebtoken first).
    fn encode(alg: Algorithm, kid: &str, key: &EncodingKey) -> String {
        let mut header = Header::new(alg);
        header.kid = Some(kid.to_owned());
        let claims = json!({"sub": "u", "exp": 4_000_000_000u64});
        let part = |v: &Value| b64url(&serde_json::to_vec(v).expect("json"));
        let message = format!("{}.{}", part(&json!(header)), part(&claims));
        let signer = (PROVIDER.signer_factory)(&alg, key).expect("signer");
        assert_eq!(signer.algorithm(), alg);
        let signature = signer.try_sign(message.as_bytes()).expect("sign");
        format!("{message}.{}", b64url(&signature))
    }

    fn verifies(token: &str, alg: Algorithm, key: &DecodingKey) -> bool {
        let mut validation = Validation::new(alg);
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp"]);
        jsonwebtoken::decode::<Value>(token, key, &validation).is_ok()
    }

    #[test]
    fn tokens_signed_with_cached_keys_verify_with_the_published_jwk() {
        for alg in SigningAlg::ALL.iter().copied() {
            let (alg, key, published) = app_key(alg, "k1");
            // Twice: the first parses the key, the second signs with the cached pair.
            for _ in 0..2 {
                let token = encode(alg, "k1", &key);
                assert!(verifies(&token, alg, &published), "{alg:?}");
            }
            assert!(PARSED.get(alg, &key).is_some(), "{alg:?} is cached");
        }
    }

    #[test]
    fn cached_signatures_are_the_default_providers() {
        let message = b"header.claims";
        for alg in SigningAlg::ALL.iter().copied() {
            let (alg, key, published) = app_key(alg, "k1");
            let ours = cached_signer(&alg, &key)
                .and_then(|s| Ok(s.try_sign(message)?))
                .expect("cached signature");
            let verifier = (aws_lc::DEFAULT_PROVIDER.verifier_factory)(&alg, &published)
                .expect("default verifier");
            assert!(verifier.verify(message, &ours).is_ok(), "{alg:?}");
            assert!(verifier.verify(b"header.claimz", &ours).is_err(), "{alg:?}");
            if alg != Algorithm::ES256 {
                // Ed25519 and RSASSA-PKCS1-v1_5 are deterministic: the very same bytes.
                let theirs = (aws_lc::DEFAULT_PROVIDER.signer_factory)(&alg, &key)
                    .and_then(|s| Ok(s.try_sign(message)?))
                    .expect("default signature");
                assert_eq!(ours, theirs, "{alg:?}");
            }
        }
    }

    #[test]
    fn a_rotated_key_signs_with_the_new_key() {
        for signing_alg in SigningAlg::ALL.iter().copied() {
            let (alg, old, old_published) = app_key(signing_alg, "old");
            let old_token = encode(alg, "old", &old);
            let (_, new, new_published) = app_key(signing_alg, "new");
            let new_token = encode(alg, "new", &new);
            assert!(verifies(&new_token, alg, &new_published), "{alg:?}");
            assert!(!verifies(&new_token, alg, &old_published), "{alg:?}");
            assert!(verifies(&old_token, alg, &old_published), "{alg:?}");
            // Both stay cached side by side, each signing with its own pair.
            assert!(verifies(&encode(alg, "old", &old), alg, &old_published));
            assert!(!verifies(&encode(alg, "old", &old), alg, &new_published));
        }
    }

    #[test]
    fn a_key_is_parsed_once_and_the_cache_is_bounded() {
        let parsed = ParsedKeys::new(3);
        let keys: Vec<_> = (0..4)
            .map(|i| app_key(SigningAlg::Es256, &format!("k{i}")).1)
            .collect();
        let first = parsed.get(Algorithm::ES256, &keys[0]).expect("parses");
        let again = parsed.get(Algorithm::ES256, &keys[0]).expect("cached");
        assert!(Arc::ptr_eq(&first, &again), "parsed once");
        for key in &keys {
            parsed.get(Algorithm::ES256, key).expect("parses");
            assert!(parsed.len() <= 3, "at most the capacity");
        }
        // The pair of an evicted key is parsed anew, the one in use is kept.
        let last = parsed.get(Algorithm::ES256, &keys[3]).expect("cached");
        let first_again = parsed
            .get(Algorithm::ES256, &keys[0])
            .expect("parses again");
        assert!(!Arc::ptr_eq(&first, &first_again), "evicted");
        assert!(Arc::ptr_eq(
            &last,
            &parsed.get(Algorithm::ES256, &keys[3]).expect("kept")
        ));
    }

    #[test]
    fn anything_else_is_the_default_providers() {
        // HMAC is not cached: the aws-lc provider's signer.
        let secret = EncodingKey::from_secret(b"secret");
        assert!(PARSED.get(Algorithm::HS256, &secret).is_none());
        let signer = cached_signer(&Algorithm::HS256, &secret).expect("HMAC signer");
        assert_eq!(signer.algorithm(), Algorithm::HS256);
        // A key that does not parse, or is asked for with another algorithm, gets the aws-lc
        // provider's refusal.
        let garbage = EncodingKey::from_ec_der(b"not a key");
        assert!(cached_signer(&Algorithm::ES256, &garbage).is_err());
        let (_, ec, _) = app_key(SigningAlg::Es256, "k1");
        assert!(PARSED.get(Algorithm::ES256, &ec).is_some());
        assert!(cached_signer(&Algorithm::EdDSA, &ec).is_err());
        assert!(cached_signer(&Algorithm::ES384, &ec).is_err());
        let mislabelled = EncodingKey::from_rsa_der(ec.inner());
        assert!(PARSED.get(Algorithm::ES256, &mislabelled).is_none());
        assert!(cached_signer(&Algorithm::ES256, &mislabelled).is_err());
    }
}
