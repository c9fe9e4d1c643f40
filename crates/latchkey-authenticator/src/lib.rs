//! A software WebAuthn authenticator and client, for Latchkey's tests and load generator.
//!
//! [`create`] and [`get`] take the `publicKey` member of the options a relying party sends
//! (`PublicKeyCredentialCreationOptionsJSON` / `PublicKeyCredentialRequestOptionsJSON`) and return
//! exactly what a browser's `PublicKeyCredential.toJSON()` returns for them (WebAuthn L3 §5.1.8:
//! `RegistrationResponseJSON` / `AuthenticationResponseJSON`, camelCase, base64url without
//! padding). Everything inside is real: P-256 or Ed25519 keys (fresh, or generated ahead with
//! [`Key::generate`]), CTAP2 canonical CBOR, genuine signatures made with aws-lc-rs. A strict
//! relying-party library cannot tell it from a platform authenticator, which is the point.
//!
//! It plays both roles a browser splits in two: the client (clientDataJSON, origin, the JSON
//! shape) and the authenticator (authenticatorData, keys, signatures). The knobs in
//! [`CreateOptions`] and [`GetOptions`] exist so tests can produce the responses a real device
//! would never send: a wrong RP ID, a foreign origin, a counter going backwards, no user
//! verification.
//!
//! It must never hold anything but test keys: private keys live in memory in [`Key`] (alone, in
//! [`CreateOptions`] or in a [`Credential`]) and are never persisted or printed.

mod key;

use std::fmt;

use aws_lc_rs::digest::{self, SHA256};
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ciborium::Value as Cbor;
use serde_json::{Value, json};

pub use key::{Alg, Key};

/// base64url as WebAuthn uses it: encoded without padding; decoding tolerates padding, like the
/// browsers' `parseCreationOptionsFromJSON`.
const B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// AAGUID of iCloud Keychain, the default so servers that name passkeys by AAGUID see a known one.
pub const ICLOUD_KEYCHAIN_AAGUID: [u8; 16] = [
    0xfb, 0xfc, 0x30, 0x07, 0x15, 0x4e, 0x4e, 0xcc, 0x8c, 0x0b, 0x6e, 0x02, 0x05, 0x57, 0xd7, 0xbd,
];

/// Authenticator data flag bits (WebAuthn L3 §6.1).
mod flag {
    /// User present.
    pub const UP: u8 = 0x01;
    /// User verified.
    pub const UV: u8 = 0x04;
    /// Backup eligible.
    pub const BE: u8 = 0x08;
    /// Backup state (currently backed up).
    pub const BS: u8 = 0x10;
    /// Attested credential data included.
    pub const AT: u8 = 0x40;
}

/// The attestation statement the authenticator returns on creation (WebAuthn L3 §8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AttestationKind {
    /// `fmt: "none"` with an empty `attStmt`, what passkey providers send.
    #[default]
    None,
    /// `fmt: "packed"` self attestation (§8.2): `attStmt` is `{alg, sig}` with `sig` made by the
    /// credential key over `authData ‖ SHA-256(clientDataJSON)` and no `x5c`.
    PackedSelf,
}

/// How [`create`] behaves; every field is public so a test can build the odd case it needs.
#[derive(Clone, Debug)]
pub struct CreateOptions {
    /// Key algorithm; must be offered in the options' `pubKeyCredParams`. Ignored when `key` is
    /// set: the key's own algorithm is used.
    pub alg: Alg,
    /// The credential's key, generated ahead with [`Key::generate`] so that a load generator
    /// times the ceremony and not key generation; `None` generates a fresh key of `alg`. Every
    /// `create` with the same options uses this same key.
    pub key: Option<Key>,
    /// Attestation statement format.
    pub attestation: AttestationKind,
    /// Set the UV flag, as after a biometric or PIN check.
    pub user_verified: bool,
    /// Set the BE flag: the credential may be synced (a passkey provider).
    pub backup_eligible: bool,
    /// Set the BS flag: the credential is currently synced.
    pub backup_state: bool,
    /// Hash this RP ID into authenticatorData instead of the options' `rp.id`, to forge a
    /// response for the wrong relying party.
    pub rp_id_override: Option<String>,
    /// The caller's origin, written into clientDataJSON (e.g. `https://example.com`).
    pub origin: String,
    /// AAGUID written into the attested credential data.
    pub aaguid: [u8; 16],
    /// `response.transports`, reported as given (browsers report them sorted).
    pub transports: Vec<String>,
}

