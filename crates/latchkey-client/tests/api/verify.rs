//! Offline access-token verification against tokens the server really issued.

use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_client::{Client, TokenError};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PUBLIC_URL, TestApp, client_for, token_error};

fn header_of(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap()
}

fn with_header(token: &str, header: &Value) -> String {
    let (_, rest) = token.split_once('.').unwrap();
    format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
}

#[tokio::test]
async fn a_valid_token_gives_its_claims() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    let claims = client
        .verify_access_token(signed_in.access_token())
        .await
        .unwrap();
    assert_eq!(claims.sub.as_str(), signed_in.user_id());
    assert_eq!(claims.sid.as_str(), signed_in.session_id());
    assert_eq!(claims.iss, format!("{PUBLIC_URL}/apps/acme"));
    assert_eq!(claims.iss, client.issuer());
    assert_eq!(claims.aud, "acme");
    assert_eq!(claims.email.as_deref(), Some("jdoe@example.com"));
    assert!(
        claims.amr.iter().any(|m| m == "passkey"),
        "{:?}",
        claims.amr
    );
    assert_eq!(claims.exp - claims.iat, 900);
    assert!(!claims.jti.is_empty());
    assert_eq!(header_of(signed_in.access_token())["alg"], "ES256");
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let t = TestApp::spawn().await;
    let res = t.patch_app("acme", json!({"access_token_ttl": 60})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let client = client_for(&t);
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    let claims = client.verify_access_token(&token).await.unwrap();
    assert_eq!(claims.exp - claims.iat, 60);
    let exp = UNIX_EPOCH + Duration::from_secs(claims.exp.try_into().unwrap());
    // The default leeway is 10 seconds.
    assert!(
        client
            .verify_access_token_at(&token, exp + Duration::from_secs(9))
            .await
            .is_ok()
    );
    assert_eq!(
        token_error(
            client
                .verify_access_token_at(&token, exp + Duration::from_secs(10))
                .await
        ),
        TokenError::Expired
    );
    assert_eq!(
        token_error(
            client
                .verify_access_token_at(&token, exp + Duration::from_secs(3600))
                .await
        ),
        TokenError::Expired
    );
    // A client with no leeway refuses it from `exp` on.
    let strict = latchkey_client::Client::builder(&t.base, "acme", &t.api_key)
        .public_url(PUBLIC_URL)
        .leeway(Duration::ZERO)
        .build()
        .unwrap();
    assert_eq!(
        token_error(strict.verify_access_token_at(&token, exp).await),
        TokenError::Expired
    );
}

#[tokio::test]
async fn a_token_of_another_app_is_refused() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let other_app = t.new_app("other", json!({})).await;
    let theirs = other_app.sign_up("jdoe@example.com").await;
    // Signed with the other app's key, which acme's JWKS does not hold; the audience check
    // itself is unit-tested with a key of our own (src/token.rs).
    assert_eq!(
        token_error(client.verify_access_token(theirs.access_token()).await),
        TokenError::UnknownKey
    );
    // The other app's client takes it, and refuses acme's.
    let other = client_for(&other_app);
    let claims = other
        .verify_access_token(theirs.access_token())
        .await
        .unwrap();
    assert_eq!(claims.aud, "other");
    let ours = t.sign_up("jdoe@example.com").await;
    assert_eq!(
        token_error(other.verify_access_token(ours.access_token()).await),
        TokenError::UnknownKey
    );
}

#[tokio::test]
async fn a_token_for_another_issuer_is_refused() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    // Same server, same app, same keys: but this client believes the issuer is
    // http://127.0.0.1:PORT/apps/acme, while the server signs as http://localhost:8080/apps/acme.
    let other = Client::new(&t.base, "acme", &t.api_key).unwrap();
    assert_ne!(other.issuer(), client.issuer());
    assert_eq!(
        token_error(other.verify_access_token(&token).await),
        TokenError::WrongIssuer
    );
}

