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
