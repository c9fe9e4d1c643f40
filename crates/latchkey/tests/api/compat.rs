//! The compatibility APIs: each route called the way Passlock's, PasskeyMe's and PlainKey's
//! documentation calls it, its answer checked field by field, and the refusals (another app's
//! key, a bad secret, a reused token, a foreign redirect_uri, an email change).

use std::time::Duration;

use latchkey_authenticator::CreateOptions;
use latchkey_test::helpers::{b64url, unb64url};
use latchkey_test::{ORIGIN, PUBLIC_URL, REDIRECT_URI, TestApp, assert_json, assert_problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    k.sort();
    k
}

/// The only passkey of `user_id`.
async fn passkey_id(t: &TestApp, user_id: &str) -> String {
    let body: Value = t.user_passkeys(user_id).await.json().await.unwrap();
    body["items"][0]["id"].as_str().unwrap().to_owned()
}

// ---- Passlock ----------------------------------------------------------------------------

#[tokio::test]
async fn passlock_token_exchange_returns_the_principal_once() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;
    let user_id = s.user_id().to_owned();
    let res = t
        .patch_user(
            &user_id,
            json!({"given_name": "John", "family_name": "Doe"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let token = s.auth_token();

    // Another app's key, on this tenancy or its own, gets nothing and spends nothing.
    let res = t.passlock_token(&t.app, Some(&other.api_key), token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .passlock_token(&other.app, Some(&other.api_key), token)
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.passlock_token(&t.app, None, token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let res = t.passlock_token(&t.app, Some(&t.api_key), token).await;
    let p = assert_json(res, StatusCode::OK).await;
    assert_eq!(
        keys(&p),
        sorted(&[
            "iss",
            "aud",
            "sub",
            "iat",
            "nbf",
            "exp",
            "jti",
            "token",
            "userVerified",
            "authType",
            "authId",
            "givenName",
            "familyName",
            "email",
            "emailVerified"
        ])
    );
    assert_eq!(p["iss"], format!("{PUBLIC_URL}/apps/acme"));
    assert_eq!(p["aud"], "acme");
    assert_eq!(p["sub"], user_id.as_str());
    let iat = p["iat"].as_i64().unwrap();
    assert_eq!(p["nbf"].as_i64(), Some(iat));
    // The auth token's own lifetime: five minutes.
    assert_eq!(p["exp"].as_i64(), Some(iat + 300));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - 60..=now + 5).contains(&iat), "iat {iat} now {now}");
    assert_eq!(p["jti"], token);
    assert_eq!(p["token"], token);
    // The authenticator verified the user: amr ["passkey", "mfa"].
    assert_eq!(s.body["session"]["amr"], json!(["passkey", "mfa"]));
    assert_eq!(p["userVerified"], true);
    assert_eq!(p["authType"], "passkey");
    assert_eq!(p["authId"], passkey_id(&t, &user_id).await.as_str());
    assert_eq!(p["givenName"], "John");
    assert_eq!(p["familyName"], "Doe");
    assert_eq!(p["email"], "jdoe@example.com");
    assert_eq!(p["emailVerified"], s.body["user"]["email_verified"]);

    // Single use: the second exchange fails, as does the native redemption.
    let res = t.passlock_token(&t.app, Some(&t.api_key), token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(token).await["valid"], false);

    // An access token is not an auth token.
    let res = t
        .passlock_token(&t.app, Some(&t.api_key), s.access_token())
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Unknown tenancy.
    let res = t.passlock_token("nope", Some(&t.api_key), "lk_at_x").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn passlock_principal_without_user_verification() {
    let t = TestApp::spawn().await;
    let mut opts = CreateOptions::new(ORIGIN);
    opts.user_verified = false;
    let s = t.sign_up_with("ann@example.com", opts).await;
    assert_eq!(s.body["session"]["amr"], json!(["passkey"]));
    let res = t
        .passlock_token(&t.app, Some(&t.api_key), s.auth_token())
        .await;
    let p = assert_json(res, StatusCode::OK).await;
    assert_eq!(p["userVerified"], false);
    assert_eq!(p["authType"], "passkey");
    assert!(p["givenName"].is_null());
    assert!(p["familyName"].is_null());
}

#[tokio::test]
async fn passlock_user_get_and_patch() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;
    let sub = s.user_id().to_owned();
    let key = Some(t.api_key.as_str());

    let res = t.passlock_user(&t.app, &sub, key).await;
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(keys(&body), sorted(&["user"]));
    let u = &body["user"];
    assert_eq!(
        keys(u),
        sorted(&["sub", "email", "givenName", "familyName", "emailVerified"])
    );
    assert_eq!(u["sub"], sub.as_str());
    assert_eq!(u["email"], "jdoe@example.com");
    assert!(u["givenName"].is_null());
    assert_eq!(u["emailVerified"], s.body["user"]["email_verified"]);

    // The documented PATCH.
    let res = t
        .passlock_update_user(
            &t.app,
            &sub,
            key,
            json!({"givenName": "John", "familyName": "Doe", "emailVerified": true}),
        )
        .await;
    let u = assert_json(res, StatusCode::OK).await["user"].clone();
    assert_eq!(u["givenName"], "John");
    assert_eq!(u["familyName"], "Doe");
    assert_eq!(u["emailVerified"], true);
    let native: Value = t.get_user(&sub).await.json().await.unwrap();
    assert_eq!(native["given_name"], "John");
    assert_eq!(native["family_name"], "Doe");
    assert_eq!(native["email_verified"], true);

    // The email cannot change here; nothing else in that request is applied.
    let res = t
        .passlock_update_user(
            &t.app,
            &sub,
            key,
            json!({"email": "new@example.com", "givenName": "Jack"}),
        )
        .await;
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(problem["detail"].as_str().unwrap().contains("email"));
    let native: Value = t.get_user(&sub).await.json().await.unwrap();
    assert_eq!(native["email"], "jdoe@example.com");
    assert_eq!(native["given_name"], "John");

    // Another app's key, no key, an unknown user, an unknown field.
    let theirs = Some(other.api_key.as_str());
    let res = t.passlock_user(&t.app, &sub, theirs).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .passlock_update_user(&t.app, &sub, theirs, json!({"givenName": "Mallory"}))
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.passlock_user(&t.app, &sub, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.passlock_user(&t.app, "nobody", key).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .passlock_update_user(&t.app, &sub, key, json!({"disabled": true}))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

// ---- PasskeyMe ---------------------------------------------------------------------------

#[tokio::test]
async fn passkeyme_config_and_oauth_redirect() {
    let t = TestApp::spawn().await;
    let res = t.passkeyme_config(&[("app_id", "acme")]).await;
    let c = assert_json(res, StatusCode::OK).await;
    assert_eq!(c["app_id"], "acme");
    assert_eq!(c["name"], "App acme");
    assert_eq!(c["rp_id"], "example.com");
    assert_eq!(c["social_providers"], json!([]));
    assert!(c["methods"].as_array().unwrap().contains(&json!("passkey")));
    let res = t.passkeyme_config(&[("app_id", "nope")]).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.passkeyme_config(&[]).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    // No social providers yet: the hosted login page, which returns to redirect_uri.
    let res = t
        .passkeyme_authorize(
            "google",
            &[("app_id", "acme"), ("redirect_uri", REDIRECT_URI)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(
        location,
        format!(
            "{PUBLIC_URL}/apps/acme/login?redirect_uri=https%3A%2F%2Fexample.com%2Fcallback\
             &compat=passkeyme"
        )
    );
    // The login page then returns PasskeyMe's way (the whole flow runs in the browser tests),
    // on an app whose hosted pages can run here.
    let paged = t
        .new_app(
            "paged",
            json!({"rp_id": "localhost", "origins": [PUBLIC_URL]}),
        )
        .await;
    let page = paged
        .login_page("redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&compat=passkeyme")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(
            "data-complete=\"http://localhost:8080/compat/passkeyme/oauth/complete?app_id=paged\
             &amp;redirect_uri=https%3A%2F%2Fexample.com%2Fcallback\""
        ),
        "{html}"
    );
    let bogus = paged
        .login_page("redirect_uri=https%3A%2F%2Fexample.com%2Fcallback&compat=other")
        .await;
    assert_problem(bogus, StatusCode::BAD_REQUEST, "invalid_request").await;

    // A redirect_uri outside the app's list, or none, is refused without a redirect.
    for q in [
        vec![
            ("app_id", "acme"),
            ("redirect_uri", "https://evil.example/callback"),
        ],
        vec![
            ("app_id", "acme"),
            ("redirect_uri", "https://example.com/callback/x"),
        ],
        vec![("app_id", "acme")],
    ] {
        let res = t.passkeyme_authorize("github", &q).await;
        assert!(res.headers().get("location").is_none());
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = t
        .passkeyme_authorize(
            "google",
            &[("app_id", "nope"), ("redirect_uri", REDIRECT_URI)],
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

/// PasskeyMe's `verify-token` for `token` at `app_id`, asserted 200.
async fn passkeyme_verify(t: &TestApp, token: &str, app_id: &str) -> Value {
    let res = t
        .passkeyme_verify_token(&[("token", token), ("app_id", app_id)])
        .await;
    assert_json(res, StatusCode::OK).await
}

#[tokio::test]
async fn passkeyme_verify_token() {
    let t = TestApp::spawn().await;
    t.new_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;

    let v = passkeyme_verify(&t, s.access_token(), "acme").await;
    assert_eq!(keys(&v), sorted(&["valid", "user"]));
    assert_eq!(v["valid"], true);
    assert_eq!(v["user"]["id"], s.user_id());
    assert_eq!(v["user"]["email"], "jdoe@example.com");
    assert_eq!(v["user"], s.body["user"]);

    // Another app's id: the audience does not match.
    let v = passkeyme_verify(&t, s.access_token(), "other").await;
    assert_eq!(v["valid"], false);
    assert!(v["user"].is_null());
    assert!(v["error"].as_str().is_some());
    // Garbage.
    assert_eq!(
        passkeyme_verify(&t, "abc.def.ghi", "acme").await["valid"],
        false
    );
    // An auth_token is refused here and not spent.
    let token = s.auth_token();
    assert_eq!(passkeyme_verify(&t, token, "acme").await["valid"], false);
    assert_eq!(t.verify_token(token).await["valid"], true);
    // Once the session is revoked the token no longer verifies.
    let res = t.revoke_user_sessions(s.user_id()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        passkeyme_verify(&t, s.access_token(), "acme").await["valid"],
        false
    );

    let res = t.passkeyme_verify_token(&[("app_id", "acme")]).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn passkeyme_user_by_token_audience() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;

    let res = t.passkeyme_user(s.access_token()).await;
    let u = assert_json(res, StatusCode::OK).await;
    assert_eq!(u["id"], s.user_id());
    assert_eq!(u["email"], "jdoe@example.com");

    // A user of the other app is found through the other app.
    let bob = other.sign_up("bob@example.com").await;
    let res = t.passkeyme_user(bob.access_token()).await;
    assert_eq!(assert_json(res, StatusCode::OK).await["id"], bob.user_id());

    // Rewriting `aud` to another app breaks the signature: the claim only picks the keys.
    let parts: Vec<&str> = s.access_token().split('.').collect();
    let mut claims: Value = serde_json::from_slice(&unb64url(parts[1])).unwrap();
    claims["aud"] = json!("other");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url(claims.to_string().as_bytes()),
        parts[2]
    );
    for bad in [forged.as_str(), "garbage", s.auth_token()] {
        let res = t.passkeyme_user(bad).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // A revoked session's token is refused.
    let res = t.revoke_user_sessions(s.user_id()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.passkeyme_user(s.access_token()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

// ---- PlainKey ----------------------------------------------------------------------------

#[tokio::test]
async fn plainkey_access_token_then_verify() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;

    let res = t.plainkey_access_token("acme", &t.api_key).await;
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(
        keys(&body),
        sorted(&["access_token", "token_type", "expires_in"])
    );
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let access = body["access_token"].as_str().unwrap().to_owned();

    // Stored as its hash, with its app and a 60-minute expiry.
    let mut conn = t.db.connect().await;
    use sqlx::Row;
    let row =
        sqlx::query("select token_hash, app_id, created_at, expires_at from compat_server_tokens")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let hash: String = row.try_get("token_hash").unwrap();
    assert_eq!(hash.len(), 64);
    assert!(!hash.contains(&access) && !access.contains(&hash));
    assert_eq!(row.try_get::<String, _>("app_id").unwrap(), "acme");
    let created: i64 = row.try_get("created_at").unwrap();
    assert_eq!(row.try_get::<i64, _>("expires_at").unwrap(), created + 3600);

    let s = t.sign_up("jdoe@example.com").await;
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), s.auth_token())
        .await;
    let v = assert_json(res, StatusCode::OK).await;
    assert_eq!(v, json!({"valid": true, "userId": s.user_id()}));

    // An access token of the same sign-in is not an authentication token: refused.
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), s.access_token())
        .await;
    let v = assert_json(res, StatusCode::OK).await;
    assert_eq!(v["valid"], false);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("not an authentication token")
    );

    // Single use.
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), s.auth_token())
        .await;
    let v = assert_json(res, StatusCode::OK).await;
    assert_eq!(keys(&v), sorted(&["valid", "error"]));
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()));

    // The access token is for its project only; another project's token does not work here.
    let s2 = t.sign_up("ann@example.com").await;
    let token2 = s2.auth_token();
    let res = t
        .plainkey_verify(Some(&access), Some(&other.app), token2)
        .await;
    let v = assert_json(res, StatusCode::UNAUTHORIZED).await;
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().is_some());
    let res = t.plainkey_access_token(&other.app, &other.api_key).await;
    let other_access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t
        .plainkey_verify(Some(&other_access), Some("acme"), token2)
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Another project's own token cannot redeem this app's auth token either.
    let res = t
        .plainkey_verify(Some(&other_access), Some(&other.app), token2)
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["valid"], false);
    // No or wrong headers.
    for (access, project) in [
        (None, Some("acme")),
        (Some(access.as_str()), None),
        (Some("lk_st_made-up"), Some("acme")),
    ] {
        let res = t.plainkey_verify(access, project, token2).await;
        let v = assert_json(res, StatusCode::UNAUTHORIZED).await;
        assert_eq!(v["valid"], false);
    }
    // An API key is not an access token.
    let res = t
        .plainkey_verify(Some(&t.api_key), Some("acme"), token2)
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The token was never spent by the refusals above.
    let res = t.plainkey_verify(Some(&access), Some("acme"), token2).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"valid": true, "userId": s2.user_id()})
    );

    // The access token works for 60 minutes, and not after.
    t.advance(Duration::from_secs(3590));
    let s3 = t.sign_up("cy@example.com").await;
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), s3.auth_token())
        .await;
    assert_eq!(assert_json(res, StatusCode::OK).await["valid"], true);
    t.advance(Duration::from_secs(10));
    let s4 = t.sign_up("dee@example.com").await;
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), s4.auth_token())
        .await;
    let v = assert_json(res, StatusCode::UNAUTHORIZED).await;
    assert_eq!(v["valid"], false);
}

