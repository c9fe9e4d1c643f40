//! Apps on their own domains (the app setting `domain`): requests naming the domain in `Host`
//! are the app's, at the root of the host, with its pages, configuration, issuer, cookies and
//! email links there; nothing of another app or of the instance is.

use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions};
use latchkey_test::helpers::{header, link_cookie, set_cookie};
use latchkey_test::smtp::SmtpSink;
use latchkey_test::{
    PUBLIC_URL, REDIRECT_URI, TestApp, assert_json, assert_problem, jwt, session_cookie,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const DOMAIN: &str = "login.example.com";
const DOMAIN_ORIGIN: &str = "https://login.example.com";

/// `t`'s app given `DOMAIN`; the view of it on that host, from that origin.
async fn on_domain(t: &TestApp) -> TestApp {
    let app = assert_json(
        t.patch_app(&t.app, json!({"domain": DOMAIN})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(app["domain"], DOMAIN);
    t.on_host(DOMAIN).with_origin(DOMAIN_ORIGIN)
}

/// `GET /config` at the root of `view`'s host.
async fn root_config(view: &TestApp) -> reqwest::Response {
    view.request(Method::GET, "/config").send().await.unwrap()
}

/// Asserts that `view`'s host is no app's: its root paths are not found.
async fn assert_nobodys(view: &TestApp) {
    assert_problem(root_config(view).await, StatusCode::NOT_FOUND, "not_found").await;
}

async fn text(res: reqwest::Response) -> String {
    res.text().await.unwrap_or_default()
}

#[tokio::test]
async fn an_app_on_its_own_domain_serves_its_config_pages_and_keys_at_the_root() {
    let t = TestApp::spawn().await;
    let d = on_domain(&t).await;

    let config = assert_json(root_config(&d).await, StatusCode::OK).await;
    assert_eq!(config["app_id"], "acme");
    assert_eq!(config["issuer"], DOMAIN_ORIGIN);
    assert_eq!(config["domain"], DOMAIN);
    // The shared paths name the same issuer: an app has one.
    let shared = assert_json(t.config().await, StatusCode::OK).await;
    assert_eq!(shared["issuer"], DOMAIN_ORIGIN);

    let keys = assert_json(
        d.request(Method::GET, "/.well-known/jwks.json")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(keys, t.jwks().await);

    // The front door is the sign-in page, which needs no origin of the app's list: the domain
    // is the app's.
    let root = d.request(Method::GET, "/").send().await.unwrap();
    assert_eq!(root.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(header(&root, "location").as_deref(), Some("/login"));
    let login = d.request(Method::GET, "/login").send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    assert!(text(login).await.contains("data-app=\"acme\""));
    let account = d.request(Method::GET, "/account").send().await.unwrap();
    assert_eq!(account.status(), StatusCode::OK);
    // What the pages load is there too.
    for path in [
        "/assets/login.js",
        "/sdk/latchkey.js",
        "/theme.css",
        "/apps/acme/theme.css",
    ] {
        let res = d.request(Method::GET, path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    // Through the shared paths, the pages send the visitor to the domain, query and all.
    let query = format!("redirect_uri={}", urlencoding(REDIRECT_URI));
    let shared_login = t.login_page(&query).await;
    assert_eq!(shared_login.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        header(&shared_login, "location"),
        Some(format!("{DOMAIN_ORIGIN}/login?{query}"))
    );
    let shared_account = t.account_page().await;
    assert_eq!(
        header(&shared_account, "location"),
        Some(format!("{DOMAIN_ORIGIN}/account"))
    );
    // So does PasskeyMe's authorize.
    let authorize = t
        .passkeyme_authorize(
            "google",
            &[("app_id", "acme"), ("redirect_uri", REDIRECT_URI)],
        )
        .await;
    assert_eq!(
        header(&authorize, "location"),
        Some(format!("{DOMAIN_ORIGIN}/login?{query}&compat=passkeyme"))
    );
    // Other hosts are served as before.
    assert_eq!(t.config().await.status(), StatusCode::OK);
    assert_nobodys(&t.on_host("other.example.com")).await;
}

#[tokio::test]
async fn the_domain_serves_one_app_and_nothing_of_the_instance() {
    let t = TestApp::spawn().await;
    let other = t.new_app("other", json!({})).await;
    let d = on_domain(&t).await;
    assert_eq!(
        d.request(Method::GET, "/apps/acme/config")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    for path in [
        "/apps/other/config",
        "/admin/apps",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/compat/passkeyme/api/config?app_id=acme",
    ] {
        let res = d
            .as_admin()
            .request(Method::GET, path)
            .send()
            .await
            .unwrap();
        assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // A load balancer's health checks name any host.
    assert_eq!(d.health().await.status(), StatusCode::OK);
    assert_eq!(d.ready().await.status(), StatusCode::OK);
    // The app's server API is there, under its key only.
    let users = d
        .as_backend()
        .request(Method::GET, "/users")
        .send()
        .await
        .unwrap();
    assert_json(users, StatusCode::OK).await;
    let foreign = d
        .with_bearer(&other.api_key)
        .without_origin()
        .request(Method::GET, "/users")
        .send()
        .await
        .unwrap();
    assert_problem(foreign, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_passkey_made_on_the_domain_signs_in_there_with_cookies_for_the_whole_host() {
    let t = TestApp::spawn().await;
    let d = on_domain(&t).await;
    // The domain's origin is the app's without being listed.
    let signed_up = d
        .sign_up_with("ann@example.com", CreateOptions::new(DOMAIN_ORIGIN))
        .await;
    let (_, claims) = jwt(signed_up.access_token());
    assert_eq!(claims["iss"], DOMAIN_ORIGIN);
    assert_eq!(claims["aud"], "acme");
    let verified = t.verify_token(signed_up.access_token()).await;
    assert_eq!(verified["valid"], true, "{verified}");

    let mut credential = signed_up.credential;
    let assertion = d
        .assertion_with(&mut credential, None, &GetOptions::new(DOMAIN_ORIGIN))
        .await;
    let res = d.finish_authentication(&assertion).await;
    let cookie = set_cookie(&res, "latchkey_session").expect("a session cookie");
    assert!(cookie.starts_with("__Host-latchkey_session="), "{cookie}");
    assert!(cookie.contains("; Path=/;"), "{cookie}");
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    let session = session_cookie(&res).expect("a session cookie");
    // Only a cookie this host set counts there: the same session under the plain name, as a
    // sibling subdomain could plant it, is no session at all.
    let planted = session.trim_start_matches("__Host-");
    let refused = d.with_cookie(planted).current_session().await;
    assert_problem(refused, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_json(res, StatusCode::OK).await;
    let current = d
        .with_cookie(&session)
        .request(Method::GET, "/sessions/current")
        .send()
        .await
        .unwrap();
    let current = assert_json(current, StatusCode::OK).await;
    assert_eq!(current["user"]["email"], "ann@example.com");

    // A cookie-authenticated change from the domain's page passes the origin check; from
    // another site it does not.
    let signed_in = d.with_cookie(&session);
    let me = signed_in
        .request(Method::PATCH, "/me")
        .json(&json!({"display_name": "Ann"}))
        .send()
        .await
        .unwrap();
    assert_json(me, StatusCode::OK).await;
    let forged = signed_in
        .with_origin("https://evil.example")
        .request(Method::PATCH, "/me")
        .json(&json!({"display_name": "Mallory"}))
        .send()
        .await
        .unwrap();
    assert_problem(forged, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    // A ceremony answered for another origin fails there as anywhere.
    let mut credential = credential;
    let assertion = d
        .assertion_with(
            &mut credential,
            None,
            &GetOptions::new("https://evil.example"),
        )
        .await;
    let refused = d.finish_authentication(&assertion).await;
    assert_problem(refused, StatusCode::UNAUTHORIZED, "invalid_credential").await;
}

#[tokio::test]
async fn tokens_from_before_the_domain_still_verify_and_the_issuer_follows_it() {
    let t = TestApp::spawn().await;
    let before = t.sign_up("bob@example.com").await;
    let (_, claims) = jwt(before.access_token());
    assert_eq!(claims["iss"], format!("{PUBLIC_URL}/apps/acme"));
    let d = on_domain(&t).await;
    let me = t.with_bearer(before.access_token()).me().await;
    assert_json(me, StatusCode::OK).await;
    let verified = t.verify_token(before.access_token()).await;
    assert_eq!(verified["valid"], true, "{verified}");
    // A refresh through the domain gives a token of the domain's issuer.
    let refreshed = d.refresh(before.refresh_token()).await;
    let refreshed = assert_json(refreshed, StatusCode::OK).await;
    let token = refreshed["access_token"].as_str().unwrap_or_default();
    assert_eq!(jwt(token).1["iss"], DOMAIN_ORIGIN);
    // Without the domain, the issuer is the shared one again.
    assert_json(
        t.patch_app("acme", json!({"domain": null})).await,
        StatusCode::OK,
    )
    .await;
    let config = assert_json(t.config().await, StatusCode::OK).await;
    assert_eq!(config["issuer"], format!("{PUBLIC_URL}/apps/acme"));
    assert_eq!(config["domain"], Value::Null);
    // …and the host is nobody's.
    assert_nobodys(&d).await;
}

#[tokio::test]
async fn email_links_go_to_the_host_that_asked() {
    let sink = SmtpSink::start().await;
    let t = TestApp::spawn_with(|config| {
        config.smtp_url = Some(sink.url());
    })
    .await;
    let d = on_domain(&t).await;
    let res = d.request_email_code("cy@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let binding = set_cookie(&res, "latchkey_link").expect("a link cookie");
    assert!(binding.starts_with("__Host-latchkey_link="), "{binding}");
    assert!(binding.contains("; Path=/;"), "{binding}");
    let binding = link_cookie(&res).expect("a link cookie");
    let messages = sink.wait_for(1, Duration::from_secs(10)).await;
    let link = messages[0]
        .link_containing("/login/magic?token=")
        .expect("a magic link");
    assert!(
        link.starts_with(&format!("{DOMAIN_ORIGIN}/login/magic?token=")),
        "{link}"
    );
    // Opened in the browser that asked, on the domain, it signs in.
    let page = d.with_cookie(&binding).follow(&link).await;
    assert_eq!(page.status(), StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap_or_default();
    let signed_in = d.with_cookie(&binding).magic_submit(token).await;
    let cookie = set_cookie(&signed_in, "latchkey_session").expect("signed in");
    assert!(cookie.starts_with("__Host-latchkey_session="), "{cookie}");
    assert!(cookie.contains("; Path=/;"), "{cookie}");
    // A binding cookie planted under the plain name binds nothing there.
    t.advance(Duration::from_secs(31));
    let again = d.request_email_code("cy@example.com", "sign_in").await;
    let binding = link_cookie(&again).expect("a link cookie");
    let messages = sink.wait_for(2, Duration::from_secs(10)).await;
    let token = messages[1]
        .link_containing("/login/magic?token=")
        .and_then(|l| l.split("token=").nth(1).map(str::to_owned))
        .expect("a magic link");
    let planted = binding.trim_start_matches("__Host-");
    let refused = d.with_cookie(planted).redeem_link(&token).await;
    assert_problem(refused, StatusCode::FORBIDDEN, "link_other_browser").await;
    let redeemed = d.with_cookie(&binding).redeem_link(&token).await;
    assert_json(redeemed, StatusCode::CREATED).await;

    // Asked through the shared paths, the link is there, where that browser's cookie is.
    t.advance(Duration::from_secs(31));
    let res = t.request_email_code("dee@example.com", "sign_up").await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let messages = sink.wait_for(3, Duration::from_secs(10)).await;
    let link = messages[2]
        .link_containing("/login/magic?token=")
        .expect("a magic link");
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/apps/acme/login/magic?token=")),
        "{link}"
    );
}

#[tokio::test]
async fn domains_are_host_names_on_the_rp_id_one_app_each() {
    let t = TestApp::spawn().await;
    for bad in [
        json!("Login.example.com"),
        json!("https://login.example.com"),
        json!("login.example.com/"),
        json!("login..example.com"),
        json!("-login.example.com"),
        json!("login.example.com:443"),
        json!("login.example.com:0"),
        json!("login.example.com:x"),
        json!("login.example.org"),
        json!("notexample.com"),
        json!("192.168.1.1"),
        json!(""),
        json!(5),
    ] {
        let res = t.patch_app("acme", json!({"domain": bad})).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    // This instance's own host serves every app already, on any port.
    for own in ["localhost:8080", "localhost:9000"] {
        let res = t
            .create_app(json!({"id": "local", "name": "Local", "rp_id": "localhost",
                "origins": ["http://localhost:8080"], "domain": own}))
            .await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    // A port only under localhost (browsers share cookies between the ports of a host).
    let ported = t
        .patch_app("acme", json!({"domain": "id.example.com:8443"}))
        .await;
    assert_problem(ported, StatusCode::BAD_REQUEST, "invalid_request").await;
    let local = t
        .create_app(
            json!({"id": "local", "name": "Local", "rp_id": "shop.localhost",
            "origins": ["http://shop.localhost:3000"], "domain": "shop.localhost:8443"}),
        )
        .await;
    assert_eq!(
        assert_json(local, StatusCode::CREATED).await["domain"],
        "shop.localhost:8443"
    );
    let same_host = t
        .create_app(
            json!({"id": "local2", "name": "Local", "rp_id": "shop.localhost",
            "origins": ["http://shop.localhost:3000"], "domain": "shop.localhost:9443"}),
        )
        .await;
    assert_problem(same_host, StatusCode::CONFLICT, "conflict").await;
    for good in ["example.com", "id.example.com", DOMAIN] {
        let res = t.patch_app("acme", json!({"domain": good})).await;
        assert_eq!(assert_json(res, StatusCode::OK).await["domain"], good);
    }
    // One app per domain, whether made or changed.
    let taken = t
        .create_app(
            json!({"id": "second", "name": "Second", "rp_id": "example.com",
            "origins": ["https://example.com"], "domain": DOMAIN}),
        )
        .await;
    assert_problem(taken, StatusCode::CONFLICT, "conflict").await;
    t.new_app("third", json!({})).await;
    let taken = t.patch_app("third", json!({"domain": DOMAIN})).await;
    assert_problem(taken, StatusCode::CONFLICT, "conflict").await;
    // Once given up, another app may have it; changing the rp_id off it is refused.
    let moved = t
        .patch_app(
            "acme",
            json!({"rp_id": "example.org", "origins": ["https://example.org"]}),
        )
        .await;
    assert_problem(moved, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert_json(
        t.patch_app("acme", json!({"domain": null})).await,
        StatusCode::OK,
    )
    .await;
    let res = t.patch_app("third", json!({"domain": DOMAIN})).await;
    assert_eq!(assert_json(res, StatusCode::OK).await["domain"], DOMAIN);
    let third = root_config(&t.on_host(DOMAIN)).await;
    assert_eq!(assert_json(third, StatusCode::OK).await["app_id"], "third");
    // A deleted app's domain is free at once.
    assert_eq!(t.delete_app("third").await.status(), StatusCode::NO_CONTENT);
    assert_nobodys(&t.on_host(DOMAIN)).await;
}

/// `s` percent-encoded for a query string.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sends `request` (a whole HTTP/1.1 request head) to `t`'s server over a raw socket; its
/// status line.
async fn raw_status(t: &TestApp, request: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = t.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_request_naming_two_hosts_is_refused() {
    let t = TestApp::spawn().await;
    on_domain(&t).await;
    // The absolute form names the domain, `Host` another: which one is meant cannot be told.
    let two = raw_status(
        &t,
        "GET http://login.example.com/config HTTP/1.1\r\nHost: other.example.com\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(two, "HTTP/1.1 400 Bad Request");
    let one = raw_status(
        &t,
        "GET http://login.example.com/config HTTP/1.1\r\nHost: login.example.com\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(one, "HTTP/1.1 200 OK");
}
