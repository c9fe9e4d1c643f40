//! Credential key pairs: generation, signing, and the two public-key encodings a relying party
//! sees (the COSE key inside the attested credential data and the SPKI DER in `publicKey`).
//!
//! This module owns the byte-exact shape of those encodings. It must not know about JSON or the
//! ceremonies; `lib.rs` decides what gets signed.

use ciborium::Value;
// ed25519-dalek re-exports the same `signature::Signer` trait p256 uses.
use ed25519_dalek::Signer as _;
use p256::pkcs8::EncodePublicKey as _;
use rand_core::OsRng;

use crate::Error;

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

/// A credential private key. Cloning it clones the secret, which is what a test wants when it
/// simulates a synced passkey present on two devices.
#[derive(Clone)]
pub(crate) enum PrivateKey {
    /// P-256 signing key.
    Es256(p256::ecdsa::SigningKey),
    /// Ed25519 signing key.
    Ed25519(ed25519_dalek::SigningKey),
}

impl PrivateKey {
    /// Generates a fresh key pair from the operating system's random source.
    pub(crate) fn generate(alg: Alg) -> Self {
        match alg {
            Alg::Es256 => Self::Es256(p256::ecdsa::SigningKey::random(&mut OsRng)),
            Alg::Ed25519 => Self::Ed25519(ed25519_dalek::SigningKey::generate(&mut OsRng)),
        }
    }

    /// The algorithm of this key.
    pub(crate) const fn alg(&self) -> Alg {
        match self {
            Self::Es256(_) => Alg::Es256,
            Self::Ed25519(_) => Alg::Ed25519,
        }
    }

    /// Signs `message` the way WebAuthn expects: ES256 as an ASN.1 DER `Ecdsa-Sig-Value`
    /// (WebAuthn L3 §6.5.5), Ed25519 as the raw 64-byte signature.
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            Self::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
        }
    }

    /// The public key as a COSE_Key in CTAP2 canonical CBOR: map keys in ascending order of their
    /// encoded bytes, so the positive labels (1 kty, 3 alg) precede the negative ones (-1 crv,
    /// -2 x, -3 y). Strict verifiers compare these bytes, not a decoded map.
    pub(crate) fn cose_public_key(&self) -> Result<Vec<u8>, Error> {
        let int = |n: i64| Value::Integer(n.into());
        let map = match self {
            Self::Es256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                // An uncompressed SEC1 point is 0x04 ‖ x (32 bytes) ‖ y (32 bytes).
                let bytes = point.as_bytes();
                vec![
                    (int(1), int(2)),  // kty: EC2
                    (int(3), int(-7)), // alg: ES256
                    (int(-1), int(1)), // crv: P-256
                    (int(-2), Value::Bytes(bytes[1..33].to_vec())),
                    (int(-3), Value::Bytes(bytes[33..65].to_vec())),
                ]
            }
            Self::Ed25519(key) => vec![
                (int(1), int(1)),  // kty: OKP
                (int(3), int(-8)), // alg: EdDSA
                (int(-1), int(6)), // crv: Ed25519
                (
                    int(-2),
                    Value::Bytes(key.verifying_key().to_bytes().to_vec()),
                ),
            ],
        };
        crate::to_cbor(&Value::Map(map))
    }

    /// The public key as a DER `SubjectPublicKeyInfo`, what a browser puts in
    /// `response.publicKey` (WebAuthn L3 §5.2.1.1 `getPublicKey()`). P-256 keys are uncompressed.
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, Error> {
        let document = match self {
            Self::Es256(key) => key.verifying_key().to_public_key_der(),
            Self::Ed25519(key) => {
                ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_der(&key.verifying_key())
            }
        };
        document
            .map(|der| der.as_bytes().to_vec())
            .map_err(|e| Error::Encoding(e.to_string()))
    }
}