impl CreateOptions {
    /// A synced platform passkey as iCloud Keychain creates it: ES256, `none` attestation, user
    /// verified, backup eligible and backed up, transports `["hybrid", "internal"]`.
    #[must_use]
    pub fn new(origin: &str) -> Self {
        Self {
            alg: Alg::Es256,
            key: None,
            attestation: AttestationKind::None,
            user_verified: true,
            backup_eligible: true,
            backup_state: true,
            rp_id_override: None,
            origin: origin.to_owned(),
            aaguid: ICLOUD_KEYCHAIN_AAGUID,
            transports: vec!["hybrid".to_owned(), "internal".to_owned()],
        }
    }

    /// [`CreateOptions::new`] with a key generated ahead of time (its algorithm replaces
    /// `alg`): for a load generator that keeps key generation out of its timed part.
    #[must_use]
    pub fn with_key(origin: &str, key: Key) -> Self {
        Self {
            key: Some(key),
            ..Self::new(origin)
        }
    }
}

/// How [`get`] behaves.
#[derive(Clone, Debug)]
pub struct GetOptions {
    /// Set the UV flag.
    pub user_verified: bool,
    /// Hash this RP ID into authenticatorData instead of the options' `rpId`; also skips the
    /// check that the options' RP ID matches the credential's.
    pub rp_id_override: Option<String>,
    /// The caller's origin, written into clientDataJSON.
    pub origin: String,
    /// Send this signature counter and remember it; `None` sends the stored counter plus one
    /// (or 0 for a credential that does not count).
    pub counter: Option<u32>,
}

impl GetOptions {
    /// A user-verified assertion from `origin` with the counter advancing normally.
    #[must_use]
    pub fn new(origin: &str) -> Self {
        Self {
            user_verified: true,
            rp_id_override: None,
            origin: origin.to_owned(),
            counter: None,
        }
    }
}

/// A credential held by the software authenticator: what a real one stores for a discoverable
/// credential, private key included.
#[derive(Clone)]
pub struct Credential {
    /// Credential ID (16 to 32 random bytes).
    pub id: Vec<u8>,
    /// The `user.id` from the creation options, returned as `userHandle` on every assertion.
    pub user_handle: Vec<u8>,
    /// The RP ID the credential is scoped to.
    pub rp_id: String,
    /// Key algorithm.
    pub alg: Alg,
    /// Last signature counter sent (0 after creation).
    pub sign_count: u32,
    /// Whether the counter advances; `false` models passkey providers, which always send 0.
    pub counts: bool,
    /// BE flag sent on assertions.
    pub backup_eligible: bool,
    /// BS flag sent on assertions.
    pub backup_state: bool,
    /// The key pair; never printed.
    key: Key,
}

impl Credential {
    /// This credential with a counter that stays at 0, as synced passkeys do.
    #[must_use]
    pub fn non_counting(mut self) -> Self {
        self.counts = false;
        self.sign_count = 0;
        self
    }

    /// The public key as a COSE_Key in CTAP2 canonical CBOR.
    ///
    /// # Errors
    ///
    /// Only if CBOR encoding fails, which writing to memory does not.
    pub fn cose_public_key(&self) -> Result<Vec<u8>, Error> {
        self.key.cose_public_key()
    }

    /// The public key as DER `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    ///
    /// Only if DER encoding fails, which it does not for valid keys.
    pub fn public_key_spki(&self) -> Result<Vec<u8>, Error> {
        self.key.public_key_spki()
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("id", &B64.encode(&self.id))
            .field("user_handle", &B64.encode(&self.user_handle))
            .field("rp_id", &self.rp_id)
            .field("alg", &self.alg)
            .field("sign_count", &self.sign_count)
            .field("counts", &self.counts)
            .field("backup_eligible", &self.backup_eligible)
            .field("backup_state", &self.backup_state)
            .finish_non_exhaustive()
    }
}

