//! The compatibility APIs: each route called the way Passlock's, PasskeyMe's and PlainKey's
//! documentation calls it, its answer checked field by field, and the refusals (another app's
//! key, a bad secret, a reused token, a foreign redirect_uri, an email change).

use latchkey_authenticator::CreateOptions;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ORIGIN, PUBLIC_URL, SignedUp, TestApp, assert_problem};

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

fn auth_token(s: &SignedUp) -> String {
    s.body["auth_token"].as_str().unwrap().to_owned()
}

/// The only passkey of `user_id`.
async fn passkey_id(t: &TestApp, user_id: &str) -> String {
    let res = t
        .api(Method::GET, &format!("/users/{user_id}/passkeys"))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    body["items"][0]["id"].as_str().unwrap().to_owned()
}

// ---- Passlock ----------------------------------------------------------------------------

/// `GET {base}/{tenancyId}/token/{token}` with `Authorization: Bearer {apiKey}`.
async fn passlock_token(t: &TestApp, tenancy: &str, key: &str, token: &str) -> reqwest::Response {
    t.http
        .get(t.url(&format!("/compat/passlock/{tenancy}/token/{token}")))
        .bearer_auth(key)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn passlock_token_exchange_returns_the_principal_once() {
    let t = TestApp::spawn().await;
    let (other, other_key) = t.create_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;
    let user_id = s.user_id().to_owned();
    let res = t
        .api(Method::PATCH, &format!("/users/{user_id}"))
        .json(&json!({"given_name": "John", "family_name": "Doe"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let token = auth_token(&s);

    // Another app's key, on this tenancy or its own, gets nothing and spends nothing.
    let res = passlock_token(&t, &t.app, &other_key, &token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = passlock_token(&t, &other, &other_key, &token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .http
        .get(t.url(&format!("/compat/passlock/{}/token/{token}", t.app)))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let res = passlock_token(&t, &t.app, &t.api_key, &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let p: Value = res.json().await.unwrap();
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
    assert_eq!(p["jti"], token.as_str());
    assert_eq!(p["token"], token.as_str());
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
    let res = passlock_token(&t, &t.app, &t.api_key, &token).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.verify_token(&token).await["valid"], false);

    // An access token is not an auth token.
    let res = passlock_token(&t, &t.app, &t.api_key, s.access_token()).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Unknown tenancy.
    let res = passlock_token(&t, "nope", &t.api_key, "lk_at_x").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn passlock_principal_without_user_verification() {
    let t = TestApp::spawn().await;
    let mut opts = CreateOptions::new(ORIGIN);
    opts.user_verified = false;
    let s = t.sign_up_with("ann@example.com", opts).await;
    assert_eq!(s.body["session"]["amr"], json!(["passkey"]));
    let res = passlock_token(&t, &t.app, &t.api_key, &auth_token(&s)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["userVerified"], false);
    assert_eq!(p["authType"], "passkey");
    assert!(p["givenName"].is_null());
    assert!(p["familyName"].is_null());
}

#[tokio::test]
async fn passlock_user_get_and_patch() {
    let t = TestApp::spawn().await;
    let (_, other_key) = t.create_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;
    let sub = s.user_id().to_owned();
    let path = format!("/compat/passlock/{}/user/{sub}", t.app);

    let res = t
        .http
        .get(t.url(&path))
        .bearer_auth(&t.api_key)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
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
        .http
        .patch(t.url(&path))
        .bearer_auth(&t.api_key)
        .header("accept", "application/json")
        .json(&json!({"givenName": "John", "familyName": "Doe", "emailVerified": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let u = res.json::<Value>().await.unwrap()["user"].clone();
    assert_eq!(u["givenName"], "John");
    assert_eq!(u["familyName"], "Doe");
    assert_eq!(u["emailVerified"], true);
    let native: Value = t
        .api(Method::GET, &format!("/users/{sub}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(native["given_name"], "John");
    assert_eq!(native["family_name"], "Doe");
    assert_eq!(native["email_verified"], true);

    // The email cannot change here; nothing else in that request is applied.
    let res = t
        .http
        .patch(t.url(&path))
        .bearer_auth(&t.api_key)
        .json(&json!({"email": "new@example.com", "givenName": "Jack"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(problem["detail"].as_str().unwrap().contains("email"));
    let native: Value = t
        .api(Method::GET, &format!("/users/{sub}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(native["email"], "jdoe@example.com");
    assert_eq!(native["given_name"], "John");

    // Another app's key, no key, an unknown user, an unknown field.
    let res = t
        .http
        .get(t.url(&path))
        .bearer_auth(&other_key)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .http
        .patch(t.url(&path))
        .bearer_auth(&other_key)
        .json(&json!({"givenName": "Mallory"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.http.get(t.url(&path)).send().await.unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .http
        .get(t.url(&format!("/compat/passlock/{}/user/nobody", t.app)))
        .bearer_auth(&t.api_key)
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .http
        .patch(t.url(&path))
        .bearer_auth(&t.api_key)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

// ---- PasskeyMe ---------------------------------------------------------------------------

#[tokio::test]
async fn passkeyme_config_and_oauth_redirect() {
    let t = TestApp::spawn().await;
    let res = t
        .http
        .get(t.url("/compat/passkeyme/api/config?app_id=acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let c: Value = res.json().await.unwrap();
    assert_eq!(c["app_id"], "acme");
    assert_eq!(c["name"], "App acme");
    assert_eq!(c["rp_id"], "example.com");
    assert_eq!(c["social_providers"], json!([]));
    assert!(c["methods"].as_array().unwrap().contains(&json!("passkey")));
    let res = t
        .http
        .get(t.url("/compat/passkeyme/api/config?app_id=nope"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t
        .http
        .get(t.url("/compat/passkeyme/api/config"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    // No social providers yet: the hosted login page, which returns to redirect_uri.
    let redirect = "https://example.com/callback";
    let res = t
        .http
        .get(t.url("/compat/passkeyme/oauth/google/authorize"))
        .query(&[("app_id", "acme"), ("redirect_uri", redirect)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(
        location,
        format!("{PUBLIC_URL}/apps/acme/login?redirect_uri=https%3A%2F%2Fexample.com%2Fcallback")
    );

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
        let res = t
            .http
            .get(t.url("/compat/passkeyme/oauth/github/authorize"))
            .query(&q)
            .send()
            .await
            .unwrap();
        assert!(res.headers().get("location").is_none());
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = t
        .http
        .get(t.url("/compat/passkeyme/oauth/google/authorize"))
        .query(&[("app_id", "nope"), ("redirect_uri", redirect)])
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn passkeyme_verify(t: &TestApp, token: &str, app_id: &str) -> Value {
    let res = t
        .http
        .get(t.url("/compat/passkeyme/api/auth/verify-token"))
        .query(&[("token", token), ("app_id", app_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn passkeyme_verify_token() {
    let t = TestApp::spawn().await;
    t.create_app("other", json!({})).await;
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
    let token = auth_token(&s);
    assert_eq!(passkeyme_verify(&t, &token, "acme").await["valid"], false);
    assert_eq!(t.verify_token(&token).await["valid"], true);
    // Once the session is revoked the token no longer verifies.
    let res = t
        .api(Method::DELETE, &format!("/users/{}/sessions", s.user_id()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        passkeyme_verify(&t, s.access_token(), "acme").await["valid"],
        false
    );

    let res = t
        .http
        .get(t.url("/compat/passkeyme/api/auth/verify-token?app_id=acme"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn passkeyme_user_by_token_audience() {
    let t = TestApp::spawn().await;
    let (other, _) = t.create_app("other", json!({})).await;
    let s = t.sign_up("jdoe@example.com").await;

    let get = |token: String| {
        let req = t
            .http
            .get(t.url("/compat/passkeyme/api/user"))
            .query(&[("token", token)]);
        async move { req.send().await.unwrap() }
    };
    let res = get(s.access_token().to_owned()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let u: Value = res.json().await.unwrap();
    assert_eq!(u["id"], s.user_id());
    assert_eq!(u["email"], "jdoe@example.com");

    // A user of the other app is found through the other app.
    let options = t
        .browser_for(&other, Method::POST, "/passkeys/register/options")
        .json(&json!({"email": "bob@example.com"}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let (response, _) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let bob: Value = t
        .browser_for(&other, Method::POST, "/passkeys/register/verify")
        .json(&response)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = get(bob["access_token"].as_str().unwrap().to_owned()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["id"], bob["user"]["id"]);

    // Rewriting `aud` to another app breaks the signature: the claim only picks the keys.
    let parts: Vec<&str> = s.access_token().split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: Value = serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    claims["aud"] = json!("other");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    for bad in [forged, "garbage".to_owned(), auth_token(&s)] {
        assert_problem(get(bad).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // A revoked session's token is refused.
    t.api(Method::DELETE, &format!("/users/{}/sessions", s.user_id()))
        .send()
        .await
        .unwrap();
    assert_problem(
        get(s.access_token().to_owned()).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

// ---- PlainKey ----------------------------------------------------------------------------

async fn plainkey_access_token(t: &TestApp, client_id: &str, secret: &str) -> reqwest::Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("client_secret", secret)
        .finish();
    t.http
        .post(t.url("/compat/plainkey/server/access-token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn plainkey_verify(
    t: &TestApp,
    access: &str,
    project: &str,
    token: &str,
) -> reqwest::Response {
    t.http
        .post(t.url("/compat/plainkey/server/authentication-token/verify"))
        .bearer_auth(access)
        .header("x-project-id", project)
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn plainkey_access_token_then_verify() {
    let t = TestApp::spawn().await;
    let (other, other_key) = t.create_app("other", json!({})).await;

    let res = plainkey_access_token(&t, "acme", &t.api_key).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
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
    let token = auth_token(&s);
    let res = plainkey_verify(&t, &access, "acme", &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v, json!({"valid": true, "userId": s.user_id()}));

    // Single use.
    let res = plainkey_verify(&t, &access, "acme", &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: Value = res.json().await.unwrap();
    assert_eq!(keys(&v), sorted(&["valid", "error"]));
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()));

    // The access token is for its project only; another project's token does not work here.
    let s2 = t.sign_up("ann@example.com").await;
    let token2 = auth_token(&s2);
    let res = plainkey_verify(&t, &access, &other, &token2).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["valid"], false);
    assert!(v["error"].as_str().is_some());
    let res = plainkey_access_token(&t, &other, &other_key).await;
    let other_access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = plainkey_verify(&t, &other_access, "acme", &token2).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Another project's own token cannot redeem this app's auth token either.
    let res = plainkey_verify(&t, &other_access, &other, &token2).await;
    assert_eq!(res.json::<Value>().await.unwrap()["valid"], false);
    // No or wrong headers.
    for (access, project) in [
        ("", "acme"),
        (access.as_str(), ""),
        ("lk_st_made-up", "acme"),
    ] {
        let mut req = t
            .http
            .post(t.url("/compat/plainkey/server/authentication-token/verify"))
            .json(&json!({"token": token2}));
        if !access.is_empty() {
            req = req.bearer_auth(access);
        }
        if !project.is_empty() {
            req = req.header("x-project-id", project);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.json::<Value>().await.unwrap()["valid"], false);
    }
    // An API key is not an access token.
    let res = plainkey_verify(&t, &t.api_key, "acme", &token2).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The token was never spent by the refusals above.
    let res = plainkey_verify(&t, &access, "acme", &token2).await;
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"valid": true, "userId": s2.user_id()})
    );

    // After 60 minutes the access token stops working.
    t.db.execute("update compat_server_tokens set expires_at = 1")
        .await;
    let s3 = t.sign_up("cy@example.com").await;
    let res = plainkey_verify(&t, &access, "acme", &auth_token(&s3)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.json::<Value>().await.unwrap()["valid"], false);
}

#[tokio::test]
async fn plainkey_refuses_bad_client_credentials() {
    let t = TestApp::spawn().await;
    let (other, other_key) = t.create_app("other", json!({})).await;
    for (id, secret) in [
        ("acme", "lk_sk_wrong"),
        ("acme", other_key.as_str()),
        (other.as_str(), t.api_key.as_str()),
        ("nope", t.api_key.as_str()),
    ] {
        let res = plainkey_access_token(&t, id, secret).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{id}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], "invalid_client");
        assert!(body["error_description"].as_str().is_some());
        assert!(body.get("access_token").is_none());
    }
    let res = t
        .http
        .post(t.url("/compat/plainkey/server/access-token"))
        .json(&json!({"client_id": "acme", "client_secret": t.api_key}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    assert_eq!(t.db.count("compat_server_tokens").await, 0);

    // Revoking the API key ends the access tokens traded for it.
    let res = plainkey_access_token(&t, "acme", &t.api_key).await;
    let access = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let keys: Value = t
        .admin(Method::GET, "/admin/apps/acme/api-keys")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key_id = keys["items"][0]["id"].as_str().unwrap().to_owned();
    let res = t
        .admin(
            Method::DELETE,
            &format!("/admin/apps/acme/api-keys/{key_id}"),
        )
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let res = plainkey_verify(&t, &access, "acme", "lk_at_whatever").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Deleting an app takes its access tokens with it.
    plainkey_access_token(&t, &other, &other_key).await;
    assert_eq!(t.db.count("compat_server_tokens").await, 2);
    let res = t
        .admin(Method::DELETE, "/admin/apps/other")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(t.db.count("compat_server_tokens").await, 1);
}
