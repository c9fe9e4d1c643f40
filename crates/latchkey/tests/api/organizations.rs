//! Organizations over HTTP: the server API's organizations (search and pages), members and
//! their roles, a user's memberships (server API and the browser's `me/organizations`);
//! refusals for bad input, unknown references and other apps; deletion taking memberships.

use latchkey_test::{TestApp, assert_json, assert_problem};

use crate::server_calls::{call, ok};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn organizations_are_kept_searched_and_paged() {
    let t = TestApp::spawn().await;
    let made = ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "acme-corp", "name": "Acme Corp", "domains": ["Acme.example", "acme.example"],
            "metadata": {"plan": "gold"}})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made["id"], "acme-corp");
    assert_eq!(made["domains"], json!(["acme.example"]));
    assert_eq!(made["metadata"], json!({"plan": "gold"}));
    let generated = ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"name": "Globex"})),
        StatusCode::CREATED,
    )
    .await;
    let generated_id = generated["id"].as_str().unwrap().to_owned();
    assert!(generated_id.starts_with("org-"), "{generated_id}");
    ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "initech", "name": "Initech"})),
        StatusCode::CREATED,
    )
    .await;
    assert_problem(
        call(
            &t,
            Method::POST,
            "/organizations",
            Some(json!({"id": "acme-corp", "name": "Again"})),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    for bad in [
        json!({"id": "Acme", "name": "x"}),
        json!({"id": "-acme", "name": "x"}),
        json!({"name": ""}),
        json!({"name": "x", "domains": ["not a domain"]}),
        json!({"name": "x", "extra": 1}),
    ] {
        assert_problem(
            call(&t, Method::POST, "/organizations", Some(bad)).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    // Search by name or id, case-insensitive; wildcards are literal.
    let found = ok(
        &t,
        Method::GET,
        "/organizations?query=GLOB",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["items"][0]["id"], generated_id.as_str());
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let none = ok(
        &t,
        Method::GET,
        "/organizations?query=%25",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["items"], json!([]));
    let page = ok(
        &t,
        Method::GET,
        "/organizations?limit=2",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = ok(
        &t,
        Method::GET,
        &format!("/organizations?limit=2&cursor={cursor}"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], Value::Null);

    let changed = ok(
        &t,
        Method::PATCH,
        "/organizations/acme-corp",
        Some(json!({"name": "Acme Corporation", "domains": []})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["name"], "Acme Corporation");
    assert_eq!(changed["domains"], json!([]));
    assert_eq!(changed["metadata"], json!({"plan": "gold"}));
    assert_eq!(
        call(&t, Method::DELETE, "/organizations/initech", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        call(&t, Method::GET, "/organizations/initech", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for kind in [
        "organization.created",
        "organization.updated",
        "organization.deleted",
    ] {
        assert!(!t.events(kind).await.is_empty(), "{kind}");
    }
}

#[tokio::test]
async fn members_hold_organization_roles_and_go_with_their_organization() {
    let t = TestApp::spawn().await;
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "admin", "name": "Admin"})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/roles",
        Some(json!({"key": "viewer", "name": "Viewer"})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "acme", "name": "Acme"})),
        StatusCode::CREATED,
    )
    .await;
    ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "globex", "name": "Globex"})),
        StatusCode::CREATED,
    )
    .await;
    let signed = t.sign_up("ada@example.com").await;
    let user_id = signed.user_id().to_owned();

    let member = ok(
        &t,
        Method::POST,
        "/organizations/acme/members",
        Some(json!({"user_id": user_id, "roles": ["viewer", "admin", "admin"]})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(member["roles"], json!(["admin", "viewer"]));
    ok(
        &t,
        Method::POST,
        "/organizations/globex/members",
        Some(json!({"user_id": user_id, "roles": ["viewer"]})),
        StatusCode::CREATED,
    )
    .await;
    assert_problem(
        call(
            &t,
            Method::POST,
            "/organizations/acme/members",
            Some(json!({"user_id": user_id})),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    for bad in [
        json!({"user_id": "no-such-user"}),
        json!({"user_id": user_id, "roles": ["ghost"]}),
    ] {
        assert_problem(
            call(&t, Method::POST, "/organizations/globex/members", Some(bad)).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let members = ok(
        &t,
        Method::GET,
        "/organizations/acme/members",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(members["items"][0]["user_id"], user_id.as_str());

    // The user's memberships, from the backend and from their own browser.
    let theirs = ok(
        &t,
        Method::GET,
        &format!("/users/{user_id}/organizations"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["org_id"].clone(), m["name"].clone(), m["roles"].clone()))
            .collect::<Vec<_>>(),
        vec![
            (json!("acme"), json!("Acme"), json!(["admin", "viewer"])),
            (json!("globex"), json!("Globex"), json!(["viewer"])),
        ]
    );
    let browser = t.with_bearer(signed.access_token());
    let res = browser
        .request(Method::GET, "/apps/acme/me/organizations")
        .send()
        .await
        .unwrap();
    let mine = assert_json(res, StatusCode::OK).await;
    assert_eq!(mine, theirs);

    // Roles change; a member leaves; an organization goes with its memberships.
    let changed = ok(
        &t,
        Method::PATCH,
        &format!("/organizations/acme/members/{user_id}"),
        Some(json!({"roles": ["viewer"]})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["roles"], json!(["viewer"]));
    assert_eq!(
        call(
            &t,
            Method::DELETE,
            &format!("/organizations/globex/members/{user_id}"),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        call(
            &t,
            Method::DELETE,
            &format!("/organizations/globex/members/{user_id}"),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // A deleted role leaves every member.
    assert_eq!(
        call(&t, Method::DELETE, "/roles/viewer", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let theirs = ok(
        &t,
        Method::GET,
        &format!("/users/{user_id}/organizations"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["items"][0]["roles"], json!([]));
    assert_eq!(
        call(&t, Method::DELETE, "/organizations/acme", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let theirs = ok(
        &t,
        Method::GET,
        &format!("/users/{user_id}/organizations"),
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["items"], json!([]));
    assert_problem(
        call(&t, Method::GET, "/organizations/acme/members", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for kind in [
        "organization.member_added",
        "organization.member_updated",
        "organization.member_removed",
    ] {
        assert!(!t.events(kind).await.is_empty(), "{kind}");
    }
}

#[tokio::test]
async fn nothing_of_one_apps_organizations_is_reachable_through_another() {
    let t = TestApp::spawn().await;
    ok(
        &t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "acme", "name": "Acme"})),
        StatusCode::CREATED,
    )
    .await;
    let signed = t.sign_up("grace@example.com").await;
    ok(
        &t,
        Method::POST,
        "/organizations/acme/members",
        Some(json!({"user_id": signed.user_id()})),
        StatusCode::CREATED,
    )
    .await;
    let other = t.new_app("other", json!({})).await;
    let listed = ok(&other, Method::GET, "/organizations", None, StatusCode::OK).await;
    assert_eq!(listed["items"], json!([]));
    for (method, path, body) in [
        (Method::GET, "/organizations/acme".to_owned(), None),
        (Method::GET, "/organizations/acme/members".to_owned(), None),
        (Method::DELETE, "/organizations/acme".to_owned(), None),
        (
            Method::DELETE,
            format!("/organizations/acme/members/{}", signed.user_id()),
            None,
        ),
        (
            Method::GET,
            format!("/users/{}/organizations", signed.user_id()),
            None,
        ),
    ] {
        assert_problem(
            call(&other, method, &path, body).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    // The other app's organization of the same id cannot take acme's user.
    ok(
        &other,
        Method::POST,
        "/organizations",
        Some(json!({"id": "acme", "name": "Other"})),
        StatusCode::CREATED,
    )
    .await;
    assert_problem(
        call(
            &other,
            Method::POST,
            "/organizations/acme/members",
            Some(json!({"user_id": signed.user_id()})),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let still = ok(&t, Method::GET, "/organizations/acme", None, StatusCode::OK).await;
    assert_eq!(still["name"], "Acme");
}

/// `POST /sessions/current/organization` as the view's signed-in user.
async fn switch(browser: &TestApp, org_id: Value) -> reqwest::Response {
    browser
        .request(
            Method::POST,
            &format!("/apps/{}/sessions/current/organization", browser.app),
        )
        .json(&json!({ "org_id": org_id }))
        .send()
        .await
        .unwrap()
}

/// Permissions, roles (`support` app-wide; `admin` and `viewer` for organizations) and the
/// organizations `acme` and `globex`.
async fn b2b_app() -> TestApp {
    let t = TestApp::spawn().await;
    for key in ["tickets:read", "invoices:read", "members:manage"] {
        ok(
            &t,
            Method::POST,
            "/permissions",
            Some(json!({"key": key})),
            StatusCode::CREATED,
        )
        .await;
    }
    for (key, permissions) in [
        ("support", json!(["tickets:read"])),
        ("admin", json!(["members:manage", "invoices:read"])),
        ("viewer", json!(["invoices:read"])),
    ] {
        ok(
            &t,
            Method::POST,
            "/roles",
            Some(json!({"key": key, "name": key, "permissions": permissions})),
            StatusCode::CREATED,
        )
        .await;
    }
    for (id, name) in [("acme", "Acme"), ("globex", "Globex")] {
        ok(
            &t,
            Method::POST,
            "/organizations",
            Some(json!({"id": id, "name": name})),
            StatusCode::CREATED,
        )
        .await;
    }
    t
}

async fn add_member(t: &TestApp, org: &str, user_id: &str, roles: Value) {
    ok(
        t,
        Method::POST,
        &format!("/organizations/{org}/members"),
        Some(json!({"user_id": user_id, "roles": roles})),
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn a_session_acts_for_one_organization_and_its_tokens_say_so() {
    let t = b2b_app().await;
    let ada = t.sign_up("ada@example.com").await;
    let ada_id = ada.user_id().to_owned();
    ok(
        &t,
        Method::PUT,
        &format!("/users/{ada_id}/roles"),
        Some(json!({"roles": ["support"]})),
        StatusCode::OK,
    )
    .await;
    add_member(&t, "acme", &ada_id, json!(["admin"])).await;
    add_member(&t, "globex", &ada_id, json!(["viewer"])).await;
    let first_token = ada.access_token().to_owned();
    let browser = t.with_bearer(&first_token);

    // A new session acts for no organization: the app-wide roles.
    let verified = t.verify_token(&first_token).await;
    assert_eq!(verified["org_id"], Value::Null);
    assert_eq!(verified["roles"], json!(["support"]));
    assert_eq!(verified["permissions"], json!(["tickets:read"]));

    // Switching gives new tokens carrying the organization's roles beside the app-wide ones.
    let switched = assert_json(switch(&browser, json!("acme")).await, StatusCode::OK).await;
    assert_eq!(switched["session"]["org_id"], "acme");
    assert_eq!(
        switched["session"]["id"],
        ada.session_id(),
        "the same session"
    );
    let (_, claims) = latchkey_test::jwt(switched["access_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], "acme");
    assert_eq!(claims["roles"], json!(["admin", "support"]));
    assert_eq!(
        claims["permissions"],
        json!(["invoices:read", "members:manage", "tickets:read"])
    );
    // The session's earlier token too, in verify and the permissions endpoint: they read the
    // session as it is now.
    let verified = t.verify_token(&first_token).await;
    assert_eq!(verified["org_id"], "acme");
    assert_eq!(verified["roles"], json!(["admin", "support"]));
    let mine = assert_json(browser.current_permissions().await, StatusCode::OK).await;
    assert_eq!(
        mine,
        json!({"org_id": "acme", "roles": ["admin", "support"],
            "permissions": ["invoices:read", "members:manage", "tickets:read"]})
    );
    let current = assert_json(browser.current_session().await, StatusCode::OK).await;
    assert_eq!(current["session"]["org_id"], "acme");

    // One organization at a time.
    let refresh_token = switched["refresh_token"].as_str().unwrap().to_owned();
    let browser = t.with_bearer(switched["access_token"].as_str().unwrap());
    let globex = assert_json(switch(&browser, json!("globex")).await, StatusCode::OK).await;
    let (_, claims) = latchkey_test::jwt(globex["access_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], "globex");
    assert_eq!(claims["roles"], json!(["support", "viewer"]));
    assert_eq!(
        claims["permissions"],
        json!(["invoices:read", "tickets:read"])
    );
    // The switch spent the refresh token before it; the new one carries the organization on.
    assert_ne!(globex["refresh_token"], refresh_token.as_str());
    let refreshed = assert_json(
        t.refresh(globex["refresh_token"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    let (_, claims) = latchkey_test::jwt(refreshed["access_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], "globex");

    // A member's role change: at once in verify, at the next refresh in access tokens.
    ok(
        &t,
        Method::PATCH,
        &format!("/organizations/globex/members/{ada_id}"),
        Some(json!({"roles": ["admin"]})),
        StatusCode::OK,
    )
    .await;
    let verified = t.verify_token(&first_token).await;
    assert_eq!(verified["roles"], json!(["admin", "support"]));
    let refreshed = assert_json(
        t.refresh(refreshed["refresh_token"].as_str().unwrap())
            .await,
        StatusCode::OK,
    )
    .await;
    let (_, claims) = latchkey_test::jwt(refreshed["access_token"].as_str().unwrap());
    assert_eq!(claims["roles"], json!(["admin", "support"]));

    // A role's permissions change, a permission or a role goes: at once for every holder.
    ok(
        &t,
        Method::PATCH,
        "/roles/admin",
        Some(json!({"permissions": ["members:manage"]})),
        StatusCode::OK,
    )
    .await;
    let verified = t.verify_token(&first_token).await;
    assert_eq!(
        verified["permissions"],
        json!(["members:manage", "tickets:read"])
    );
    assert_eq!(
        call(&t, Method::DELETE, "/permissions/members:manage", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&first_token).await;
    assert_eq!(verified["roles"], json!(["admin", "support"]));
    assert_eq!(verified["permissions"], json!(["tickets:read"]));
    assert_eq!(
        call(&t, Method::DELETE, "/roles/admin", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&first_token).await;
    assert_eq!(
        verified["org_id"], "globex",
        "still a member, with no role there"
    );
    assert_eq!(verified["roles"], json!(["support"]));
    assert_eq!(verified["permissions"], json!(["tickets:read"]));

    // Leaving the organization: back to the app-wide roles.
    let browser = t.with_bearer(refreshed["access_token"].as_str().unwrap());
    let left = assert_json(switch(&browser, Value::Null).await, StatusCode::OK).await;
    assert_eq!(left["session"]["org_id"], Value::Null);
    let (_, claims) = latchkey_test::jwt(left["access_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], Value::Null);
    assert_eq!(claims["roles"], json!(["support"]));
    let events = t.events("session.organization_changed").await;
    assert_eq!(events.len(), 3, "{events:?}");
}

#[tokio::test]
async fn only_a_member_may_act_for_an_organization_and_the_context_ends_with_the_membership() {
    let t = b2b_app().await;
    let ada = t.sign_up("ada@example.com").await;
    let bob = t.sign_up("bob@example.com").await;
    add_member(&t, "acme", ada.user_id(), json!(["admin"])).await;
    add_member(&t, "globex", bob.user_id(), json!(["viewer"])).await;
    let ada_view = t.with_cookie(&ada.cookie);
    let bob_view = t.with_bearer(bob.access_token());

    // Someone outside an organization gets the same refusal whether it exists or not.
    let outside = assert_problem(
        switch(&bob_view, json!("acme")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let missing = assert_problem(
        switch(&bob_view, json!("initech")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(outside["detail"], missing["detail"]);
    for bad in [json!(42), json!(["acme"])] {
        assert_problem(
            switch(&bob_view, bad).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let current = assert_json(bob_view.current_session().await, StatusCode::OK).await;
    assert_eq!(
        current["session"]["org_id"],
        Value::Null,
        "refusals change nothing"
    );
    // Not signed in; and a cookie change from a foreign origin.
    assert_problem(
        switch(&t, json!("acme")).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_problem(
        switch(&ada_view.with_origin("https://evil.example"), json!("acme")).await,
        StatusCode::FORBIDDEN,
        "origin_not_allowed",
    )
    .await;

    // By cookie, as the hosted pages do.
    let switched = assert_json(switch(&ada_view, json!("acme")).await, StatusCode::OK).await;
    assert_eq!(switched["session"]["org_id"], "acme");
    // Nothing of acme shows to bob: not in his memberships, not in his tokens.
    let bobs = assert_json(
        bob_view
            .request(Method::GET, &format!("/apps/{}/me/organizations", t.app))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(bobs["items"].as_array().unwrap().len(), 1);
    assert_eq!(bobs["items"][0]["org_id"], "globex");
    assert_eq!(
        t.verify_token(bob.access_token()).await["org_id"],
        Value::Null
    );

    // Removing ada from acme ends her session's context of it at once.
    let ada_token = switched["access_token"].as_str().unwrap().to_owned();
    assert_eq!(t.verify_token(&ada_token).await["org_id"], "acme");
    assert_eq!(
        call(
            &t,
            Method::DELETE,
            &format!("/organizations/acme/members/{}", ada.user_id()),
            None
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&ada_token).await;
    assert_eq!(verified["org_id"], Value::Null);
    assert_eq!(verified["roles"], json!([]));
    let current = assert_json(ada_view.current_session().await, StatusCode::OK).await;
    assert_eq!(current["session"]["org_id"], Value::Null);
    // Added back, the session does not act for it until it switches again.
    add_member(&t, "acme", ada.user_id(), json!(["viewer"])).await;
    assert_eq!(t.verify_token(&ada_token).await["org_id"], Value::Null);

    // Deleting an organization ends the context of every session acting for it.
    let switched = assert_json(switch(&ada_view, json!("acme")).await, StatusCode::OK).await;
    let ada_token = switched["access_token"].as_str().unwrap().to_owned();
    assert_eq!(t.verify_token(&ada_token).await["roles"], json!(["viewer"]));
    assert_eq!(
        call(&t, Method::DELETE, "/organizations/acme", None)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let verified = t.verify_token(&ada_token).await;
    assert_eq!(verified["org_id"], Value::Null);
    assert_eq!(verified["roles"], json!([]));
    let refreshed = assert_json(
        t.refresh(switched["refresh_token"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    let (_, claims) = latchkey_test::jwt(refreshed["access_token"].as_str().unwrap());
    assert_eq!(claims["org_id"], Value::Null);
    assert_eq!(claims["roles"], json!([]));
}
