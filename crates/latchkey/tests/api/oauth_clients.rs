//! OAuth clients of an app's OpenID Provider in the admin API: made with defaults that fit their
//! type, checked whole, secrets shown once and stored as hashes, rotated, listed page by page,
//! changed, deleted, recorded in the audit log, and never visible through another app.

use latchkey_test::{ADMIN_KEY, TestApp, assert_json, assert_problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::Row;

const CALLBACK: &str = "https://example.com/oauth/callback";

/// Makes a client of `t`'s app from `body`, asserted 201.
async fn create(t: &TestApp, body: Value) -> Value {
    assert_json(
        t.create_oauth_client(&t.app, body).await,
        StatusCode::CREATED,
    )
    .await
}

#[tokio::test]
async fn a_confidential_client_gets_its_secret_once_and_a_public_one_none() {
    let t = TestApp::spawn().await;
    let res = t
        .create_oauth_client(
            "acme",
            json!({"name": "Shop web", "type": "confidential", "redirect_uris": [CALLBACK]}),
        )
        .await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    let web = assert_json(res, StatusCode::CREATED).await;
    let secret = web["client_secret"].as_str().expect("a secret");
    assert!(secret.starts_with("lk_cs_"), "{secret}");
    assert_eq!(web["type"], "confidential");
    assert_eq!(web["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(
        web["grant_types"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(
        web["scopes"],
        json!(["openid", "profile", "email", "offline_access"])
    );
    assert_eq!(web["skip_consent"], false);
    assert_eq!(web["app_id"], "acme");
    assert!(secret.starts_with(web["secret_prefix"].as_str().unwrap_or("?")));
    let id = web["client_id"].as_str().unwrap_or_default();

    // Never shown again, nor stored in clear.
    let read = assert_json(t.get_oauth_client("acme", id).await, StatusCode::OK).await;
    assert!(read.get("client_secret").is_none(), "{read}");
    let mut conn = t.db.connect().await;
    let row = sqlx::query("select secret_hash, secret_prefix from oauth_clients")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let hash: Vec<u8> = row.get("secret_hash");
    assert_eq!(
        hash,
        Sha256::digest(secret.as_bytes()).to_vec(),
        "only its SHA-256"
    );
    let prefix: String = row.get("secret_prefix");
    assert_eq!(prefix.len(), "lk_cs_".len() + 4, "{prefix}");

    let spa = create(
        &t,
        json!({"name": "Shop SPA", "type": "public", "redirect_uris": ["http://localhost:3000/cb"],
            "scopes": ["openid", "email"], "skip_consent": true}),
    )
    .await;
    assert!(spa.get("client_secret").is_none(), "{spa}");
    assert_eq!(spa["secret_prefix"], Value::Null);
    assert_eq!(spa["token_endpoint_auth_method"], "none");
    assert_eq!(spa["scopes"], json!(["openid", "email"]));

    let events = t.events("oauth_client.created").await;
    assert_eq!(events.len(), 2);
    assert!(!events.iter().any(|e| e.to_string().contains(secret)));
}

#[tokio::test]
async fn settings_that_do_not_fit_are_refused_and_nothing_is_made() {
    let t = TestApp::spawn().await;
    for bad in [
        json!({"type": "confidential", "redirect_uris": [CALLBACK]}),
        json!({"name": "", "type": "confidential", "redirect_uris": [CALLBACK]}),
        json!({"name": "A", "type": "secret", "redirect_uris": [CALLBACK]}),
        json!({"name": "A", "type": "confidential"}),
        json!({"name": "A", "type": "confidential", "redirect_uris": ["http://example.com/cb"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": ["https://example.com/cb#x"]}),
        // Hosts a URL parser lets through but no real host has.
        json!({"name": "A", "type": "confidential", "redirect_uris": ["https://*/cb"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": ["https://a;b.example/cb"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "id_token_signed_response_alg": "none"}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "post_logout_redirect_uris": ["javascript:alert(1)"]}),
        json!({"name": "A", "type": "public", "redirect_uris": [CALLBACK],
            "token_endpoint_auth_method": "client_secret_post"}),
        json!({"name": "A", "type": "public", "redirect_uris": [CALLBACK],
            "grant_types": ["client_credentials"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "token_endpoint_auth_method": "none"}),
        json!({"name": "A", "type": "confidential", "grant_types": ["refresh_token"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK], "grant_types": []}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "grant_types": ["implicit"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "scopes": ["admin"]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK], "colour": 1}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK, CALLBACK]}),
        json!({"name": "A", "type": "confidential", "redirect_uris": null}),
        json!({"name": "A", "type": "public", "redirect_uris": [CALLBACK], "scopes": null}),
        json!({"name": "A", "type": "confidential", "redirect_uris": [CALLBACK],
            "scopes": ["openid", "openid"]}),
    ] {
        let res = t.create_oauth_client("acme", bad.clone()).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let page = assert_json(t.list_oauth_clients("acme", "").await, StatusCode::OK).await;
    assert_eq!(page["items"], json!([]));
    // A machine client needs no redirect URI.
    let machine = create(
        &t,
        json!({"name": "Billing job", "type": "confidential",
            "grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_post"}),
    )
    .await;
    assert_eq!(machine["redirect_uris"], json!([]));
}

#[tokio::test]
async fn clients_change_rotate_and_go() {
    let t = TestApp::spawn().await;
    let made = create(
        &t,
        json!({"name": "Shop web", "type": "confidential", "redirect_uris": [CALLBACK]}),
    )
    .await;
    let id = made["client_id"].as_str().unwrap_or_default().to_owned();
    let first = made["client_secret"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let changed = t
        .patch_oauth_client(
            "acme",
            &id,
            json!({"name": "Shop", "post_logout_redirect_uris": ["https://example.com/bye"],
                "skip_consent": true}),
        )
        .await;
    let changed = assert_json(changed, StatusCode::OK).await;
    assert_eq!(changed["name"], "Shop");
    assert_eq!(changed["skip_consent"], true);
    assert_eq!(changed["redirect_uris"], json!([CALLBACK]), "untouched");
    assert_eq!(changed["created_at"], made["created_at"]);
    // A change that breaks the client, or touches what never changes, changes nothing.
    for bad in [
        json!({"redirect_uris": []}),
        json!({"name": null}),
        json!({"skip_consent": null}),
        json!({"token_endpoint_auth_method": "none"}),
        json!({"type": "public"}),
        json!({"client_id": "mine"}),
    ] {
        let res = t.patch_oauth_client("acme", &id, bad.clone()).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let read = assert_json(t.get_oauth_client("acme", &id).await, StatusCode::OK).await;
    assert_eq!(read["name"], "Shop");
    assert_eq!(read["redirect_uris"], json!([CALLBACK]));

    let rotated = t.rotate_oauth_client_secret("acme", &id).await;
    assert_eq!(rotated.headers()["cache-control"], "no-store");
    let rotated = assert_json(rotated, StatusCode::OK).await;
    let second = rotated["client_secret"].as_str().unwrap_or_default();
    assert!(second.starts_with("lk_cs_") && second != first);
    assert!(second.starts_with(rotated["secret_prefix"].as_str().unwrap_or("?")));
    assert_eq!(t.events("oauth_client.secret_rotated").await.len(), 1);
    let public = create(
        &t,
        json!({"name": "SPA", "type": "public", "redirect_uris": [CALLBACK]}),
    )
    .await;
    let public_id = public["client_id"].as_str().unwrap_or_default();
    let res = t.rotate_oauth_client_secret("acme", public_id).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    assert_eq!(
        t.delete_oauth_client("acme", &id).await.status(),
        StatusCode::NO_CONTENT
    );
    for res in [
        t.get_oauth_client("acme", &id).await,
        t.delete_oauth_client("acme", &id).await,
        t.rotate_oauth_client_secret("acme", &id).await,
        t.patch_oauth_client("acme", &id, json!({"name": "x"}))
            .await,
    ] {
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    for kind in ["oauth_client.updated", "oauth_client.deleted"] {
        assert_eq!(t.events(kind).await.len(), 1, "{kind}");
    }
    let updated = t.events("oauth_client.updated").await;
    let changed = &updated[0]["data"]["changed"];
    assert_eq!(
        changed,
        &json!(["name", "post_logout_redirect_uris", "skip_consent"]),
        "{updated:?}"
    );
}

#[tokio::test]
async fn clients_list_page_by_page_and_belong_to_one_app() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let made = create(
            &t,
            json!({"name": format!("Client {i}"), "type": "public", "redirect_uris": [CALLBACK]}),
        )
        .await;
        ids.push(made["client_id"].as_str().unwrap_or_default().to_owned());
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let q = if cursor.is_empty() {
            "limit=2".to_owned()
        } else {
            format!("limit=2&cursor={cursor}")
        };
        let page = assert_json(t.list_oauth_clients("acme", &q).await, StatusCode::OK).await;
        for item in page["items"].as_array().into_iter().flatten() {
            seen.push(item["client_id"].as_str().unwrap_or_default().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    // Another app's paths know none of them.
    let page = assert_json(t.list_oauth_clients("other", "").await, StatusCode::OK).await;
    assert_eq!(page["items"], json!([]));
    for res in [
        other.get_oauth_client("other", &ids[0]).await,
        other.delete_oauth_client("other", &ids[0]).await,
        other.rotate_oauth_client_secret("other", &ids[0]).await,
        other
            .patch_oauth_client("other", &ids[0], json!({"name": "x"}))
            .await,
    ] {
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let res = t
        .create_oauth_client(
            "nope",
            json!({"name": "A", "type": "public",
        "redirect_uris": [CALLBACK]}),
        )
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    // Only the operator's key reaches them: not an app's API key.
    let res = t
        .with_admin_key(&t.api_key)
        .list_oauth_clients("acme", "")
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_ne!(t.api_key, ADMIN_KEY);
    // Deleting the app deletes its clients.
    assert_eq!(t.delete_app("acme").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(t.db.count("oauth_clients").await, 0);
}
