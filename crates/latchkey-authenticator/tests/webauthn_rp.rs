//! Proves the software authenticator's output passes `webauthn_rp`, the relying-party library the
//! server uses, in its strictest modes: the spec's JSON forms parsed with the strict `Deserialize`
//! impls (unknown members rejected, `publicKey`/`authenticatorData` cross-checked against the
//! attestation object), clientDataJSON checked with the limited verification algorithm
//! (`client_data_json_relaxed: false`), and CTAP2 canonical CBOR throughout. Credentials go
//! through the same encode/decode a database row would, so the tests also show the server's
//! storage shape.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use latchkey_authenticator::{
    Alg, AttestationKind, CreateOptions, Credential, Error, GetOptions, Key, create, get,
};
use serde_json::Value;
use webauthn_rp::bin::{Decode as _, Encode as _};
use webauthn_rp::request::auth::{AllowedCredentials, AuthenticationVerificationOptions};
use webauthn_rp::request::register::{RegistrationVerificationOptions, UserHandle16};
use webauthn_rp::request::{AsciiDomain, Credentials as _, PublicKeyCredentialDescriptor, RpId};
use webauthn_rp::response::auth::error::AuthCeremonyErr;
use webauthn_rp::response::register::error::RegCeremonyErr;
use webauthn_rp::response::register::{CompressedPubKey, DynamicState, StaticState};
use webauthn_rp::response::{AuthTransports, CredentialId};
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication16, DiscoverableCredentialRequestOptions,
    NonDiscoverableAuthentication16, NonDiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration,
};

const ORIGIN: &str = "https://example.com";

fn rp_id() -> RpId {
    RpId::Domain(AsciiDomain::try_from("example.com".to_owned()).unwrap())
}

/// The value handed to `create`/`get`: the `publicKey` member if the library wraps the options in
/// one, the options themselves otherwise.
fn public_key_member(client_state: Value) -> Value {
    match client_state.get("publicKey") {
        Some(options) => options.clone(),
        None => client_state,
    }
}

/// The public key type the server stores and authenticates with.
type StoredKey = StaticState<CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>>;

/// A registered credential as the server would keep it in a row.
struct Row {
    id: Vec<u8>,
    transports: u8,
    user: UserHandle16,
    static_state: Vec<u8>,
    dynamic_state: [u8; 7],
}

/// Why a ceremony failed: the JSON did not parse, or verification said no.
#[derive(Debug)]
enum Failure<E> {
    Parse(String),
    Verify(E),
}

fn verify_registration_options()
-> RegistrationVerificationOptions<'static, 'static, &'static str, &'static str> {
    RegistrationVerificationOptions {
        allowed_origins: &[ORIGIN],
        client_data_json_relaxed: false,
        ..Default::default()
    }
}

fn verify_authentication_options()
-> AuthenticationVerificationOptions<'static, 'static, &'static str, &'static str> {
    AuthenticationVerificationOptions {
        allowed_origins: &[ORIGIN],
        client_data_json_relaxed: false,
        ..Default::default()
    }
}

/// Runs a registration ceremony; `tamper` may edit the response JSON before the server sees it.
fn register_with(
    opts: &CreateOptions,
    tamper: impl FnOnce(&mut Value),
) -> Result<(Row, Credential), Failure<RegCeremonyErr>> {
    let rp_id = rp_id();
    let user = UserHandle16::new();
    let (server, client) =
        PublicKeyCredentialCreationOptions::first_passkey_with_blank_user_info(&rp_id, &user)
            .start_ceremony()
            .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let (mut response, credential) = create(&options, opts).unwrap();
    tamper(&mut response);
    let body = serde_json::to_vec(&response).unwrap();

    // The relaxed parser must agree with the strict one on browser-shaped JSON.
    Registration::from_json_relaxed(&body).map_err(|e| Failure::Parse(e.to_string()))?;
    let registration: Registration =
        serde_json::from_slice(&body).map_err(|e| Failure::Parse(e.to_string()))?;
    let registered = server
        .verify(&rp_id, &registration, &verify_registration_options())
        .map_err(Failure::Verify)?;

    let (id, transports, user_id, static_state, dynamic_state, _metadata) = registered.into_parts();
    assert_eq!(user_id, user);
    assert_eq!(id.as_ref(), credential.id.as_slice());
    assert_eq!(dynamic_state.sign_count, 0);
    let row = Row {
        id: id.as_ref().to_vec(),
        transports: transports.encode().unwrap(),
        user: user_id,
        static_state: static_state.encode().unwrap(),
        dynamic_state: dynamic_state.encode().unwrap(),
    };
    Ok((row, credential))
}