#[tokio::test]
async fn plainkey_refuses_bad_client_credentials() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    for (id, secret) in [
        ("acme", "lk_sk_wrong"),
        ("acme", other.api_key.as_str()),
        (other.app.as_str(), t.api_key.as_str()),
        ("nope", t.api_key.as_str()),
    ] {
        let res = t.plainkey_access_token(id, secret).await;
        let body = assert_json(res, StatusCode::UNAUTHORIZED).await;
        assert_eq!(body["error"], "invalid_client", "{id}");
        assert!(body["error_description"].as_str().is_some());
        assert!(body.get("access_token").is_none());
    }
    // JSON is not the form the route takes.
    let res = t
        .without_origin()
        .request(
            reqwest::Method::POST,
            "/compat/plainkey/server/access-token",
        )
        .json(&json!({"client_id": "acme", "client_secret": t.api_key}))
        .send()
        .await
        .unwrap();
    let body = assert_json(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(t.db.count("compat_server_tokens").await, 0);

    // Revoking the API key ends the access tokens traded for it.
    let res = t.plainkey_access_token("acme", &t.api_key).await;
    let access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let keys: Value = t.list_api_keys("acme").await.json().await.unwrap();
    let key_id = keys["items"][0]["id"].as_str().unwrap().to_owned();
    let res = t.revoke_api_key("acme", &key_id).await;
    assert!(res.status().is_success());
    let res = t
        .plainkey_verify(Some(&access), Some("acme"), "lk_at_whatever")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Deleting an app takes its access tokens with it.
    t.plainkey_access_token(&other.app, &other.api_key).await;
    assert_eq!(t.db.count("compat_server_tokens").await, 2);
    let res = t.delete_app("other").await;
    assert!(res.status().is_success());
    assert_eq!(t.db.count("compat_server_tokens").await, 1);
}

