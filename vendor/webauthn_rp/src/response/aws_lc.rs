//! Signature verification with [aws-lc-rs](https://docs.rs/aws-lc-rs), the `aws-lc-rs` feature.
//!
//! Only the signature arithmetic changes backend: the assertion signature and the `packed` self
//! attestation signature, for Ed25519, P-256, P-384 and RSASSA-PKCS1-v1_5 with SHA-256. Every
//! WebAuthn rule (parsing, flags, counters, origins, RP ID hash, user handle, …) stays the crate's
//! own code, and so does the rule for which public keys are valid:
//!
//! - aws-lc-rs only says whether a signature verifies. When it does not, the crate's own key check
//!   ([`CompressedPubKey::validate`], [`UncompressedPubKey::validate`]) tells
//!   [`AuthRespErr::PubKey`] from [`AuthRespErr::Signature`], so a caller sees the same errors as
//!   with `RustCrypto`.
//! - What aws-lc-rs does not cover goes to the `RustCrypto` backend: RSA moduli outside the 2048 to
//!   8192 bits of [`RSA_PKCS1_2048_8192_SHA256`] (the crate allows 256 to 2048 bytes), and
//!   registrations without a signature (`none` attestation), where only the key is checked.
//!
//! The tests run both backends on the same valid and tampered inputs and require the same
//! outcome. They pin the one difference found: aws-lc-rs decodes Ed25519 keys as RFC 8032 §5.1.3
//! says, refusing non-canonical encodings (y ≥ p, or x = 0 with its sign bit set), which
//! ed25519-dalek and the crate's key check take. No authenticator makes such a key; under one,
//! aws-lc-rs refuses a forgery that `RustCrypto` verifies.
use super::{
    AuthRespErr,
    auth::verify_signature_rust_crypto,
    register::{
        AttestationFormat, CompressedPubKey, PackedAttestation, RsaPubKey, Sig, UncompressedPubKey,
        error::PubKeyErr, verify_attestation_signature_rust_crypto,
    },
};
use aws_lc_rs::{
    error::Unspecified,
    signature::{
        ECDSA_P256_SHA256_ASN1, ECDSA_P384_SHA384_ASN1, ED25519, RSA_PKCS1_2048_8192_SHA256,
        RsaPublicKeyComponents, UnparsedPublicKey, VerificationAlgorithm,
    },
};
use core::iter;
/// Length of a compressed SEC 1 P-256 point: a tag byte and the x-coordinate.
const P256_COMPRESSED_LEN: usize = 1 + 32;
/// Length of an uncompressed SEC 1 P-256 point: a tag byte and both coordinates.
const P256_UNCOMPRESSED_LEN: usize = 1 + 2 * 32;
/// Length of a compressed SEC 1 P-384 point: a tag byte and the x-coordinate.
const P384_COMPRESSED_LEN: usize = 1 + 48;
/// Length of an uncompressed SEC 1 P-384 point: a tag byte and both coordinates.
const P384_UNCOMPRESSED_LEN: usize = 1 + 2 * 48;
/// aws-lc-rs counterpart of [`verify_signature_rust_crypto`]: verifies the assertion signature
/// `sig` over `msg` (the authenticator data and the SHA-256 hash of the client data) with the
/// stored `key`.
pub(super) fn verify_assertion<E>(
    key: CompressedPubKey<&[u8], &[u8], &[u8], &[u8]>,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), AuthRespErr<E>> {
    match key {
        CompressedPubKey::Ed25519(k) => verify(&ED25519, k.into_inner(), msg, sig),
        CompressedPubKey::P256(k) => {
            let (x, y_is_odd) = k.into_parts();
            verify(
                &ECDSA_P256_SHA256_ASN1,
                &sec1_point::<P256_COMPRESSED_LEN>(compressed_tag(y_is_odd), x, &[]),
                msg,
                sig,
            )
        }
        CompressedPubKey::P384(k) => {
            let (x, y_is_odd) = k.into_parts();
            verify(
                &ECDSA_P384_SHA384_ASN1,
                &sec1_point::<P384_COMPRESSED_LEN>(compressed_tag(y_is_odd), x, &[]),
                msg,
                sig,
            )
        }
        CompressedPubKey::Rsa(k) => match verify_rs256(k, msg, sig) {
            Some(verified) => verified,
            None => return verify_signature_rust_crypto(key, msg, sig),
        },
    }
    .map_err(|_e| rejected(key.validate()))
}
/// aws-lc-rs counterpart of [`verify_attestation_signature_rust_crypto`]: verifies the `packed`
/// self attestation signature, if any, over `msg` (the authenticator data and the SHA-256 hash of
/// the client data) with the new credential's `pub_key`, and that `pub_key` is valid.
pub(super) fn verify_attestation<E>(
    pub_key: UncompressedPubKey<'_>,
    attestation: AttestationFormat<'_>,
    msg: &[u8],
) -> Result<(), AuthRespErr<E>> {
    /// An uncompressed SEC 1 point's tag.
    const UNCOMPRESSED: u8 = 4;
    let AttestationFormat::Packed(PackedAttestation { signature }) = attestation else {
        return verify_attestation_signature_rust_crypto(pub_key, attestation, msg);
    };
    match (pub_key, signature) {
        (UncompressedPubKey::Ed25519(k), Sig::Ed25519(s)) => {
            verify(&ED25519, k.into_inner(), msg, s.data())
        }
        (UncompressedPubKey::P256(k), Sig::P256(s)) => verify(
            &ECDSA_P256_SHA256_ASN1,
            &sec1_point::<P256_UNCOMPRESSED_LEN>(UNCOMPRESSED, k.x(), k.y()),
            msg,
            s,
        ),
        (UncompressedPubKey::P384(k), Sig::P384(s)) => verify(
            &ECDSA_P384_SHA384_ASN1,
            &sec1_point::<P384_UNCOMPRESSED_LEN>(UNCOMPRESSED, k.x(), k.y()),
            msg,
            s,
        ),
        (UncompressedPubKey::Rsa(k), Sig::Rs256(s)) => match verify_rs256(k, msg, s) {
            Some(verified) => verified,
            None => return verify_attestation_signature_rust_crypto(pub_key, attestation, msg),
        },
        // A key and a signature of different algorithms: `AttestationObject::from_data` never
        // returns them, and the RustCrypto backend treats that as the bug it is.
        _ => return verify_attestation_signature_rust_crypto(pub_key, attestation, msg),
    }
    .map_err(|_e| rejected(pub_key.validate()))
}
/// Verifies `sig` over `msg` with `key`, in a form `alg` parses.
fn verify(
    alg: &'static dyn VerificationAlgorithm,
    key: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> Result<(), Unspecified> {
    UnparsedPublicKey::new(alg, key).verify(msg, sig)
}
/// Verifies the RS256 signature `sig` over `msg` with `key`; `None` when the modulus is outside
/// the 2048 to 8192 bits aws-lc-rs verifies, which the `RustCrypto` backend then does.
fn verify_rs256(key: RsaPubKey<&[u8]>, msg: &[u8], sig: &[u8]) -> Option<Result<(), Unspecified>> {
    let (modulus, exponent) = key.into_parts();
    let n = without_leading_zeros(modulus);
    let in_range = match n.len() {
        // 256 bytes make 2048 bits only when the top bit is set.
        256 => n.first().is_some_and(|top| top & 0x80 == 0x80),
        257..=1024 => true,
        _ => false,
    };
    in_range.then(|| {
        #[expect(
            clippy::big_endian_bytes,
            reason = "aws-lc-rs takes big-endian integers"
        )]
        let e = exponent.to_be_bytes();
        RsaPublicKeyComponents {
            n,
            e: without_leading_zeros(&e),
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, msg, sig)
    })
}
/// `n`, a big-endian unsigned integer, without its leading zero bytes (aws-lc-rs rejects them).
fn without_leading_zeros(n: &[u8]) -> &[u8] {
    n.iter()
        .position(|byte| *byte != 0)
        .and_then(|first| n.get(first..))
        .unwrap_or_default()
}
/// The SEC 1 tag of a compressed point whose y-coordinate is odd iff `y_is_odd`.
const fn compressed_tag(y_is_odd: bool) -> u8 {
    if y_is_odd { 3 } else { 2 }
}
/// The SEC 1 encoding `tag || x || y` of a point (`y` is empty for a compressed point); the key
/// types' constructors make `x` and `y` the right lengths.
fn sec1_point<const LEN: usize>(tag: u8, x: &[u8], y: &[u8]) -> [u8; LEN] {
    let mut point = [0; LEN];
    point
        .iter_mut()
        .zip(iter::once(&tag).chain(x).chain(y))
        .for_each(|(byte, value)| *byte = *value);
    point
}
/// The error for a signature aws-lc-rs did not verify, given the crate's own check of the key:
/// an invalid key is [`AuthRespErr::PubKey`], as with `RustCrypto`, which parses the key first.
fn rejected<E>(key_check: Result<(), PubKeyErr>) -> AuthRespErr<E> {
    key_check.map_or_else(AuthRespErr::PubKey, |()| AuthRespErr::Signature)
}
#[cfg(test)]
mod tests;
