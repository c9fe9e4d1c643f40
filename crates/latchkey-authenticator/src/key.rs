//! Credential key pairs: generation, signing, and the two public-key encodings a relying party
//! sees (the COSE key inside the attested credential data and the SPKI DER in `publicKey`).
//!
//! This module owns the byte-exact shape of those encodings. It must not know about JSON or the
//! ceremonies; `lib.rs` decides what gets signed. The cryptography is aws-lc-rs, the library the
//! rest of the workspace already links, so the authenticator adds no second crypto stack and a
//! load generator spends as little time signing as a platform authenticator would.

use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _,
};
use base64::Engine as _;
use ciborium::Value;

use crate::{B64, Error};

/// A credential signature algorithm, named by its COSE identifier (RFC 9053 §2.1, RFC 8152 §8.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    /// ECDSA over P-256 with SHA-256 (COSE `-7`); what platform authenticators use.
    Es256,
    /// EdDSA over Ed25519 (COSE `-8`); some security keys use it.
    Ed25519,
}

impl Alg {
    /// The COSE algorithm identifier: `-7` for ES256, `-8` for Ed25519.
    #[must_use]
    pub const fn cose_id(self) -> i64 {
        match self {
            Self::Es256 => -7,
            Self::Ed25519 => -8,
        }
    }
}

/// A credential key pair.
///
/// [`create`](crate::create) generates one unless [`CreateOptions::key`](crate::CreateOptions::key)
/// supplies it; a load generator generates its keys with [`Key::generate`] before the timed part
/// so that only the ceremonies are measured.
///
/// Cloning it clones the secret (the clones sign alike), which is what a test wants when it
/// simulates a synced passkey present on two devices. `Debug` shows the algorithm and the public
/// key only.
#[derive(Clone)]
pub struct Key {
    /// The key pair; private so that no caller can reach the secret.
    pair: Pair,
}

/// The aws-lc-rs key pair behind a [`Key`], one variant per [`Alg`].
#[derive(Clone)]
enum Pair {
    /// P-256 key pair signing ASN.1 DER signatures.
    Es256(EcdsaKeyPair),
    /// Ed25519 key pair.
    Ed25519(Ed25519KeyPair),
}

impl Key {
    /// Generates a fresh key pair for `alg` from the operating system's random source.
    ///
    /// # Errors
    ///
    /// [`Error::Crypto`] if aws-lc cannot generate the key (no usable random source).
    pub fn generate(alg: Alg) -> Result<Self, Error> {
        let failed = |_| Error::Crypto("key generation");
        let pair = match alg {
            Alg::Es256 => Pair::Es256(
                EcdsaKeyPair::generate(&ECDSA_P256_SHA256_ASN1_SIGNING).map_err(failed)?,
            ),
            Alg::Ed25519 => Pair::Ed25519(Ed25519KeyPair::generate().map_err(failed)?),
        };
        Ok(Self { pair })
    }

    /// The algorithm of this key.
    #[must_use]
    pub const fn alg(&self) -> Alg {
        match self.pair {
            Pair::Es256(_) => Alg::Es256,
            Pair::Ed25519(_) => Alg::Ed25519,
        }
    }

    /// The public key as a COSE_Key in CTAP2 canonical CBOR: map keys in ascending order of their
    /// encoded bytes, so the positive labels (1 kty, 3 alg) precede the negative ones (-1 crv,
    /// -2 x, -3 y). Strict verifiers compare these bytes, not a decoded map.
    ///
    /// # Errors
    ///
    /// Only if CBOR encoding fails, which writing to memory does not.
    pub fn cose_public_key(&self) -> Result<Vec<u8>, Error> {
        let int = |n: i64| Value::Integer(n.into());
        let map = match &self.pair {
            Pair::Es256(pair) => {
                // aws-lc-rs gives the uncompressed SEC1 point: 0x04 ‖ x (32 bytes) ‖ y (32 bytes).
                let point = pair.public_key().as_ref();
                let (x, y) = point
                    .get(1..)
                    .filter(|xy| xy.len() == 64)
                    .ok_or_else(|| Error::Encoding("P-256 point is not uncompressed".to_owned()))?
                    .split_at(32);
                vec![
                    (int(1), int(2)),  // kty: EC2
                    (int(3), int(-7)), // alg: ES256
                    (int(-1), int(1)), // crv: P-256
                    (int(-2), Value::Bytes(x.to_vec())),
                    (int(-3), Value::Bytes(y.to_vec())),
                ]
            }
            Pair::Ed25519(pair) => vec![
                (int(1), int(1)),  // kty: OKP
                (int(3), int(-8)), // alg: EdDSA
                (int(-1), int(6)), // crv: Ed25519
                (int(-2), Value::Bytes(pair.public_key().as_ref().to_vec())),
            ],
        };
        crate::to_cbor(&Value::Map(map))
    }

    /// The public key as a DER `SubjectPublicKeyInfo`, what a browser puts in
    /// `response.publicKey` (WebAuthn L3 §5.2.1.1 `getPublicKey()`). P-256 keys are uncompressed.
    ///
    /// # Errors
    ///
    /// Only if DER encoding fails, which it does not for valid keys.
    pub fn public_key_spki(&self) -> Result<Vec<u8>, Error> {
        let der = match &self.pair {
            Pair::Es256(pair) => pair.public_key().as_der(),
            Pair::Ed25519(pair) => pair.public_key().as_der(),
        };
        der.map(|der| der.as_ref().to_vec())
            .map_err(|_| Error::Encoding("SubjectPublicKeyInfo".to_owned()))
    }

    /// Signs `message` the way WebAuthn expects: ES256 as an ASN.1 DER `Ecdsa-Sig-Value`
    /// (WebAuthn L3 §6.5.5), Ed25519 as the raw 64-byte signature.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let signature = match &self.pair {
            Pair::Es256(pair) => pair
                .sign(&SystemRandom::new(), message)
                .map_err(|_| Error::Crypto("signing"))?,
            Pair::Ed25519(pair) => pair.sign(message),
        };
        Ok(signature.as_ref().to_vec())
    }

    /// The raw public key: the uncompressed point for P-256, the 32 bytes for Ed25519.
    fn public_key_bytes(&self) -> &[u8] {
        match &self.pair {
            Pair::Es256(pair) => pair.public_key().as_ref(),
            Pair::Ed25519(pair) => pair.public_key().as_ref(),
        }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("alg", &self.alg())
            .field("public_key", &B64.encode(self.public_key_bytes()))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
impl Key {
    /// The private key in every text form a careless `Debug` might print it, so tests can check
    /// that none is printed.
    pub(crate) fn secret_encodings(&self) -> Vec<String> {
        use aws_lc_rs::encoding::{AsBigEndian as _, EcPrivateKeyBin};
        use base64::engine::general_purpose::STANDARD;

        let secret = match &self.pair {
            Pair::Es256(pair) => {
                let scalar: EcPrivateKeyBin<'_> = pair.private_key().as_be_bytes().unwrap();
                scalar.as_ref().to_vec()
            }
            Pair::Ed25519(pair) => pair
                .seed()
                .unwrap()
                .as_be_bytes()
                .unwrap()
                .as_ref()
                .to_vec(),
        };
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        vec![
            hex.to_uppercase(),
            hex,
            B64.encode(&secret),
            STANDARD.encode(&secret),
            format!("{secret:?}"),
        ]
    }
}
