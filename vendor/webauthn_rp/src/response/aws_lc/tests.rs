//! The aws-lc-rs backend against the crate's original RustCrypto backend: every input goes through
//! both, they must reach the same outcome, and that outcome must be the expected one, for valid
//! signatures and tampered ones (message, signature, key, encoding) of each algorithm.
use super::{
    super::{
        AuthRespErr,
        auth::verify_signature_rust_crypto,
        register::{
            AttestationFormat, CompressedP256PubKey, CompressedP384PubKey, CompressedPubKey,
            Ed25519PubKey, Ed25519Signature, PackedAttestation, RsaPubKey, Sig,
            UncompressedP256PubKey, UncompressedP384PubKey, UncompressedPubKey,
            verify_attestation_signature_rust_crypto,
        },
    },
    verify_assertion, verify_attestation,
};
use aws_lc_rs::{
    rand::SystemRandom,
    rsa::KeySize,
    signature::{
        KeyPair as _, RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PSS_SHA256, RsaEncoding, RsaKeyPair,
    },
};
use core::convert::Infallible;
use data_encoding::HEXLOWER;
use ed25519_dalek::Signer as _;
use p256::elliptic_curve::point::DecompressPoint as _;
use rsa::{pkcs1::DecodeRsaPublicKey as _, traits::PublicKeyParts as _};
/// What a backend concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The signature verifies.
    Verified,
    /// The public key is not valid ([`AuthRespErr::PubKey`]).
    InvalidKey,
    /// The signature does not verify ([`AuthRespErr::Signature`]).
    InvalidSignature,
}
use Outcome::{InvalidKey, InvalidSignature, Verified};
/// A stand-in for the authenticator data followed by the SHA-256 hash of the client data.
const MSG: &[u8] = b"authenticator data (37 bytes or more)|SHA-256 of the client data....";
/// Reads a backend's answer.
fn outcome(result: Result<(), AuthRespErr<Infallible>>) -> Outcome {
    match result {
        Ok(()) => Verified,
        Err(AuthRespErr::PubKey(_)) => InvalidKey,
        Err(AuthRespErr::Signature) => InvalidSignature,
        Err(_) => panic!("a signature backend returned a parsing error"),
    }
}
/// Verifies an assertion signature with both backends, requires them to agree, and returns the
/// outcome.
#[track_caller]
fn assertion(key: CompressedPubKey<&[u8], &[u8], &[u8], &[u8]>, msg: &[u8], sig: &[u8]) -> Outcome {
    let [aws_lc, rust_crypto] = assertion_outcomes(key, msg, sig);
    assert_eq!(aws_lc, rust_crypto, "the backends disagree on an assertion");
    aws_lc
}
/// The outcomes of the aws-lc-rs and the `RustCrypto` backends on an assertion signature.
fn assertion_outcomes(
    key: CompressedPubKey<&[u8], &[u8], &[u8], &[u8]>,
    msg: &[u8],
    sig: &[u8],
) -> [Outcome; 2] {
    [
        outcome(verify_assertion(key, msg, sig)),
        outcome(verify_signature_rust_crypto(key, msg, sig)),
    ]
}
/// Verifies a registration (packed self attestation with `sig`, or `none` attestation) with both
/// backends, requires them to agree, and returns the outcome.
#[track_caller]
fn attestation(key: UncompressedPubKey<'_>, sig: Option<Sig<'_>>, msg: &[u8]) -> Outcome {
    let format = sig.map_or(AttestationFormat::None, |signature| {
        AttestationFormat::Packed(PackedAttestation { signature })
    });
    let aws_lc = outcome(verify_attestation(key, format, msg));
    let rust_crypto = outcome(verify_attestation_signature_rust_crypto(key, format, msg));
    assert_eq!(
        aws_lc, rust_crypto,
        "the backends disagree on an attestation"
    );
    aws_lc
}
/// `bytes` with the lowest bit of `bytes[index]` flipped.
fn flip(bytes: &[u8], index: usize) -> Vec<u8> {
    let mut flipped = bytes.to_vec();
    flipped[index] ^= 1;
    flipped
}
/// Checks, through `check` (both backends on a message and a signature), that `sig` verifies
/// [`MSG`] and that changing either does not: a bit of the message (first, middle, last byte), a
/// bit of the signature (every `sig_stride`-th byte, and the last), a byte less or more of
/// either, and an empty signature.
#[track_caller]
fn assert_only_valid_verifies(
    check: impl Fn(&[u8], &[u8]) -> Outcome,
    sig: &[u8],
    sig_stride: usize,
) {
    assert_eq!(check(MSG, sig), Verified, "the valid signature");
    for i in [0, MSG.len() / 2, MSG.len() - 1] {
        assert_eq!(
            check(&flip(MSG, i), sig),
            InvalidSignature,
            "message byte {i} changed"
        );
    }
    assert_eq!(
        check(&MSG[..MSG.len() - 1], sig),
        InvalidSignature,
        "message shortened"
    );
    assert_eq!(
        check(&[MSG, &[0][..]].concat(), sig),
        InvalidSignature,
        "message lengthened"
    );
    for i in (0..sig.len()).step_by(sig_stride).chain([sig.len() - 1]) {
        assert_eq!(
            check(MSG, &flip(sig, i)),
            InvalidSignature,
            "signature byte {i} changed"
        );
    }
    assert_eq!(
        check(MSG, &sig[..sig.len() - 1]),
        InvalidSignature,
        "signature shortened"
    );
    assert_eq!(
        check(MSG, &[sig, &[0][..]].concat()),
        InvalidSignature,
        "signature lengthened"
    );
    assert_eq!(check(MSG, &[0][..]), InvalidSignature, "one-byte signature");
    assert_eq!(check(MSG, &[]), InvalidSignature, "empty signature");
}
/// A DER `INTEGER` holding the big-endian unsigned `value`, minimally encoded.
fn der_integer(value: &[u8]) -> Vec<u8> {
    let start = value
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(value.len() - 1);
    let value = &value[start..];
    let pad = value[0] & 0x80 == 0x80;
    let mut der = vec![0x02, u8::try_from(value.len() + usize::from(pad)).unwrap()];
    if pad {
        der.push(0);
    }
    der.extend_from_slice(value);
    der
}
/// A DER ECDSA signature `SEQUENCE { r INTEGER, s INTEGER }` of already encoded integers.
fn der_sequence(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut der = vec![0x30, u8::try_from(r.len() + s.len()).unwrap()];
    der.extend_from_slice(r);
    der.extend_from_slice(s);
    der
}
/// The order of the P-256 group, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// A P-256 key made from `seed`: its signing key and the coordinates of its public point.
fn p256_key(seed: u8) -> (p256::ecdsa::SigningKey, [u8; 32], [u8; 32]) {
    let key = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let x = <[u8; 32]>::try_from(point.x().unwrap().as_ref()).unwrap();
    let y = <[u8; 32]>::try_from(point.y().unwrap().as_ref()).unwrap();
    (key, x, y)
}
/// The stored (compressed) form of a P-256 key.
fn p256_stored(x: &[u8], y_is_odd: bool) -> CompressedPubKey<&[u8], &[u8], &[u8], &[u8]> {
    CompressedPubKey::P256(CompressedP256PubKey::try_from((x, y_is_odd)).unwrap())
}
#[test]
fn es256_assertions() {
    let (key, x, y) = p256_key(0x11);
    let odd = y[31] & 1 == 1;
    let stored = p256_stored(&x, odd);
    let check = |msg: &[u8], sig: &[u8]| assertion(stored, msg, sig);
    let sig: p256::ecdsa::Signature = key.sign(MSG);
    let sig = sig.normalize_s().unwrap_or(sig);
    let der = sig.to_der();
    assert_only_valid_verifies(check, der.as_bytes(), 1);
    let (r, s) = sig.split_scalars();
    let (r, s) = (r.to_bytes(), s.to_bytes());
    // Neither backend asks for a low S (WebAuthn does not), so (r, n - s) verifies too.
    let high_s = p256::ecdsa::Signature::from_scalars(r, -*sig.s()).unwrap();
    assert_eq!(check(MSG, high_s.to_der().as_bytes()), Verified, "high S");
    // The same signature in encodings other than DER.
    let minimal = der_sequence(&der_integer(&r), &der_integer(&s));
    assert_eq!(minimal, der.as_bytes(), "the test's DER encoder");
    assert_eq!(check(MSG, &[r, s].concat()), InvalidSignature, "raw r || s");
    let mut r_padded = der_integer(&r);
    r_padded[1] += 1;
    r_padded.insert(2, 0);
    let not_minimal = der_sequence(&r_padded, &der_integer(&s));
    assert_eq!(
        check(MSG, &not_minimal),
        InvalidSignature,
        "r with a needless zero byte"
    );
    let mut long_form = vec![0x30, 0x81];
    long_form.extend_from_slice(&minimal[1..]);
    assert_eq!(
        check(MSG, &long_form),
        InvalidSignature,
        "BER long-form length"
    );
    // A negative r: without the zero byte that keeps r's top bit from meaning a sign, or with
    // the top bit set.
    let mut negative = der_integer(&r);
    if negative[2] == 0 {
        negative.remove(2);
        negative[1] -= 1;
    } else {
        negative[2] |= 0x80;
    }
    let negative = der_sequence(&negative, &der_integer(&s));
    assert_eq!(check(MSG, &negative), InvalidSignature, "r negative");
    // Out-of-range scalars.
    let zero = der_integer(&[0]);
    assert_eq!(
        check(MSG, &der_sequence(&zero, &der_integer(&s))),
        InvalidSignature,
        "r = 0"
    );
    assert_eq!(
        check(MSG, &der_sequence(&der_integer(&r), &zero)),
        InvalidSignature,
        "s = 0"
    );
    let order = der_integer(&P256_ORDER);
    assert_eq!(
        check(MSG, &der_sequence(&order, &der_integer(&s))),
        InvalidSignature,
        "r = n"
    );
    assert_eq!(
        check(MSG, &der_sequence(&der_integer(&r), &order)),
        InvalidSignature,
        "s = n"
    );
    // Another key's signature, and the other point with the same x.
    let (other, ..) = p256_key(0x12);
    let other_sig: p256::ecdsa::DerSignature = other.sign(MSG);
    assert_eq!(
        check(MSG, other_sig.as_bytes()),
        InvalidSignature,
        "another key's signature"
    );
    assert_eq!(
        assertion(p256_stored(&x, !odd), MSG, der.as_bytes()),
        InvalidSignature,
        "the negated key"
    );
    // Keys that are not points of the curve.
    let off_curve = (0..=u8::MAX)
        .map(|last| {
            let mut x = [0x42; 32];
            x[31] = last;
            x
        })
        .find(|x| bool::from(p256::AffinePoint::decompress(x.into(), 0.into()).is_none()))
        .unwrap();
    assert_eq!(
        assertion(p256_stored(&off_curve, false), MSG, der.as_bytes()),
        InvalidKey
    );
    assert_eq!(
        assertion(p256_stored(&[0xff; 32], false), MSG, der.as_bytes()),
        InvalidKey,
        "x >= p"
    );
}
#[test]
fn es384_assertions() {
    let key = p384::ecdsa::SigningKey::from_slice(&[0x21; 48]).unwrap();
    let point = key.verifying_key().to_encoded_point(true);
    let x = point.x().unwrap().to_vec();
    let odd = point.as_bytes()[0] == 3;
    let stored =
        CompressedPubKey::P384(CompressedP384PubKey::try_from((x.as_slice(), odd)).unwrap());
    let check = |msg: &[u8], sig: &[u8]| assertion(stored, msg, sig);
    let der: p384::ecdsa::DerSignature = key.sign(MSG);
    assert_only_valid_verifies(check, der.as_bytes(), 3);
    let other = p384::ecdsa::SigningKey::from_slice(&[0x22; 48]).unwrap();
    let other_sig: p384::ecdsa::DerSignature = other.sign(MSG);
    assert_eq!(
        check(MSG, other_sig.as_bytes()),
        InvalidSignature,
        "another key's signature"
    );
    let bad =
        CompressedPubKey::P384(CompressedP384PubKey::try_from((&[0xff; 48][..], odd)).unwrap());
    assert_eq!(assertion(bad, MSG, der.as_bytes()), InvalidKey, "x >= p");
}
/// The order of the Ed25519 group, little-endian.
const ED25519_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];
/// The stored form of an Ed25519 key.
fn ed25519_stored(key: &[u8]) -> CompressedPubKey<&[u8], &[u8], &[u8], &[u8]> {
    CompressedPubKey::Ed25519(Ed25519PubKey::try_from(key).unwrap())
}
#[test]
fn eddsa_assertions() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[0x31; 32]);
    let public = key.verifying_key().to_bytes();
    let stored = ed25519_stored(&public);
    let check = |msg: &[u8], sig: &[u8]| assertion(stored, msg, sig);
    let sig = key.sign(MSG).to_bytes();
    assert_only_valid_verifies(check, &sig, 1);
    // S + L is the same scalar, but not in canonical form: both refuse it (RFC 8032 §5.1.7).
    let mut malleated = sig;
    let mut carry = 0u16;
    for (byte, order) in malleated[32..].iter_mut().zip(ED25519_ORDER) {
        let sum = u16::from(*byte) + u16::from(order) + carry;
        *byte = sum.to_le_bytes()[0];
        carry = sum >> 8;
    }
    assert_eq!(check(MSG, &malleated), InvalidSignature, "S + L");
    let other = ed25519_dalek::SigningKey::from_bytes(&[0x32; 32])
        .sign(MSG)
        .to_bytes();
    assert_eq!(
        check(MSG, &other),
        InvalidSignature,
        "another key's signature"
    );
    // A y-coordinate that is no point's: an invalid key.
    let off_curve = (0..=u8::MAX)
        .map(|first| {
            let mut y = [0x42; 32];
            y[0] = first;
            y
        })
        .find(|y| ed25519_dalek::VerifyingKey::from_bytes(y).is_err())
        .unwrap();
    assert_eq!(
        assertion(ed25519_stored(&off_curve), MSG, &sig),
        InvalidKey,
        "not a point"
    );
    // The neutral element is a valid key to both, and both verify like RFC 8032 without the
    // cofactor, so (R = neutral, S = 0) verifies any message under it. Only its holder could
    // register such a key, for their own account.
    let mut trivial = [0; 64];
    trivial[0] = 1;
    let mut neutral = [0; 32];
    neutral[0] = 1;
    let stored = ed25519_stored(&neutral);
    assert_eq!(assertion(stored, MSG, &trivial), Verified, "neutral key");
    // The one difference between the backends: RFC 8032 (§5.1.3) decoding refuses non-canonical
    // encodings, such as the neutral element's with the sign bit of x = 0 set or as y = p + 1.
    // aws-lc-rs does, so it refuses that forgery under them; ed25519-dalek, and the crate's key
    // check at registration, take them. No authenticator makes such a key, and here aws-lc-rs
    // is the stricter of the two.
    let mut sign_bit = neutral;
    sign_bit[31] = 0x80;
    let mut p_plus_1 = [0xff; 32];
    p_plus_1[0] = 0xee;
    p_plus_1[31] = 0x7f;
    for non_canonical in [sign_bit, p_plus_1] {
        let stored = ed25519_stored(&non_canonical);
        assert_eq!(
            stored.validate().map_err(|_e| ()),
            Ok(()),
            "the crate's key check"
        );
        let [aws_lc, rust_crypto] = assertion_outcomes(stored, MSG, &trivial);
        assert_eq!(
            (aws_lc, rust_crypto),
            (InvalidSignature, Verified),
            "{non_canonical:x?}"
        );
    }
}
/// An RSA key pair from aws-lc-rs, and its public key the way the crate stores it.
struct Rsa {
    /// The key pair.
    pair: RsaKeyPair,
    /// The modulus, big-endian.
    n: Vec<u8>,
}
impl Rsa {
    /// A new 2048-bit key (e = 65537).
    fn new() -> Self {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let public = rsa::RsaPublicKey::from_pkcs1_der(pair.public_key().as_ref()).unwrap();
        assert_eq!(public.e(), &rsa::BigUint::from(65537u32));
        Self {
            n: public.n().to_bytes_be(),
            pair,
        }
    }
    /// The stored form of the public key.
    fn stored(&self) -> CompressedPubKey<&[u8], &[u8], &[u8], &[u8]> {
        CompressedPubKey::Rsa(RsaPubKey::try_from((self.n.as_slice(), 65537)).unwrap())
    }
    /// Signs `msg` with `encoding`.
    fn sign(&self, encoding: &'static dyn RsaEncoding, msg: &[u8]) -> Vec<u8> {
        let mut sig = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(encoding, &SystemRandom::new(), msg, &mut sig)
            .unwrap();
        sig
    }
}
#[test]
fn rs256_assertions() {
    let key = Rsa::new();
    let stored = key.stored();
    let check = |msg: &[u8], sig: &[u8]| assertion(stored, msg, sig);
    let sig = key.sign(&RSA_PKCS1_SHA256, MSG);
    assert_only_valid_verifies(check, &sig, 17);
    let other = Rsa::new().sign(&RSA_PKCS1_SHA256, MSG);
    assert_eq!(
        check(MSG, &other),
        InvalidSignature,
        "another key's signature"
    );
    let sha384 = key.sign(&RSA_PKCS1_SHA384, MSG);
    assert_eq!(
        check(MSG, &sha384),
        InvalidSignature,
        "PKCS #1 v1.5 with SHA-384"
    );
    let pss = key.sign(&RSA_PSS_SHA256, MSG);
    assert_eq!(check(MSG, &pss), InvalidSignature, "PSS with SHA-256");
    assert_eq!(check(MSG, &key.n), InvalidSignature, "signature = n");
    assert_eq!(
        check(MSG, &[[0].as_slice(), &sig].concat()),
        InvalidSignature,
        "leading zero"
    );
    assert_eq!(
        check(MSG, &vec![0; sig.len()]),
        InvalidSignature,
        "signature = 0"
    );
    // Keys no RSA key can be: both defer to the crate's own key check.
    let even_e = CompressedPubKey::Rsa(RsaPubKey::try_from((key.n.as_slice(), 65536)).unwrap());
    assert_eq!(assertion(even_e, MSG, &sig), InvalidKey, "even e");
    let even_n = flip(&key.n, key.n.len() - 1);
    let even_n = CompressedPubKey::Rsa(RsaPubKey::try_from((even_n.as_slice(), 65537)).unwrap());
    assert_eq!(assertion(even_n, MSG, &sig), InvalidKey, "even n");
}
/// The message of the fixed RSA test vectors.
const RSA_VECTOR_MSG: &[u8] = b"webauthn_rp aws-lc-rs backend: RS256 outside 2048..=8192 bits";
#[test]
fn rs256_moduli_aws_lc_does_not_take() {
    for (bits, n, sig) in [
        (2047, RSA_2047_N, RSA_2047_SIG),
        (8200, RSA_8200_N, RSA_8200_SIG),
    ] {
        let n = HEXLOWER.decode(n.as_bytes()).unwrap();
        let sig = HEXLOWER.decode(sig.as_bytes()).unwrap();
        assert_eq!(n.len(), (bits + 7) / 8);
        let stored = CompressedPubKey::Rsa(RsaPubKey::try_from((n.as_slice(), 65537)).unwrap());
        assert_eq!(
            assertion(stored, RSA_VECTOR_MSG, &sig),
            Verified,
            "{bits} bits"
        );
        let tampered = flip(&sig, sig.len() / 2);
        assert_eq!(
            assertion(stored, RSA_VECTOR_MSG, &tampered),
            InvalidSignature,
            "{bits} bits"
        );
        let msg = flip(RSA_VECTOR_MSG, 0);
        assert_eq!(
            assertion(stored, &msg, &sig),
            InvalidSignature,
            "{bits} bits"
        );
    }
}
#[test]
fn packed_self_attestations() {
    // ES256
    let (key, x, y) = p256_key(0x41);
    let p256 =
        UncompressedPubKey::P256(UncompressedP256PubKey::try_from((&x[..], &y[..])).unwrap());
    let der: p256::ecdsa::DerSignature = key.sign(MSG);
    let check = |msg: &[u8], sig: &[u8]| attestation(p256, Some(Sig::P256(sig)), msg);
    assert_only_valid_verifies(check, der.as_bytes(), 5);
    let wrong_y = flip(&y, 31);
    let off_curve =
        UncompressedPubKey::P256(UncompressedP256PubKey::try_from((&x[..], &wrong_y[..])).unwrap());
    assert_eq!(
        attestation(off_curve, Some(Sig::P256(der.as_bytes())), MSG),
        InvalidKey
    );
    assert_eq!(attestation(p256, None, MSG), Verified, "none attestation");
    assert_eq!(
        attestation(off_curve, None, MSG),
        InvalidKey,
        "none attestation"
    );
    // ES384
    let key = p384::ecdsa::SigningKey::from_slice(&[0x42; 48]).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let (x, y) = (point.x().unwrap().to_vec(), point.y().unwrap().to_vec());
    let p384 = UncompressedPubKey::P384(
        UncompressedP384PubKey::try_from((x.as_slice(), y.as_slice())).unwrap(),
    );
    let der: p384::ecdsa::DerSignature = key.sign(MSG);
    let check = |msg: &[u8], sig: &[u8]| attestation(p384, Some(Sig::P384(sig)), msg);
    assert_only_valid_verifies(check, der.as_bytes(), 9);
    // EdDSA: the signature is always 64 bytes here (the CBOR parser made sure).
    let key = ed25519_dalek::SigningKey::from_bytes(&[0x43; 32]);
    let public = key.verifying_key().to_bytes();
    let ed25519 = UncompressedPubKey::Ed25519(Ed25519PubKey::try_from(&public[..]).unwrap());
    let sig = key.sign(MSG).to_bytes();
    let check = |msg: &[u8], sig: &[u8]| {
        attestation(
            ed25519,
            Some(Sig::Ed25519(Ed25519Signature::try_from(sig).unwrap())),
            msg,
        )
    };
    assert_eq!(check(MSG, &sig), Verified);
    assert_eq!(check(&flip(MSG, 0), &sig), InvalidSignature);
    assert_eq!(check(MSG, &flip(&sig, 0)), InvalidSignature);
    assert_eq!(check(MSG, &flip(&sig, 63)), InvalidSignature);
    // RS256
    let key = Rsa::new();
    let rsa = UncompressedPubKey::Rsa(RsaPubKey::try_from((key.n.as_slice(), 65537)).unwrap());
    let sig = key.sign(&RSA_PKCS1_SHA256, MSG);
    let check = |msg: &[u8], sig: &[u8]| attestation(rsa, Some(Sig::Rs256(sig)), msg);
    assert_only_valid_verifies(check, &sig, 31);
    let n = HEXLOWER.decode(RSA_8200_N.as_bytes()).unwrap();
    let sig = HEXLOWER.decode(RSA_8200_SIG.as_bytes()).unwrap();
    let rsa = UncompressedPubKey::Rsa(RsaPubKey::try_from((n.as_slice(), 65537)).unwrap());
    assert_eq!(
        attestation(rsa, Some(Sig::Rs256(&sig)), RSA_VECTOR_MSG),
        Verified,
        "8200 bits"
    );
}
/// The modulus of a 2047-bit RSA key (e = 65537), hex.
const RSA_2047_N: &str = "\
    664ddef2e37e50ec1b98a1edb81ddf18f1b0bd3d8e5881ea21e4b9c2c0d32ddc463ec9de0be037469133367b2be172a7\
    631b6b87b804bbfcd9c2ef2456e559a1b794f98891acbba430576b98606e39f0a0295bb0ad8fb60a244a4baddbf82bc0\
    e0f7e575b6c9d43ac5dcdc2af3f61641b606f83098c0026e670d1caebf1664c91d70f2bf8804f6b14b63396d5d72ef00\
    1f6b62c0bf0beb3ff258c4fc75c981b9d3417f1af73642b7194589614d3dd32c81846c123dbce916790870c038f090ff\
    87d8f0db5dbe47b2a64ecae854501e985abbcf254f8ece794b90ce0fb1a534aa8bb12ff56eb25a9dfe1ee35ebf57d2f9\
    b61c47ee090f8d947d48663e39958553";