fn register(opts: &CreateOptions) -> (Row, Credential) {
    register_with(opts, |_| {}).unwrap()
}

/// The server's half of authentication once the response parsed: load the row by `rawId`, verify,
/// and write back the dynamic state when the library says it changed.
fn finish_authentication(
    row: &mut Row,
    raw_id: CredentialId<&[u8]>,
    verify: impl FnOnce(
        &mut AuthenticatedCredential<
            '_,
            '_,
            16,
            CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>,
        >,
    ) -> Result<bool, AuthCeremonyErr>,
) -> Result<(), Failure<AuthCeremonyErr>> {
    assert_eq!(
        raw_id.as_ref(),
        row.id.as_slice(),
        "server looks the row up by rawId"
    );
    let static_state = StoredKey::decode(row.static_state.as_slice()).unwrap();
    let dynamic_state = DynamicState::decode(row.dynamic_state).unwrap();
    let mut credential =
        AuthenticatedCredential::new(raw_id, &row.user, static_state, dynamic_state).unwrap();
    if verify(&mut credential).map_err(Failure::Verify)? {
        row.dynamic_state = credential.dynamic_state().encode().unwrap();
    }
    Ok(())
}

/// A discoverable (username-less) sign-in; `tamper` may edit the response JSON.
fn authenticate_with(
    row: &mut Row,
    credential: &mut Credential,
    opts: &GetOptions,
    tamper: impl FnOnce(&mut Value),
) -> Result<(), Failure<AuthCeremonyErr>> {
    let rp_id = rp_id();
    let (server, client) = DiscoverableCredentialRequestOptions::passkey(&rp_id)
        .start_ceremony()
        .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let mut response = get(&options, credential, opts).unwrap();
    tamper(&mut response);
    let body = serde_json::to_vec(&response).unwrap();

    DiscoverableAuthentication16::from_json_relaxed(&body)
        .map_err(|e| Failure::Parse(e.to_string()))?;
    let authentication: DiscoverableAuthentication16 =
        serde_json::from_slice(&body).map_err(|e| Failure::Parse(e.to_string()))?;
    assert_eq!(authentication.response().user_handle(), &row.user);
    finish_authentication(row, authentication.raw_id(), |cred| {
        server.verify(
            &rp_id,
            &authentication,
            cred,
            &verify_authentication_options(),
        )
    })
}

fn authenticate(
    row: &mut Row,
    credential: &mut Credential,
    opts: &GetOptions,
) -> Result<(), Failure<AuthCeremonyErr>> {
    authenticate_with(row, credential, opts, |_| {})
}

fn sign_count(row: &Row) -> u32 {
    DynamicState::decode(row.dynamic_state).unwrap().sign_count
}

fn create_options(alg: Alg, attestation: AttestationKind) -> CreateOptions {
    CreateOptions {
        alg,
        attestation,
        ..CreateOptions::new(ORIGIN)
    }
}

/// Decodes a base64url member of `response.response`, applies `edit`, and writes it back.
fn edit_member(response: &mut Value, member: &str, edit: impl FnOnce(&mut Vec<u8>)) {
    let slot = &mut response["response"][member];
    let mut bytes = B64.decode(slot.as_str().unwrap()).unwrap();
    edit(&mut bytes);
    *slot = Value::String(B64.encode(bytes));
}

#[test]
fn every_algorithm_and_attestation_registers_and_signs_in() {
    for alg in [Alg::Es256, Alg::Ed25519] {
        for attestation in [AttestationKind::None, AttestationKind::PackedSelf] {
            let (mut row, mut credential) = register(&create_options(alg, attestation));
            for expected in 1..=3 {
                authenticate(&mut row, &mut credential, &GetOptions::new(ORIGIN)).unwrap_or_else(
                    |e| panic!("{alg:?}/{attestation:?} sign-in {expected} failed: {e:?}"),
                );
                assert_eq!(sign_count(&row), expected, "{alg:?}/{attestation:?}");
            }
        }
    }
}

