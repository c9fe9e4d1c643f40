//! The hosted pages over HTTP: headers, redirect-URI checks, branding and assets. Their
//! behaviour in a real browser is tested in `tests/e2e`.

use latchkey_test::{PUBLIC_URL, TestApp, assert_problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An app whose hosted pages can work: this server's origin among its origins.
async fn hosted(t: &TestApp, id: &str, extra: Value) -> TestApp {
    let mut settings = json!({"rp_id": "localhost", "origins": [PUBLIC_URL],
        "redirect_uris": ["https://shop.example/after", "http://localhost:3000/cb?x=1"]});
    if let (Some(s), Some(e)) = (settings.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    t.new_app(id, settings).await
}

#[tokio::test]
async fn the_login_page_is_locked_down() {
    let t = TestApp::spawn().await;
    let shop = hosted(&t, "shop", json!({"name": "Shop <&>"})).await;
    let res = shop.login_page("").await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let html = res.text().await.unwrap();
    assert!(html.contains("<script type=\"module\" src=\"/assets/login.js\"></script>"));
    // No inline script anywhere, and the app's name is escaped.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("Sign in to Shop &lt;&amp;&gt;"));
    assert!(html.contains("autocomplete=\"username webauthn\""));
    assert!(html.contains("<label for=\"email\">"));
    assert!(html.contains("data-redirect-uri=\"\""));
    assert!(html.contains("Create an account"));
}

#[tokio::test]
async fn only_the_apps_redirect_uris_are_accepted() {
    let t = TestApp::spawn().await;
    let shop = hosted(&t, "shop", json!({})).await;
    let ok = shop
        .login_page("redirect_uri=https%3A%2F%2Fshop.example%2Fafter")
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(
        ok.text()
            .await
            .unwrap()
            .contains("data-redirect-uri=\"https://shop.example/after\"")
    );
    for foreign in [
        "https://evil.example/after",
        "https://shop.example/after/../x",
        "https://shop.example/after?x=1",
        "//evil.example",
        "javascript:alert(1)",
    ] {
        let query = format!(
            "redirect_uri={}",
            url::form_urlencoded::byte_serialize(foreign.as_bytes()).collect::<String>()
        );
        let res = shop.login_page(&query).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{foreign}");
        let html = res.text().await.unwrap();
        assert!(html.contains("cannot sign you in") && !html.contains("login.js"));
    }
}

#[tokio::test]
async fn pages_explain_an_app_that_cannot_host_them() {
    let t = TestApp::spawn().await;
    // `acme` only allows https://example.com: the hosted pages on this server cannot work.
    let res = t.login_page("").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains(PUBLIC_URL));
    let res = t.account_page().await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = t.for_app("nope", "").login_page("").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn branding_is_per_app_and_checked() {
    let t = TestApp::spawn().await;
    let shop = hosted(&t, "shop", json!({"logo_url": "https://cdn.shop.example/logo.png", "accent_color": "#aa3377", "sign_up_allowed": false})).await;
    let html = shop.login_page("").await.text().await.unwrap();
    assert!(html.contains("<img class=\"logo\" src=\"https://cdn.shop.example/logo.png\""));
    assert!(html.contains("/apps/shop/theme.css"));
    assert!(!html.contains("Create an account"));
    let res = shop.theme_css().await;
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(res.text().await.unwrap(), ":root { --accent: #aa3377; }\n");
    for bad in [
        json!({"accent_color": "red"}),
        json!({"accent_color": "#12345g"}),
        json!({"accent_color": "#fff;}"}),
        json!({"logo_url": "http://cdn.example/logo.png"}),
        json!({"logo_url": "javascript:alert(1)"}),
    ] {
        let res = t.patch_app("shop", bad).await;
        assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    }
    let res = t
        .patch_app("shop", json!({"accent_color": null, "logo_url": null}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert!(body["accent_color"].is_null() && body["logo_url"].is_null());
    let css = shop.theme_css().await.text().await.unwrap();
    assert_eq!(css, ":root { --accent: #3550e0; }\n");
}

#[tokio::test]
async fn assets_are_served_with_their_types() {
    let t = TestApp::spawn().await;
    for (name, ty) in [
        ("login.js", "text/javascript"),
        ("account.js", "text/javascript"),
        ("latchkey.css", "text/css"),
    ] {
        let res = t.asset(name).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(ty)
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert!(!res.text().await.unwrap().is_empty());
    }
    let res = t.asset("../Cargo.toml").await;
    assert_eq!(res.status().as_u16() / 100, 4);
    let res = t.asset("secret.js").await;
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_account_page_is_a_locked_down_shell() {
    let t = TestApp::spawn().await;
    let shop = hosted(&t, "shop", json!({})).await;
    let res = shop.account_page().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let html = res.text().await.unwrap();
    assert!(
        html.contains("/assets/account.js")
            && html.contains("id=\"passkeys\"")
            && html.contains("id=\"sessions\"")
    );
}