/// Why the software client refused the options, as a browser would have thrown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A required member is missing or not of the expected JSON type; the value is its path.
    MissingField(&'static str),
    /// A member is present but invalid (not base64url, `user.id` not 1 to 64 bytes, ...).
    InvalidField(&'static str),
    /// `pubKeyCredParams` does not offer the algorithm the test asked for.
    AlgorithmNotOffered(Alg),
    /// `allowCredentials` is non-empty and does not list the credential.
    CredentialNotAllowed,
    /// The request's RP ID is not the credential's, so a browser would not find it.
    RpIdMismatch {
        /// RP ID of the request.
        requested: String,
        /// RP ID the credential was created for.
        credential: String,
    },
    /// The origin is not of the form `scheme://host[:port]`, so no RP ID can be derived from it.
    InvalidOrigin(String),
    /// CBOR or DER encoding failed.
    Encoding(String),
    /// The crypto library failed; the value names the operation (key generation, signing).
    Crypto(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingField(path) => write!(f, "options member `{path}` is missing"),
            Self::InvalidField(path) => write!(f, "options member `{path}` is invalid"),
            Self::AlgorithmNotOffered(alg) => {
                write!(
                    f,
                    "pubKeyCredParams does not offer {alg:?} ({})",
                    alg.cose_id()
                )
            }
            Self::CredentialNotAllowed => f.write_str("allowCredentials excludes this credential"),
            Self::RpIdMismatch {
                requested,
                credential,
            } => write!(
                f,
                "request is for RP ID `{requested}`, credential belongs to `{credential}`"
            ),
            Self::InvalidOrigin(origin) => write!(f, "cannot derive an RP ID from `{origin}`"),
            Self::Encoding(e) => write!(f, "encoding failed: {e}"),
            Self::Crypto(operation) => write!(f, "{operation} failed in aws-lc"),
        }
    }
}

impl std::error::Error for Error {}

