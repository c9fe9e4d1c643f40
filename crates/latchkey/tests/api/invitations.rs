//! Invitations over HTTP: the server API invites by email (a real SMTP sink receives it), the
//! link's page says what it invites to, and the invited person accepts after signing up or in
//! with the invited address; refusals for another address, a used, replaced, withdrawn or
//! expired link, bad input and another app's invitation.

use std::time::Duration;

use latchkey_authenticator::CreateOptions;
use latchkey_test::smtp::{Message, SmtpSink};
use latchkey_test::{PUBLIC_URL, SignedUp, TestApp, assert_json, assert_problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::server_calls::{call, ok};

const WAIT: Duration = Duration::from_secs(10);

/// An app `id` whose pages this server hosts (so a view of it is on [`PUBLIC_URL`]), with the
/// roles `viewer` and `temp` and the organization `acme`.
async fn hosted(t: &TestApp, id: &str) -> TestApp {
    let app = t
        .new_app(id, json!({"rp_id": "localhost", "origins": [PUBLIC_URL]}))
        .await
        .with_origin(PUBLIC_URL);
    setup(&app).await;
    app
}

/// The app `team` on a server that mails `sink`.
async fn app_with(sink: &SmtpSink) -> TestApp {
    let t = TestApp::spawn_with(|config| {
        config.smtp_url = Some(sink.url());
        config.email_from = Some("Acme Auth <auth@example.com>".to_owned());
    })
    .await;
    hosted(&t, "team").await
}

/// Signs `email` up with a passkey on the hosted pages' origin.
async fn person(t: &TestApp, email: &str) -> SignedUp {
    t.sign_up_with(email, CreateOptions::new(PUBLIC_URL)).await
}

async fn setup(t: &TestApp) {
    ok(
        t,
        Method::POST,
        "/permissions",
        Some(json!({"key": "invoices:read"})),
        StatusCode::CREATED,
    )
    .await;
    for key in ["viewer", "temp"] {
        ok(
            t,
            Method::POST,
            "/roles",
            Some(json!({"key": key, "name": key, "permissions": ["invoices:read"]})),
            StatusCode::CREATED,
        )
        .await;
    }
    ok(
        t,
        Method::POST,
        "/organizations",
        Some(json!({"id": "acme", "name": "Acme <Corp>"})),
        StatusCode::CREATED,
    )
    .await;
}

/// Invites `email` to acme with `roles`; the invitation as answered and the link's token from
/// the email that arrives.
async fn invite(t: &TestApp, sink: &SmtpSink, email: &str, roles: Value) -> (Value, String) {
    let before = sink.messages().len();
    let made = ok(
        t,
        Method::POST,
        "/organizations/acme/invitations",
        Some(json!({"email": email, "roles": roles})),
        StatusCode::CREATED,
    )
    .await;
    let message = sink.wait_for(before + 1, WAIT).await[before].clone();
    (made, token_of(&message, email))
}

fn token_of(message: &Message, email: &str) -> String {
    assert_eq!(message.rcpt_to.len(), 1);
    assert_eq!(message.rcpt_to[0].to_lowercase(), email.to_lowercase());
    assert!(
        message.subject().contains("Acme <Corp>"),
        "{}",
        message.subject()
    );
    let link = message
        .link_containing("/invitation?token=")
        .expect("an invitation link");
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/apps/team/invitation?token=lk_inv_")),
        "{link}"
    );
    link.split("token=").nth(1).unwrap().to_owned()
}

async fn accept(view: &TestApp, token: &str) -> reqwest::Response {
    view.request(
        Method::POST,
        &format!("/apps/{}/invitations/{token}/accept", view.app),
    )
    .send()
    .await
    .unwrap()
}

async fn page(t: &TestApp, token: &str) -> reqwest::Response {
    t.follow(&format!(
        "{PUBLIC_URL}/apps/{}/invitation?token={token}",
        t.app
    ))
    .await
}