#[tokio::test]
async fn an_app_on_its_own_domain_is_verified_with_that_issuer() {
    let t = TestApp::spawn().await;
    let res = t
        .patch_app("acme", json!({"domain": "login.example.com"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    // A client that still believes the shared issuer refuses it…
    assert_eq!(
        token_error(client_for(&t).verify_access_token(&token).await),
        TokenError::WrongIssuer
    );
    // …one told the domain's accepts it.
    let client = Client::builder(&t.base, &t.app, &t.api_key)
        .issuer("https://login.example.com")
        .build()
        .unwrap();
    let claims = client.verify_access_token(&token).await.unwrap();
    assert_eq!(claims.iss, "https://login.example.com");
}

#[tokio::test]
async fn a_rotated_key_is_fetched_and_the_old_one_still_verifies() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let before = t
        .sign_up("before@example.com")
        .await
        .access_token()
        .to_owned();
    client.verify_access_token(&before).await.unwrap();

    let res = t.patch_app("acme", json!({"signing_alg": "EdDSA"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = t
        .sign_up("after@example.com")
        .await
        .access_token()
        .to_owned();
    assert_eq!(header_of(&after)["alg"], "EdDSA");
    assert_ne!(header_of(&after)["kid"], header_of(&before)["kid"]);

    let claims = client.verify_access_token(&after).await.unwrap();
    assert_eq!(claims.email.as_deref(), Some("after@example.com"));
    client.verify_access_token(&before).await.unwrap();
}

#[tokio::test]
async fn unknown_kids_refresh_the_keys_at_most_once_a_minute() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let before = t
        .sign_up("before@example.com")
        .await
        .access_token()
        .to_owned();
    client.verify_access_token(&before).await.unwrap();
    // A made-up kid spends the refresh…
    let mut header = header_of(&before);
    header["kid"] = "made-up".into();
    assert_eq!(
        token_error(
            client
                .verify_access_token(&with_header(&before, &header))
                .await
        ),
        TokenError::UnknownKey
    );
    // …so a real rotation right after is noticed only a minute later by this client.
    let res = t.patch_app("acme", json!({"signing_alg": "EdDSA"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = t
        .sign_up("after@example.com")
        .await
        .access_token()
        .to_owned();
    assert_eq!(
        token_error(client.verify_access_token(&after).await),
        TokenError::UnknownKey
    );
    // A client that may refresh every time takes it.
    let eager = latchkey_client::Client::builder(&t.base, "acme", &t.api_key)
        .public_url(PUBLIC_URL)
        .jwks_refresh_interval(Duration::ZERO)
        .build()
        .unwrap();
    eager.verify_access_token(&before).await.unwrap();
    eager.verify_access_token(&after).await.unwrap();
}

#[tokio::test]
async fn a_tampered_token_is_refused() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    let parts: Vec<&str> = token.split('.').collect();

    // One signature byte changed (in the middle: the last character may only carry padding bits).
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[10] ^= 1;
    let forged = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(&sig));
    assert_eq!(
        token_error(client.verify_access_token(&forged).await),
        TokenError::InvalidSignature
    );

    // Claims changed, signature kept.
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = "someone-else".into();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    assert_eq!(
        token_error(client.verify_access_token(&forged).await),
        TokenError::InvalidSignature
    );

    // Not a JWT.
    for junk in ["", "garbage", "a.b.c", "lk_at_notajwt"] {
        assert_eq!(
            token_error(client.verify_access_token(junk).await),
            TokenError::Malformed,
            "{junk:?}"
        );
    }
}

#[tokio::test]
async fn alg_none_hmac_and_mismatched_algorithms_are_refused() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    let kid = header_of(&token)["kid"].as_str().unwrap().to_owned();
    let payload = token.split('.').nth(1).unwrap().to_owned();

    // alg: none, no signature.
    for alg in ["none", "None", "NONE"] {
        let header =
            URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": kid, "typ": "JWT"}).to_string());
        assert_eq!(
            token_error(
                client
                    .verify_access_token(&format!("{header}.{payload}."))
                    .await
            ),
            TokenError::UnsupportedAlgorithm(alg.to_owned())
        );
    }

    // HS256 keyed with the app's public JWKS (the classic key-confusion forgery).
    let jwks = reqwest::get(t.url("/apps/acme/.well-known/jwks.json"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&payload).unwrap()).unwrap();
    for alg in [
        jsonwebtoken::Algorithm::HS256,
        jsonwebtoken::Algorithm::HS384,
        jsonwebtoken::Algorithm::HS512,
    ] {
        let mut header = jsonwebtoken::Header::new(alg);
        header.kid = Some(kid.clone());
        let forged = jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(&jwks),
        )
        .unwrap();
        assert_eq!(
            token_error(client.verify_access_token(&forged).await),
            TokenError::UnsupportedAlgorithm(format!("{alg:?}"))
        );
    }

    // A supported algorithm, but not the key's (ES256 key, header says EdDSA).
    let mut header = header_of(&token);
    header["alg"] = "EdDSA".into();
    assert_eq!(
        token_error(
            client
                .verify_access_token(&with_header(&token, &header))
                .await
        ),
        TokenError::AlgorithmMismatch
    );

    // No kid at all.
    let header = json!({"alg": "ES256", "typ": "JWT"});
    assert_eq!(
        token_error(
            client
                .verify_access_token(&with_header(&token, &header))
                .await
        ),
        TokenError::UnknownKey
    );

    // After all that, the real token still verifies.
    client.verify_access_token(&token).await.unwrap();
}

#[tokio::test]
async fn an_unreachable_server_is_not_an_invalid_token() {
    let t = TestApp::spawn().await;
    let token = t
        .sign_up("jdoe@example.com")
        .await
        .access_token()
        .to_owned();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let client = Client::builder(format!("http://127.0.0.1:{port}"), "acme", &t.api_key)
        .public_url(PUBLIC_URL)
        .build()
        .unwrap();
    let err = client.verify_access_token(&token).await.unwrap_err();
    assert!(matches!(err, latchkey_client::Error::Http(_)), "{err:?}");
}
