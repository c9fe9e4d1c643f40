//! Email one-time codes and magic links, delivered through a real SMTP conversation with a
//! local sink (and, in one test, through the `.eml` outbox).

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ORIGIN, PUBLIC_URL, TestApp, assert_problem, session_cookie};
use crate::smtp::{Message, SmtpSink};

const WAIT: Duration = Duration::from_secs(10);

/// A test app whose server sends email to `sink`.
async fn with_sink(sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with(&[
        ("LATCHKEY_SMTP_URL", &sink.url()),
        ("LATCHKEY_EMAIL_FROM", "Acme Auth <auth@example.com>"),
    ])
    .await
}

async fn request(t: &TestApp, email: &str, purpose: &str) -> reqwest::Response {
    t.post("/otp/email", &json!({"email": email, "purpose": purpose}))
        .await
}

/// Requests an email and returns it and the link-binding cookie.
async fn request_ok(t: &TestApp, sink: &SmtpSink, email: &str, purpose: &str) -> (Message, String) {
    let before = sink.messages().len();
    let res = request(t, email, purpose).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let binding = binding_cookie(&res).expect("binding cookie");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"expires_in": 600}));
    let messages = sink.wait_for(before + 1, WAIT).await;
    (messages[before].clone(), binding)
}

fn binding_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("latchkey_link="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

async fn redeem_code(t: &TestApp, email: &str, code: &str) -> reqwest::Response {
    t.post(
        "/sessions",
        &json!({"method": "email_otp", "email": email, "code": code}),
    )
    .await
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

/// Lets the next email to the same address through the 30-second throttle.
async fn age_throttle(t: &TestApp) {
    t.db.execute("update rate_events set at = at - 31").await;
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

    let res = redeem_code(&t, "new@example.com", &code).await;
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
        .api(Method::POST, "/users")
        .json(&json!({"email": "ann@example.com", "email_verified": true}))
        .send()
        .await
        .unwrap();
    let user: Value = res.json().await.unwrap();

    let (message, _) = request_ok(&t, &sink, "ann@example.com", "sign_in").await;
    assert!(message.subject().contains("sign-in code"));
    let res = redeem_code(&t, "ANN@example.com", &message.code().unwrap()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["id"], user["id"]);
    assert_eq!(body["session"]["amr"], json!(["otp"]));

    // The link, in the browser that asked (it holds the binding cookie).
    age_throttle(&t).await;
    let (message, binding) = request_ok(&t, &sink, "ann@example.com", "sign_in").await;
    let token = token_of(&message.link_containing("/login/magic?token=").unwrap());
    let res = t
        .browser(Method::POST, "/sessions")
        .header("cookie", &binding)
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["session"]["amr"], json!(["magic_link"]));
    assert_eq!(body["user"]["id"], user["id"]);

    // Used links and codes are spent.
    let res = t
        .browser(Method::POST, "/sessions")
        .header("cookie", &binding)
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = redeem_code(&t, "ann@example.com", &message.code().unwrap()).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let succeeded = t.events("sign_in.succeeded").await;
    assert_eq!(succeeded.len(), 2);
    assert_eq!(succeeded[0]["data"]["method"], "magic_link");
}

#[tokio::test]
async fn the_magic_link_page_confirms_before_signing_in() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, binding) = request_ok(&t, &sink, "page@example.com", "sign_up").await;
    let link = message.link_containing("/login/magic?token=").unwrap();
    let path = link.strip_prefix(PUBLIC_URL).unwrap();

    // Opening the link signs nobody in: a mail scanner following it spends nothing.
    let res = t
        .http
        .get(t.url(path))
        .header("cookie", &binding)
        .send()
        .await
        .unwrap();
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
    let token = token_of(&link);
    let form = [("token", token.as_str())];
    let res = t
        .http
        .post(t.url("/apps/acme/login/magic"))
        .header("cookie", &binding)
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.db.count("users").await, 0);
    let res = t
        .http
        .post(t.url("/apps/acme/login/magic"))
        .header("cookie", &binding)
        .header("origin", "http://localhost:8080")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = session_cookie(&res).expect("signed in");
    assert!(res.text().await.unwrap().contains("You are signed in"));
    let res = t
        .browser(Method::GET, "/me")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.json::<Value>().await.unwrap()["email"],
        "page@example.com"
    );

    // Opened again: expired.
    let res = t
        .http
        .get(t.url(path))
        .header("cookie", &binding)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("expired"));
}

