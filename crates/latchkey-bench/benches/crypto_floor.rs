//! The crypto floor: the cryptography one passkey sign-in costs the server, without HTTP, storage
//! or JSON around it. Its reciprocal is the most sign-ins per second one core could ever do.
//!
//! Per sign-in the server (`auth/passkeys/authenticate.rs` `finish_authentication`,
//! `auth/tokens.rs`, `auth/sessions.rs`) verifies one assertion with `webauthn_rp`, signs one
//! ES256 access token with `jsonwebtoken` through the server's crypto provider
//! (`auth/tokens/provider.rs`: the key parsed once and cached), and SHA-256-hashes the secrets it
//! issues (the session cookie, the refresh token, the auth token) and looks up. Each is measured
//! alone and all together (`sign_in`). The assertions come from the software authenticator, made
//! outside the timed part (`iter_batched_ref`).

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark's setup failing is a failed run"
)]

use std::hint::black_box;
use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine as _;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use webauthn_rp::bin::{Decode as _, Encode as _};
use webauthn_rp::request::auth::{
    AuthenticationVerificationOptions, DiscoverableAuthenticationServerState,
};
use webauthn_rp::request::register::{RegistrationVerificationOptions, UserHandle16};
use webauthn_rp::request::{AsciiDomain, RpId};
use webauthn_rp::response::register::{CompressedPubKey, DynamicState, StaticState};
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthentication16, DiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration,
};

const ORIGIN: &str = "https://example.com";

/// The public key type the server stores and authenticates with.
type StoredKey = StaticState<CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>>;

/// The claims of a Latchkey access token (`auth/tokens.rs` `AccessClaims`).
#[derive(Serialize)]
struct AccessClaims {
    iss: String,
    aud: String,
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
    jti: String,
    amr: Vec<String>,
    email: Option<String>,
    email_verified: bool,
}

/// A registered passkey: the server's row and the authenticator's half.
struct Passkey {
    rp_id: RpId,
    user: UserHandle16,
    static_state: Vec<u8>,
    dynamic_state: [u8; 7],
    credential: Credential,
}

fn register() -> Passkey {
    let rp_id = RpId::Domain(AsciiDomain::try_from("example.com".to_owned()).unwrap());
    let user = UserHandle16::new();
    let (server, client) =
        PublicKeyCredentialCreationOptions::first_passkey_with_blank_user_info(&rp_id, &user)
            .start_ceremony()
            .unwrap();
    let options = serde_json::to_value(&client).unwrap();
    let (response, credential) =
        latchkey_authenticator::create(&options, &CreateOptions::new(ORIGIN)).unwrap();
    let registration =
        Registration::from_json_relaxed(&serde_json::to_vec(&response).unwrap()).unwrap();
    let options = RegistrationVerificationOptions::<&str, &str> {
        allowed_origins: &[ORIGIN],
        ..Default::default()
    };
    let registered = server.verify(&rp_id, &registration, &options).unwrap();
    let (_id, _transports, _user, static_state, dynamic_state, _metadata) = registered.into_parts();
    Passkey {
        rp_id,
        user,
        static_state: static_state.encode().unwrap(),
        dynamic_state: dynamic_state.encode().unwrap(),
        // Synced passkeys send counter 0 on every assertion, so any assertion of the batch
        // verifies against the same stored state, in whatever order.
        credential: credential.non_counting(),
    }
}

/// One sign-in's untimed inputs: the ceremony state, the parsed assertion, the stored key.
struct Assertion {
    state: Option<DiscoverableAuthenticationServerState>,
    response: DiscoverableAuthentication16,
    key: Option<StoredKey>,
}

fn assertion(passkey: &mut Passkey) -> Assertion {
    let (state, client) = DiscoverableCredentialRequestOptions::passkey(&passkey.rp_id)
        .start_ceremony()
        .unwrap();
    let options = serde_json::to_value(&client).unwrap();
    let response =
        latchkey_authenticator::get(&options, &mut passkey.credential, &GetOptions::new(ORIGIN))
            .unwrap();
    let body = serde_json::to_vec(&response).unwrap();
    Assertion {
        state: Some(state),
        response: DiscoverableAuthentication16::from_json_relaxed(&body).unwrap(),
        key: Some(StoredKey::decode(passkey.static_state.as_slice()).unwrap()),
    }
}

