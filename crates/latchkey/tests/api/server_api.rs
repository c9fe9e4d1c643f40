//! The server API: user management, a user's passkeys and sessions, and the audit log.

use latchkey_test::{TestApp, assert_json, assert_problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn user_crud() {
    let t = TestApp::spawn().await;
    let res = t
        .create_user(
            json!({"email": "Jane@Example.com", "email_verified": true, "given_name": "Jane",
            "family_name": "Roe", "display_name": "Jane Roe", "metadata": {"crm": 42}}),
        )
        .await;
    let user = assert_json(res, StatusCode::CREATED).await;
    let id = user["id"].as_str().unwrap().to_owned();
    assert_eq!(user["email"], "Jane@Example.com");
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["metadata"], json!({"crm": 42}));
    assert_eq!(user["disabled"], false);
    assert!(user["last_sign_in_at"].is_null());

    // Email is unique per app, case-insensitively.
    let res = t.create_user(json!({"email": "jane@example.COM"})).await;
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;
    for bad in [
        json!({}),
        json!({"email": "nope"}),
        json!({"email": "a@example.com", "extra": 1}),
        json!({"email": "a@example.com", "metadata": []}),
        json!({"email": "a@example.com", "given_name": "x".repeat(101)}),
    ] {
        let res = t.create_user(bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    assert_eq!(t.db.count("users").await, 1);

    let res = t.get_user(&id).await;
    assert_eq!(res.json::<Value>().await.unwrap()["given_name"], "Jane");

    // Changing the email un-verifies it; a null clears a name.
    let res = t
        .patch_user(
            &id,
            json!({"email": "jane.roe@example.com", "given_name": null}),
        )
        .await;
    let updated = assert_json(res, StatusCode::OK).await;
    assert_eq!(updated["email"], "jane.roe@example.com");
    assert_eq!(updated["email_verified"], false);
    assert!(updated["given_name"].is_null());
    assert_eq!(updated["family_name"], "Roe");

    // Taking another user's email conflicts and changes nothing.
    let res = t.create_user(json!({"email": "other@example.com"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = t
        .patch_user(&id, json!({"email": "OTHER@example.com"}))
        .await;
    assert_problem(res, StatusCode::CONFLICT, "conflict").await;
    let res = t.get_user(&id).await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "jane.roe@example.com"
    );

    let res = t.delete_user(&id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_problem(t.get_user(&id).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_problem(t.delete_user(&id).await, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.patch_user(&id, json!({"given_name": "x"})).await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;

    assert_eq!(t.events("user.created").await.len(), 2);
    assert_eq!(t.events("user.updated").await.len(), 1);
    assert_eq!(t.events("user.deleted").await.len(), 1);
}

#[tokio::test]
async fn users_are_searched_and_paginated() {
    let t = TestApp::spawn().await;
    for i in 0..5 {
        let res = t
            .create_user(json!({"email": format!("user{i}@example.com"), "display_name": format!("Person {i}")}))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let res = t
        .create_user(json!({"email": "zed_100%@example.org", "given_name": "Zed"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("limit=2&cursor={c}"),
            None => "limit=2".to_owned(),
        };
        let page: Value = t.list_users(&query).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|u| u["email"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);
    assert_eq!(seen[0], "user0@example.com");

    let by_email: Value = t
        .list_users("email=USER3@example.com")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_email["items"].as_array().unwrap().len(), 1);
    assert_eq!(by_email["items"][0]["email"], "user3@example.com");
    let by_query: Value = t.list_users("query=person").await.json().await.unwrap();
    assert_eq!(by_query["items"].as_array().unwrap().len(), 5);
    // LIKE wildcards in the query are literal.
    let literal: Value = t.list_users("query=_100%25").await.json().await.unwrap();
    assert_eq!(literal["items"].as_array().unwrap().len(), 1);
    let none: Value = t.list_users("query=%25").await.json().await.unwrap();
    assert_eq!(none["items"].as_array().unwrap().len(), 1);

    for bad in ["limit=0", "limit=201", "limit=ten"] {
        let res = t.list_users(bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
}

#[tokio::test]
async fn a_users_passkeys_and_sessions_are_managed_by_the_backend() {
    let t = TestApp::spawn().await;
    let mut signed = t.sign_up("ann@example.com").await;
    let user_id = signed.user_id().to_owned();
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);

    let passkeys: Value = t.user_passkeys(&user_id).await.json().await.unwrap();
    let items = passkeys["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let passkey_id = items[0]["id"].as_str().unwrap().to_owned();
    assert!(items[0]["last_used_at"].is_string());

    let sessions: Value = t.user_sessions(&user_id).await.json().await.unwrap();
    let items = sessions["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let one = items[0]["id"].as_str().unwrap().to_owned();
    let res = t.revoke_user_session(&user_id, &one).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let sessions: Value = t.user_sessions(&user_id).await.json().await.unwrap();
    assert_eq!(sessions["items"].as_array().unwrap().len(), 1);
    let res = t.revoke_user_sessions(&user_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let sessions: Value = t.user_sessions(&user_id).await.json().await.unwrap();
    assert_eq!(sessions["items"].as_array().unwrap().len(), 0);

    let res = t.delete_user_passkey(&user_id, &passkey_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = t.sign_in(&mut signed.credential, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;

    let res = t.user_passkeys("nobody").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = t.user_sessions("nobody").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn deleting_a_user_removes_their_passkeys_and_sessions() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ann@example.com").await;
    let keep = t.sign_up("bob@example.com").await;
    assert_eq!(t.db.count("passkeys").await, 2);
    let res = t.delete_user(signed.user_id()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(t.db.count("users").await, 1);
    assert_eq!(t.db.count("passkeys").await, 1);
    assert_eq!(t.db.count("sessions").await, 1);
    let res = t.with_bearer(signed.access_token()).me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.with_bearer(keep.access_token()).me().await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn events_are_filtered_and_paginated_newest_first() {
    let t = TestApp::spawn().await;
    let mut ann = t.sign_up("ann@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    let res = t.sign_in(&mut ann.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);

    let all: Value = t.list_events("limit=200").await.json().await.unwrap();
    let items = all["items"].as_array().unwrap();
    // Newest first: the last sign-in comes first.
    assert_eq!(items[0]["type"], "sign_in.succeeded");
    assert_eq!(items[0]["user_id"], ann.body["user"]["id"]);
    assert!(items[0]["created_at"].is_string());
    assert_eq!(items[0]["ip"], "127.0.0.1");
    let ids: Vec<&str> = items.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted);

    let bobs: Value = t
        .list_events(&format!("user_id={}", bob.user_id()))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        bobs["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["user_id"] == bob.body["user"]["id"])
    );
    assert!(!bobs["items"].as_array().unwrap().is_empty());

    let first: Value = t.list_events("limit=2").await.json().await.unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let next: Value = t
        .list_events(&format!("limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["items"][0]["id"], items[2]["id"]);
    let res = t.list_events("cursor=not-a-cursor").await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}