/// `GET /compat/passkeyme/oauth/complete` with `params`.
async fn passkeyme_complete(t: &TestApp, params: &[(&str, &str)]) -> reqwest::Response {
    t.request(reqwest::Method::GET, "/compat/passkeyme/oauth/complete")
        .query(params)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn passkeyme_callback_token_is_narrow() {
    let t = TestApp::spawn().await;
    let signed_up = t.sign_up("pk@example.com").await;
    let auth_token = signed_up.auth_token().to_owned();
    // Bad requests change nothing: the auth token stays good.
    for params in [
        vec![
            ("app_id", "acme"),
            ("redirect_uri", "https://evil.example/cb"),
            ("auth_token", &auth_token),
        ],
        vec![("app_id", "acme"), ("auth_token", &auth_token)],
        vec![("app_id", "acme"), ("redirect_uri", REDIRECT_URI)],
        vec![
            ("app_id", "acme"),
            ("redirect_uri", REDIRECT_URI),
            ("auth_token", signed_up.access_token()),
        ],
    ] {
        let res = passkeyme_complete(&t, &params).await;
        assert!(res.headers().get("location").is_none());
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = passkeyme_complete(
        &t,
        &[
            ("app_id", "acme"),
            ("redirect_uri", REDIRECT_URI),
            ("auth_token", &auth_token),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let token = location
        .strip_prefix(&format!("{REDIRECT_URI}?token="))
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned();
    // The auth token was spent.
    let again = passkeyme_complete(
        &t,
        &[
            ("app_id", "acme"),
            ("redirect_uri", REDIRECT_URI),
            ("auth_token", &auth_token),
        ],
    )
    .await;
    assert_problem(again, StatusCode::BAD_REQUEST, "invalid_request").await;

    // PasskeyMe's calls accept it, again and again.
    for _ in 0..2 {
        let verified = passkeyme_verify(&t, &token, "acme").await;
        assert_eq!(verified["valid"], true, "{verified}");
        assert_eq!(verified["user"]["email"], "pk@example.com");
    }
    let user = assert_json(t.passkeyme_user(&token).await, StatusCode::OK).await;
    assert_eq!(user["email"], "pk@example.com");
    // Nothing else does: not the browser API, not the native tokens/verify.
    let me = t.with_bearer(&token).me().await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(&token).await["valid"], false);
    // It ends with its session.
    assert_eq!(
        t.with_cookie(&signed_up.cookie).sign_out().await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(passkeyme_verify(&t, &token, "acme").await["valid"], false);
}