#[test]
fn pre_generated_key_is_the_credentials_key() {
    for alg in [Alg::Es256, Alg::Ed25519] {
        let key = Key::generate(alg).unwrap();
        // `alg` is left at its default: the key's own algorithm wins.
        let opts = CreateOptions {
            key: Some(key.clone()),
            attestation: AttestationKind::PackedSelf,
            ..CreateOptions::new(ORIGIN)
        };
        let mut published = Vec::new();
        let (mut row, mut credential) = register_with(&opts, |response| {
            let spki = response["response"]["publicKey"].as_str().unwrap();
            published = B64.decode(spki).unwrap();
            assert_eq!(response["response"]["publicKeyAlgorithm"], alg.cose_id());
        })
        .unwrap();
        assert_eq!(published, key.public_key_spki().unwrap(), "{alg:?}");
        assert_eq!(
            credential.public_key_spki().unwrap(),
            key.public_key_spki().unwrap()
        );
        assert_eq!(
            credential.cose_public_key().unwrap(),
            key.cose_public_key().unwrap()
        );
        assert_eq!(credential.alg, alg);
        authenticate(&mut row, &mut credential, &GetOptions::new(ORIGIN)).unwrap();

        // The same options again: a second credential, same key.
        let (_, second) = register(&opts);
        assert_ne!(second.id, credential.id);
        assert_eq!(
            second.public_key_spki().unwrap(),
            key.public_key_spki().unwrap()
        );
    }
}

#[test]
fn options_json_shape() {
    // What the library sends, so the server knows what browsers receive.
    let rp_id = rp_id();
    let user = UserHandle16::new();
    let (_, client) =
        PublicKeyCredentialCreationOptions::first_passkey_with_blank_user_info(&rp_id, &user)
            .start_ceremony()
            .unwrap();
    let creation = serde_json::to_value(&client).unwrap();
    let (_, client) = DiscoverableCredentialRequestOptions::passkey(&rp_id)
        .start_ceremony()
        .unwrap();
    let request = serde_json::to_value(&client).unwrap();
    // webauthn_rp 0.3 serializes the bare options, without a `publicKey` wrapper.
    assert!(creation.get("publicKey").is_none() && creation.get("challenge").is_some());
    assert!(request.get("publicKey").is_none() && request.get("challenge").is_some());
    // A 16-byte challenge is 22 base64url characters.
    assert_eq!(creation["challenge"].as_str().unwrap().len(), 22);
    assert_eq!(
        creation["authenticatorSelection"]["userVerification"],
        "required"
    );
    assert_eq!(request["userVerification"], "required");
    let creation = public_key_member(creation);
    assert_eq!(
        B64.decode(creation["user"]["id"].as_str().unwrap())
            .unwrap(),
        user.as_ref()
    );
    assert_eq!(creation["rp"]["id"], "example.com");
    assert_eq!(public_key_member(request)["rpId"], "example.com");
}

