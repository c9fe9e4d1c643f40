//! Email one-time codes and magic links, delivered through a real SMTP conversation with a
//! local sink (and, in one test, through the `.eml` outbox). Time passes by moving the server's
//! clock: past the 30-second throttle, past a code's ten minutes.

use std::time::Duration;

use latchkey_authenticator::CreateOptions;
use latchkey_test::helpers::link_cookie;
use latchkey_test::smtp::{Message, SmtpSink};
use latchkey_test::{ORIGIN, PUBLIC_URL, TestApp, assert_json, assert_problem, session_cookie};
use reqwest::StatusCode;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

/// How long a code and its link live.
const CODE_TTL: Duration = Duration::from_secs(600);

/// A test app whose server sends email to `sink`.
async fn with_sink(sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with(|config| {
        config.smtp_url = Some(sink.url());
        config.email_from = Some("Acme Auth <auth@example.com>".to_owned());
    })
    .await
}

/// Requests an email and returns it and the link-binding cookie.
async fn request_ok(t: &TestApp, sink: &SmtpSink, email: &str, purpose: &str) -> (Message, String) {
    let before = sink.messages().len();
    let res = t.request_email_code(email, purpose).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let binding = link_cookie(&res).expect("binding cookie");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"expires_in": 600}));
    let messages = sink.wait_for(before + 1, WAIT).await;
    (messages[before].clone(), binding)
}

/// The magic-link token of an email.
fn link_token(message: &Message) -> String {
    let link = message.link_containing("/login/magic?token=").unwrap();
    link.split("token=").nth(1).unwrap().to_owned()
}

/// Lets the next email to the same address through the 30-second throttle.
fn pass_the_throttle(t: &TestApp) {
    t.advance(Duration::from_secs(31));
}

#[tokio::test]
async fn sign_up_by_code_through_smtp() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, _) = request_ok(&t, &sink, "New@Example.com", "sign_up").await;
    assert_eq!(message.mail_from, "auth@example.com");
    assert_eq!(message.rcpt_to, vec!["New@Example.com".to_owned()]);
    assert!(message.header("from").unwrap().contains("App acme"));
    assert!(
        message.subject().contains("App acme"),
        "{}",
        message.subject()
    );
    let code = message.code().expect("a 6-digit code");
    let link = message
        .link_containing("/login/magic?token=")
        .expect("a magic link");
    assert!(link.starts_with(&format!("{PUBLIC_URL}/apps/acme/login/magic?token=lk_ml_")));
    let html = message.html_body().expect("an HTML part");
    assert!(html.contains(&code) && html.contains("App acme"));

    let res = t.redeem_code("new@example.com", &code).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(session_cookie(&res).is_some());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], "New@Example.com");
    assert_eq!(body["user"]["email_verified"], true);
    assert_eq!(body["session"]["amr"], json!(["otp"]));
    assert_eq!(
        t.verify_token(body["access_token"].as_str().unwrap()).await["valid"],
        true
    );
    assert_eq!(t.events("user.signed_up").await.len(), 1);
    assert_eq!(t.events("email.sent").await.len(), 1);
}

#[tokio::test]
async fn sign_in_by_code_and_by_magic_link() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = t
        .create_user(json!({"email": "ann@example.com", "email_verified": true}))
        .await;
    let user: Value = res.json().await.unwrap();

    let (message, _) = request_ok(&t, &sink, "ann@example.com", "sign_in").await;
    assert!(message.subject().contains("sign-in code"));
    let res = t
        .redeem_code("ANN@example.com", &message.code().unwrap())
        .await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["id"], user["id"]);
    assert_eq!(body["session"]["amr"], json!(["otp"]));

    // The link, in the browser that asked (it holds the binding cookie).
    pass_the_throttle(&t);
    let (message, binding) = request_ok(&t, &sink, "ann@example.com", "sign_in").await;
    let token = link_token(&message);
    let asker = t.with_cookie(&binding);
    let body = assert_json(asker.redeem_link(&token).await, StatusCode::CREATED).await;
    assert_eq!(body["session"]["amr"], json!(["magic_link"]));
    assert_eq!(body["user"]["id"], user["id"]);

    // Used links and codes are spent.
    let res = asker.redeem_link(&token).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = t
        .redeem_code("ann@example.com", &message.code().unwrap())
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let succeeded = t.events("sign_in.succeeded").await;
    assert_eq!(succeeded.len(), 2);
    assert_eq!(succeeded[0]["data"]["method"], "magic_link");

    // Without a purpose, a request is for signing in.
    pass_the_throttle(&t);
    let before = sink.messages().len();
    let res = t.request_code(json!({"email": "ann@example.com"})).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let messages = sink.wait_for(before + 1, WAIT).await;
    assert!(messages[before].subject().contains("sign-in code"));
}