/// What the server does once the row is loaded: verify the assertion against it.
fn verify(passkey: &Passkey, input: &mut Assertion) {
    let options = AuthenticationVerificationOptions::<&str, &str> {
        allowed_origins: &[ORIGIN],
        update_uv: true,
        ..Default::default()
    };
    let dynamic_state = DynamicState::decode(passkey.dynamic_state).unwrap();
    let mut credential = AuthenticatedCredential::new(
        input.response.raw_id(),
        &passkey.user,
        input.key.take().unwrap(),
        dynamic_state,
    )
    .unwrap();
    let state = input.state.take().unwrap();
    let updated = state
        .verify(&passkey.rp_id, &input.response, &mut credential, &options)
        .unwrap();
    black_box(updated);
}

fn sign_token(key: &EncodingKey) -> String {
    let now = 1_764_000_000;
    let claims = AccessClaims {
        iss: "http://localhost:8080/apps/bench".to_owned(),
        aud: "bench".to_owned(),
        sub: "0199b1c2-7d3e-7a41-9c5e-1f2a3b4c5d6e".to_owned(),
        sid: "0199b1c2-7d3e-7a41-9c5e-1f2a3b4c5d6f".to_owned(),
        iat: now,
        exp: now + 900,
        jti: "0199b1c2-7d3e-7a41-9c5e-1f2a3b4c5d70".to_owned(),
        amr: vec!["passkey".to_owned(), "mfa".to_owned()],
        email: Some("bench@example.com".to_owned()),
        email_verified: true,
    };
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("0199b1c2-7d3e-7a41-9c5e-1f2a3b4c5d71".to_owned());
    jsonwebtoken::encode(&header, &claims, key).unwrap()
}

/// Four issued secrets, shaped like `crypto::new_secret` output.
fn secrets() -> [String; 4] {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    ["lk_sess_", "lk_rt_", "lk_at_", "lk_rt_"].map(|prefix| {
        let bytes: [u8; 32] = std::array::from_fn(|i| i as u8 ^ prefix.len() as u8);
        format!("{prefix}{}", b64.encode(bytes))
    })
}

fn hash_secrets(secrets: &[String; 4]) {
    for secret in secrets {
        black_box(Sha256::digest(black_box(secret).as_bytes()));
    }
}

fn crypto_floor(c: &mut Criterion) {
    // As the server does at start-up, before anything uses jsonwebtoken.
    assert!(
        latchkey::auth::tokens::provider::install(),
        "the server's jsonwebtoken provider is installed"
    );
    let mut passkey = register();
    // Sanity: a verification passes before anything is timed.
    let mut first = assertion(&mut passkey);
    verify(&passkey, &mut first);

    let pkcs8 =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .unwrap();
    let key = EncodingKey::from_ec_der(pkcs8.as_ref());
    let secrets = secrets();

    // The assertions are made from a copy of the passkey, so `verify` can borrow the original.
    let mut maker = Passkey {
        rp_id: passkey.rp_id.clone(),
        user: passkey.user,
        static_state: passkey.static_state.clone(),
        dynamic_state: passkey.dynamic_state,
        credential: passkey.credential.clone(),
    };
    passkey.credential = maker.credential.clone();
    let passkey = passkey;

    c.bench_function("assertion_verify_es256", |b| {
        b.iter_batched_ref(
            || assertion(&mut maker),
            |input| verify(&passkey, input),
            BatchSize::SmallInput,
        );
    });
    c.bench_function("access_token_sign_es256", |b| {
        b.iter(|| black_box(sign_token(&key)));
    });
    c.bench_function("sha256_4_secrets", |b| b.iter(|| hash_secrets(&secrets)));
    c.bench_function("sign_in", |b| {
        b.iter_batched_ref(
            || assertion(&mut maker),
            |input| {
                verify(&passkey, input);
                black_box(sign_token(&key));
                hash_secrets(&secrets);
            },
            BatchSize::SmallInput,
        );
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = crypto_floor
}
criterion_main!(benches);