#[test]
fn flipped_signature_byte_fails() {
    for alg in [Alg::Es256, Alg::Ed25519] {
        let (mut row, mut credential) = register(&create_options(alg, AttestationKind::None));
        let result = authenticate_with(&mut row, &mut credential, &GetOptions::new(ORIGIN), |r| {
            // Inside `s` for a DER ECDSA signature, inside `S` for Ed25519: still well-formed.
            edit_member(r, "signature", |sig| {
                let at = sig.len() - 5;
                sig[at] ^= 0x01;
            });
        });
        assert!(
            matches!(
                result,
                Err(Failure::Verify(AuthCeremonyErr::AssertionSignature))
            ),
            "{alg:?}: {result:?}"
        );
        // The genuine next assertion still works: nothing was stored from the forged one.
        authenticate(&mut row, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
    }
}

#[test]
fn flipped_self_attestation_signature_fails() {
    for alg in [Alg::Es256, Alg::Ed25519] {
        let opts = create_options(alg, AttestationKind::PackedSelf);
        let result = register_with(&opts, |r| {
            edit_member(r, "attestationObject", |object| {
                // a3 63"fmt" 66"packed" 67"attStmt" a2 63"alg" <alg> 63"sig" 58 <len> <sig>...
                assert_eq!(&object[26..30], b"\x63sig");
                let len = usize::from(object[31]);
                object[32 + len - 5] ^= 0x01;
            });
        });
        assert!(
            matches!(
                result,
                Err(Failure::Verify(RegCeremonyErr::AttestationSignature))
            ),
            "{alg:?}: {:?}",
            result.err()
        );
    }
}

#[test]
fn wrong_rp_id_hash_fails() {
    let mut forged = CreateOptions::new(ORIGIN);
    forged.rp_id_override = Some("evil.example".to_owned());
    let result = register_with(&forged, |_| {});
    assert!(
        matches!(
            result,
            Err(Failure::Verify(RegCeremonyErr::RpIdHashMismatch))
        ),
        "{:?}",
        result.err()
    );

    let (mut row, mut credential) = register(&CreateOptions::new(ORIGIN));
    let mut opts = GetOptions::new(ORIGIN);
    opts.rp_id_override = Some("evil.example".to_owned());
    let result = authenticate(&mut row, &mut credential, &opts);
    assert!(
        matches!(
            result,
            Err(Failure::Verify(AuthCeremonyErr::RpIdHashMismatch))
        ),
        "{result:?}"
    );
}

#[test]
fn wrong_origin_fails() {
    let result = register_with(&CreateOptions::new("https://evil.example"), |_| {});
    assert!(
        matches!(result, Err(Failure::Verify(RegCeremonyErr::OriginMismatch))),
        "{:?}",
        result.err()
    );

    let (mut row, mut credential) = register(&CreateOptions::new(ORIGIN));
    let result = authenticate(
        &mut row,
        &mut credential,
        &GetOptions::new("https://evil.example"),
    );
    assert!(
        matches!(
            result,
            Err(Failure::Verify(AuthCeremonyErr::OriginMismatch))
        ),
        "{result:?}"
    );
}

#[test]
fn counter_going_backwards_fails() {
    let (mut row, mut credential) = register(&CreateOptions::new(ORIGIN));
    for _ in 0..3 {
        authenticate(&mut row, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
    }
    assert_eq!(sign_count(&row), 3);
    for replayed in [3, 2, 0] {
        let mut opts = GetOptions::new(ORIGIN);
        opts.counter = Some(replayed);
        let result = authenticate(&mut row, &mut credential, &opts);
        assert!(
            matches!(
                result,
                Err(Failure::Verify(AuthCeremonyErr::SignatureCounter))
            ),
            "counter {replayed}: {result:?}"
        );
    }
    assert_eq!(sign_count(&row), 3);
    // Jumping forward is allowed.
    let mut opts = GetOptions::new(ORIGIN);
    opts.counter = Some(10);
    authenticate(&mut row, &mut credential, &opts).unwrap();
    assert_eq!(sign_count(&row), 10);
}

#[test]
fn non_counting_passkey_always_sends_zero_and_passes() {
    let (mut row, credential) = register(&CreateOptions::new(ORIGIN));
    let mut credential = credential.non_counting();
    for _ in 0..3 {
        authenticate(&mut row, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
        assert_eq!(credential.sign_count, 0);
        assert_eq!(sign_count(&row), 0);
    }
}

#[test]
fn missing_user_verification_fails_passkey_ceremonies() {
    let mut no_uv = CreateOptions::new(ORIGIN);
    no_uv.user_verified = false;
    let result = register_with(&no_uv, |_| {});
    assert!(
        matches!(
            result,
            Err(Failure::Verify(RegCeremonyErr::UserNotVerified))
        ),
        "{:?}",
        result.err()
    );

    let (mut row, mut credential) = register(&CreateOptions::new(ORIGIN));
    let mut opts = GetOptions::new(ORIGIN);
    opts.user_verified = false;
    let result = authenticate(&mut row, &mut credential, &opts);
    assert!(
        matches!(
            result,
            Err(Failure::Verify(AuthCeremonyErr::UserNotVerified))
        ),
        "{result:?}"
    );
}

#[test]
fn non_discoverable_with_allow_credentials() {
    let (mut row, mut credential) = register(&create_options(Alg::Ed25519, AttestationKind::None));
    let (_, mut other) = register(&CreateOptions::new(ORIGIN));
    let rp_id = rp_id();
    let start = |row: &Row| {
        let mut allowed = AllowedCredentials::with_capacity(1);
        assert!(
            allowed.push(
                PublicKeyCredentialDescriptor {
                    id: CredentialId::<Vec<u8>>::decode(row.id.clone()).unwrap(),
                    transports: AuthTransports::decode(row.transports).unwrap(),
                }
                .into()
            )
        );
        NonDiscoverableCredentialRequestOptions::second_factor(&rp_id, allowed)
            .unwrap()
            .start_ceremony()
            .unwrap()
    };

    let (server, client) = start(&row);
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let allowed = options["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], B64.encode(&row.id));
    // Our client, like a browser, will not answer with a credential that is not allowed.
    assert_eq!(
        get(&options, &mut other, &GetOptions::new(ORIGIN)).unwrap_err(),
        Error::CredentialNotAllowed
    );

    let response = get(&options, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
    let body = serde_json::to_vec(&response).unwrap();
    NonDiscoverableAuthentication16::from_json_relaxed(&body).unwrap();
    let authentication: NonDiscoverableAuthentication16 = serde_json::from_slice(&body).unwrap();
    finish_authentication(&mut row, authentication.raw_id(), |cred| {
        server.verify(
            &rp_id,
            &authentication,
            cred,
            &verify_authentication_options(),
        )
    })
    .unwrap();
    assert_eq!(sign_count(&row), 1);
}

#[test]
fn browser_json_is_not_the_custom_format() {
    // `from_json_custom` parses webauthn_rp's own compact format, not `toJSON()` output; the
    // server must use `serde_json::from_slice::<Registration>` or `from_json_relaxed`.
    let rp_id = rp_id();
    let user = UserHandle16::new();
    let (_, client) =
        PublicKeyCredentialCreationOptions::first_passkey_with_blank_user_info(&rp_id, &user)
            .start_ceremony()
            .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let (response, mut credential) = create(&options, &CreateOptions::new(ORIGIN)).unwrap();
    let body = serde_json::to_vec(&response).unwrap();
    assert!(Registration::from_json_custom(&body).is_err());

    let (_, client) = DiscoverableCredentialRequestOptions::passkey(&rp_id)
        .start_ceremony()
        .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let response = get(&options, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
    let body = serde_json::to_vec(&response).unwrap();
    assert!(DiscoverableAuthentication16::from_json_custom(&body).is_err());
}

/// A fresh registration response to the library's passkey creation options.
fn registration_response() -> Value {
    let rp_id = rp_id();
    let user = UserHandle16::new();
    let (_, client) =
        PublicKeyCredentialCreationOptions::first_passkey_with_blank_user_info(&rp_id, &user)
            .start_ceremony()
            .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    create(&options, &CreateOptions::new(ORIGIN)).unwrap().0
}

fn strict_and_relaxed(response: &Value) -> (bool, bool) {
    let body = serde_json::to_vec(response).unwrap();
    (
        serde_json::from_slice::<Registration>(&body).is_ok(),
        Registration::from_json_relaxed(&body).is_ok(),
    )
}

#[test]
fn which_members_the_parsers_require() {
    // The strict parser wants every L3 member a browser sends; the relaxed one only
    // clientDataJSON and attestationObject.
    for member in [
        "transports",
        "publicKey",
        "publicKeyAlgorithm",
        "authenticatorData",
    ] {
        let mut response = registration_response();
        response["response"].as_object_mut().unwrap().remove(member);
        assert!(
            !strict_and_relaxed(&response).0,
            "strict accepted no {member}"
        );
    }
    let mut response = registration_response();
    for member in [
        "transports",
        "publicKey",
        "publicKeyAlgorithm",
        "authenticatorData",
    ] {
        response["response"].as_object_mut().unwrap().remove(member);
    }
    assert_eq!(strict_and_relaxed(&response), (false, true));

    // Unknown members: strict rejects, relaxed ignores.
    let mut response = registration_response();
    response["extra"] = serde_json::json!(1);
    assert_eq!(strict_and_relaxed(&response), (false, true));

    // Unknown transport strings are rejected by both.
    let mut response = registration_response();
    response["response"]["transports"] = serde_json::json!(["internal", "cable"]);
    assert_eq!(strict_and_relaxed(&response), (false, false));

    let result = register_with(&CreateOptions::new(ORIGIN), |r| {
        r["response"]["transports"] = serde_json::json!([]);
    });
    assert!(result.is_ok(), "empty transports: {:?}", result.err());
    let result = register_with(&CreateOptions::new(ORIGIN), |r| {
        r["response"]["transports"] = serde_json::json!(["cable"]);
    });
    assert!(
        matches!(&result, Err(Failure::Parse(message)) if message.contains("cable")),
        "{:?}",
        result.err()
    );
}

#[test]
fn null_user_handle_parses_but_panics_in_webauthn_rp() {
    // Hazard in webauthn_rp 0.3.0: a discoverable response with `"userHandle": null` passes both
    // parsers, then `response().user_handle()` (also called inside `verify`) hits `unreachable!`.
    // The server must reject a missing or null `response.userHandle` before parsing. This test
    // fails once the library is fixed, which is the signal to drop that guard.
    let (_, mut credential) = register(&CreateOptions::new(ORIGIN));
    let rp_id = rp_id();
    let (_, client) = DiscoverableCredentialRequestOptions::passkey(&rp_id)
        .start_ceremony()
        .unwrap();
    let options = public_key_member(serde_json::to_value(&client).unwrap());
    let mut response = get(&options, &mut credential, &GetOptions::new(ORIGIN)).unwrap();
    response["response"]["userHandle"] = Value::Null;
    let body = serde_json::to_vec(&response).unwrap();
    let authentication: DiscoverableAuthentication16 = serde_json::from_slice(&body).unwrap();
    let outcome = std::panic::catch_unwind(|| {
        let _ = authentication.response().user_handle();
    });
    assert!(outcome.is_err());
}