#[tokio::test]
async fn the_magic_link_page_confirms_before_signing_in() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, binding) = request_ok(&t, &sink, "page@example.com", "sign_up").await;
    let link = message.link_containing("/login/magic?token=").unwrap();
    let asker = t.with_cookie(&binding);

    // Opening the link signs nobody in: a mail scanner following it spends nothing.
    let res = asker.follow(&link).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert!(session_cookie(&res).is_none());
    let html = res.text().await.unwrap();
    assert!(html.contains("Continue signing in") && html.contains("method=\"post\""));
    assert_eq!(t.db.count("users").await, 0);

    // The button posts the token back; from another site it is refused (login CSRF).
    let token = link_token(&message);
    let res = asker
        .with_origin("https://evil.example")
        .magic_submit(&token)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.db.count("users").await, 0);
    let res = asker.with_origin(PUBLIC_URL).magic_submit(&token).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = session_cookie(&res).expect("signed in");
    assert!(res.text().await.unwrap().contains("You are signed in"));
    let res = t.with_cookie(&cookie).me().await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "page@example.com"
    );

    // Opened again: expired.
    let res = asker.follow(&link).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("expired"));
}

#[tokio::test]
async fn a_magic_link_in_another_browser_is_refused_and_the_code_offered() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, _binding) = request_ok(&t, &sink, "far@example.com", "sign_up").await;
    let link = message.link_containing("/login/magic?token=").unwrap();
    let token = link_token(&message);

    // No binding cookie: the API refuses.
    let res = t.redeem_link(&token).await;
    assert_problem(res, StatusCode::FORBIDDEN, "link_other_browser").await;
    // A cookie of another request does not help.
    let res = t
        .with_cookie("latchkey_link=lk_lb_forged")
        .redeem_link(&token)
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "link_other_browser").await;

    // The page says so and offers the code, which works in this browser.
    let res = t.follow(&link).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("only in the browser where you asked"));
    assert!(html.contains("name=\"code\"") && html.contains("/apps/acme/login/code"));
    let code = message.code().unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = t.with_origin(PUBLIC_URL);
    let res = page.code_submit(&token, wrong).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("4 attempts left"));
    let res = page.code_submit(&token, &code).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(session_cookie(&res).is_some());
    assert_eq!(t.db.count("users").await, 1);
}

#[tokio::test]
async fn unbound_links_work_from_a_backend() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let open = t
        .new_app("open", json!({"magic_link_binding": false}))
        .await;
    let before = sink.messages().len();
    let res = open.request_email_code("b@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(before + 1, WAIT).await[before].clone();
    let token = link_token(&message);
    // A backend: no Origin, no cookie.
    let res = open.without_origin().redeem_link(&token).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn verify_email_from_a_session_keeps_the_passkeys() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let mut signed = t.sign_up("pk@example.com").await;
    assert_eq!(signed.body["user"]["email_verified"], false);
    let session = t.with_bearer(signed.access_token());

    // verify_email needs the session, and only for the user's own address.
    let res = t.request_email_code("pk@example.com", "verify_email").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = session
        .request_email_code("other@example.com", "verify_email")
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    let res = session
        .request_email_code("pk@example.com", "verify_email")
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    assert!(
        message.subject().contains("verify"),
        "{}",
        message.subject()
    );
    // Only the session that asked can use it: without it, refused and not spent.
    let code = message.code().unwrap();
    let res = t.redeem_code("pk@example.com", &code).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = session.redeem_code("pk@example.com", &code).await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["email_verified"], true);

    // Nothing was taken away: the passkey signs in and the old session lives.
    assert_eq!(t.db.count("passkeys").await, 1);
    let res = session.me().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        t.sign_in(&mut signed.credential, None).await.status(),
        StatusCode::OK
    );
    assert!(t.events("account.takeover_protection").await.is_empty());
    assert_eq!(t.events("user.email_verified").await.len(), 1);
}