/// An RS256 signature of [`RSA_VECTOR_MSG`] by that key, hex.
const RSA_2047_SIG: &str = "\
    5c3554aae0f68edeaabdc2ced345d2a015467ae7a48c9e0ba31034b313cbc59c3246042e91b4ff1e563fe81d83224467\
    77c1ec57716469751bfdd52f7cd6312956d40a1753b2d926c4f6dffc8290436af8a41a7a1f6fa0d772c7c0d9aadba665\
    cb5d36d1677b59854ecfeb8c1f2ffb5250a860dbda6896ab4473c5496fa16ca54c5b38cd3337da7c18e5d6c2b5524da3\
    d8de834c3576b292476a23fbf260c9490e3cec8cc9579c95dba36676c4113e18cf6de39fd6f5ef3b1d8b69ca89fbdcb2\
    e8ce166613e508384824e1a54186cbf7c02d0017ecb0c14c6a4b6143b5b915abc4fb8977fef28db18e72366d44414e2b\
    bfb1df53f8f8911d490f90fdd557be2e";
/// The modulus of a 8200-bit RSA key (e = 65537), hex.
const RSA_8200_N: &str = "\
    b868f31ddc892ea6baa27912a7c2c33ef5f1f6fafc9c1f772235767cfc036cfca41668ee656c6e26190ede4dbfe6fc16\
    294cbebef859e59f66aeb69d4449b33053cf06aca0e3b7f274fc9595d53bf84614debd1ba57c9078a336bb615ed53c27\
    0958d0e4c46dca646595ad532ffec691ed9394dc3974fcb6940be772f41f039205a2be9397a46b53807c4e7bbbd16051\
    b12884166fc7aed8f50a6b734bfea63ee03e285ae4464bfd52d44fde8e62e193ba081207fb364d3741cabffdaef6a664\
    3ddc2408f1427fdf767bfdaa14be10daafa2ca3a14e33938c9230328ba4cc751b3b09bc3c8099a724b8d807751c4fffc\
    fd849aefacb00207a17451b09e6295589368152d2b06f94d56d9b5288a5b9faf2cd930531a1de98f1bd6ca9e08364918\
    616e442599866d425cf9fe948f64ff96cf0e294c2f04428eba5386350fb273e45b5559d9f2bbadd0fe2b61b928d3ff98\
    f08923ea9e2145f5b223d6173d6f62a9e7dd7dd43d1ae2c8dd2c466c07f8824295507dfeac358bc883ccd5a002f26e02\
    6ac32b728bcbaf3932e35f586ad68d4ef441b91134e21d6871ce02bae6e22c6c6e5db44e9e99e2fb6d23ad7632aff7c3\
    2f906a13fab54fa8a5389a20eab7e4daaff71d48db789f8141f11a2e428c39aca9efbb30d4fba04a61f249cec143a5f2\
    e1282484ae71e81e7a380fd26e6dc761531c30815d5b1bb32de7827b67ba142a371ad6bb764ee96e8996ebf4888ae81f\
    8d74f1763960d6c7e6f68dfa20bb84b50cf37cfcdb7a8eb55f30a71fdba6a3f992f6eb8419638a08254094ab401e3641\
    11bc862423c2e4e284bccd06a0012600918602e751bcc2fe05f953385f2d90fe6ecc9dddaee193e2884045b5fd32988c\
    a2af11af7935cd3b1a7d5c252fc0f80f8478f9237f22c24d23e68d3de8aebb6b9c007e9ed54042bab3b16b42f1e42abc\
    c7c55f774cd058a30521cf7e0210572044d33025a9d976e828836e57c732f7301e8ceb91ed0fbf9476f9c1f6359622f8\
    d69364985cea761d36438a76771df3a7c8f5145a6d7167d1280fa156d295cc3cceb73c05efbdda9967c088a946b473ed\
    64dd5f9826b31ad15f6d90d9ed7f18062fa2761cc94c06d0ba8e3d9292745b4b2df113467b492048c160e6f079b94742\
    896e67d339755450d841e68f4334fdbc969318422a947e27de43327838bdf84583d497c6fef9d34eac4df0301b25c1a9\
    f50cb00f810cb539cab88b4e3f074c5a7b698b00792a73a186a0f8452b79cf395b28a49d4bece6c78100673cd6aa20c4\
    558a9c6cdbfdae0773bd90e16931e3a2f45383a2b81b81ec9fd7223280ea401fe2c9cedccece95886c3a30e8e4ee7260\
    fdacf1401a8c48493449628b8837f3bc31fd8ad0dc75b3b4a7e42f8b6b147633a565a092318448fc9249ff74d6dae930\
    3fb982970fe73ad8f51f7873c139021eb5";
