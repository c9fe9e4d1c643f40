//! The admin API: who may call it, creating, listing, changing and deleting apps (a new signing
//! algorithm rotates the key), and an app's API keys.

use std::time::Duration;

use latchkey_test::{ORIGIN, TestApp, assert_json, assert_problem, jwt};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn admin_api_needs_an_admin_key() {
    let t = TestApp::spawn().await;
    let res = t.with_admin_key("").list_apps("").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for wrong in ["lk_admin_not-the-key", "nonsense", &t.api_key] {
        let res = t.with_admin_key(wrong).list_apps("").await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = t
        .with_admin_key("lk_admin_not-the-key")
        .create_app(
            json!({"id": "sneaky", "name": "S", "rp_id": "example.com", "origins": [ORIGIN]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(t.db.count("apps").await, 1);
}

#[tokio::test]
async fn admin_creates_apps_and_refuses_bad_ones() {
    let t = TestApp::spawn().await;
    let good = json!({"id": "shop", "name": "Shop", "rp_id": "example.com", "origins": [ORIGIN, "https://shop.example.com"],
        "redirect_uris": ["https://shop.example.com/cb"]});
    let app = assert_json(t.create_app(good.clone()).await, StatusCode::CREATED).await;
    assert_eq!(app["id"], "shop");
    assert_eq!(app["rp_name"], "Shop", "rp_name defaults to the name");
    assert_eq!(app["origins"], good["origins"]);
    assert_eq!(app["signing_alg"], "ES256");
    assert_eq!(app["access_token_ttl"], 900);
    assert_eq!(app["sign_up_allowed"], true);

    let res = t.get_app("shop").await;
    assert_eq!(assert_json(res, StatusCode::OK).await, app);
    let res = t.get_app("nope").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    let res = t.create_app(good.clone()).await;
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;

    let with_field = |k: &str, v: Value| {
        let mut b = good.clone();
        b["id"] = json!("fresh");
        b[k] = v;
        b
    };
    let mut missing_name = with_field("id", json!("fresh"));
    missing_name.as_object_mut().unwrap().remove("name");
    let bad = [
        with_field("id", json!("A!")),
        with_field("id", json!("a")),
        with_field("origins", json!(["https://elsewhere.test"])),
        with_field("origins", json!(["http://example.com"])),
        with_field("origins", json!(["https://example.com/path"])),
        with_field("origins", json!([])),
        with_field("origins", json!("https://example.com")),
        with_field("rp_id", json!("Example.COM")),
        with_field("redirect_uris", json!(["not a url"])),
        with_field("access_token_ttl", json!(59)),
        with_field("access_token_ttl", json!(86_401)),
        with_field("refresh_token_ttl", json!(299)),
        with_field("user_verification", json!("sometimes")),
        with_field("signing_alg", json!("HS256")),
        with_field("colour", json!("red")),
        missing_name,
    ];
    for body in bad {
        let shown = body.to_string();
        let res = t.create_app(body).await;
        let problem = assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
        assert!(
            problem["detail"].as_str().is_some_and(|d| d.len() > 10),
            "{shown} → {problem}"
        );
    }
    let res = t
        .as_admin()
        .request(reqwest::Method::POST, "/admin/apps")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_eq!(t.db.count("apps").await, 2, "only acme and shop exist");

    // http is fine for localhost.
    let local = json!({"id": "local", "name": "Local", "rp_id": "localhost", "origins": ["http://localhost:3000"]});
    let res = t.create_app(local).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn admin_lists_apps_a_page_at_a_time() {
    let t = TestApp::spawn().await;
    for id in ["beta", "gamma", "delta"] {
        t.new_app(id, json!({})).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("limit=1&cursor={c}"),
            None => "limit=1".to_owned(),
        };
        let page = assert_json(t.list_apps(&query).await, StatusCode::OK).await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{page}");
        seen.push(items[0]["id"].as_str().unwrap().to_owned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(seen.len() <= 4, "pagination ends: {seen:?}");
    }
    let expected = ["acme", "beta", "delta", "gamma"];
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "every app once");
    let all: Value = t.list_apps("").await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    assert_eq!(all["next_cursor"], Value::Null);
    for bad in ["0", "201", "x"] {
        let res = t.list_apps(&format!("limit={bad}")).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
}

#[tokio::test]
async fn patching_the_signing_algorithm_rotates_the_key_and_keeps_old_tokens_valid() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let old = signed.access_token().to_owned();
    let (old_header, _) = jwt(&old);
    assert_eq!(old_header["alg"], "ES256");
    let old_kid = old_header["kid"].as_str().unwrap().to_owned();

    let res = t
        .patch_app("acme", json!({"signing_alg": "EdDSA", "name": "Acme Inc"}))
        .await;
    let app = assert_json(res, StatusCode::OK).await;
    assert_eq!(app["signing_alg"], "EdDSA");
    assert_eq!(app["name"], "Acme Inc");
    assert_eq!(app["rp_id"], "example.com", "unpatched fields stay");
    let config: Value = t.config().await.json().await.unwrap();
    assert_eq!(config["name"], "Acme Inc");

    // A bad patch is refused whole.
    let res = t
        .patch_app(
            "acme",
            json!({"name": "Renamed", "origins": ["https://elsewhere.test"]}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = t.patch_app("acme", json!({"id": "other"})).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    // `null` clears only what may be empty (the logo, the colour, the domain); a name, an RP or
    // a lifetime is refused, not silently kept.
    for bad in [
        json!({"name": null}),
        json!({"rp_id": null}),
        json!({"origins": null}),
        json!({"access_token_ttl": null}),
        json!({"sign_up_allowed": null}),
    ] {
        let res = t.patch_app("acme", bad.clone()).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let cleared = t.patch_app("acme", json!({"logo_url": null})).await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let res = t.patch_app("nope", json!({"name": "X"})).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let app: Value = t.get_app("acme").await.json().await.unwrap();
    assert_eq!(app["name"], "Acme Inc");

    // New tokens: EdDSA, a new kid.
    let res = t.sign_in(&mut signed.credential, None).await;
    let body = assert_json(res, StatusCode::OK).await;
    let new = body["access_token"].as_str().unwrap();
    let (new_header, _) = jwt(new);
    assert_eq!(new_header["alg"], "EdDSA");
    let new_kid = new_header["kid"].as_str().unwrap();
    assert_ne!(new_kid, old_kid);

    // The JWKS publishes both; both tokens verify.
    let jwks = t.jwks().await;
    let keys = jwks["keys"].as_array().unwrap();
    let old_jwk = keys
        .iter()
        .find(|k| k["kid"] == old_kid.as_str())
        .expect("old key still published");
    assert_eq!(old_jwk["kty"], "EC");
    assert_eq!(old_jwk["alg"], "ES256");
    let new_jwk = keys
        .iter()
        .find(|k| k["kid"] == new_kid)
        .expect("new key published");
    assert_eq!(new_jwk["kty"], "OKP");
    assert_eq!(new_jwk["crv"], "Ed25519");
    assert_eq!(t.verify_token(&old).await["valid"], true);
    assert_eq!(t.verify_token(new).await["valid"], true);
    let res = t.with_bearer(&old).current_session().await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_rs256_app_issues_rs256_tokens() {
    let t = TestApp::spawn().await;
    let rsa = t.new_app("rsa", json!({"signing_alg": "RS256"})).await;
    let signed = rsa.sign_up("ann@example.com").await;
    let token = signed.access_token();
    let (header, claims) = jwt(token);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["aud"], "rsa");
    let jwks = rsa.jwks().await;
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    let verified = rsa.verify_token(token).await;
    assert_eq!(verified["valid"], true, "{verified}");
    assert_eq!(verified["user"]["email"], "ann@example.com");
    // Not at another app.
    assert_eq!(t.verify_token(token).await["valid"], false);
}

#[tokio::test]
async fn api_keys_are_listed_without_secrets_and_revoked_keys_stop_working() {
    let t = TestApp::spawn().await;
    let res = t.create_api_key("acme", json!({"name": "ci"})).await;
    let created = assert_json(res, StatusCode::CREATED).await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("lk_sk_"));
    let ci = t.with_api_key(&secret);
    let res = ci.list_users("").await;
    assert_eq!(res.status(), StatusCode::OK);

    let res = t.list_api_keys("acme").await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        !text.contains(&secret) && !text.contains(&t.api_key),
        "no secret in the list: {text}"
    );
    let list: Value = serde_json::from_str(&text).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|k| k.get("secret").is_none()), "{list}");
    let listed = items.iter().find(|k| k["id"] == id.as_str()).unwrap();
    assert_eq!(listed["name"], "ci");
    assert!(secret.starts_with(listed["prefix"].as_str().unwrap()));

    // Another app cannot revoke it; its own app can, once.
    t.new_app("other", json!({})).await;
    let res = t.revoke_api_key("other", &id).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.revoke_api_key("acme", &id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.revoke_api_key("acme", &id).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = ci.list_users("").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The other key is untouched.
    let res = t.list_users("").await;
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = t.list_api_keys("acme").await.json().await.unwrap();
    let revoked = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id.as_str())
        .cloned();
    assert!(
        revoked.is_none_or(|k| k["revoked_at"].is_string()),
        "revoked shows as revoked"
    );
    let res = t.list_api_keys("nope").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn deleting_an_app_removes_it_and_everything_in_it() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    // A ceremony in flight too, and the app's API key just used (so this instance has it
    // cached).
    let res = t.authenticate_options(json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(t.list_users("").await.status(), StatusCode::OK);
    let res = t.delete_app("acme").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.config().await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.get_app("acme").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.delete_app("acme").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    for table in [
        "users",
        "passkeys",
        "sessions",
        "refresh_tokens",
        "auth_tokens",
        "ceremonies",
        "events",
        "api_keys",
        "signing_keys",
    ] {
        assert_eq!(t.db.count(table).await, 0, "{table} emptied");
    }

    // An app made again with the same id starts empty: the old key, cookie and token are dead.
    t.new_app("acme", json!({})).await;
    let res = t.list_users("").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .with_cookie(&signed.cookie)
        .without_origin()
        .current_session()
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_bearer(signed.access_token()).current_session().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// The kids of a JWKS, in its order.
fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// The `kid` in a JWT's header.
fn kid_of(token: &str) -> String {
    jwt(token).0["kid"].as_str().unwrap().to_owned()
}

/// A signing key is replaced on demand and every 90 days; the one before stays published, and
/// its tokens valid, until they have expired, and then leaves the JWKS.
#[tokio::test]
async fn signing_keys_rotate_on_demand_and_on_schedule() {
    let t = TestApp::spawn().await;
    let ann = t.sign_up("ann@example.com").await;
    let first = kid_of(ann.access_token());
    assert_eq!(kids(&t.jwks().await), [first.as_str()]);

    let rotated = assert_json(t.rotate_signing_key("acme").await, StatusCode::OK).await;
    let second = kids(&rotated)[0].clone();
    assert_ne!(second, first);
    assert_eq!(kids(&rotated), [second.as_str(), first.as_str()]);
    assert_eq!(kids(&t.jwks().await), kids(&rotated));
    // New tokens are signed with the new key; the old token still verifies.
    let bob = t.sign_up("bob@example.com").await;
    assert_eq!(kid_of(bob.access_token()), second);
    assert_eq!(t.verify_token(ann.access_token()).await["valid"], true);

    // 90 days on, the next use replaces the key on its own; the first key is long gone from the
    // JWKS, the second stays two days more.
    t.advance(Duration::from_secs(90 * 86_400));
    let cy = t.sign_up("cy@example.com").await;
    let third = kid_of(cy.access_token());
    assert!(third != second && third != first);
    assert_eq!(kids(&t.jwks().await), [third.as_str(), second.as_str()]);
    t.advance(Duration::from_secs(2 * 86_400 + 60));
    assert_eq!(kids(&t.jwks().await), [third.as_str()]);

    // Only the operator rotates, and only apps that exist.
    let res = t.with_admin_key("").rotate_signing_key("acme").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.rotate_signing_key("nope").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}