async fn invitations(t: &TestApp) -> Vec<Value> {
    let listed = ok(
        t,
        Method::GET,
        "/organizations/acme/invitations",
        None,
        StatusCode::OK,
    )
    .await;
    listed["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_invited_person_signs_up_with_the_address_and_joins() {
    let sink = SmtpSink::start().await;
    let t = app_with(&sink).await;
    let (made, token) = invite(&t, &sink, "Grace@Example.com", json!(["viewer"])).await;
    assert_eq!(made["status"], "pending");
    assert_eq!(made["org_id"], "acme");
    assert_eq!(made["roles"], json!(["viewer"]));
    assert_eq!(made["accepted_at"], Value::Null);
    assert!(made.get("token").is_none(), "the link is only in the email");
    let message = sink.messages()[0].clone();
    let html = message.html_body().unwrap();
    assert!(
        html.contains("Acme &lt;Corp&gt;"),
        "escaped in HTML: {html}"
    );
    assert!(message.text_body().contains("7 days"));

    // The link's page says who invites whom (escaped), and runs the accepting script.
    let res = page(&t, &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Join Acme &lt;Corp&gt;"), "{html}");
    assert!(html.contains("Grace@Example.com"), "{html}");
    assert!(html.contains("/assets/invitation.js"));
    // The login page brings the person back to it once signed in.
    let back = format!("/apps/team/invitation?token={token}");
    let res = t
        .login_page(&format!(
            "login_hint=grace%40example.com&continue={}",
            url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Not signed in: nothing to accept with.
    assert_problem(
        accept(&t, &token).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // Someone signed in with another address cannot take it.
    let mallory = person(&t, "mallory@example.com").await;
    let refused = assert_problem(
        accept(&t.with_bearer(mallory.access_token()), &token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("Grace@Example.com")
    );
    assert_eq!(invitations(&t).await[0]["status"], "pending");

    // The invited person signs up with a passkey (the address unproven) and accepts: the
    // link proves the address.
    let grace = person(&t, "grace@example.com").await;
    let user = assert_json(t.get_user(grace.user_id()).await, StatusCode::OK).await;
    assert_eq!(user["email_verified"], false);
    let view = t.with_cookie(&grace.cookie);
    let joined = assert_json(accept(&view, &token).await, StatusCode::OK).await;
    assert_eq!(joined["org_id"], "acme");
    assert_eq!(joined["name"], "Acme <Corp>");
    assert_eq!(joined["roles"], json!(["viewer"]));
    let user = assert_json(t.get_user(grace.user_id()).await, StatusCode::OK).await;
    assert_eq!(user["email_verified"], true);
    let members = ok(
        &t,
        Method::GET,
        "/organizations/acme/members",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(members["items"][0]["user_id"], grace.user_id());
    // She acts for it like any member.
    let switched = assert_json(
        view.request(Method::POST, "/apps/team/sessions/current/organization")
            .json(&json!({"org_id": "acme"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let verified = t
        .verify_token(switched["access_token"].as_str().unwrap())
        .await;
    assert_eq!(verified["permissions"], json!(["invoices:read"]));

    // The link worked once.
    assert_problem(
        accept(&view, &token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let res = page(&t, &token).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("already accepted"));
    let listed = invitations(&t).await;
    assert_eq!(listed[0]["status"], "accepted");
    assert_eq!(listed[0]["accepted_by"], grace.user_id());
    assert_eq!(t.events("invitation.created").await.len(), 1);
    let accepted = t.events("invitation.accepted").await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["user_id"], grace.user_id());

    // An account made before the invitation, its address never proven, proves it first: the
    // link alone could be in the hands of whoever planted the account.
    let planted = person(&t, "ken@example.com").await;
    t.advance(Duration::from_secs(5));
    let (_, ken_token) = invite(&t, &sink, "ken@example.com", json!(["viewer"])).await;
    let view = t.with_bearer(planted.access_token());
    let refused = assert_problem(
        accept(&view, &ken_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("email code"),
        "{refused}"
    );
    let user = assert_json(t.get_user(planted.user_id()).await, StatusCode::OK).await;
    assert_eq!(user["email_verified"], false);
    assert_eq!(
        t.patch_user(planted.user_id(), json!({"email_verified": true}))
            .await
            .status(),
        StatusCode::OK
    );
    let joined = assert_json(accept(&view, &ken_token).await, StatusCode::OK).await;
    assert_eq!(joined["org_id"], "acme");
    assert_eq!(
        t.events("user.email_verified").await.len(),
        1,
        "grace's, by the link"
    );

    // A member is not invited again.
    assert_problem(
        call(
            &t,
            Method::POST,
            "/organizations/acme/invitations",
            Some(json!({"email": "GRACE@example.com"})),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn a_link_stops_working_when_replaced_withdrawn_or_expired() {
    let sink = SmtpSink::start().await;
    let t = app_with(&sink).await;
    let hopper = person(&t, "hopper@example.com").await;
    // An account whose address is proven (here by the app's backend).
    assert_eq!(
        t.patch_user(hopper.user_id(), json!({"email_verified": true}))
            .await
            .status(),
        StatusCode::OK
    );
    let view = t.with_bearer(hopper.access_token());

    // A second invitation of the address replaces the first.
    let (_, first) = invite(&t, &sink, "hopper@example.com", json!(["viewer"])).await;
    let (second_made, second) = invite(&t, &sink, "hopper@example.com", json!([])).await;
    assert_eq!(invitations(&t).await.len(), 1);
    assert_problem(
        accept(&view, &first).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(page(&t, &first).await.status(), StatusCode::NOT_FOUND);

    // Withdrawn: its link is dead.
    let id = second_made["id"].as_str().unwrap();
    assert_eq!(
        call(
            &t,
            Method::DELETE,
            &format!("/organizations/acme/invitations/{id}"),
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
            &format!("/organizations/acme/invitations/{id}"),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        accept(&view, &second).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(t.events("invitation.withdrawn").await.len(), 1);

    // Expired after a week.
    let (_, late) = invite(&t, &sink, "hopper@example.com", json!(["viewer"])).await;
    t.advance(Duration::from_secs(7 * 86_400 + 1));
    assert_eq!(invitations(&t).await[0]["status"], "expired");
    let res = page(&t, &late).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("expired"));
    let view = t.with_cookie(&hopper.cookie);
    assert_problem(
        accept(&view, &late).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A role deleted before the accept is left out of the membership.
    let (_, fresh) = invite(&t, &sink, "hopper@example.com", json!(["temp", "viewer"])).await;
    assert_eq!(
        call(&t, Method::DELETE, "/roles/temp", None).await.status(),
        StatusCode::NO_CONTENT
    );
    let joined = assert_json(accept(&view, &fresh).await, StatusCode::OK).await;
    assert_eq!(joined["roles"], json!(["viewer"]));

    // Tokens that are not an invitation's.
    for bogus in ["lk_inv_nothing", "lk_rt_other-kind", "x"] {
        assert_problem(
            accept(&view, bogus).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_eq!(page(&t, bogus).await.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        t.follow(&format!("{PUBLIC_URL}/apps/team/invitation"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_invitations_are_refused_and_other_apps_cannot_reach_them() {
    let sink = SmtpSink::start().await;
    let t = app_with(&sink).await;
    for (body, status, code) in [
        (
            json!({"email": "not an address"}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"email": "a@example.com", "roles": ["ghost"]}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            json!({"email": "a@example.com", "extra": true}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (json!({}), StatusCode::BAD_REQUEST, "invalid_request"),
    ] {
        assert_problem(
            call(
                &t,
                Method::POST,
                "/organizations/acme/invitations",
                Some(body),
            )
            .await,
            status,
            code,
        )
        .await;
    }
    assert_problem(
        call(
            &t,
            Method::POST,
            "/organizations/initech/invitations",
            Some(json!({"email": "a@example.com"})),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        call(&t, Method::GET, "/organizations/initech/invitations", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(invitations(&t).await.is_empty(), "refusals leave nothing");
    assert!(sink.messages().is_empty(), "and send nothing");

    // Another app's key and sessions reach nothing of this app's invitations.
    let (made, token) = invite(&t, &sink, "ada@example.com", json!([])).await;
    let other = hosted(&t, "other").await;
    let id = made["id"].as_str().unwrap();
    assert_problem(
        call(
            &other,
            Method::DELETE,
            &format!("/organizations/acme/invitations/{id}"),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(invitations(&other).await.is_empty());
    let res = t
        .request(Method::GET, "/apps/other/organizations/acme/invitations")
        .bearer_auth(&t.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let ada_elsewhere = person(&other, "ada@example.com").await;
    assert_problem(
        accept(&other.with_bearer(ada_elsewhere.access_token()), &token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(page(&other, &token).await.status(), StatusCode::NOT_FOUND);
    // Still open in its own app.
    assert_eq!(invitations(&t).await[0]["status"], "pending");
}