/// An RS256 signature of [`RSA_VECTOR_MSG`] by that key, hex.
const RSA_8200_SIG: &str = "\
    239ed5ce09f86bcef5a6ff2102cd1e5cf72b9dceea7b1c6f10bce43eedc198a62ea69e69ca5d6aeb667f9e22db1946a8\
    d11a11dcb889acf37961639cbb7d9adcd205aacb543efe5e8afc6da249ae3608bcb4aeed417ee27ccf1f83a7bd1bed41\
    17231f66f570fb43ab41a9e2d042e3747141b5954d77ed087c65a8ae0a19ff21392e048e72ff0274e76081a45b120a77\
    85cc387ebd121341e3323c2be9ffbf781760f6393e83a6a91fe47698cc04bd8a6e97802bfaab6292bfacc2c3d19565cb\
    4d3867ed0f8d308abd556d796ba8a6e5ccbb235f458cac96a5cadd993ea0ddca4b0738be7b43da0550bcc749fa7971ca\
    1156ed567905784e1c3c3a8320cba559f0cc5b5000869ba1ae503cb0477868609d4ac8077db289042360e166f782a9a8\
    1a581c7a4224815c35d78d801a7223cbe144f3f05eba8efc4b63dd0e24ed5b3781e292873357e2aa664a4f37da5d2ee0\
    e25fdc6503d88c05ce75b2e38e06d98a09d4d8612fec31a93148b68a3b6aa64688dfb024e25528a9b6568fdabb1fffbc\
    5620cbffb1231d432e236bfec8a01e76a1ff5f5717fb8013635fcf74c27074073a10358aeb44f67fab6bdcb9acb834ab\
    497ee6de58ae86b9687c43cac52d5c4596dd0d188ae7db1f71a9dbb20faddc64890b5ec229141db10a6c17117ee4b041\
    42e9ce2a657a4fee061b377c8813f96b553ee3aea68b31a3deeadb81fadf1ebae134269ae0b696f95ee4b56f048749fd\
    89d572929355c9627a58984f0ad2f7b4fd12587b3c6dd54979d3e7a5a3979edb505662e7c35196b2d732f987908ed4c1\
    b7e9ee2e7aa4ec555c6a654d6b9b3fc7a509fcbdc4413905affcf1023e20f0e6aa318ec7b3d239709a38f2162b67b504\
    e01a6c9a5185b7abd4736410ac89972db94d57133bc761e9f1174cf2f647f8a333872cba364b3c25a5e589f1694afed8\
    703fa379b1086f8066c2098cddf109ac7bd17c4e006b5c6baa48ceefc67f8b03cb4a4d82c0cf5e58b6fca932f80efb50\
    e92f7ed456aca742e868f0974076e15c7153ac640dd2d19170f5263f3d406f3fff38f426e27c296b2f668c3f5db44f60\
    a1d08a254b2df4c8cfa04a670b7753a9168e6ada127ce9dc3c8a4c812d1799ab04988177e1b759c2575c7642ffa97d74\
    8565e675192d5ea4cd09e30f1dfdf899fe67d6a7cba351dfefe419e7702a081c53f501dd1af3eaef9e40ddaf33f90fea\
    e2b303a888c8190400281d7fdc224668cc9c9cfdc4a7c118ac07f2d7c2b3442fe50e68ba2a5e9f4dc6d383963b0ac908\
    338c26319613d3ccca8505cbeb41fc1d44019b4516a1ebbd67440792115d475b932f9bac050ea7e0c4ac8015a36b084d\
    8df826b7bef0ce48778ad76b38a81b9c8694c8b4fc3c40a64bf24ee06fa76b6d82d2a85d9f3967ce82a3f743a149284e\
    20f540b00a741eb7bf41c1fd9ddff3389c";
