//! Multi-factor authentication over HTTP: the app's policy, enrolling an authenticator app,
//! the second step of a sign-in (TOTP, backup code, passkey), the rules that refuse (replays,
//! five wrong codes, per-user throttling, expiry), recent authentication, the operator's reset
//! and the security notices. TOTP codes are computed here from the enrolled secret at the
//! server's clock, as an authenticator app would, never read back from the server.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, Credential, GetOptions};
use latchkey_test::helpers::header;
use latchkey_test::smtp::SmtpSink;
use latchkey_test::{
    ORIGIN, PUBLIC_URL, TestApp, assert_json, assert_problem, jwt, session_cookie,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

const WAIT: Duration = Duration::from_secs(10);

/// The authenticator app of the test: the enrolled secret, read the way an app reads the
/// `otpauth://` URI.
struct AuthenticatorApp {
    factor_id: String,
    totp: TOTP,
}

impl AuthenticatorApp {
    /// The code shown at the server's clock, `steps` 30-second steps away.
    fn code(&self, t: &TestApp, steps: i64) -> String {
        let at = t.clock().now() + steps * 30;
        self.totp.generate(u64::try_from(at).unwrap())
    }
}

/// Moves the server's clock to the start of a 30-second step, so that a test's codes do not
/// straddle a step boundary while it runs.
fn start_of_step(t: &TestApp) {
    let now = t.clock().now();
    let into = now.rem_euclid(30);
    if into != 0 {
        t.advance(Duration::from_secs(u64::try_from(30 - into).unwrap()));
    }
}

/// Sets the app's `mfa` policy.
async fn set_policy(t: &TestApp, policy: &str) {
    let app = assert_json(
        t.patch_app("acme", json!({"mfa": policy})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(app["mfa"], policy);
}

/// Enrolls an authenticator app for the signed-in `user` and activates it with a first code:
/// the app, and the activation's answer (with backup codes for a first factor).
async fn enroll(t: &TestApp, user: &TestApp) -> (AuthenticatorApp, Value) {
    let enrolled = assert_json(
        user.enroll_totp(json!({"name": "Phone"})).await,
        StatusCode::CREATED,
    )
    .await;
    let uri = enrolled["otpauth_uri"].as_str().unwrap();
    let secret = Secret::Encoded(enrolled["secret"].as_str().unwrap().to_owned())
        .to_bytes()
        .unwrap();
    assert!(uri.contains(&format!("secret={}", enrolled["secret"].as_str().unwrap())));
    let app = AuthenticatorApp {
        factor_id: enrolled["id"].as_str().unwrap().to_owned(),
        totp: TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, secret, None, String::new()),
    };
    start_of_step(t);
    let activated = assert_json(
        user.verify_totp(&app.factor_id, &app.code(t, 0)).await,
        StatusCode::OK,
    )
    .await;
    // The enrollment's code is spent: the sign-ins of the test use the steps after the next.
    t.advance(Duration::from_secs(60));
    (app, activated)
}

/// A user signed up with a user-verified passkey, the address then proven (the app's backend
/// vouches for it): its view (by access token) and credential.
async fn passkey_user(t: &TestApp, email: &str) -> (TestApp, Credential, Value) {
    let signed = t.sign_up(email).await;
    vouch_for_email(t, signed.user_id()).await;
    let view = t.with_bearer(signed.access_token());
    (view, signed.credential, signed.body)
}

/// Marks the user's address verified through the server API.
async fn vouch_for_email(t: &TestApp, user_id: &str) {
    let user = assert_json(
        t.patch_user(user_id, json!({"email_verified": true})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(user["email_verified"], true);
}

/// Signs in with `credential` without user verification (one factor: a passkey held).
async fn sign_in_without_uv(t: &TestApp, credential: &mut Credential) -> reqwest::Response {
    let mut opts = GetOptions::new(ORIGIN);
    opts.user_verified = false;
    let assertion = t.assertion_with(credential, None, &opts).await;
    t.finish_authentication(&assertion).await
}

/// Signs in with `credential` without user verification, under a policy that then asks for a
/// TOTP or backup code: the held-back sign-in's `mfa_token`.
async fn held_back(t: &TestApp, credential: &mut Credential) -> String {
    let pending = assert_mfa_required(
        sign_in_without_uv(t, credential).await,
        json!(["totp", "backup_code"]),
    )
    .await;
    pending["mfa_token"].as_str().unwrap().to_owned()
}

/// Asserts `res` is the 200 that asks for a second factor (no session, no cookie): its body.
async fn assert_mfa_required(res: reqwest::Response, factors: Value) -> Value {
    assert!(
        session_cookie(&res).is_none(),
        "no cookie before the second factor"
    );
    let cache = header(&res, "cache-control");
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(cache.as_deref(), Some("no-store"));
    assert_eq!(body["mfa_required"], true);
    assert!(body["mfa_token"].as_str().unwrap().starts_with("lk_mfa_"));
    assert_eq!(body["factors"], factors);
    assert!(body.get("session").is_none() && body.get("access_token").is_none());
    body
}

/// `POST /sessions` with a second factor.
async fn second_step(t: &TestApp, method: &str, token: &str, code: &str) -> reqwest::Response {
    t.create_session(json!({"method": method, "mfa_token": token, "code": code}))
        .await
}

/// A test app whose server sends email to `sink`.
async fn with_sink(sink: &SmtpSink) -> TestApp {
    TestApp::spawn_with(|config| {
        config.smtp_url = Some(sink.url());
        config.email_from = Some("Acme Auth <auth@example.com>".to_owned());
    })
    .await
}

/// Requests a sign-in code for `email` and redeems it: the answer.
async fn email_sign_in(t: &TestApp, sink: &SmtpSink, email: &str) -> reqwest::Response {
    // Past the per-address email throttle of an earlier request.
    t.advance(Duration::from_secs(31));
    let before = sink.messages().len();
    assert_eq!(
        t.request_email_code(email, "sign_in").await.status(),
        StatusCode::ACCEPTED
    );
    // The code's email (a security notice may come between).
    let mut seen = before;
    let code = loop {
        let messages = sink.wait_for(seen + 1, WAIT).await;
        if let Some(code) = messages[seen..].iter().find_map(|m| m.code()) {
            break code;
        }
        seen = messages.len();
    };
    t.redeem_code(email, &code).await
}

#[tokio::test]
async fn the_policy_is_an_app_setting() {
    let t = TestApp::spawn().await;
    let app = assert_json(t.get_app("acme").await, StatusCode::OK).await;
    assert_eq!(app["mfa"], "optional", "the default");
    set_policy(&t, "required").await;
    set_policy(&t, "off").await;
    for bad in [json!("sometimes"), json!(null), json!(true)] {
        assert_problem(
            t.patch_app("acme", json!({"mfa": bad})).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let app = assert_json(t.get_app("acme").await, StatusCode::OK).await;
    assert_eq!(app["mfa"], "off", "a refused change changes nothing");
}

#[tokio::test]
async fn an_email_sign_in_of_an_enrolled_user_needs_a_totp_code() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    // Sign up by email code: one factor, and no second asked yet (nothing enrolled).
    let res = email_sign_in(&t, &sink, "ada@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["session"]["amr"], json!(["otp"]));
    let user = t.with_bearer(body["access_token"].as_str().unwrap());

    // Enrollment: the secret, the URI naming the app and the account, the QR code.
    let res = user.enroll_totp(json!({})).await;
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let enrolled = assert_json(res, StatusCode::CREATED).await;
    let uri = enrolled["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/App%20acme:ada%40example.com?secret="),
        "{uri}"
    );
    assert!(uri.contains("issuer=App%20acme"), "{uri}");
    assert!(enrolled["qr_svg"].as_str().unwrap().contains("<svg"));
    let id = enrolled["id"].as_str().unwrap();
    let res = user.totp_qr(id).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, "content-type").as_deref(),
        Some("image/svg+xml")
    );
    assert!(res.text().await.unwrap().contains("<svg"));
    // Pending: not listed, and a wrong first code does not activate it.
    let factors = assert_json(user.mfa_factors().await, StatusCode::OK).await;
    assert_eq!(factors, json!({"items": [], "backup_codes_remaining": 0}));
    assert_problem(
        user.verify_totp(id, "000000").await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_problem(
        user.verify_totp(id, "12ab56").await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let secret = Secret::Encoded(enrolled["secret"].as_str().unwrap().to_owned())
        .to_bytes()
        .unwrap();
    let phone = AuthenticatorApp {
        factor_id: id.to_owned(),
        totp: TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, secret, None, String::new()),
    };
    start_of_step(&t);
    let activated = assert_json(
        user.verify_totp(id, &phone.code(&t, 0)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(activated["id"], id);
    assert_eq!(activated["type"], "totp");
    assert_eq!(activated["name"], "Authenticator app");
    let codes = activated["backup_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.as_str().unwrap().len() == 11 && c.as_str().unwrap().as_bytes()[5] == b'-')
    );
    // Active now: listed, its QR code gone.
    let factors = assert_json(user.mfa_factors().await, StatusCode::OK).await;
    assert_eq!(factors["items"].as_array().unwrap().len(), 1);
    assert_eq!(factors["items"][0]["id"], id);
    assert_eq!(factors["backup_codes_remaining"], 10);
    assert_problem(user.totp_qr(id).await, StatusCode::NOT_FOUND, "not_found").await;

    // The next email sign-in stops before the session.
    t.advance(Duration::from_secs(30));
    let res = email_sign_in(&t, &sink, "ada@example.com").await;
    let pending = assert_mfa_required(res, json!(["totp", "backup_code"])).await;
    let token = pending["mfa_token"].as_str().unwrap();
    let res = second_step(&t, "totp", token, &phone.code(&t, 0)).await;
    assert!(session_cookie(&res).is_some());
    let signed_in = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(signed_in["session"]["amr"], json!(["otp", "totp", "mfa"]));
    assert_eq!(signed_in["user"]["email"], "ada@example.com");
    let verified = t
        .verify_token(signed_in["access_token"].as_str().unwrap())
        .await;
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["amr"], json!(["otp", "totp", "mfa"]));
    assert_eq!(verified["acr"], "mfa");
    // The token is single use.
    assert_problem(
        second_step(&t, "totp", token, &phone.code(&t, 1)).await,
        StatusCode::BAD_REQUEST,
        "challenge_expired",
    )
    .await;
    for kind in [
        "mfa.enrollment_started",
        "mfa.factor_added",
        "mfa.challenge_issued",
        "mfa.succeeded",
        "mfa.failed",
    ] {
        assert!(!t.events(kind).await.is_empty(), "{kind} recorded");
    }
}

#[tokio::test]
async fn a_totp_code_works_once_and_one_step_either_side() {
    let t = TestApp::spawn().await;
    set_policy(&t, "required").await;
    let (user, mut credential, _) = passkey_user(&t, "grace@example.com").await;
    let (phone, _) = enroll(&t, &user).await;
    start_of_step(&t);

    // The step before now: accepted (clock skew).
    let token = held_back(&t, &mut credential).await;
    let earlier = phone.code(&t, -1);
    let res = second_step(&t, "totp", &token, &earlier).await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["session"]["amr"], json!(["passkey", "totp", "mfa"]));

    // The same code again, on a new sign-in: a replay.
    let token = &held_back(&t, &mut credential).await;
    assert_problem(
        second_step(&t, "totp", token, &earlier).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // Two steps away: wrong.
    let res = second_step(&t, "totp", token, &phone.code(&t, 2)).await;
    let problem = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    assert_eq!(problem["attempts_left"], 4);
    // The step after now: accepted, once.
    let later = phone.code(&t, 1);
    assert_json(
        second_step(&t, "totp", token, &later).await,
        StatusCode::CREATED,
    )
    .await;
    let token = &held_back(&t, &mut credential).await;
    assert_problem(
        second_step(&t, "totp", token, &later).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    // And the current step, earlier than the last one accepted, is refused too.
    assert_problem(
        second_step(&t, "totp", token, &phone.code(&t, 0)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
}

#[tokio::test]
async fn five_wrong_codes_kill_the_mfa_token_and_ten_lock_the_account_for_a_while() {
    let t = TestApp::spawn().await;
    set_policy(&t, "required").await;
    let (user, mut credential, body) = passkey_user(&t, "hedy@example.com").await;
    let (phone, _) = enroll(&t, &user).await;
    start_of_step(&t);
    let token = &held_back(&t, &mut credential).await;
    let wrong = if phone.code(&t, 0) == "111111" {
        "222222"
    } else {
        "111111"
    };
    for left in [4, 3, 2, 1, 0] {
        let problem = assert_problem(
            second_step(&t, "totp", token, wrong).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
        assert_eq!(problem["attempts_left"], left);
    }
    // Dead, even for the right code.
    let problem = assert_problem(
        second_step(&t, "totp", token, &phone.code(&t, 0)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_eq!(problem["attempts_left"], 0);
    let failures = t.events("mfa.failed").await;
    assert_eq!(failures.len(), 5);
    assert_eq!(failures[0]["user_id"], body["user"]["id"]);

    // A new token takes five more; then the account's count (ten) refuses every code for a
    // while, from any token.
    let token = &held_back(&t, &mut credential).await;
    for _ in 0..5 {
        assert_problem(
            second_step(&t, "totp", token, wrong).await,
            StatusCode::UNAUTHORIZED,
            "invalid_code",
        )
        .await;
    }
    let token = held_back(&t, &mut credential).await;
    let res = second_step(&t, "totp", &token, &phone.code(&t, 0)).await;
    assert!(header(&res, "retry-after").is_some());
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn backup_codes_are_single_use_and_a_new_set_kills_the_old() {
    let t = TestApp::spawn().await;
    set_policy(&t, "required").await;
    let (user, mut credential, _) = passkey_user(&t, "joan@example.com").await;
    let (_, activated) = enroll(&t, &user).await;
    let codes: Vec<String> = activated["backup_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();

    // Typed as people type them: upper case, no hyphen.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let token = held_back(&t, &mut credential).await;
    let res = second_step(&t, "backup_code", &token, &typed).await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(
        body["session"]["amr"],
        json!(["passkey", "backup_code", "mfa"])
    );
    let signed_in = t.with_bearer(body["access_token"].as_str().unwrap());
    let factors = assert_json(signed_in.mfa_factors().await, StatusCode::OK).await;
    assert_eq!(factors["backup_codes_remaining"], 9);

    // Used once: refused after.
    let token = &held_back(&t, &mut credential).await;
    assert_problem(
        second_step(&t, "backup_code", token, &codes[0]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_problem(
        second_step(&t, "backup_code", token, "not-a-code").await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;

    // A new set (the session is fresh): ten new codes; the old ones die.
    let fresh = assert_json(signed_in.regenerate_backup_codes().await, StatusCode::OK).await;
    let new_codes = fresh["backup_codes"].as_array().unwrap();
    assert_eq!(new_codes.len(), 10);
    assert!(
        new_codes
            .iter()
            .all(|c| !codes.contains(&c.as_str().unwrap().to_owned()))
    );
    assert_problem(
        second_step(&t, "backup_code", token, &codes[1]).await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    let res = second_step(&t, "backup_code", token, new_codes[0].as_str().unwrap()).await;
    assert_json(res, StatusCode::CREATED).await;
    assert!(!t.events("mfa.backup_codes_generated").await.is_empty());
}

#[tokio::test]
async fn removing_a_factor_or_the_last_passkey_needs_a_recent_authentication() {
    let t = TestApp::spawn().await;
    let signed = t.sign_up("katherine@example.com").await;
    vouch_for_email(&t, signed.user_id()).await;
    let user = t.with_bearer(signed.access_token());
    let mut credential = signed.credential;
    let (phone, _) = enroll(&t, &user).await;

    // Five minutes after the sign-in: too old.
    t.advance(Duration::from_secs(301));
    assert_problem(
        user.remove_factor(&phone.factor_id).await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    assert_problem(
        user.regenerate_backup_codes().await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    let passkeys = assert_json(user.list_passkeys().await, StatusCode::OK).await;
    let only = passkeys["items"][0]["id"].as_str().unwrap().to_owned();
    assert_problem(
        user.delete_passkey(&only).await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    let factors = assert_json(user.mfa_factors().await, StatusCode::OK).await;
    assert_eq!(
        factors["items"].as_array().unwrap().len(),
        1,
        "nothing removed"
    );

    // Re-authenticating with a wrong code does nothing; with the right one, the session goes on
    // with its auth_time now (and the factor in its amr).
    start_of_step(&t);
    assert_problem(
        user.reauthenticate(json!({"method": "totp", "code": "000000"}))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_code",
    )
    .await;
    assert_problem(
        user.reauthenticate(json!({"method": "passkey", "code": "000000"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let res = user
        .reauthenticate(json!({"method": "totp", "code": phone.code(&t, 0)}))
        .await;
    let again = assert_json(res, StatusCode::OK).await;
    assert_eq!(again["session"]["id"], signed.body["session"]["id"]);
    assert_eq!(again["session"]["amr"], json!(["passkey", "totp", "mfa"]));
    assert!(!t.events("session.reauthenticated").await.is_empty());
    let fresh = assert_json(user.regenerate_backup_codes().await, StatusCode::OK).await;
    assert_eq!(fresh["backup_codes"].as_array().unwrap().len(), 10);
    assert_eq!(
        user.remove_factor(&phone.factor_id).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        user.remove_factor(&phone.factor_id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A passkey assertion while signed in re-authenticates the same session too.
    t.advance(Duration::from_secs(301));
    assert_problem(
        user.delete_passkey(&only).await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    let assertion = user.assertion(&mut credential, None).await;
    let res = user.finish_authentication(&assertion).await;
    let again = assert_json(res, StatusCode::OK).await;
    assert_eq!(again["session"]["id"], signed.body["session"]["id"]);
    assert_eq!(
        user.delete_passkey(&only).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_passkey_completes_an_email_sign_in() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    // An account whose address is proven (a passkey added afterwards: signing in by email to an
    // unproven account would remove what was attached to it before).
    let res = email_sign_in(&t, &sink, "mary@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let user = t.with_bearer(body["access_token"].as_str().unwrap());
    let (response, mut credential) = user
        .registration(json!({}), &CreateOptions::new(ORIGIN))
        .await;
    assert_json(
        user.finish_registration(&response).await,
        StatusCode::CREATED,
    )
    .await;
    enroll(&t, &user).await;
    let res = email_sign_in(&t, &sink, "mary@example.com").await;
    let pending = assert_mfa_required(res, json!(["totp", "backup_code", "passkey"])).await;
    let token = pending["mfa_token"].as_str().unwrap();
    let options = assert_json(
        t.authenticate_options(json!({"mfa_token": token})).await,
        StatusCode::OK,
    )
    .await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1, "that user's passkey only");
    let assertion = latchkey_authenticator::get(
        &options["publicKey"],
        &mut credential,
        &GetOptions::new(ORIGIN),
    )
    .unwrap();
    let res = t.finish_authentication(&assertion).await;
    assert!(session_cookie(&res).is_some());
    let body = assert_json(res, StatusCode::OK).await;
    assert_eq!(body["session"]["amr"], json!(["otp", "passkey", "mfa"]));
    // The token is spent.
    assert_problem(
        t.authenticate_options(json!({"mfa_token": token})).await,
        StatusCode::BAD_REQUEST,
        "challenge_expired",
    )
    .await;
    assert_problem(
        t.authenticate_options(json!({"mfa_token": token, "email": "mary@example.com"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn required_asks_every_one_factor_sign_in_and_a_passkey_can_be_the_second() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    set_policy(&t, "required").await;
    // A user-verified passkey is two factors by itself.
    let signed = t.sign_up("rosalind@example.com").await;
    assert_eq!(signed.body["session"]["amr"], json!(["passkey", "mfa"]));
    let mut credential = signed.credential;
    let res = t.sign_in(&mut credential, None).await;
    assert_json(res, StatusCode::OK).await;
    // Without user verification it is one: a second is asked, and this user has only the
    // passkey (which cannot be its own second factor).
    assert_mfa_required(sign_in_without_uv(&t, &mut credential).await, json!([])).await;

    // An email-only account has nothing to give: the new passkey it makes is the second factor.
    let created = assert_json(
        t.create_user(json!({"email": "lise@example.com", "email_verified": true}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let pending = assert_mfa_required(
        email_sign_in(&t, &sink, "lise@example.com").await,
        json!([]),
    )
    .await;
    let token = pending["mfa_token"].as_str().unwrap();
    let (response, _) = t
        .registration(json!({"mfa_token": token}), &CreateOptions::new(ORIGIN))
        .await;
    let res = t.finish_registration(&response).await;
    assert!(session_cookie(&res).is_some());
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["user"]["id"], created["id"]);
    assert_eq!(body["session"]["amr"], json!(["otp", "passkey", "mfa"]));
    let passkeys = assert_json(
        t.user_passkeys(created["id"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(passkeys["items"].as_array().unwrap().len(), 1);

    // Once the account has a second factor, enrolling another through a sign-in is refused.
    let pending = assert_mfa_required(
        email_sign_in(&t, &sink, "lise@example.com").await,
        json!(["passkey"]),
    )
    .await;
    assert_problem(
        t.register_options(json!({"mfa_token": pending["mfa_token"]}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn a_magic_link_opened_without_script_asks_for_the_second_step_on_its_page() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = email_sign_in(&t, &sink, "alan@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let user = t.with_bearer(body["access_token"].as_str().unwrap());
    let (phone, activated) = enroll(&t, &user).await;

    t.advance(Duration::from_secs(31));
    let before = sink.messages().len();
    let res = t.request_email_code("alan@example.com", "sign_in").await;
    let binding = latchkey_test::helpers::link_cookie(&res).unwrap();
    let mut seen = before;
    let link = loop {
        let messages = sink.wait_for(seen + 1, WAIT).await;
        if let Some(link) = messages[seen..]
            .iter()
            .find_map(|m| m.link_containing("/login/magic?token="))
        {
            break link;
        }
        seen = messages.len();
    };
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let browser = t
        .with_cookie(&binding)
        .with_origin(latchkey_test::PUBLIC_URL);
    let res = browser.magic_submit(&token).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(session_cookie(&res).is_none(), "not signed in yet");
    let html = res.text().await.unwrap();
    assert!(html.contains("One more step") && html.contains("action=\"/apps/acme/login/mfa\""));
    let mfa_token = html
        .split("name=\"mfa_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(mfa_token.starts_with("lk_mfa_"));

    // From another site: refused (login CSRF).
    let res = t
        .with_origin("https://evil.example")
        .mfa_submit(&mfa_token, &phone.code(&t, 0))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A wrong code: the form again, with the reason.
    let res = browser.mfa_submit(&mfa_token, "000000").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let html = res.text().await.unwrap();
    assert!(html.contains("4 attempts left") && html.contains("name=\"mfa_token\""));
    // A backup code, as typed.
    let code = activated["backup_codes"][0].as_str().unwrap();
    let res = browser.mfa_submit(&mfa_token, code).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = session_cookie(&res).expect("signed in");
    assert!(res.text().await.unwrap().contains("You are signed in"));
    let current = assert_json(
        t.with_cookie(&cookie).current_session().await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        current["session"]["amr"],
        json!(["magic_link", "backup_code", "mfa"])
    );
    // Used: the page says the sign-in is over.
    let res = browser.mfa_submit(&mfa_token, &phone.code(&t, 0)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Sign in again"));
}

#[tokio::test]
async fn an_openid_providers_tokens_name_both_factors() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let idp = t
        .new_app(
            "idp",
            json!({"rp_id": "localhost", "origins": [PUBLIC_URL], "name": "Identity"}),
        )
        .await
        .with_origin(PUBLIC_URL);
    let res = email_sign_in(&idp, &sink, "ada@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let (phone, _) = enroll(
        &idp,
        &idp.with_bearer(body["access_token"].as_str().unwrap()),
    )
    .await;
    let res = email_sign_in(&idp, &sink, "ada@example.com").await;
    let pending = assert_mfa_required(res, json!(["totp", "backup_code"])).await;
    let res = second_step(
        &idp,
        "totp",
        pending["mfa_token"].as_str().unwrap(),
        &phone.code(&idp, 0),
    )
    .await;
    let cookie = session_cookie(&res).unwrap();
    assert_json(res, StatusCode::CREATED).await;

    let rp = crate::oidc::Rp::register(&idp, json!({})).await;
    let tokens = rp.tokens("openid email", &cookie).await;
    let (_, id_token) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id_token["amr"], json!(["otp", "totp", "mfa"]));
    assert_eq!(id_token["acr"], "mfa");
    let (_, access) = jwt(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["acr"], "mfa");
}

#[tokio::test]
async fn a_passkey_cannot_be_its_own_second_factor() {
    let t = TestApp::spawn().await;
    set_policy(&t, "required").await;
    let (user, mut credential, _) = passkey_user(&t, "ada2@example.com").await;
    enroll(&t, &user).await;
    // Held back (no user verification): a passkey is not offered, and not taken either.
    let token = held_back(&t, &mut credential).await;
    assert_problem(
        t.authenticate_options(json!({"mfa_token": token})).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn a_stale_session_adds_no_way_in_and_an_unproven_address_no_factor() {
    let t = TestApp::spawn().await;
    // An address never proven: no factor until it is.
    let signed = t.sign_up("grace2@example.com").await;
    let user = t.with_bearer(signed.access_token());
    assert_problem(
        user.enroll_totp(json!({})).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    vouch_for_email(&t, signed.user_id()).await;
    let (phone, _) = enroll(&t, &user).await;

    // Ten minutes on: neither a factor nor a passkey is added without proving it is them.
    t.advance(Duration::from_secs(600));
    assert_problem(
        user.enroll_totp(json!({})).await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    assert_problem(
        user.register_options(json!({})).await,
        StatusCode::UNAUTHORIZED,
        "reauthentication_required",
    )
    .await;
    start_of_step(&t);
    let again = assert_json(
        user.reauthenticate(json!({"method": "totp", "code": phone.code(&t, 0)}))
            .await,
        StatusCode::OK,
    )
    .await;
    let user = t.with_bearer(again["access_token"].as_str().unwrap());
    assert_eq!(
        user.enroll_totp(json!({})).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        user.register_options(json!({})).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_long_app_name_still_fits_the_qr_code() {
    let t = TestApp::spawn().await;
    let name: String = "\u{1F510}".repeat(100);
    assert_json(
        t.patch_app("acme", json!({"name": name})).await,
        StatusCode::OK,
    )
    .await;
    let (user, _, _) = passkey_user(&t, "very.long.address.of.someone@example.com").await;
    let enrolled = assert_json(user.enroll_totp(json!({})).await, StatusCode::CREATED).await;
    assert!(enrolled["qr_svg"].as_str().unwrap().contains("<svg"));
}

#[tokio::test]
async fn off_never_asks_and_refuses_enrollment() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = email_sign_in(&t, &sink, "emmy@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let user = t.with_bearer(body["access_token"].as_str().unwrap());
    enroll(&t, &user).await;
    set_policy(&t, "off").await;
    let res = email_sign_in(&t, &sink, "emmy@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    assert_eq!(body["session"]["amr"], json!(["otp"]));
    assert_problem(
        user.enroll_totp(json!({})).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
}

#[tokio::test]
async fn an_operator_lists_and_resets_a_users_factors() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = email_sign_in(&t, &sink, "barbara@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let user_id = body["user"]["id"].as_str().unwrap().to_owned();
    let user = t.with_bearer(body["access_token"].as_str().unwrap());
    let (phone, _) = enroll(&t, &user).await;

    let factors = assert_json(t.user_factors(&user_id).await, StatusCode::OK).await;
    assert_eq!(factors["items"][0]["id"], phone.factor_id.as_str());
    assert_eq!(factors["items"][0]["type"], "totp");
    assert!(factors["items"][0].get("secret").is_none());
    assert_eq!(factors["backup_codes_remaining"], 10);
    // Nothing of it through another app's key, or for a user that does not exist.
    let other = t.new_app("other", json!({})).await;
    let key = assert_json(
        t.create_api_key("other", json!({"name": "other's"})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_problem(
        t.for_app("acme", key["secret"].as_str().unwrap())
            .user_factors(&user_id)
            .await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_problem(
        other.user_factors(&user_id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        other.delete_user_factor(&user_id, &phone.factor_id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The reset needs no recent authentication; the next sign-in asks nothing.
    t.advance(Duration::from_secs(3600));
    assert_eq!(
        t.delete_user_factor(&user_id, &phone.factor_id)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let removed = t.events("mfa.factor_removed").await;
    assert_eq!(removed[0]["data"]["by"], "operator");
    let res = email_sign_in(&t, &sink, "barbara@example.com").await;
    assert_json(res, StatusCode::CREATED).await;
}

#[tokio::test]
async fn adding_or_removing_a_way_in_sends_a_security_notice() {
    let sink = SmtpSink::start().await;
    let t = with_sink(&sink).await;
    let res = email_sign_in(&t, &sink, "frances@example.com").await;
    let body = assert_json(res, StatusCode::CREATED).await;
    let user = t.with_bearer(body["access_token"].as_str().unwrap());
    let notices = |from: usize, phrase: &'static str| {
        let sink = &sink;
        async move {
            let messages = sink.wait_for(from + 1, WAIT).await;
            let notice = &messages[from];
            assert_eq!(notice.rcpt_to, vec!["frances@example.com".to_owned()]);
            assert!(
                notice.subject().contains("account changed"),
                "{}",
                notice.subject()
            );
            assert!(
                notice.text_body().contains(phrase),
                "{}",
                notice.text_body()
            );
        }
    };
    let before = sink.messages().len();
    let (phone, _) = enroll(&t, &user).await;
    notices(before, "authenticator app was added").await;

    let before = sink.messages().len();
    let (response, _) = user
        .registration(json!({}), &CreateOptions::new(ORIGIN))
        .await;
    assert_json(
        user.finish_registration(&response).await,
        StatusCode::CREATED,
    )
    .await;
    notices(before, "passkey was added").await;

    let before = sink.messages().len();
    assert_eq!(
        user.remove_factor(&phone.factor_id).await.status(),
        StatusCode::NO_CONTENT
    );
    notices(before, "authenticator app was removed").await;

    let before = sink.messages().len();
    let passkeys = assert_json(user.list_passkeys().await, StatusCode::OK).await;
    let id = passkeys["items"][0]["id"].as_str().unwrap();
    assert_eq!(
        user.delete_passkey(id).await.status(),
        StatusCode::NO_CONTENT
    );
    notices(before, "passkey was removed").await;
    assert!(
        t.events("email.sent")
            .await
            .iter()
            .any(|e| e["data"]["purpose"] == "security_notice")
    );
}

#[tokio::test]
async fn mfa_tokens_are_refused_when_unknown_expired_or_of_another_app() {
    let t = TestApp::spawn().await;
    set_policy(&t, "required").await;
    let (user, mut credential, _) = passkey_user(&t, "ida@example.com").await;
    let (phone, _) = enroll(&t, &user).await;
    for token in ["lk_mfa_unknown", "", "lk_rt_not-this-kind"] {
        assert_problem(
            second_step(&t, "totp", token, "123456").await,
            StatusCode::BAD_REQUEST,
            "challenge_expired",
        )
        .await;
    }
    let token = &held_back(&t, &mut credential).await;
    // Another app does not know it.
    let other = t.new_app("other", json!({})).await;
    assert_problem(
        second_step(&other, "totp", token, &phone.code(&t, 0)).await,
        StatusCode::BAD_REQUEST,
        "challenge_expired",
    )
    .await;
    // Malformed requests change nothing.
    for body in [
        json!({"method": "totp", "mfa_token": token}),
        json!({"method": "totp", "mfa_token": token, "code": 123456}),
        json!({"method": "totp", "mfa_token": token, "code": "123456", "extra": 1}),
    ] {
        assert_problem(
            t.create_session(body).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    // Five minutes later it is over.
    t.advance(Duration::from_secs(301));
    assert_problem(
        second_step(&t, "totp", token, &phone.code(&t, 0)).await,
        StatusCode::BAD_REQUEST,
        "challenge_expired",
    )
    .await;
}
