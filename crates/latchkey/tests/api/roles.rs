//! Roles and permissions over HTTP: the server API's CRUD, a user's app-wide roles, and what
//! `tokens/verify` and `sessions/current/permissions` say a user may do, changes included at
//! once; refusals for bad keys, unknown references, other apps and unknown users.

use latchkey_test::{TestApp, assert_json, assert_problem, jwt};

use crate::server_calls::{call, ok};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn permissions_and_roles_are_kept_and_a_deleted_permission_leaves_every_role() {
    let t = TestApp::spawn().await;
    for (key, description) in [
        ("invoices:read", "See invoices"),
        ("invoices:write", "Change invoices"),
        ("reports:read", "See reports"),
    ] {
        let made = ok(
            &t,
            Method::POST,
            "/permissions",
            Some(json!({"key": key, "description": description})),
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(made["key"], key);
        assert_eq!(made["description"], description);
    }
    assert_problem(
        call(
            &t,
            Method::POST,
            "/permissions",
            Some(json!({"key": "invoices:read"})),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    for bad in ["Invoices", "", ":x", "a b", "x".repeat(129).as_str()] {
        assert_problem(
            call(&t, Method::POST, "/permissions", Some(json!({"key": bad}))).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    // Pages, by key.
    let page = ok(
        &t,
        Method::GET,
        "/permissions?limit=2",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = ok(
        &t,
        Method::GET,
        &format!("/permissions?limit=2&cursor={cursor}"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["items"][0]["key"], "reports:read");
    assert_eq!(rest["next_cursor"], Value::Null);
    let changed = ok(
        &t,
        Method::PATCH,
        "/permissions/reports:read",
        Some(json!({"description": null})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["description"], Value::Null);

    // A role of known permissions; an unknown one is refused and nothing is made.
    let role = ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "billing-admin", "name": "Billing admin",
            "permissions": ["invoices:write", "invoices:read", "invoices:read"]})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        role["permissions"],
        json!(["invoices:read", "invoices:write"])
    );
    assert_problem(
        call(
            &t,
            Method::POST,
            "/roles",
            Some(json!({"key": "viewer", "name": "Viewer", "permissions": ["nope:read"]})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    assert_problem(
        call(&t, Method::GET, "/roles/viewer", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let role = ok(
        &t,
        Method::PATCH,
        "/roles/billing-admin",
        Some(json!({"permissions": ["invoices:read", "reports:read"], "description": "Money"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        role["permissions"],
        json!(["invoices:read", "reports:read"])
    );
    assert_eq!(role["description"], "Money");
    assert_eq!(role["name"], "Billing admin");

    // Deleting a permission takes it out of the role.
    assert_eq!(
        call(&t, Method::DELETE, "/permissions/reports:read", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let role = ok(
        &t,
        Method::GET,
        "/roles/billing-admin",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(role["permissions"], json!(["invoices:read"]));
    let roles = ok(&t, Method::GET, "/roles", None, StatusCode::OK).await;
    assert_eq!(roles["items"][0]["permissions"], json!(["invoices:read"]));
    assert_problem(
        call(&t, Method::DELETE, "/permissions/reports:read", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for kind in [
        "permission.created",
        "role.created",
        "role.updated",
        "permission.deleted",
    ] {
        assert!(!t.events(kind).await.is_empty(), "{kind}");
    }
}

#[tokio::test]
async fn what_a_user_may_do_shows_at_once_in_verify_and_the_permissions_endpoint() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("ada@example.com").await;
    let user_id = signed.user_id().to_owned();
    let token = signed.access_token().to_owned();
    let browser = t.with_bearer(&token);

    // Nothing yet.
    let verified = t.verify_token(&token).await;
    assert_eq!(verified["roles"], json!([]));
    assert_eq!(verified["permissions"], json!([]));
    assert_eq!(verified["org_id"], Value::Null);
    let mine = assert_json(browser.current_permissions().await, StatusCode::OK).await;
    assert_eq!(
        mine,
        json!({"org_id": null, "roles": [], "permissions": []})
    );

    for key in ["invoices:read", "invoices:write", "reports:read"] {
        ok(
            &t,
            Method::POST,
            "/permissions",
            Some(json!({"key": key})),
            StatusCode::CREATED,
        )
        .await;
    }
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "billing", "name": "Billing", "permissions": ["invoices:read", "invoices:write"]})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "analyst", "name": "Analyst", "permissions": ["reports:read", "invoices:read"]})),
        StatusCode::CREATED,
    )
    .await;
    let set = ok(
        &t,
        Method::PUT,
        &format!("/users/{user_id}/roles"),
        Some(json!({"roles": ["billing", "analyst"]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(set, json!({"roles": ["analyst", "billing"]}));
    let got = ok(
        &t,
        Method::GET,
        &format!("/users/{user_id}/roles"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got, set);

    // The same token: its roles and permissions as they stand now.
    let verified = t.verify_token(&token).await;
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["roles"], json!(["analyst", "billing"]));
    assert_eq!(
        verified["permissions"],
        json!(["invoices:read", "invoices:write", "reports:read"])
    );
    let mine = assert_json(browser.current_permissions().await, StatusCode::OK).await;
    assert_eq!(mine["roles"], verified["roles"]);
    assert_eq!(mine["permissions"], verified["permissions"]);
    // An auth token says the same.
    let redeemed = t.verify_token(signed.auth_token()).await;
    assert_eq!(redeemed["roles"], json!(["analyst", "billing"]));

    // A role's list changes: at once.
    ok(
        &t,
        Method::PATCH,
        "/roles/billing",
        Some(json!({"permissions": []})),
        StatusCode::OK,
    )
    .await;
    let verified = t.verify_token(&token).await;
    assert_eq!(
        verified["permissions"],
        json!(["invoices:read", "reports:read"])
    );
    // A permission deleted: every role loses it, at once.
    assert_eq!(
        call(&t, Method::DELETE, "/permissions/reports:read", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&token).await;
    assert_eq!(verified["permissions"], json!(["invoices:read"]));
    // A role deleted: its holders lose it.
    assert_eq!(
        call(&t, Method::DELETE, "/roles/analyst", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&token).await;
    assert_eq!(verified["roles"], json!(["billing"]));
    assert_eq!(verified["permissions"], json!([]));
    assert!(!t.events("user.roles_changed").await.is_empty());

    // Refusals change nothing.
    assert_problem(
        call(
            &t,
            Method::PUT,
            &format!("/users/{user_id}/roles"),
            Some(json!({"roles": ["billing", "ghost"]})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    assert_problem(
        call(
            &t,
            Method::PUT,
            "/users/no-such-user/roles",
            Some(json!({"roles": []})),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        call(
            &t,
            Method::PUT,
            &format!("/users/{user_id}/roles"),
            Some(json!({"roles": "billing"})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let got = ok(
        &t,
        Method::GET,
        &format!("/users/{user_id}/roles"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(got, json!({"roles": ["billing"]}));
}

#[tokio::test]
async fn access_tokens_carry_the_roles_at_issue_and_the_next_refresh_the_change() {
    let t = TestApp::spawn().await;
    ok(
        &t,
        Method::POST,
        "/permissions",
        Some(json!({"key": "invoices:read"})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "billing", "name": "Billing", "permissions": ["invoices:read"]})),
        StatusCode::CREATED,
    )
    .await;
    let mut signed = t.sign_up("joan@example.com").await;
    let (_, claims) = jwt(signed.access_token());
    assert_eq!(claims["roles"], json!([]));
    assert_eq!(claims["permissions"], json!([]));
    assert_eq!(claims["org_id"], Value::Null);
    ok(
        &t,
        Method::PUT,
        &format!("/users/{}/roles", signed.user_id()),
        Some(json!({"roles": ["billing"]})),
        StatusCode::OK,
    )
    .await;
    // A passkey sign-in's token carries them (read with the passkey).
    let res = t.sign_in(&mut signed.credential, None).await;
    let body = assert_json(res, StatusCode::OK).await;
    let (_, claims) = jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["roles"], json!(["billing"]));
    assert_eq!(claims["permissions"], json!(["invoices:read"]));
    // The role changes: the token keeps what it said; the next refresh says the change.
    ok(
        &t,
        Method::PATCH,
        "/roles/billing",
        Some(json!({"permissions": []})),
        StatusCode::OK,
    )
    .await;
    let res = t.refresh(body["refresh_token"].as_str().unwrap()).await;
    let refreshed = assert_json(res, StatusCode::OK).await;
    let (_, claims) = jwt(refreshed["access_token"].as_str().unwrap());
    assert_eq!(claims["roles"], json!(["billing"]));
    assert_eq!(claims["permissions"], json!([]));
}

#[tokio::test]
async fn nothing_of_one_apps_roles_is_reachable_through_another() {
    let t = TestApp::spawn().await;
    ok(
        &t,
        Method::POST,
        "/permissions",
        Some(json!({"key": "secret:read"})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "boss", "name": "Boss", "permissions": ["secret:read"]})),
        StatusCode::CREATED,
    )
    .await;
    let signed = t.sign_up("grace@example.com").await;
    let other = t.new_app("other", json!({})).await;
    // The other app sees none of them, and cannot give acme's user (or its own) acme's role.
    let roles = ok(&other, Method::GET, "/roles", None, StatusCode::OK).await;
    assert_eq!(roles["items"], json!([]));
    assert_problem(
        call(&other, Method::GET, "/roles/boss", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        call(
            &other,
            Method::PUT,
            &format!("/users/{}/roles", signed.user_id()),
            Some(json!({"roles": []})),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // acme's key on the other app's paths: 401.
    let foreign = other.for_app("other", &t.api_key);
    assert_problem(
        call(&foreign, Method::GET, "/roles", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // The same key in another app is another role.
    ok(
        &other,
        Method::POST,
        "/roles",
        Some(json!({"key": "boss", "name": "Other boss"})),
        StatusCode::CREATED,
    )
    .await;
    let mine = ok(&t, Method::GET, "/roles/boss", None, StatusCode::OK).await;
    assert_eq!(mine["name"], "Boss");
}