#[tokio::test]
async fn a_magic_link_in_another_browser_is_refused_and_the_code_offered() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, _binding) = request_ok(&t, &sink, "far@example.com", "sign_up").await;
    let link = message.link_containing("/login/magic?token=").unwrap();
    let token = token_of(&link);

    // No binding cookie: the API refuses.
    let res = t
        .post(
            "/sessions",
            &json!({"method": "magic_link", "token": token}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "link_other_browser").await;
    // A cookie of another request does not help.
    let res = t
        .browser(Method::POST, "/sessions")
        .header("cookie", "latchkey_link=lk_lb_forged")
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "link_other_browser").await;

    // The page says so and offers the code, which works in this browser.
    let res = t
        .http
        .get(t.url(link.strip_prefix(PUBLIC_URL).unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("only in the browser where you asked"));
    assert!(html.contains("name=\"code\"") && html.contains("/apps/acme/login/code"));
    let code = message.code().unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = t
        .http
        .post(t.url("/apps/acme/login/code"))
        .header("origin", PUBLIC_URL)
        .form(&[("token", token.as_str()), ("code", wrong)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("4 attempts left"));
    let res = t
        .http
        .post(t.url("/apps/acme/login/code"))
        .header("origin", PUBLIC_URL)
        .form(&[("token", token.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(session_cookie(&res).is_some());
    assert_eq!(t.db.count("users").await, 1);
}

#[tokio::test]
async fn unbound_links_work_from_a_backend() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    t.create_app("open", json!({"magic_link_binding": false}))
        .await;
    let before = sink.messages().len();
    let res = t
        .browser_for("open", Method::POST, "/otp/email")
        .json(&json!({"email": "b@example.com", "purpose": "sign_up"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(before + 1, WAIT).await[before].clone();
    let token = token_of(&message.link_containing("/login/magic?token=").unwrap());
    let res = t
        .http
        .post(t.url("/apps/open/sessions"))
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn verify_email_from_a_session_keeps_the_passkeys() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let mut signed = t.sign_up("pk@example.com").await;
    assert_eq!(signed.body["user"]["email_verified"], false);
    let token = signed.access_token().to_owned();

    // verify_email needs the session, and only for the user's own address.
    let res = request(&t, "pk@example.com", "verify_email").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t
        .browser(Method::POST, "/otp/email")
        .bearer_auth(&token)
        .json(&json!({"email": "other@example.com", "purpose": "verify_email"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;

    let res = t
        .browser(Method::POST, "/otp/email")
        .bearer_auth(&token)
        .json(&json!({"email": "pk@example.com", "purpose": "verify_email"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    assert!(
        message.subject().contains("verify"),
        "{}",
        message.subject()
    );
    // Only the session that asked can use it: without it, refused and not spent.
    let res = redeem_code(&t, "pk@example.com", &message.code().unwrap()).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = t
        .browser(Method::POST, "/sessions")
        .bearer_auth(&token)
        .json(&json!({"method": "email_otp", "email": "pk@example.com", "code": message.code().unwrap()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email_verified"], true);

    // Nothing was taken away: the passkey signs in and the old session lives.
    assert_eq!(t.db.count("passkeys").await, 1);
    let res = t
        .browser(Method::GET, "/me")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
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
    let res = redeem_code(&t, "victim@example.com", &message.code().unwrap()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let owner: Value = res.json().await.unwrap();
    assert_eq!(owner["user"]["id"], attacker.body["user"]["id"]);
    assert_eq!(owner["user"]["email_verified"], true);

    // The attacker's passkey and session are gone.
    assert_eq!(t.db.count("passkeys").await, 0);
    let res = t
        .browser(Method::GET, "/me")
        .bearer_auth(&attacker_token)
        .send()
        .await
        .unwrap();
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
        .browser(Method::GET, "/me")
        .bearer_auth(owner["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn recovery_code_sign_in_then_a_new_passkey() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = t
        .api(Method::POST, "/users")
        .json(&json!({"email": "lost@example.com", "email_verified": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let (message, _) = request_ok(&t, &sink, "lost@example.com", "sign_in").await;
    let res = redeem_code(&t, "lost@example.com", &message.code().unwrap()).await;
    let body: Value = res.json().await.unwrap();
    let token = body["access_token"].as_str().unwrap().to_owned();

    let res = t
        .browser(Method::POST, "/passkeys/register/options")
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let options: Value = res.json().await.unwrap();
    let (response, mut credential) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    let res = t.post("/passkeys/register/verify", &response).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let recovered = t.events("account.recovered").await;
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0]["user_id"], body["user"]["id"]);
    assert_eq!(recovered[0]["data"]["amr"], json!(["otp"]));

    let options = t.authenticate_options(Some("lost@example.com")).await;
    let assertion = latchkey_authenticator::get(
        &options["publicKey"],
        &mut credential,
        &GetOptions::new(ORIGIN),
    )
    .unwrap();
    let res = t.post("/passkeys/authenticate/verify", &assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    // A passkey added from a passkey session is no recovery.
    let passkey_token = res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t
        .browser(Method::POST, "/passkeys/register/options")
        .bearer_auth(&passkey_token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let options: Value = res.json().await.unwrap();
    let (response, _) =
        latchkey_authenticator::create(&options["publicKey"], &CreateOptions::new(ORIGIN)).unwrap();
    assert_eq!(
        t.post("/passkeys/register/verify", &response)
            .await
            .status(),
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
        let res = redeem_code(&t, "five@example.com", wrong).await;
        let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
        assert_eq!(body["attempts_left"], left);
    }
    let res = redeem_code(&t, "five@example.com", &code).await;
    let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    assert_eq!(body["attempts_left"], 0);
    // The link of the same email died with it.
    let token = token_of(&message.link_containing("/login/magic?token=").unwrap());
    let res = t
        .post(
            "/sessions",
            &json!({"method": "magic_link", "token": token}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("users").await, 0);
    assert_eq!(t.events("sign_in.failed").await.len(), 5);

    // A new request brings a new, working code.
    age_throttle(&t).await;
    let (message, _) = request_ok(&t, &sink, "five@example.com", "sign_up").await;
    let res = redeem_code(&t, "five@example.com", &message.code().unwrap()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn expired_codes_and_links_are_refused() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (message, binding) = request_ok(&t, &sink, "late@example.com", "sign_up").await;
    t.db.execute("update email_codes set expires_at = 0").await;
    let res = redeem_code(&t, "late@example.com", &message.code().unwrap()).await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let token = token_of(&message.link_containing("/login/magic?token=").unwrap());
    let res = t
        .browser(Method::POST, "/sessions")
        .header("cookie", &binding)
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("users").await, 0);
}

#[tokio::test]
async fn a_second_request_replaces_the_first_code() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let (first, first_binding) = request_ok(&t, &sink, "twice@example.com", "sign_up").await;
    age_throttle(&t).await;
    let (second, _) = request_ok(&t, &sink, "twice@example.com", "sign_up").await;
    let (a, b) = (first.code().unwrap(), second.code().unwrap());
    if a != b {
        let res = redeem_code(&t, "twice@example.com", &a).await;
        assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    }
    // The first link is dead too.
    let token = token_of(&first.link_containing("/login/magic?token=").unwrap());
    let res = t
        .browser(Method::POST, "/sessions")
        .header("cookie", &first_binding)
        .json(&json!({"method": "magic_link", "token": token}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    let res = redeem_code(&t, "twice@example.com", &b).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn requests_are_throttled_per_address_with_retry_after() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    request_ok(&t, &sink, "busy@example.com", "sign_up").await;
    let res = request(&t, "busy@example.com", "sign_up").await;
    let retry = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    let body = assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(body["retry_after"], retry);
    // Case does not dodge it; another address is unaffected.
    let res = request(&t, "BUSY@example.com", "sign_in").await;
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    request_ok(&t, &sink, "calm@example.com", "sign_up").await;

    // Five an hour: after the 30-second gaps, the sixth is refused for most of the hour.
    for _ in 0..4 {
        age_throttle(&t).await;
        request_ok(&t, &sink, "busy@example.com", "sign_up").await;
    }
    age_throttle(&t).await;
    let res = request(&t, "busy@example.com", "sign_up").await;
    let retry = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert!(retry > 30 && retry <= 3600, "{retry}");
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(sink.messages().len(), 6);
}

#[tokio::test]
async fn known_and_unknown_addresses_get_identical_answers() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    t.create_app("quiet", json!({"unknown_email_sign_up": false}))
        .await;
    let key = {
        let res = t
            .admin(Method::POST, "/admin/apps/quiet/api-keys")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        res.json::<Value>().await.unwrap()["secret"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let res = t
        .http
        .post(t.url("/apps/quiet/users"))
        .bearer_auth(&key)
        .json(&json!({"email": "known@example.com", "email_verified": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let ask = |email: &'static str| {
        t.browser_for("quiet", Method::POST, "/otp/email")
            .json(&json!({"email": email, "purpose": "sign_in"}))
            .send()
    };
    let known = ask("known@example.com").await.unwrap();
    let unknown = ask("stranger@example.com").await.unwrap();
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
    assert!(binding_cookie(&known).is_some() && binding_cookie(&unknown).is_some());
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());

    // Only the account's owner got mail.
    let messages = sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(messages[0].rcpt_to, vec!["known@example.com".to_owned()]);
    // Both are throttled alike.
    let again_known = ask("known@example.com").await.unwrap().status();
    let again_unknown = ask("stranger@example.com").await.unwrap().status();
    assert_eq!(again_known, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again_unknown, StatusCode::TOO_MANY_REQUESTS);

    // With sign-up open to unknown addresses (the default), a sign_in to a stranger sends a
    // sign-up email instead.
    let before = sink.messages().len();
    let res = request(&t, "stranger@example.com", "sign_in").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(before + 1, WAIT).await[before].clone();
    assert!(
        message.subject().contains("create"),
        "{}",
        message.subject()
    );
}

#[tokio::test]
async fn smtp_down_still_answers_202_and_records_the_failure() {
    // A port where nothing listens.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("smtp://127.0.0.1:{port}");
    let t = TestApp::spawn_with(&[("LATCHKEY_SMTP_URL", url.as_str())]).await;
    let res = request(&t, "down@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mut failed = Vec::new();
    for _ in 0..100 {
        failed = t.events("email.delivery_failed").await;
        if !failed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    let res = request(&t, "bounce@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mut failed = Vec::new();
    for _ in 0..100 {
        failed = t.events("email.delivery_failed").await;
        if !failed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(failed.len(), 1);
}

#[tokio::test]
async fn without_smtp_emails_land_in_the_outbox() {
    let t = TestApp::spawn().await;
    let res = request(&t, "box@example.com", "sign_up").await;
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
    let res = redeem_code(&t, "box@example.com", &code).await;
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
    t.create_app(
        "de",
        json!({"name": "Laden", "email_templates": {"sign_up": {
        "subject": "Ihr Code für {{app_name}}: {{code}}",
        "text": "Ihr Code lautet {{code}}. Er gilt {{minutes}} Minuten. {{link}}"}}}),
    )
    .await;
    let res = t
        .browser_for("de", Method::POST, "/otp/email")
        .json(&json!({"email": "k@example.com", "purpose": "sign_up"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    let code = message.code().unwrap();
    assert_eq!(message.subject(), format!("Ihr Code für Laden: {code}"));
    assert!(message.text_body().contains("Er gilt 10 Minuten"));
    // Bad templates are refused when the app is saved.
    let res = t
        .admin(Method::PATCH, "/admin/apps/de")
        .json(&json!({"email_templates": {"sign_up": {"text": "no code"}}}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn bad_email_requests_are_refused() {
    let t = TestApp::spawn().await;
    for body in [
        json!({"email": "not-an-address", "purpose": "sign_in"}),
        json!({"email": "a@example.com", "purpose": "hello"}),
        json!({"email": "a@example.com"}),
        json!({"purpose": "sign_in"}),
        json!({"email": 5, "purpose": "sign_in"}),
    ] {
        let res = t.post("/otp/email", &body).await;
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
        let res = t.post("/sessions", &body).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    // A code for an address that never asked is simply wrong.
    let res = redeem_code(&t, "never@example.com", "123456").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    let res = t
        .post(
            "/sessions",
            &json!({"method": "magic_link", "token": "lk_ml_unknown"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "challenge_expired").await;
    assert_eq!(t.db.count("email_codes").await, 0);
    // The app's configuration lists the email methods.
    let config: Value = t
        .http
        .get(t.url("/apps/acme/config"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
        .browser(Method::POST, "/otp/email")
        .bearer_auth(attacker.access_token())
        .json(&json!({"email": "victim@example.com", "purpose": "verify_email"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let message = sink.wait_for(1, WAIT).await[0].clone();
    let code = message.code().unwrap();
    let token = token_of(&message.link_containing("/login/magic?token=").unwrap());
    // The victim, holding the email but not the attacker's session, cannot use it anywhere.
    let res = redeem_code(&t, "victim@example.com", &code).await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = t
        .http
        .post(t.url("/apps/acme/login/code"))
        .header("origin", PUBLIC_URL)
        .form(&[("token", token.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(session_cookie(&res).is_none());
    // So the address stays unverified, and the victim's own sign-in by code still removes the
    // attacker's passkey.
    let user: Value = t
        .api(Method::GET, &format!("/users/{}", attacker.user_id()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["email_verified"], false);
    age_throttle(&t).await;
    let (message, _) = request_ok(&t, &sink, "victim@example.com", "sign_in").await;
    let res = redeem_code(&t, "victim@example.com", &message.code().unwrap()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(t.events("account.takeover_protection").await.len(), 1);
    let res = t.sign_in(&mut attacker.credential, None).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
}

#[tokio::test]
async fn wrong_codes_answer_alike_for_known_and_unknown_addresses() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    t.create_app("quiet", json!({"unknown_email_sign_up": false}))
        .await;
    let key = t
        .admin(Method::POST, "/admin/apps/quiet/api-keys")
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t
        .http
        .post(t.url("/apps/quiet/users"))
        .bearer_auth(&key)
        .json(&json!({"email": "known@example.com", "email_verified": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut answers = Vec::new();
    for email in ["known@example.com", "stranger@example.com"] {
        let res = t
            .browser_for("quiet", Method::POST, "/otp/email")
            .json(&json!({"email": email, "purpose": "sign_in"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        // A real code of 000000 is a one-in-a-million chance; the decoy never matches.
        let res = t
            .browser_for("quiet", Method::POST, "/sessions")
            .json(&json!({"method": "email_otp", "email": email, "code": "000000"}))
            .send()
            .await
            .unwrap();
        answers.push(assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0]["attempts_left"], 4);
}