#[tokio::test]
async fn an_unverified_passkey_account_taken_over_by_code_loses_the_foreign_passkey() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    // An attacker signs up first with the victim's address and their own passkey.
    let mut attacker = t.sign_up("victim@example.com").await;
    let attacker_token = attacker.access_token().to_owned();

    // The address's owner signs in by email code.
    let (message, _) = request_ok(&t, &sink, "victim@example.com", "sign_in").await;
    let res = t
        .redeem_code("victim@example.com", &message.code().unwrap())
        .await;
    let owner = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(owner["user"]["id"], attacker.body["user"]["id"]);
    assert_eq!(owner["user"]["email_verified"], true);

    // The attacker's passkey and session are gone.
    assert_eq!(t.db.count("passkeys").await, 0);
    let res = t.with_bearer(&attacker_token).me().await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.sign_in(&mut attacker.credential, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    let protection = t.events("account.takeover_protection").await;
    assert_eq!(protection.len(), 1);
    assert_eq!(
        protection[0]["data"]["passkeys_removed"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        protection[0]["data"]["sessions_revoked"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The owner's own session works.
    let res = t
        .with_bearer(owner["access_token"].as_str().unwrap())
        .me()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn recovery_code_sign_in_then_a_new_passkey() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = t
        .create_user(json!({"email": "lost@example.com", "email_verified": true}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (message, _) = request_ok(&t, &sink, "lost@example.com", "sign_in").await;
    let res = t
        .redeem_code("lost@example.com", &message.code().unwrap())
        .await;
    let body: Value = res.json().await.unwrap();
    let recovering = t.with_bearer(body["access_token"].as_str().unwrap());

    let (response, mut credential) = recovering
        .registration(json!({}), &CreateOptions::new(ORIGIN))
        .await;
    let res = t.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let recovered = t.events("account.recovered").await;
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0]["user_id"], body["user"]["id"]);
    assert_eq!(recovered[0]["data"]["amr"], json!(["otp"]));

    let res = t.sign_in(&mut credential, Some("lost@example.com")).await;
    let signed_in = assert_json(res, StatusCode::OK).await;
    // A passkey added from a passkey session is no recovery.
    let passkey_session = t.with_bearer(signed_in["access_token"].as_str().unwrap());
    let (response, _) = passkey_session
        .registration(json!({}), &CreateOptions::new(ORIGIN))
        .await;
    assert_eq!(
        t.finish_registration(&response).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(t.events("account.recovered").await.len(), 1);
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, _) = request_ok(&t, &sink, "five@example.com", "sign_up").await;
    let code = message.code().unwrap();
    let wrong = if code == "123456" { "654321" } else { "123456" };
    for left in (0..5).rev() {
        let res = t.redeem_code("five@example.com", wrong).await;
        let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
        assert_eq!(body["attempts_left"], left);
    }
    let res = t.redeem_code("five@example.com", &code).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    assert_eq!(body["attempts_left"], 0);
    // The link of the same email died with it.
    let res = t.redeem_link(&link_token(&message)).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("users").await, 0);
    assert_eq!(t.events("sign_in.failed").await.len(), 5);

    // A new request brings a new, working code.
    pass_the_throttle(&t);
    let (message, _) = request_ok(&t, &sink, "five@example.com", "sign_up").await;
    let res = t
        .redeem_code("five@example.com", &message.code().unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn expired_codes_and_links_are_refused() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, binding) = request_ok(&t, &sink, "late@example.com", "sign_up").await;
    t.advance(CODE_TTL);
    let res = t
        .redeem_code("late@example.com", &message.code().unwrap())
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = t
        .with_cookie(&binding)
        .redeem_link(&link_token(&message))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn a_code_works_until_its_ten_minutes_are_up() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, _) = request_ok(&t, &sink, "onTime@example.com", "sign_up").await;
    t.advance(CODE_TTL - Duration::from_secs(10));
    let res = t
        .redeem_code("ontime@example.com", &message.code().unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // So does a link, in the browser that asked.
    let (message, binding) = request_ok(&t, &sink, "link@example.com", "sign_up").await;
    t.advance(CODE_TTL - Duration::from_secs(10));
    let res = t
        .with_cookie(&binding)
        .redeem_link(&link_token(&message))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_second_request_replaces_the_first_code() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (first, first_binding) = request_ok(&t, &sink, "twice@example.com", "sign_up").await;
    pass_the_throttle(&t);
    let (second, _) = request_ok(&t, &sink, "twice@example.com", "sign_up").await;
    let (a, b) = (first.code().unwrap(), second.code().unwrap());
    if a != b {
        let res = t.redeem_code("twice@example.com", &a).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    }
    // The first link is dead too.
    let res = t
        .with_cookie(&first_binding)
        .redeem_link(&link_token(&first))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = t.redeem_code("twice@example.com", &b).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// The `Retry-After` of a 429, in seconds.
fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse::<u64>()
        .unwrap()
}

#[tokio::test]
async fn requests_are_throttled_per_address_with_retry_after() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    request_ok(&t, &sink, "busy@example.com", "sign_up").await;
    let res = t.request_email_code("busy@example.com", "sign_up").await;
    let retry = retry_after(&res);
    assert!((1..=30).contains(&retry), "{retry}");
    let body = assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(body["retry_after"], retry);
    // Neither case, a +tag nor quotes dodge it (one mailbox); another address is unaffected.
    for alias in [
        "BUSY@example.com",
        "busy+x@example.com",
        "\"busy\"@example.com",
    ] {
        let res = t.request_email_code(alias, "sign_in").await;
        assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }
    request_ok(&t, &sink, "calm@example.com", "sign_up").await;
    // At gmail.com, dots do not either.
    request_ok(&t, &sink, "busy.bee@gmail.com", "sign_up").await;
    let res = t
        .request_email_code("b.u.s.y.b.e.e+1@gmail.com", "sign_up")
        .await;
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Five an hour: after the 30-second gaps, the sixth is refused for most of the hour.
    for _ in 0..4 {
        pass_the_throttle(&t);
        request_ok(&t, &sink, "busy@example.com", "sign_up").await;
    }
    pass_the_throttle(&t);
    let res = t.request_email_code("busy@example.com", "sign_up").await;
    let retry = retry_after(&res);
    assert!(retry > 30 && retry <= 3600, "{retry}");
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(sink.messages().len(), 7);

    // Once the hour has passed, the address may ask again.
    t.advance(Duration::from_secs(retry));
    request_ok(&t, &sink, "busy@example.com", "sign_up").await;
    assert_eq!(sink.messages().len(), 8);
}

#[tokio::test]
async fn known_and_unknown_addresses_get_identical_answers() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let quiet = t
        .new_app("quiet", json!({"unknown_email_sign_up": false}))
        .await;
    let res = quiet
        .create_user(json!({"email": "known@example.com", "email_verified": true}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let known = quiet
        .request_email_code("known@example.com", "sign_in")
        .await;
    let unknown = quiet
        .request_email_code("stranger@example.com", "sign_in")
        .await;
    assert_eq!(known.status(), unknown.status());
    let header_names = |r: &reqwest::Response| {
        let mut names: Vec<String> = r
            .headers()
            .keys()
            .map(|k| k.to_string())
            .filter(|k| k != "date")
            .collect();
        names.sort();
        names
    };
    assert_eq!(header_names(&known), header_names(&unknown));
    assert!(link_cookie(&known).is_some() && link_cookie(&unknown).is_some());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());

    // Only the account's owner got mail.
    let messages = sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(messages[0].rcpt_to, vec!["known@example.com".to_owned()]);
    // Both are throttled alike.
    let again_known = quiet
        .request_email_code("known@example.com", "sign_in")
        .await;
    let again_unknown = quiet
        .request_email_code("stranger@example.com", "sign_in")
        .await;
    assert_eq!(again_known.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again_unknown.status(), StatusCode::TOO_MANY_REQUESTS);

    // With sign-up open to unknown addresses (the default), a sign_in to a stranger sends a
    // sign-up email instead.
    let before = sink.messages().len();
    let res = t
        .request_email_code("stranger@example.com", "sign_in")
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(before + 1, WAIT).await[before].clone();
    assert!(
        message.subject().contains("create"),
        "{}",
        message.subject()
    );
}

/// The `email.delivery_failed` events, once there is one (polling up to 10 s).
async fn delivery_failures(t: &TestApp) -> Vec<Value> {
    t.events_once_there("email.delivery_failed").await
}

#[tokio::test]
async fn smtp_down_still_answers_202_and_records_the_failure() {
    // A port where nothing listens.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let t = TestApp::spawn_with(|config| {
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let res = t.request_email_code("down@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let failed = delivery_failures(&t).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["data"]["purpose"], "sign_up");
    assert!(
        failed[0]["data"]["error"]
            .as_str()
            .unwrap()
            .contains("SMTP")
    );
    // The request itself is whole: one pending code, no user, nothing else.
    assert_eq!(t.db.count("email_codes").await, 1);
    assert_eq!(t.db.count("users").await, 0);
    assert!(t.events("email.sent").await.is_empty());
}

#[tokio::test]
async fn smtp_with_authentication() {
    let sink = SmtpSink::start_with_auth("mailer", "s3cret pass").await;
    let t = with_sink(&sink).await;
    let (message, _) = request_ok(&t, &sink, "auth@example.com", "sign_up").await;
    assert!(message.authenticated);
}

#[tokio::test]
async fn a_rejected_delivery_is_recorded() {
    let sink = SmtpSink::start().await;
    sink.fail_deliveries(true);
    let t = with_sink(&sink).await;
    let res = t.request_email_code("bounce@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(delivery_failures(&t).await.len(), 1);
}

#[tokio::test]
async fn without_smtp_emails_land_in_the_outbox() {
    let t = TestApp::spawn().await;
    let res = t.request_email_code("box@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let outbox = t.db.data_dir.join("outbox");
    let mut files = Vec::new();
    for _ in 0..100 {
        files = std::fs::read_dir(&outbox)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        if !files.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    let message = Message {
        mail_from: String::new(),
        rcpt_to: Vec::new(),
        raw,
        authenticated: false,
        tls: false,
    };
    assert_eq!(message.header("to").unwrap(), "box@example.com");
    let code = message.code().expect("code in the .eml");
    let res = t.redeem_code("box@example.com", &code).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    // The log says where the email went, never the code.
    let log = std::fs::read_to_string(t.db.data_dir.join("server.log")).unwrap();
    assert!(log.contains("outbox"));
    assert!(!log.contains(&code));
}

#[tokio::test]
async fn templates_are_per_app() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let de = t
        .new_app(
            "de",
            json!({"name": "Laden", "email_templates": {"sign_up": {
            "subject": "Ihr Code für {{app_name}}: {{code}}",
            "text": "Ihr Code lautet {{code}}. Er gilt {{minutes}} Minuten. {{link}}"}}}),
        )
        .await;
    let res = de.request_email_code("k@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    let code = message.code().unwrap();
    assert_eq!(message.subject(), format!("Ihr Code für Laden: {code}"));
    assert!(message.text_body().contains("Er gilt 10 Minuten"));
    // Bad templates are refused when the app is saved.
    let res = t
        .patch_app(
            "de",
            json!({"email_templates": {"sign_up": {"text": "no code"}}}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn bad_email_requests_are_refused() {
    let t = TestApp::spawn().await;
    for body in [
        json!({"email": "not-an-address", "purpose": "sign_in"}),
        json!({"email": "a@example.com", "purpose": "hello"}),
        json!({"email": "a@example.com", "purpose": null}),
        json!({"purpose": "sign_in"}),
        json!({"email": 5, "purpose": "sign_in"}),
    ] {
        let res = t.request_code(body).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    for body in [
        json!({"method": "email_otp", "email": "a@example.com", "code": "12345"}),
        json!({"method": "email_otp", "email": "a@example.com", "code": "abcdef"}),
        json!({"method": "email_otp", "email": "nope", "code": "123456"}),
        json!({"method": "password", "email": "a@example.com"}),
        json!({"method": "magic_link"}),
        json!({}),
    ] {
        let res = t.create_session(body).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    // A code for an address that never asked is simply wrong.
    let res = t.redeem_code("never@example.com", "123456").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    let res = t.redeem_link("lk_ml_unknown").await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("email_codes").await, 0);
    // The app's configuration lists the email methods.
    let config: Value = t.without_origin().config().await.json().await.unwrap();
    assert_eq!(
        config["methods"],
        json!(["passkey", "email_otp", "magic_link"])
    );
}

#[tokio::test]
async fn a_verify_email_code_cannot_hand_a_seeded_account_to_its_seeder() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    // The attacker seeds victim@ with their own passkey and asks to verify it from that session.
    let mut attacker = t.sign_up("victim@example.com").await;
    let res = t
        .with_bearer(attacker.access_token())
        .request_email_code("victim@example.com", "verify_email")
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    let code = message.code().unwrap();
    let token = link_token(&message);
    // The victim, holding the email but not the attacker's session, cannot use it anywhere.
    let res = t.redeem_code("victim@example.com", &code).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = t.with_origin(PUBLIC_URL).code_submit(&token, &code).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&res).is_none());
    // So the address stays unverified, and the victim's own sign-in by code still removes the
    // attacker's passkey.
    let user: Value = t.get_user(attacker.user_id()).await.json().await.unwrap();
    assert_eq!(user["email_verified"], false);
    pass_the_throttle(&t);
    let (message, _) = request_ok(&t, &sink, "victim@example.com", "sign_in").await;
    let res = t
        .redeem_code("victim@example.com", &message.code().unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(t.events("account.takeover_protection").await.len(), 1);
    let res = t.sign_in(&mut attacker.credential, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
}

#[tokio::test]
async fn wrong_codes_answer_alike_for_known_and_unknown_addresses() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let quiet = t
        .new_app("quiet", json!({"unknown_email_sign_up": false}))
        .await;
    let res = quiet
        .create_user(json!({"email": "known@example.com", "email_verified": true}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut answers = Vec::new();
    for email in ["known@example.com", "stranger@example.com"] {
        let res = quiet.request_email_code(email, "sign_in").await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        // A real code of 000000 is a one-in-a-million chance; the decoy never matches.
        let res = quiet.redeem_code(email, "000000").await;
        answers.push(assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0]["attempts_left"], 4);
}

/// With `sign_up_email_first`, passkey sign-up answers the same for every address, one with an
/// account, one without, or none, so it tells nothing; a new account comes from an email code,
/// then its passkey is added signed in. The hosted page offers only that.
#[tokio::test]
async fn an_app_can_make_sign_up_tell_nothing() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let shop = t
        .new_app("shop", json!({"sign_up_email_first": true}))
        .await;
    let res = shop
        .create_user(json!({"email": "known@example.com", "email_verified": true}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut answers = Vec::new();
    for body in [
        json!({"email": "known@example.com"}),
        json!({"email": "stranger@example.com"}),
        json!({}),
    ] {
        let res = shop.register_options(body).await;
        answers.push(assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert!(
        answers[0]["detail"]
            .as_str()
            .unwrap()
            .contains("email code")
    );
    let config = assert_json(shop.config().await, StatusCode::OK).await;
    assert_eq!(config["sign_up_email_first"], true);
    // The hosted page (of an app whose origins include this server's) offers only the code.
    let hosted = |id: &str, first: bool| {
        let settings = json!({"rp_id": "localhost", "origins": [PUBLIC_URL],
            "sign_up_email_first": first});
        let (t, id) = (t.clone(), id.to_owned());
        async move { t.new_app(&id, settings).await.login_page("").await }
    };
    let page = hosted("hosted-first", true).await.text().await.unwrap();
    assert!(page.contains("data-email-first") && !page.contains("Create account with a passkey"));
    let page = hosted("hosted", false).await.text().await.unwrap();
    assert!(!page.contains("data-email-first") && page.contains("Create account with a passkey"));

    // The way in: a code, then a passkey added while signed in.
    let (message, _) = request_ok(&shop, &sink, "new@example.com", "sign_up").await;
    let res = shop
        .redeem_code("new@example.com", &message.code().unwrap())
        .await;
    let cookie = session_cookie(&res).unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let signed_in = shop.with_cookie(&cookie);
    let (response, _) = signed_in
        .registration(json!({}), &CreateOptions::new(ORIGIN))
        .await;
    let res = signed_in.finish_registration(&response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let passkeys = assert_json(signed_in.list_passkeys().await, StatusCode::OK).await;
    assert_eq!(passkeys["items"].as_array().unwrap().len(), 1);

    // The default app still signs up with a passkey directly…
    t.sign_up("direct@example.com").await;
    // …but a registration begun before it switches does not finish after.
    let (response, _) = t
        .registration(
            json!({"email": "late@example.com"}),
            &CreateOptions::new(ORIGIN),
        )
        .await;
    let res = t
        .patch_app("acme", json!({"sign_up_email_first": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = t.finish_registration(&response).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    // known, new and direct: no late.
    assert_eq!(t.db.count("users").await, 3);
}

/// `POST otp/email/status` from the browser holding `binding`.
async fn link_status(t: &TestApp, binding: Option<&str>) -> reqwest::Response {
    let view = binding.map_or_else(|| t.clone(), |b| t.with_cookie(b));
    let path = format!("/apps/{}/otp/email/status", t.app);
    view.request(reqwest::Method::POST, &path)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
}

/// The other-device page's confirm button, posted from `origin`.
async fn approve(t: &TestApp, origin: &str, token: &str) -> reqwest::Response {
    let path = format!("/apps/{}/login/magic/approve", t.app);
    t.with_origin(origin)
        .request(reqwest::Method::POST, &path)
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
}

/// Cross-device sign-in by link: a link opened in another browser can be confirmed there, and
/// the browser that asked, checking `otp/email/status`, then signs in, once. Only that browser
/// can; the confirmation is refused from another site, for a used link and for an email that
/// only verifies an address; the code stays the fallback until then.
#[tokio::test]
async fn a_link_confirmed_on_another_device_signs_in_the_browser_that_asked() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    // Off by default: the other device's page offers only the code.
    let (message, _) = request_ok(&t, &sink, "near@example.com", "sign_up").await;
    let res = t
        .follow(&message.link_containing("/login/magic?token=").unwrap())
        .await;
    assert!(!res.text().await.unwrap().contains("/login/magic/approve"));
    let res = approve(&t, PUBLIC_URL, &link_token(&message)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = t
        .patch_app("acme", json!({"cross_device_links": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let config = assert_json(t.config().await, StatusCode::OK).await;
    assert_eq!(config["cross_device_links"], true);

    let (message, binding) = request_ok(&t, &sink, "far@example.com", "sign_up").await;
    let link = message.link_containing("/login/magic?token=").unwrap();
    let token = link_token(&message);
    let res = link_status(&t, Some(&binding)).await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await,
        json!({"status": "pending"})
    );
    // A browser that asked for nothing has nothing to check.
    let res = link_status(&t, None).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = link_status(&t, Some("latchkey_link=lk_lb_forged")).await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await,
        json!({"status": "over"})
    );

    // The other device's page offers the confirmation beside the code.
    let res = t.follow(&link).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("/apps/acme/login/magic/approve") && html.contains("name=\"code\""));
    let res = approve(&t, "https://evil.example", &token).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = approve(&t, PUBLIC_URL, &token).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Go back to your other device")
    );
    assert_eq!(t.events("email.link_approved").await.len(), 1);
    // Once is enough.
    let res = approve(&t, PUBLIC_URL, &token).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // The browser that asked signs in, with a session cookie, once.
    let res = link_status(&t, Some(&binding)).await;
    assert!(session_cookie(&res).is_some());
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["email"], "far@example.com");
    assert_eq!(body["session"]["amr"], json!(["magic_link"]));
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(t.verify_token(access).await["valid"], true);
    let res = link_status(&t, Some(&binding)).await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await,
        json!({"status": "over"})
    );
    // The code was spent with it.
    let res = t
        .redeem_code("far@example.com", &message.code().unwrap())
        .await;
    assert_ne!(res.status(), StatusCode::CREATED);

    // An email that only verifies an address cannot be confirmed from elsewhere.
    t.advance(Duration::from_secs(31));
    let res = t
        .with_bearer(access)
        .request_code(json!({"email": "far@example.com", "purpose": "verify_email"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let verify = sink.wait_for(3, WAIT).await[2].clone();
    let res = approve(&t, PUBLIC_URL, &link_token(&verify)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
