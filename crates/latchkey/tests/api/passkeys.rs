//! Passkey sign-up, sign-in (by email and username-less), and managing passkeys.

use latchkey_authenticator::{Alg, AttestationKind, CreateOptions, GetOptions};
use latchkey_test::helpers::{b64url, jwt};
use latchkey_test::{ORIGIN, PUBLIC_URL, TestApp, assert_json, assert_problem, session_cookie};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row as _;

#[tokio::test]
async fn sign_up_returns_a_sign_in_result_and_sets_the_cookie() {
    let t = TestApp::spawn().await;
    let res = t
        .register_options(json!({"email": "Jo@Example.com", "display_name": "Jo"}))
        .await;
    let options = assert_json(res, StatusCode::OK).await;
    let pk = &options["publicKey"];
    assert_eq!(pk["rp"]["id"], "example.com");
    assert_eq!(pk["rp"]["name"], "App acme");
    assert_eq!(pk["user"]["name"], "Jo@Example.com");
    assert_eq!(pk["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(pk["attestation"], "none");
    let algs: Vec<i64> = pk["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["alg"].as_i64().unwrap())
        .collect();
    for alg in [-7, -8, -257] {
        assert!(algs.contains(&alg), "{alg} offered");
    }

    let (response, _cred) =
        latchkey_authenticator::create(pk, &CreateOptions::new(ORIGIN)).unwrap();
    let res = t.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let set_cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(set_cookie.contains("Path=/apps/acme"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], "Jo@Example.com");
    assert_eq!(body["user"]["email_verified"], false);
    assert_eq!(body["user"]["display_name"], "Jo");
    assert_eq!(body["session"]["amr"], json!(["passkey", "mfa"]));
    assert_eq!(body["session"]["current"], true);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(
        body["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("lk_rt_")
    );
    assert!(body["auth_token"].as_str().unwrap().starts_with("lk_at_"));

    // The access token is an ES256 JWT with the contract's claims.
    let token = body["access_token"].as_str().unwrap();
    let (header, claims) = jwt(token);
    assert_eq!(header["alg"], "ES256");
    let jwks = t.jwks().await;
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    assert_eq!(claims["iss"], format!("{PUBLIC_URL}/apps/acme"));
    assert_eq!(claims["aud"], "acme");
    assert_eq!(claims["sub"], body["user"]["id"]);
    assert_eq!(claims["sid"], body["session"]["id"]);
    // PasskeyMe's names for the user and the app, too.
    assert_eq!(claims["user_id"], body["user"]["id"]);
    assert_eq!(claims["app_id"], "acme");
    assert_eq!(claims["email"], "Jo@Example.com");
    assert_eq!(claims["amr"], json!(["passkey", "mfa"]));
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );
    assert!(claims["jti"].is_string());

    // The passkey is named after its provider and carries its flags.
    let list: Value = t
        .with_bearer(token)
        .list_passkeys()
        .await
        .json()
        .await
        .unwrap();
    let passkey = &list["items"][0];
    assert_eq!(passkey["name"], "Apple Passwords");
    assert_eq!(passkey["aaguid"], "fbfc3007-154e-4ecc-8c0b-6e020557d7bd");
    assert_eq!(passkey["backup_eligible"], true);
    assert_eq!(passkey["backup_state"], true);
    assert_eq!(passkey["user_verified"], true);
    assert_eq!(passkey["transports"], json!(["hybrid", "internal"]));

    // Events record the sign-up.
    assert_eq!(t.events("user.signed_up").await.len(), 1);
    assert_eq!(t.events("passkey.added").await.len(), 1);
}

#[tokio::test]
async fn every_algorithm_and_attestation_registers_and_signs_in() {
    let t = TestApp::spawn().await;
    for (i, (alg, attestation)) in [
        (Alg::Es256, AttestationKind::None),
        (Alg::Es256, AttestationKind::PackedSelf),
        (Alg::Ed25519, AttestationKind::None),
        (Alg::Ed25519, AttestationKind::PackedSelf),
    ]
    .into_iter()
    .enumerate()
    {
        let mut opts = CreateOptions::new(ORIGIN);
        opts.alg = alg;
        opts.attestation = attestation;
        let email = format!("user{i}@example.com");
        let mut signed = t.sign_up_with(&email, opts).await;
        let res = t.sign_in(&mut signed.credential, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{alg:?} {attestation:?}");
        let res = t.sign_in(&mut signed.credential, Some(&email)).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{alg:?} {attestation:?} by email"
        );
    }
}

#[tokio::test]
async fn username_less_sign_in() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let options = assert_json(t.authenticate_options(json!({})).await, StatusCode::OK).await;
    assert_eq!(options["publicKey"]["allowCredentials"], json!([]));
    assert_eq!(options["publicKey"]["rpId"], "example.com");
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(session_cookie(&res).is_some());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["id"], signed.body["user"]["id"]);
    assert_ne!(body["session"]["id"], signed.body["session"]["id"]);
    assert!(body["user"]["last_sign_in_at"].is_string());
    let succeeded = t.events("sign_in.succeeded").await;
    assert_eq!(succeeded.len(), 2);
    assert_eq!(succeeded[0]["data"]["discoverable"], true);
}

#[tokio::test]
async fn sign_in_by_email_lists_only_that_users_passkeys() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let _bob = t.sign_up("bob@example.com").await;
    let res = t
        .authenticate_options(json!({"email": "ANN@example.com"}))
        .await;
    let options = assert_json(res, StatusCode::OK).await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], b64url(&ann.credential.id));
    let res = t
        .sign_in(&mut ann.credential, Some("ann@example.com"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // An unknown address gets options of the same shape, stable per address, so the answer
    // does not tell whether the account exists.
    let nobody = json!({"email": "nobody@example.com"});
    let a = assert_json(t.authenticate_options(nobody.clone()).await, StatusCode::OK).await;
    let b = assert_json(t.authenticate_options(nobody).await, StatusCode::OK).await;
    assert_eq!(
        a["publicKey"]["allowCredentials"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        a["publicKey"]["allowCredentials"],
        b["publicKey"]["allowCredentials"]
    );
}

#[tokio::test]
async fn add_rename_and_delete_a_second_passkey() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let ann = t.with_bearer(signed.access_token());

    // Signed in (by bearer token), register/options adds to the current user and excludes the
    // passkey they have.
    let options = assert_json(ann.register_options(json!({})).await, StatusCode::OK).await;
    assert_eq!(
        options["publicKey"]["excludeCredentials"][0]["id"],
        b64url(&signed.credential.id)
    );
    assert_eq!(
        options["publicKey"]["user"]["id"],
        b64url(uuid::Uuid::parse_str(signed.user_id()).unwrap().as_bytes())
    );
    let mut opts = CreateOptions::new(ORIGIN);
    opts.alg = Alg::Ed25519;
    opts.aaguid = [0; 16];
    let (mut response, mut second) =
        latchkey_authenticator::create(&options["publicKey"], &opts).unwrap();
    response["name"] = json!("Work laptop");
    let res = t.finish_registration(&response).await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["id"], signed.body["user"]["id"]);

    let list: Value = ann.list_passkeys().await.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let second_id = b64url(&second.id);
    let named = items
        .iter()
        .find(|p| p["id"] == second_id.as_str())
        .unwrap();
    assert_eq!(named["name"], "Work laptop");

    // The second passkey signs in too.
    let res = t.sign_in(&mut second, None).await;
    assert_eq!(res.status(), StatusCode::OK);

    // Rename: 1 to 64 characters.
    let res = ann
        .rename_passkey(&second_id, json!({"name": "Desk key"}))
        .await;
    assert_eq!(assert_json(res, StatusCode::OK).await["name"], "Desk key");
    for bad in [
        json!({"name": ""}),
        json!({"name": "x".repeat(65)}),
        json!({"name": 5}),
        json!({}),
    ] {
        let res = ann.rename_passkey(&second_id, bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    assert_eq!(t.events("passkey.renamed").await.len(), 1);

    // Delete it: it no longer signs in.
    let res = ann.delete_passkey(&second_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = ann.delete_passkey(&second_id).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.sign_in(&mut second, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    let list: Value = ann.list_passkeys().await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(t.events("passkey.removed").await.len(), 1);
}

/// A user may hold 50 passkeys: asking to add a 51st is refused, and so is finishing one of two
/// registrations started side by side when the first used the last place.
#[tokio::test]
async fn a_user_holds_at_most_fifty_passkeys() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let ann = t.with_bearer(signed.access_token());
    let mut opts = CreateOptions::new(ORIGIN);
    opts.aaguid = [0; 16];
    let mut pending = Vec::new();
    for _ in 1..50 {
        let options = assert_json(ann.register_options(json!({})).await, StatusCode::OK).await;
        pending.push(
            latchkey_authenticator::create(&options["publicKey"], &opts)
                .unwrap()
                .0,
        );
    }
    // One more started now, while there is still room.
    let options = assert_json(ann.register_options(json!({})).await, StatusCode::OK).await;
    let late = latchkey_authenticator::create(&options["publicKey"], &opts)
        .unwrap()
        .0;
    for response in &pending {
        let res = t.finish_registration(response).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    assert_eq!(t.db.count("passkeys").await, 50);
    let res = t.finish_registration(&late).await;
    let body = assert_problem(res, StatusCode::CONFLICT, "conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("50 passkeys"));
    let res = ann.register_options(json!({})).await;
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(t.db.count("passkeys").await, 50);
}

#[tokio::test]
async fn another_users_passkey_cannot_be_renamed_or_deleted() {
    let t = TestApp::spawn().await;
    let ann = t.sign_up("ann@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    let bob_pk = b64url(&bob.credential.id);
    let as_ann = t.with_bearer(ann.access_token());
    let res = as_ann
        .rename_passkey(&bob_pk, json!({"name": "mine"}))
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = as_ann.delete_passkey(&bob_pk).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(t.db.count("passkeys").await, 2);
}

#[tokio::test]
async fn sign_up_refusals() {
    let t = TestApp::spawn().await;
    t.sign_up("ann@example.com").await;
    let res = t
        .register_options(json!({"email": "ANN@example.com"}))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;
    let res = t.register_options(json!({"email": "not-an-email"})).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    // An app that closed sign-up.
    let closed = t.new_app("closed", json!({"sign_up_allowed": false})).await;
    let res = closed
        .register_options(json!({"email": "new@example.com"}))
        .await;
    let body = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("sign-up is disabled")
    );
}

#[tokio::test]
async fn user_verification_required_refuses_an_unverified_assertion() {
    let t = TestApp::spawn().await;
    let strict = t
        .new_app("strict", json!({"user_verification": "required"}))
        .await;
    let res = strict
        .register_options(json!({"email": "a@example.com"}))
        .await;
    let options: Value = res.json().await.unwrap();
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
    let (response, mut cred) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let res = strict.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let mut get = GetOptions::new(ORIGIN);
    get.user_verified = false;
    let assertion = strict.assertion_with(&mut cred, None, &get).await;
    let res = strict.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
}

/// An options call commits nothing on SQLite: the ceremony waits in the one server's memory
/// (no transaction commits, as SQLite's `data_version` shows), and its answer still signs in
/// once. On PostgreSQL the ceremony is a row, so that another instance can finish it.
#[tokio::test]
async fn options_calls_commit_nothing_on_sqlite() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let mut conn = t.db.connect().await;
    let sql = if t.db.is_postgres() {
        "select count(*) as n from ceremonies"
    } else {
        "pragma data_version"
    };
    let mut commits = async || {
        let row = sqlx::query(sql).fetch_one(&mut conn).await.unwrap();
        row.try_get::<i64, _>(0).unwrap()
    };
    let before = commits().await;
    let res = t.authenticate_options(json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .authenticate_options(json!({"email": "ann@example.com"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t
        .register_options(json!({"email": "bob@example.com"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = commits().await;
    if t.db.is_postgres() {
        assert_eq!(after, before + 3, "one ceremony row per options call");
    } else {
        assert_eq!(after, before, "an options call committed a transaction");
    }
    // The answer to an options call from memory signs in, once.
    let assertion = t.assertion(&mut ann.credential, None).await;
    let res = t.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
}