/// Creates a credential, as `navigator.credentials.create({ publicKey })` followed by
/// `toJSON()` (WebAuthn L3 §5.1.3 client steps, §6.3.2 authenticatorMakeCredential).
///
/// `public_key` is `PublicKeyCredentialCreationOptionsJSON`: the value of the server's
/// `{"publicKey": {...}}`. Returns `RegistrationResponseJSON` and the new credential.
///
/// # Errors
///
/// When a browser would reject the options: missing or malformed `challenge`, `user.id` (must
/// decode to 1 to 64 bytes), or `pubKeyCredParams` without the algorithm of
/// [`CreateOptions::key`] (or [`CreateOptions::alg`] when no key is given). [`Error::Crypto`] if
/// aws-lc fails to generate the key or to sign.
pub fn create(public_key: &Value, opts: &CreateOptions) -> Result<(Value, Credential), Error> {
    let challenge = challenge(public_key)?;
    let user_handle = b64_member(public_key.pointer("/user/id"), "user.id")?;
    if !(1..=64).contains(&user_handle.len()) {
        return Err(Error::InvalidField("user.id"));
    }
    let rp_id = match public_key.pointer("/rp/id") {
        Some(Value::String(id)) => id.clone(),
        Some(_) => return Err(Error::InvalidField("rp.id")),
        None => effective_domain(&opts.origin)?,
    };
    let alg = opts.key.as_ref().map_or(opts.alg, Key::alg);
    if !offered_algs(public_key)?.contains(&alg.cose_id()) {
        return Err(Error::AlgorithmNotOffered(alg));
    }

    let key = match &opts.key {
        Some(key) => key.clone(),
        None => Key::generate(alg)?,
    };
    let id = random_credential_id()?;
    let cose_key = key.cose_public_key()?;

    // authenticatorData with attested credential data (§6.1, §6.5.2).
    let signed_rp_id = opts.rp_id_override.as_deref().unwrap_or(&rp_id);
    let mut flags = flag::UP | flag::AT;
    flags |= flag_if(opts.user_verified, flag::UV);
    flags |= flag_if(opts.backup_eligible, flag::BE);
    flags |= flag_if(opts.backup_state, flag::BS);
    let mut auth_data = authenticator_data(signed_rp_id, flags, 0);
    auth_data.extend_from_slice(&opts.aaguid);
    let id_len = u16::try_from(id.len()).map_err(|e| Error::Encoding(e.to_string()))?;
    auth_data.extend_from_slice(&id_len.to_be_bytes());
    auth_data.extend_from_slice(&id);
    auth_data.extend_from_slice(&cose_key);

    let client_data = client_data_json("webauthn.create", &challenge, &opts.origin);
    let att_stmt = match opts.attestation {
        AttestationKind::None => Cbor::Map(Vec::new()),
        AttestationKind::PackedSelf => {
            // CTAP2 canonical order: "alg" < "sig" (same length, bytewise).
            let signature = key.sign(&signed_message(&auth_data, &client_data))?;
            Cbor::Map(vec![
                (
                    Cbor::Text("alg".to_owned()),
                    Cbor::Integer(alg.cose_id().into()),
                ),
                (Cbor::Text("sig".to_owned()), Cbor::Bytes(signature)),
            ])
        }
    };
    let fmt = match opts.attestation {
        AttestationKind::None => "none",
        AttestationKind::PackedSelf => "packed",
    };
    // CTAP2 canonical order: shorter keys first, so "fmt", "attStmt", "authData".
    let attestation_object = to_cbor(&Cbor::Map(vec![
        (Cbor::Text("fmt".to_owned()), Cbor::Text(fmt.to_owned())),
        (Cbor::Text("attStmt".to_owned()), att_stmt),
        (
            Cbor::Text("authData".to_owned()),
            Cbor::Bytes(auth_data.clone()),
        ),
    ]))?;

    let id_b64 = B64.encode(&id);
    let response = json!({
        "id": id_b64,
        "rawId": id_b64,
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
        "response": {
            "clientDataJSON": B64.encode(client_data.as_bytes()),
            "attestationObject": B64.encode(&attestation_object),
            "transports": opts.transports,
            "authenticatorData": B64.encode(&auth_data),
            "publicKey": B64.encode(key.public_key_spki()?),
            "publicKeyAlgorithm": alg.cose_id(),
        },
    });
    let credential = Credential {
        id,
        user_handle,
        rp_id,
        alg,
        sign_count: 0,
        counts: true,
        backup_eligible: opts.backup_eligible,
        backup_state: opts.backup_state,
        key,
    };
    Ok((response, credential))
}

/// Signs in with `cred`, as `navigator.credentials.get({ publicKey })` followed by `toJSON()`
/// (WebAuthn L3 §5.1.4 client steps, §6.3.3 authenticatorGetAssertion).
///
/// `public_key` is `PublicKeyCredentialRequestOptionsJSON`. Returns `AuthenticationResponseJSON`
/// (always with `userHandle`, as passkeys do) and records the counter sent in `cred.sign_count`.
///
/// # Errors
///
/// A missing or malformed `challenge`; [`Error::CredentialNotAllowed`] when `allowCredentials` is
/// non-empty and lacks `cred.id`; [`Error::RpIdMismatch`] when the request's RP ID is not the
/// credential's (unless [`GetOptions::rp_id_override`] is set); [`Error::Crypto`] if aws-lc fails
/// to sign.
pub fn get(public_key: &Value, cred: &mut Credential, opts: &GetOptions) -> Result<Value, Error> {
    let challenge = challenge(public_key)?;
    let rp_id = match public_key.get("rpId") {
        Some(Value::String(id)) => id.clone(),
        Some(_) => return Err(Error::InvalidField("rpId")),
        None => effective_domain(&opts.origin)?,
    };
    let signed_rp_id = match &opts.rp_id_override {
        Some(id) => id.clone(),
        None if rp_id == cred.rp_id => rp_id,
        None => {
            return Err(Error::RpIdMismatch {
                requested: rp_id,
                credential: cred.rp_id.clone(),
            });
        }
    };
    if let Some(allowed) = public_key.get("allowCredentials") {
        let allowed = allowed
            .as_array()
            .ok_or(Error::InvalidField("allowCredentials"))?;
        let mut listed = false;
        for descriptor in allowed {
            listed |= b64_member(descriptor.get("id"), "allowCredentials[].id")? == cred.id;
        }
        if !allowed.is_empty() && !listed {
            return Err(Error::CredentialNotAllowed);
        }
    }

    let counter = match opts.counter {
        Some(counter) => counter,
        None if cred.counts => cred.sign_count.wrapping_add(1),
        None => 0,
    };
    cred.sign_count = counter;

    let mut flags = flag::UP;
    flags |= flag_if(opts.user_verified, flag::UV);
    flags |= flag_if(cred.backup_eligible, flag::BE);
    flags |= flag_if(cred.backup_state, flag::BS);
    let auth_data = authenticator_data(&signed_rp_id, flags, counter);
    let client_data = client_data_json("webauthn.get", &challenge, &opts.origin);
    let signature = cred.key.sign(&signed_message(&auth_data, &client_data))?;

    let id_b64 = B64.encode(&cred.id);
    Ok(json!({
        "id": id_b64,
        "rawId": id_b64,
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
        "response": {
            "clientDataJSON": B64.encode(client_data.as_bytes()),
            "authenticatorData": B64.encode(&auth_data),
            "signature": B64.encode(&signature),
            "userHandle": B64.encode(&cred.user_handle),
        },
    }))
}

/// The options' challenge, re-encoded the way a browser does after decoding it: for a valid
/// unpadded base64url challenge this is the string itself.
fn challenge(public_key: &Value) -> Result<String, Error> {
    b64_member(public_key.get("challenge"), "challenge").map(|bytes| B64.encode(bytes))
}

/// Decodes a base64url string member, naming `path` in the error.
fn b64_member(value: Option<&Value>, path: &'static str) -> Result<Vec<u8>, Error> {
    let text = value
        .and_then(Value::as_str)
        .ok_or(Error::MissingField(path))?;
    B64.decode(text).map_err(|_| Error::InvalidField(path))
}

/// The COSE algorithms in `pubKeyCredParams`; an absent or empty list means ES256 and RS256
/// (WebAuthn L3 §5.1.3 step 10).
fn offered_algs(public_key: &Value) -> Result<Vec<i64>, Error> {
    let Some(params) = public_key.get("pubKeyCredParams") else {
        return Ok(vec![-7, -257]);
    };
    let params = params
        .as_array()
        .ok_or(Error::InvalidField("pubKeyCredParams"))?;
    if params.is_empty() {
        return Ok(vec![-7, -257]);
    }
    params
        .iter()
        .filter(|p| p.get("type").and_then(Value::as_str) == Some("public-key"))
        .map(|p| {
            p.get("alg")
                .and_then(Value::as_i64)
                .ok_or(Error::InvalidField("pubKeyCredParams[].alg"))
        })
        .collect()
}

/// The host of `origin`, which is what a browser uses as RP ID when the options give none.
fn effective_domain(origin: &str) -> Result<String, Error> {
    let invalid = || Error::InvalidOrigin(origin.to_owned());
    let (_, rest) = origin.split_once("://").ok_or_else(invalid)?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.split(':').next().unwrap_or_default();
    if host.is_empty() {
        return Err(invalid());
    }
    Ok(host.to_owned())
}

/// 16 to 32 random bytes, the range real authenticators use for discoverable credentials.
fn random_credential_id() -> Result<Vec<u8>, Error> {
    // One draw for both: the first byte picks the length, the rest are the ID.
    let mut bytes = [0; 33];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| Error::Crypto("random credential ID"))?;
    let (len, id) = bytes.split_at(1);
    Ok(id[..16 + usize::from(len[0] % 17)].to_vec())
}

/// SHA-256 of `data`.
fn sha256(data: &[u8]) -> digest::Digest {
    digest::digest(&SHA256, data)
}

/// `rpIdHash ‖ flags ‖ signCount` (WebAuthn L3 §6.1).
fn authenticator_data(rp_id: &str, flags: u8, sign_count: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity(37);
    data.extend_from_slice(sha256(rp_id.as_bytes()).as_ref());
    data.push(flags);
    data.extend_from_slice(&sign_count.to_be_bytes());
    data
}

/// clientDataJSON in the exact member order of the JSON-compatible serialization
/// (WebAuthn L3 §5.8.1.1), which strict parsers check byte by byte.
fn client_data_json(kind: &str, challenge: &str, origin: &str) -> String {
    format!(
        r#"{{"type":{},"challenge":{},"origin":{},"crossOrigin":false}}"#,
        json_string(kind),
        json_string(challenge),
        json_string(origin),
    )
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// `authData ‖ SHA-256(clientDataJSON)`, what both assertion and self-attestation sign.
fn signed_message(auth_data: &[u8], client_data: &str) -> Vec<u8> {
    let mut message = auth_data.to_vec();
    message.extend_from_slice(sha256(client_data.as_bytes()).as_ref());
    message
}

/// `bit` if `on`, else no bits.
const fn flag_if(on: bool, bit: u8) -> u8 {
    if on { bit } else { 0 }
}

/// Encodes `value` as CBOR. ciborium writes minimal-length heads and keeps map order, so the
/// caller's order decides canonicity.
fn to_cbor(value: &Cbor) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| Error::Encoding(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
mod tests {
    use super::*;

    fn creation_options(algs: &[i64]) -> Value {
        let params: Vec<Value> = algs
            .iter()
            .map(|alg| json!({"type": "public-key", "alg": alg}))
            .collect();
        json!({
            "rp": {"id": "example.com", "name": "Example"},
            "user": {"id": B64.encode([7u8; 16]), "name": "a", "displayName": "A"},
            "challenge": B64.encode([1u8; 16]),
            "pubKeyCredParams": params,
        })
    }

    fn decode_member(response: &Value, member: &str) -> Vec<u8> {
        B64.decode(response["response"][member].as_str().unwrap())
            .unwrap()
    }

    #[test]
    fn es256_cose_key_is_canonical() {
        let key = Key::generate(Alg::Es256).unwrap();
        let cose = key.cose_public_key().unwrap();
        assert_eq!(cose.len(), 77);
        assert_eq!(
            &cose[..10],
            &[0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]
        );
        assert_eq!(&cose[42..45], &[0x22, 0x58, 0x20]);
    }

    #[test]
    fn ed25519_cose_key_is_canonical() {
        let key = Key::generate(Alg::Ed25519).unwrap();
        let cose = key.cose_public_key().unwrap();
        assert_eq!(cose.len(), 42);
        assert_eq!(
            &cose[..10],
            &[0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20]
        );
    }

    #[test]
    fn attestation_object_keys_are_in_canonical_order() {
        let (response, _) = create(
            &creation_options(&[-7]),
            &CreateOptions::new("https://example.com"),
        )
        .unwrap();
        let object = decode_member(&response, "attestationObject");
        // a3 63 "fmt" 64 "none" 67 "attStmt" a0 68 "authData"
        assert_eq!(&object[..5], b"\xa3\x63fmt");
        assert_eq!(&object[5..10], b"\x64none");
        assert_eq!(&object[10..19], b"\x67attStmt\xa0");
        assert_eq!(&object[19..28], b"\x68authData");
    }

    #[test]
    fn client_data_has_browser_member_order() {
        assert_eq!(
            client_data_json("webauthn.get", "abc", "https://example.com"),
            r#"{"type":"webauthn.get","challenge":"abc","origin":"https://example.com","crossOrigin":false}"#
        );
    }

    #[test]
    fn authenticator_data_flags_and_counter() {
        let mut opts = CreateOptions::new("https://example.com");
        opts.backup_state = false;
        let (response, mut cred) = create(&creation_options(&[-7]), &opts).unwrap();
        let auth_data = decode_member(&response, "authenticatorData");
        assert_eq!(&auth_data[..32], sha256(b"example.com").as_ref());
        assert_eq!(auth_data[32], flag::UP | flag::UV | flag::BE | flag::AT);
        assert_eq!(&auth_data[33..37], &[0, 0, 0, 0]);
        assert_eq!(&auth_data[37..53], &ICLOUD_KEYCHAIN_AAGUID);

        let request = json!({"challenge": B64.encode([2u8; 16]), "rpId": "example.com"});
        let options = GetOptions::new("https://example.com");
        for expected in 1..=3u32 {
            let assertion = get(&request, &mut cred, &options).unwrap();
            let auth_data = decode_member(&assertion, "authenticatorData");
            assert_eq!(&auth_data[33..37], &expected.to_be_bytes());
            assert_eq!(cred.sign_count, expected);
        }
        let mut cred = cred.non_counting();
        let assertion = get(&request, &mut cred, &options).unwrap();
        assert_eq!(
            &decode_member(&assertion, "authenticatorData")[33..37],
            &[0; 4]
        );
    }

    #[test]
    fn refuses_what_a_browser_refuses() {
        let origin = "https://example.com";
        let mut ed = CreateOptions::new(origin);
        ed.alg = Alg::Ed25519;
        assert_eq!(
            create(&creation_options(&[-7]), &ed).unwrap_err(),
            Error::AlgorithmNotOffered(Alg::Ed25519)
        );
        let mut options = creation_options(&[-7]);
        options["user"]["id"] = json!("");
        assert_eq!(
            create(&options, &CreateOptions::new(origin)).unwrap_err(),
            Error::InvalidField("user.id")
        );

        let (_, mut cred) =
            create(&creation_options(&[-8, -7]), &CreateOptions::new(origin)).unwrap();
        let other = B64.encode([9u8; 16]);
        let request = json!({
            "challenge": B64.encode([2u8; 16]),
            "rpId": "example.com",
            "allowCredentials": [{"type": "public-key", "id": other}],
        });
        assert_eq!(
            get(&request, &mut cred, &GetOptions::new(origin)).unwrap_err(),
            Error::CredentialNotAllowed
        );
        let request = json!({"challenge": B64.encode([2u8; 16]), "rpId": "other.com"});
        assert!(matches!(
            get(&request, &mut cred, &GetOptions::new(origin)),
            Err(Error::RpIdMismatch { .. })
        ));
    }

    #[test]
    fn pre_generated_key_must_be_offered() {
        let mut opts = CreateOptions::new("https://example.com");
        opts.key = Some(Key::generate(Alg::Ed25519).unwrap());
        // `alg` says ES256, which is offered, but the key is what would be registered.
        assert_eq!(opts.alg, Alg::Es256);
        assert_eq!(
            create(&creation_options(&[-7]), &opts).unwrap_err(),
            Error::AlgorithmNotOffered(Alg::Ed25519)
        );
        let (_, cred) = create(&creation_options(&[-7, -8]), &opts).unwrap();
        assert_eq!(cred.alg, Alg::Ed25519);
    }

    #[test]
    fn debug_shows_no_private_key() {
        let opts = CreateOptions {
            key: Some(Key::generate(Alg::Es256).unwrap()),
            ..CreateOptions::new("https://example.com")
        };
        let printed = format!("{opts:?}");
        assert!(printed.contains("public_key"), "{printed}");
        let (_, cred) = create(&creation_options(&[-7]), &opts).unwrap();
        for printed in [printed, format!("{cred:?}")] {
            for secret in opts.key.as_ref().unwrap().secret_encodings() {
                assert!(!printed.contains(&secret), "{printed}");
            }
        }
    }

    #[test]
    fn rp_id_defaults_to_origin_host() {
        assert_eq!(
            effective_domain("https://login.example.com:8443/x").unwrap(),
            "login.example.com"
        );
        let mut options = creation_options(&[-7]);
        options["rp"] = json!({"name": "Example"});
        let (_, cred) = create(&options, &CreateOptions::new("http://localhost:3000")).unwrap();
        assert_eq!(cred.rp_id, "localhost");
    }
}
