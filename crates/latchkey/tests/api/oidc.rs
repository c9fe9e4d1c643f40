//! Each app's OpenID Provider over HTTP, as a relying party lives it: discovery, the
//! authorization endpoint with and without a session, the consent page, the code exchange with
//! PKCE, tokens and their claims, userinfo, refresh rotation, introspection, revocation, PAR,
//! DPoP, logout and the consents on the account page; and every refusal of the protocol.

use std::time::Duration;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use latchkey_authenticator::CreateOptions;
use latchkey_test::helpers::{b64url, header, jwt, session_cookie};
use latchkey_test::{PUBLIC_URL, TestApp, assert_json, assert_problem};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const ISSUER: &str = "http://localhost:8080/apps/idp";
const CALLBACK: &str = "https://rp.example/cb";
const BYE: &str = "https://rp.example/bye";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// The PKCE S256 challenge of `verifier`.
fn challenge(verifier: &str) -> String {
    b64url(&Sha256::digest(verifier.as_bytes()))
}

/// The provider: app `idp`, whose hosted pages work (this server's origin among its origins).
async fn provider() -> TestApp {
    let t = TestApp::spawn().await;
    t.new_app(
        "idp",
        json!({"rp_id": "localhost", "origins": [PUBLIC_URL], "name": "Identity"}),
    )
    .await
}

/// A relying party: an OAuth client of the provider's app.
pub(crate) struct Rp {
    idp: TestApp,
    client_id: String,
    secret: Option<String>,
}

impl Rp {
    /// Registers a client from `body` (with this file's callback and logout URIs by default).
    pub(crate) async fn register(idp: &TestApp, body: Value) -> Self {
        let mut full = json!({"name": "Recipes", "type": "confidential",
            "redirect_uris": [CALLBACK], "post_logout_redirect_uris": [BYE]});
        if let (Some(f), Some(b)) = (full.as_object_mut(), body.as_object()) {
            f.extend(b.clone());
        }
        let made = assert_json(
            idp.create_oauth_client(&idp.app, full).await,
            StatusCode::CREATED,
        )
        .await;
        Self {
            idp: idp.clone(),
            client_id: made["client_id"].as_str().unwrap().to_owned(),
            secret: made["client_secret"].as_str().map(str::to_owned),
        }
    }

    /// The authorization request's query for `scope` with PKCE and `extra` parameters.
    fn query(&self, scope: &str, extra: &[(&str, &str)]) -> String {
        let challenge = challenge(VERIFIER);
        let mut pairs: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &self.client_id),
            ("redirect_uri", CALLBACK),
            ("scope", scope),
            ("state", "st-1"),
            ("nonce", "n-1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        for (k, v) in extra {
            pairs.retain(|(name, _)| name != k);
            pairs.push((k, v));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    /// `GET authorize?query` as a browser with `cookie` (or none) navigates to it.
    async fn authorize(&self, query: &str, cookie: Option<&str>) -> Response {
        let mut req = self
            .idp
            .http
            .get(self.idp.url(&format!("/apps/idp/oauth/authorize?{query}")));
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        req.send().await.unwrap()
    }

    /// A POST of `form` to the provider's `endpoint`, authenticated as this client by its
    /// registered method (Basic for a confidential client).
    async fn post(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        let mut req = self
            .idp
            .http
            .post(self.idp.url(&format!("/apps/idp/oauth/{endpoint}")));
        let mut form: Vec<(&str, &str)> = form.to_vec();
        match &self.secret {
            Some(secret) => req = req.basic_auth(&self.client_id, Some(secret)),
            None => form.push(("client_id", &self.client_id)),
        }
        req.form(&form).send().await.unwrap()
    }

    /// Exchanges `code` (with the PKCE verifier).
    async fn exchange(&self, code: &str) -> Response {
        self.post(
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", VERIFIER),
            ],
        )
        .await
    }

    /// The full code flow for a signed-in browser: authorize, consent if asked, exchange.
    pub(crate) async fn tokens(&self, scope: &str, cookie: &str) -> Value {
        let res = self.authorize(&self.query(scope, &[]), Some(cookie)).await;
        let res = if res.status() == StatusCode::OK {
            self.allow(res, cookie).await
        } else {
            res
        };
        let code = code_of(&res);
        assert_json(self.exchange(&code).await, StatusCode::OK).await
    }

    /// Answers a consent page (`allow`), as the page's form posts it.
    async fn allow(&self, page: Response, cookie: &str) -> Response {
        let ticket = ticket_of(page).await;
        consent(&self.idp, cookie, &ticket, "allow").await
    }

    /// `userinfo` with `token` as a bearer token.
    async fn userinfo(&self, token: &str) -> Response {
        self.idp
            .http
            .get(self.idp.url("/apps/idp/oauth/userinfo"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

/// Posts the consent page's form with `decision`, from this server's pages.
async fn consent(idp: &TestApp, cookie: &str, ticket: &str, decision: &str) -> Response {
    idp.http
        .post(idp.url("/apps/idp/oauth/consent"))
        .header("cookie", cookie)
        .header("origin", PUBLIC_URL)
        .form(&[("ticket", ticket), ("decision", decision)])
        .send()
        .await
        .unwrap()
}

/// The consent page's ticket.
async fn ticket_of(page: Response) -> String {
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let start = html.find("name=\"ticket\" value=\"").expect("a ticket") + 21;
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

/// The `Location` of a redirect, parsed.
fn location(res: &Response) -> url::Url {
    let to = header(res, "location").unwrap_or_else(|| panic!("no Location: {}", res.status()));
    url::Url::parse(&to)
        .or_else(|_| url::Url::parse(PUBLIC_URL).unwrap().join(&to))
        .unwrap()
}

/// A query parameter of a redirect's `Location`.
fn param(res: &Response, name: &str) -> Option<String> {
    location(res)
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The code a redirect to the callback carries (with state and iss checked).
fn code_of(res: &Response) -> String {
    assert!(
        res.status() == StatusCode::FOUND || res.status() == StatusCode::SEE_OTHER,
        "{}",
        res.status()
    );
    let to = location(res);
    assert!(to.as_str().starts_with(CALLBACK), "{to}");
    assert_eq!(param(res, "state").as_deref(), Some("st-1"));
    assert_eq!(param(res, "iss").as_deref(), Some(ISSUER));
    param(res, "code").unwrap_or_else(|| panic!("no code in {to}"))
}

/// Asserts an OAuth error answer; returns its description.
async fn assert_oauth(res: Response, status: StatusCode, error: &str) -> String {
    assert_eq!(res.status(), status);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    body["error_description"].as_str().unwrap().to_owned()
}

/// Signs `email` up on the provider's hosted origin; returns the user id and session cookie.
async fn person(idp: &TestApp, email: &str) -> (String, String) {
    let signed = idp
        .with_origin(PUBLIC_URL)
        .sign_up_with(email, CreateOptions::new(PUBLIC_URL))
        .await;
    (signed.user_id().to_owned(), signed.cookie)
}

#[tokio::test]
async fn discovery_names_every_endpoint() {
    let idp = provider().await;
    for path in ["openid-configuration", "oauth-authorization-server"] {
        let res = idp
            .http
            .get(idp.url(&format!("/apps/idp/.well-known/{path}")))
            .send()
            .await
            .unwrap();
        let doc = assert_json(res, StatusCode::OK).await;
        assert_eq!(doc["issuer"], ISSUER);
        for (key, path) in [
            ("authorization_endpoint", "oauth/authorize"),
            ("token_endpoint", "oauth/token"),
            ("userinfo_endpoint", "oauth/userinfo"),
            ("jwks_uri", ".well-known/jwks.json"),
            ("pushed_authorization_request_endpoint", "oauth/par"),
            ("introspection_endpoint", "oauth/introspect"),
            ("revocation_endpoint", "oauth/revoke"),
            ("end_session_endpoint", "oauth/logout"),
        ] {
            assert_eq!(doc[key], format!("{ISSUER}/{path}"), "{key}");
        }
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(doc["response_types_supported"], json!(["code"]));
        assert_eq!(
            doc["scopes_supported"],
            json!(["openid", "profile", "email", "offline_access"])
        );
        assert_eq!(
            doc["grant_types_supported"],
            json!(["authorization_code", "refresh_token", "client_credentials"])
        );
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            json!(["ES256", "EdDSA", "RS256"]),
            "the app's own first"
        );
        assert_eq!(
            doc["dpop_signing_alg_values_supported"],
            json!(["ES256", "EdDSA", "RS256"])
        );
        assert_eq!(doc["request_uri_parameter_supported"], true);
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
        assert!(
            doc["claims_supported"]
                .as_array()
                .unwrap()
                .contains(&json!("email"))
        );
    }
    let missing = idp
        .http
        .get(idp.url("/apps/nope/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_problem(missing, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_code_flow_signs_a_person_in_from_the_login_page_to_userinfo() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({})).await;
    let query = rp.query("openid email profile", &[]);

    // No session: to the login page, which will come back here.
    let res = rp.authorize(&query, None).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let login = location(&res);
    assert_eq!(login.path(), "/apps/idp/login");
    let resume = login
        .query_pairs()
        .find(|(k, _)| k == "continue")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(resume.starts_with("/apps/idp/oauth/authorize?"), "{resume}");
    let page = idp
        .http
        .get(login.as_str().replace("http://localhost:8080", &idp.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("data-continue=\"/apps/idp/oauth/authorize?")
    );

    // Signed in (the login page's sign-up), the browser follows `continue`: the consent page.
    let (user_id, cookie) = person(&idp, "ada@example.com").await;
    let res = rp
        .authorize(
            resume.trim_start_matches("/apps/idp/oauth/authorize?"),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, "x-frame-options").as_deref(),
        Some("DENY"),
        "no framing of the consent page"
    );
    let csp = header(&res, "content-security-policy").unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // The answer redirects to the client: its origin is the page's one other form target.
    assert!(
        csp.contains("form-action 'self' https://rp.example;"),
        "{csp}"
    );
    let ticket = ticket_of(res).await;
    let res = consent(&idp, &cookie, &ticket, "allow").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&res, "referrer-policy").as_deref(),
        Some("no-referrer")
    );
    let code = code_of(&res);
    assert!(code.starts_with("lk_ac_"));

    let res = rp.exchange(&code).await;
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-store"));
    let tokens = assert_json(res, StatusCode::OK).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "openid email profile");
    assert!(
        tokens.get("refresh_token").is_none(),
        "no offline_access: {tokens}"
    );
    let (header_at, at) = jwt(tokens["access_token"].as_str().unwrap());
    assert_eq!(header_at["typ"], "at+jwt");
    assert_eq!(at["iss"], ISSUER);
    assert_eq!(at["sub"], user_id);
    assert_eq!(at["aud"], "idp");
    assert_eq!(at["client_id"], rp.client_id);
    assert_eq!(at["scope"], "openid email profile");
    assert_eq!(at["acr"], "phr");
    assert!(at["sid"].is_string() && at["jti"].is_string());
    let (_, id) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["iss"], ISSUER);
    assert_eq!(id["aud"], rp.client_id);
    assert_eq!(id["sub"], user_id);
    assert_eq!(id["nonce"], "n-1");
    assert_eq!(id["email"], "ada@example.com");
    assert_eq!(id["email_verified"], false);
    assert_eq!(id["amr"], json!(["passkey", "mfa"]));
    assert!(id["auth_time"].as_i64().unwrap() <= id["iat"].as_i64().unwrap());
    let at_hash = Sha256::digest(tokens["access_token"].as_str().unwrap().as_bytes());
    assert_eq!(id["at_hash"], b64url(&at_hash[..16]));
    assert_eq!(id["sid"], at["sid"]);

    // The id_token verifies with the app's JWKS.
    let jwks = assert_json(
        idp.http
            .get(idp.url("/apps/idp/.well-known/jwks.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let key = &jwks["keys"][0];
    let decoding = jsonwebtoken::DecodingKey::from_ec_components(
        key["x"].as_str().unwrap(),
        key["y"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.set_audience(&[&rp.client_id]);
    validation.set_issuer(&[ISSUER]);
    jsonwebtoken::decode::<Value>(tokens["id_token"].as_str().unwrap(), &decoding, &validation)
        .unwrap();

    let info = assert_json(
        rp.userinfo(tokens["access_token"].as_str().unwrap()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(info["sub"], user_id);
    assert_eq!(info["email"], "ada@example.com");

    // The grant is a session of its own, listed with the client's name; the consent is listed.
    let browser = idp.with_origin(PUBLIC_URL).with_cookie(&cookie);
    let sessions = assert_json(
        browser
            .request(Method::GET, "/apps/idp/sessions")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let grant = sessions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == at["sid"])
        .expect("the grant's session is listed");
    assert_eq!(grant["client_name"], "Recipes");
    assert_eq!(grant["client_id"], rp.client_id);
    let consents = assert_json(
        browser
            .request(Method::GET, "/apps/idp/consents")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(consents["items"][0]["client_name"], "Recipes");
    assert_eq!(
        consents["items"][0]["scopes"],
        json!(["openid", "email", "profile"])
    );

    // Next time, no consent is asked: straight back with a code.
    let again = rp
        .authorize(&rp.query("openid email", &[]), Some(&cookie))
        .await;
    assert_eq!(again.status(), StatusCode::FOUND);
    code_of(&again);
    assert_eq!(idp.events("oauth.consent_granted").await.len(), 1);
    assert_eq!(idp.events("oauth.grant_created").await.len(), 1);
}

#[tokio::test]
async fn a_code_works_once_and_its_second_use_revokes_the_grant() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let res = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    let code = code_of(&res);
    let first = assert_json(rp.exchange(&code).await, StatusCode::OK).await;
    let token = first["access_token"].as_str().unwrap();
    assert_eq!(rp.userinfo(token).await.status(), StatusCode::OK);

    assert_oauth(
        rp.exchange(&code).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert_oauth(
        rp.userinfo(token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(idp.events("oauth.code_reuse_detected").await.len(), 1);

    // A code expires after 60 seconds.
    let res = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    let late = code_of(&res);
    idp.advance(Duration::from_secs(61));
    assert_oauth(
        rp.exchange(&late).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn the_exchange_checks_the_client_the_redirect_uri_and_pkce() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let other = Rp::register(&idp, json!({"skip_consent": true, "name": "Other"})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let fresh = || async { code_of(&rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await) };

    // Another client's code.
    let code = fresh().await;
    assert_oauth(
        other.exchange(&code).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    // Another redirect URI.
    let code = fresh().await;
    let res = rp
        .post(
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "https://rp.example/other"),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    // A wrong verifier, and none.
    let code = fresh().await;
    let wrong = "x".repeat(43);
    let res = rp
        .post(
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &wrong),
            ],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let code = fresh().await;
    let res = rp
        .post(
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
            ],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;

    // A wrong secret, a missing one, the wrong method.
    let code = fresh().await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .basic_auth(&rp.client_id, Some("lk_cs_wrong"))
        .form(&[("grant_type", "authorization_code"), ("code", &code)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&res, "www-authenticate").as_deref(),
        Some("Basic realm=\"latchkey\"")
    );
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let secret = rp.secret.clone().unwrap();
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &rp.client_id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &rp.client_id),
        ])
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;

    // The code still works for its client: refusals of the caller did not consume it.
    assert_json(rp.exchange(&code).await, StatusCode::OK).await;

    // Malformed requests.
    let res = rp.post("token", &[("grant_type", "password")]).await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;
    let res = rp
        .post("token", &[("grant_type", "client_credentials")])
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "unauthorized_client").await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .json(&json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=authorization_code&grant_type=refresh_token")
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn authorize_never_redirects_to_an_unregistered_target() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({})).await;
    for query in [
        rp.query("openid", &[("client_id", "nobody")]),
        rp.query("openid", &[("client_id", "")]),
        rp.query("openid", &[("redirect_uri", "https://evil.example/cb")]),
        rp.query("openid", &[("redirect_uri", "https://rp.example/cb/../x")]),
        rp.query("openid", &[("redirect_uri", "")]),
    ] {
        let res = rp.authorize(&query, None).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(header(&res, "location").is_none());
        let html = res.text().await.unwrap();
        assert!(html.contains("cannot be followed"), "{html}");
        assert!(!html.contains("evil.example"), "never echoed");
    }
}

#[tokio::test]
async fn bad_requests_go_back_to_the_client_as_errors() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({})).await;
    let spa = Rp::register(&idp, json!({"type": "public", "name": "SPA"})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let cases: Vec<(String, &str)> = vec![
        (
            rp.query("openid", &[("response_type", "token")]),
            "unsupported_response_type",
        ),
        (
            rp.query("openid", &[("response_type", "")]),
            "invalid_request",
        ),
        (rp.query("openid admin", &[]), "invalid_scope"),
        (
            rp.query("openid", &[("code_challenge_method", "plain")]),
            "invalid_request",
        ),
        (
            rp.query("openid", &[("code_challenge", "short")]),
            "invalid_request",
        ),
        (
            rp.query("openid", &[("prompt", "none login")]),
            "invalid_request",
        ),
        (rp.query("openid", &[("max_age", "-1")]), "invalid_request"),
        (
            rp.query("openid", &[("request", "eyJ")]),
            "request_not_supported",
        ),
        (
            rp.query("openid", &[("response_mode", "fragment")]),
            "invalid_request",
        ),
        // A public client must use PKCE; a confidential one too, unless a nonce does its work.
        (
            spa.query(
                "openid",
                &[("code_challenge", ""), ("code_challenge_method", "")],
            ),
            "invalid_request",
        ),
        (
            rp.query(
                "openid",
                &[
                    ("code_challenge", ""),
                    ("code_challenge_method", ""),
                    ("nonce", ""),
                ],
            ),
            "invalid_request",
        ),
        (
            rp.query(
                "email",
                &[("code_challenge", ""), ("code_challenge_method", "")],
            ),
            "invalid_request",
        ),
    ];
    for (query, error) in cases {
        let res = rp.authorize(&query, Some(&cookie)).await;
        assert_eq!(res.status(), StatusCode::FOUND, "{query}");
        assert!(location(&res).as_str().starts_with(CALLBACK));
        assert_eq!(param(&res, "error").as_deref(), Some(error), "{query}");
        assert_eq!(param(&res, "state").as_deref(), Some("st-1"));
        assert_eq!(param(&res, "iss").as_deref(), Some(ISSUER));
        assert!(param(&res, "code").is_none());
    }
}

#[tokio::test]
async fn prompt_and_max_age_decide_when_the_person_signs_in_again() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    // Without a session, prompt=none answers at once.
    let res = rp
        .authorize(&rp.query("openid", &[("prompt", "none")]), None)
        .await;
    assert_eq!(param(&res, "error").as_deref(), Some("login_required"));

    let (_, cookie) = person(&idp, "ada@example.com").await;
    let res = rp
        .authorize(&rp.query("openid", &[("prompt", "none")]), Some(&cookie))
        .await;
    code_of(&res);

    // prompt=login: to the login page even with a session; back from it with a sign-in older
    // than the request, to the login page again.
    let res = rp
        .authorize(&rp.query("openid", &[("prompt", "login")]), Some(&cookie))
        .await;
    assert_eq!(location(&res).path(), "/apps/idp/login");
    let resume = location(&res)
        .query_pairs()
        .find(|(k, _)| k == "continue")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let back = resume
        .trim_start_matches("/apps/idp/oauth/authorize?")
        .to_owned();
    idp.advance(Duration::from_secs(5));
    let res = rp.authorize(&back, Some(&cookie)).await;
    assert_eq!(
        location(&res).path(),
        "/apps/idp/login",
        "the old sign-in does not count"
    );
    // A fresh sign-in does.
    let (_, fresh) = person(&idp, "bob@example.com").await;
    let res = rp.authorize(&back, Some(&fresh)).await;
    code_of(&res);

    // max_age: a sign-in older than it sends the person to sign in again.
    idp.advance(Duration::from_secs(120));
    let res = rp
        .authorize(&rp.query("openid", &[("max_age", "60")]), Some(&cookie))
        .await;
    assert_eq!(location(&res).path(), "/apps/idp/login");
    let res = rp
        .authorize(&rp.query("openid", &[("max_age", "3600")]), Some(&cookie))
        .await;
    code_of(&res);

    // max_age=0 asks for a sign-in every time, and the one made for the request counts.
    let res = rp
        .authorize(&rp.query("openid", &[("max_age", "0")]), Some(&cookie))
        .await;
    let resume = location(&res)
        .query_pairs()
        .find(|(k, _)| k == "continue")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    idp.advance(Duration::from_secs(3));
    let (_, carol) = person(&idp, "carol@example.com").await;
    idp.advance(Duration::from_secs(3));
    let res = rp
        .authorize(
            resume.trim_start_matches("/apps/idp/oauth/authorize?"),
            Some(&carol),
        )
        .await;
    code_of(&res);

    // login_hint and prompt=create reach the login page.
    let res = rp
        .authorize(
            &rp.query(
                "openid",
                &[("login_hint", "new@example.com"), ("prompt", "create")],
            ),
            None,
        )
        .await;
    let login = location(&res);
    let pairs: Vec<(String, String)> = login.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("login_hint".into(), "new@example.com".into())));
    assert!(pairs.contains(&("start".into(), "sign-up".into())));
}

#[tokio::test]
async fn consent_is_asked_remembered_and_refusable() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;

    // prompt=none without consent.
    let res = rp
        .authorize(&rp.query("openid", &[("prompt", "none")]), Some(&cookie))
        .await;
    assert_eq!(param(&res, "error").as_deref(), Some("consent_required"));

    // Cancel: access_denied.
    let page = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    let html_ticket = ticket_of(page).await;
    let res = consent(&idp, &cookie, &html_ticket, "deny").await;
    assert_eq!(param(&res, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&res, "state").as_deref(), Some("st-1"));

    // The answer must come from this server's pages, with the session that was asked.
    let page = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    let ticket = ticket_of(page).await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/consent"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("ticket", ticket.as_str()), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    let (_, mallory) = person(&idp, "mallory@example.com").await;
    let res = consent(&idp, &mallory, &ticket, "allow").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(header(&res, "location").is_none());
    let mut forged = ticket.clone();
    forged.replace_range(10..11, if &forged[10..11] == "A" { "B" } else { "A" });
    assert_eq!(
        consent(&idp, &cookie, &forged, "allow").await.status(),
        StatusCode::BAD_REQUEST
    );
    // A ticket expires.
    idp.advance(Duration::from_secs(601));
    assert_eq!(
        consent(&idp, &cookie, &ticket, "allow").await.status(),
        StatusCode::BAD_REQUEST
    );

    // Allowed for openid: a wider request asks again; prompt=consent always asks.
    let tokens = rp.tokens("openid", &cookie).await;
    let res = rp
        .authorize(&rp.query("openid email", &[]), Some(&cookie))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "email was not granted");
    let res = rp
        .authorize(&rp.query("openid", &[("prompt", "consent")]), Some(&cookie))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Withdrawn from the account page: the grant ends, and consent is asked again.
    let browser = idp.with_origin(PUBLIC_URL).with_cookie(&cookie);
    let res = browser
        .request(
            Method::DELETE,
            &format!("/apps/idp/consents/{}", rp.client_id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let token = tokens["access_token"].as_str().unwrap();
    assert_oauth(
        rp.userinfo(token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = browser
        .request(
            Method::DELETE,
            &format!("/apps/idp/consents/{}", rp.client_id),
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(idp.events("oauth.consent_revoked").await.len(), 1);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_grant() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let tokens = rp.tokens("openid offline_access", &cookie).await;
    let first = tokens["refresh_token"]
        .as_str()
        .expect("offline_access")
        .to_owned();

    let refresh = |token: String| {
        let rp = &rp;
        async move {
            rp.post(
                "token",
                &[("grant_type", "refresh_token"), ("refresh_token", &token)],
            )
            .await
        }
    };
    let next = assert_json(refresh(first.clone()).await, StatusCode::OK).await;
    let second = next["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    let (h, at) = jwt(next["access_token"].as_str().unwrap());
    assert_eq!(h["typ"], "at+jwt");
    assert_eq!(at["client_id"], rp.client_id);
    assert!(next["id_token"].is_string());

    // Another client cannot use it, nor the browser API's refresh.
    let other = Rp::register(&idp, json!({"name": "Other"})).await;
    let res = other
        .post(
            "token",
            &[("grant_type", "refresh_token"), ("refresh_token", &second)],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let res = idp
        .with_origin(PUBLIC_URL)
        .request(Method::POST, "/apps/idp/sessions/refresh")
        .json(&json!({"refresh_token": second}))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The spent one, after the grace: the grant ends.
    idp.advance(Duration::from_secs(11));
    assert_oauth(
        refresh(first).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert_oauth(
        refresh(second).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    let token = next["access_token"].as_str().unwrap();
    assert_oauth(
        rp.userinfo(token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn oauth_tokens_are_not_the_browser_apis_and_latchkey_tokens_are_not_oauths() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let signed = idp
        .with_origin(PUBLIC_URL)
        .sign_up_with("ada@example.com", CreateOptions::new(PUBLIC_URL))
        .await;
    let tokens = rp.tokens("openid email", &signed.cookie).await;
    let oauth = tokens["access_token"].as_str().unwrap();
    let res = idp
        .with_origin(PUBLIC_URL)
        .with_bearer(oauth)
        .request(Method::GET, "/apps/idp/passkeys")
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let verified = idp.verify_token(oauth).await;
    assert_eq!(verified["valid"], false);
    // A Latchkey access token is not an OAuth one.
    assert_oauth(
        rp.userinfo(signed.access_token()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // Nor an id_token.
    assert_oauth(
        rp.userinfo(tokens["id_token"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn introspection_revocation_and_a_disabled_person() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let other = Rp::register(&idp, json!({"name": "Other"})).await;
    let (user_id, cookie) = person(&idp, "ada@example.com").await;
    let tokens = rp.tokens("openid offline_access", &cookie).await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();

    async fn introspect(who: &Rp, token: &str) -> Response {
        who.post("introspect", &[("token", token)]).await
    }
    let active = assert_json(introspect(&rp, access).await, StatusCode::OK).await;
    assert_eq!(active["active"], true);
    assert_eq!(active["client_id"], rp.client_id);
    assert_eq!(active["sub"], user_id);
    assert_eq!(active["token_type"], "Bearer");
    assert_eq!(active["username"], "ada@example.com");
    let rt = assert_json(introspect(&rp, refresh).await, StatusCode::OK).await;
    assert_eq!(rt["active"], true);
    assert_eq!(rt["token_type"], "refresh_token");
    // Another client learns nothing of it; the app's backend (API key) learns all.
    let hidden = assert_json(introspect(&other, access).await, StatusCode::OK).await;
    assert_eq!(hidden, json!({"active": false}));
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/introspect"))
        .bearer_auth(&idp.api_key)
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    let by_app = assert_json(res, StatusCode::OK).await;
    assert_eq!(by_app["active"], true);
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/introspect"))
        .bearer_auth("lk_sk_wrong")
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    for junk in ["junk", "lk_rt_unknown", "a.b.c"] {
        let res = assert_json(introspect(&rp, junk).await, StatusCode::OK).await;
        assert_eq!(res, json!({"active": false}));
    }

    // Disabled: inactive at once, userinfo refused.
    let res = idp
        .request(Method::PATCH, &format!("/apps/idp/users/{user_id}"))
        .bearer_auth(&idp.api_key)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let inactive = assert_json(introspect(&rp, access).await, StatusCode::OK).await;
    assert_eq!(inactive["active"], false);
    assert_oauth(
        rp.userinfo(access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = idp
        .request(Method::PATCH, &format!("/apps/idp/users/{user_id}"))
        .bearer_auth(&idp.api_key)
        .json(&json!({"disabled": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(rp.userinfo(access).await.status(), StatusCode::OK);

    // Another client's revocation does nothing; the client's own ends the grant.
    let res = other.post("revoke", &[("token", refresh)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(rp.userinfo(access).await.status(), StatusCode::OK);
    let res = rp.post("revoke", &[("token", refresh)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_oauth(
        rp.userinfo(access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let inactive = assert_json(introspect(&rp, refresh).await, StatusCode::OK).await;
    assert_eq!(inactive["active"], false);
    let res = rp.post("revoke", &[("token", "lk_rt_unknown")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_oauth(
        rp.post("revoke", &[]).await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;

    // Revoking the session from the account page kills the grant too.
    let tokens = rp.tokens("openid", &cookie).await;
    let access = tokens["access_token"].as_str().unwrap();
    let sid = jwt(access).1["sid"].as_str().unwrap().to_owned();
    let res = idp
        .with_origin(PUBLIC_URL)
        .with_cookie(&cookie)
        .request(Method::DELETE, &format!("/apps/idp/sessions/{sid}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_oauth(
        rp.userinfo(access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn client_credentials_and_a_deleted_client() {
    let idp = provider().await;
    let machine = Rp::register(
        &idp,
        json!({"name": "Worker", "redirect_uris": [], "post_logout_redirect_uris": [],
            "grant_types": ["client_credentials"]}),
    )
    .await;
    let tokens = assert_json(
        machine
            .post("token", &[("grant_type", "client_credentials")])
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(tokens.get("refresh_token").is_none() && tokens.get("id_token").is_none());
    let (h, at) = jwt(tokens["access_token"].as_str().unwrap());
    assert_eq!(h["typ"], "at+jwt");
    assert_eq!(at["sub"], machine.client_id);
    assert_eq!(at["client_id"], machine.client_id);
    let access = tokens["access_token"].as_str().unwrap();
    let active = assert_json(
        machine.post("introspect", &[("token", access)]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(active["active"], true);
    assert_oauth(
        machine.userinfo(access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = machine
        .post(
            "token",
            &[("grant_type", "client_credentials"), ("scope", "openid")],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_scope").await;

    // A deleted client's tokens stop working, and so do its grants.
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let grant = rp.tokens("openid", &cookie).await;
    let res = idp.delete_oauth_client("idp", &rp.client_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_oauth(
        rp.userinfo(grant["access_token"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = idp.delete_oauth_client("idp", &machine.client_id).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/introspect"))
        .bearer_auth(&idp.api_key)
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(assert_json(res, StatusCode::OK).await["active"], false);
}

#[tokio::test]
async fn public_clients_use_pkce_and_no_secret() {
    let idp = provider().await;
    let spa = Rp::register(
        &idp,
        json!({"type": "public", "name": "SPA", "skip_consent": true,
            "redirect_uris": [CALLBACK]}),
    )
    .await;
    assert!(spa.secret.is_none());
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let tokens = spa.tokens("openid offline_access", &cookie).await;
    assert!(tokens["refresh_token"].is_string());
    // A secret is refused for a public client.
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/token"))
        .basic_auth(&spa.client_id, Some("anything"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;
}

#[tokio::test]
async fn pushed_requests_stand_for_their_parameters() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let form: Vec<(String, String)> =
        url::form_urlencoded::parse(rp.query("openid", &[]).as_bytes())
            .into_owned()
            .collect();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let pushed = assert_json(rp.post("par", &pairs).await, StatusCode::CREATED).await;
    let uri = pushed["request_uri"].as_str().unwrap();
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_eq!(pushed["expires_in"], 90);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("client_id", rp.client_id.as_str()), ("request_uri", uri)])
        .finish();
    code_of(&rp.authorize(&query, Some(&cookie)).await);

    // Another client's request_uri, a forged one, an expired one: a page, no redirect.
    let other = Rp::register(&idp, json!({"name": "Other"})).await;
    let stolen = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", other.client_id.as_str()),
            ("request_uri", uri),
        ])
        .finish();
    assert_eq!(
        rp.authorize(&stolen, Some(&cookie)).await.status(),
        StatusCode::BAD_REQUEST
    );
    let forged = query.replace("request_uri%3A", "request_uri%3AAA");
    assert_eq!(
        rp.authorize(&forged, Some(&cookie)).await.status(),
        StatusCode::BAD_REQUEST
    );
    // Sent to sign in, the request lasts while the person does (longer than the request_uri).
    let detour = rp.authorize(&query, None).await;
    assert_eq!(location(&detour).path(), "/apps/idp/login");
    let resume = location(&detour)
        .query_pairs()
        .find(|(k, _)| k == "continue")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    idp.advance(Duration::from_secs(91));
    assert_eq!(
        rp.authorize(&query, Some(&cookie)).await.status(),
        StatusCode::BAD_REQUEST
    );
    let (_, signed_in) = person(&idp, "bob@example.com").await;
    let res = rp
        .authorize(
            resume.trim_start_matches("/apps/idp/oauth/authorize?"),
            Some(&signed_in),
        )
        .await;
    code_of(&res);

    // A bad pushed request is refused at once; an unauthenticated one too.
    let res = rp
        .post(
            "par",
            &[
                ("response_type", "code"),
                ("redirect_uri", "https://evil.example/"),
            ],
        )
        .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/par"))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;

    // An app that requires PAR refuses plain requests, by redirect.
    let res = idp.patch_app("idp", json!({"require_par": true})).await;
    assert_eq!(res.status(), StatusCode::OK);
    idp.advance(Duration::from_secs(10));
    let res = rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await;
    assert_eq!(param(&res, "error").as_deref(), Some("invalid_request"));
    let pushed = assert_json(rp.post("par", &pairs).await, StatusCode::CREATED).await;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", rp.client_id.as_str()),
            ("request_uri", pushed["request_uri"].as_str().unwrap()),
        ])
        .finish();
    code_of(&rp.authorize(&query, Some(&cookie)).await);
    // Sent to sign in again, the pushed request comes back as pushed.
    let res = rp.authorize(&query, None).await;
    let resume = location(&res)
        .query_pairs()
        .find(|(k, _)| k == "continue")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(resume.contains("lk_resume="), "{resume}");
    assert!(!resume.contains("code_challenge"), "sealed: {resume}");
    let res = rp
        .authorize(
            resume.trim_start_matches("/apps/idp/oauth/authorize?"),
            Some(&cookie),
        )
        .await;
    code_of(&res);
}

/// A DPoP key: proofs for requests, and its thumbprint.
struct DpopKey {
    pair: EcdsaKeyPair,
    jwk: Value,
}

impl DpopKey {
    fn new() -> Self {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let point = pair.public_key().as_ref().to_vec();
        let jwk = json!({"kty": "EC", "crv": "P-256", "x": b64url(&point[1..33]), "y": b64url(&point[33..65])});
        Self { pair, jwk }
    }

    fn thumbprint(&self) -> String {
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            self.jwk["x"].as_str().unwrap(),
            self.jwk["y"].as_str().unwrap()
        );
        b64url(&Sha256::digest(canonical.as_bytes()))
    }

    /// A proof for `method` `url`, for `token` if given, at `iat`.
    fn proof(&self, method: &str, url: &str, token: Option<&str>, iat: i64) -> String {
        let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk});
        let mut claims =
            json!({"jti": uuid::Uuid::new_v4().to_string(), "htm": method, "htu": url, "iat": iat});
        if let Some(token) = token {
            claims["ath"] = json!(b64url(&Sha256::digest(token.as_bytes())));
        }
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", b64url(signature.as_ref()))
    }
}

#[tokio::test]
async fn dpop_binds_tokens_to_the_clients_key() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let key = DpopKey::new();
    let now = idp.clock().now();
    let token_url = format!("{ISSUER}/oauth/token");
    let code = code_of(
        &rp.authorize(&rp.query("openid offline_access", &[]), Some(&cookie))
            .await,
    );
    let exchange = |proof: String, code: String| {
        let rp = &rp;
        async move {
            rp.idp
                .http
                .post(rp.idp.url("/apps/idp/oauth/token"))
                .basic_auth(&rp.client_id, rp.secret.as_ref())
                .header("dpop", proof)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", CALLBACK),
                    ("code_verifier", VERIFIER),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // A proof for another URL, a stale one, one for another method: refused.
    for bad in [
        key.proof("POST", "https://elsewhere.example/token", None, now),
        key.proof("POST", &token_url, None, now - 300),
        key.proof("GET", &token_url, None, now),
    ] {
        assert_oauth(
            exchange(bad, code.clone()).await,
            StatusCode::BAD_REQUEST,
            "invalid_dpop_proof",
        )
        .await;
    }
    let proof = key.proof("POST", &token_url, None, now);
    let tokens = assert_json(exchange(proof.clone(), code.clone()).await, StatusCode::OK).await;
    assert_eq!(tokens["token_type"], "DPoP");
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(jwt(access).1["cnf"]["jkt"], key.thumbprint());
    // The same proof again is a replay.
    let code2 = code_of(&rp.authorize(&rp.query("openid", &[]), Some(&cookie)).await);
    assert_oauth(
        exchange(proof, code2).await,
        StatusCode::BAD_REQUEST,
        "invalid_dpop_proof",
    )
    .await;

    // userinfo: as a bearer token, refused; with a proof of the key, answered.
    assert_oauth(
        rp.userinfo(access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let userinfo_url = format!("{ISSUER}/oauth/userinfo");
    let with_proof = |proof: String| {
        let idp = &idp;
        async move {
            idp.http
                .get(idp.url("/apps/idp/oauth/userinfo"))
                .header("authorization", format!("DPoP {access}"))
                .header("dpop", proof)
                .send()
                .await
                .unwrap()
        }
    };
    let ok = with_proof(key.proof("GET", &userinfo_url, Some(access), now)).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let other = DpopKey::new();
    let res = with_proof(other.proof("GET", &userinfo_url, Some(access), now)).await;
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = with_proof(key.proof("GET", &userinfo_url, Some("another token"), now)).await;
    let challenge = header(&res, "www-authenticate").unwrap();
    assert!(
        challenge.starts_with("DPoP error=\"invalid_dpop_proof\""),
        "{challenge}"
    );
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_dpop_proof").await;
    let introspected = assert_json(
        rp.post("introspect", &[("token", access)]).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(introspected["token_type"], "DPoP");
    assert_eq!(introspected["cnf"]["jkt"], key.thumbprint());
}

#[tokio::test]
async fn a_public_clients_refresh_token_is_bound_to_its_dpop_key() {
    let idp = provider().await;
    let spa = Rp::register(
        &idp,
        json!({"type": "public", "name": "SPA", "skip_consent": true}),
    )
    .await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let key = DpopKey::new();
    let now = idp.clock().now();
    let token_url = format!("{ISSUER}/oauth/token");
    let code = code_of(
        &spa.authorize(&spa.query("openid offline_access", &[]), Some(&cookie))
            .await,
    );
    let post = |form: Vec<(&'static str, String)>, proof: Option<String>| {
        let idp = &idp;
        let client_id = spa.client_id.clone();
        async move {
            let mut req = idp.http.post(idp.url("/apps/idp/oauth/token"));
            if let Some(proof) = proof {
                req = req.header("dpop", proof);
            }
            let mut form = form;
            form.push(("client_id", client_id));
            req.form(&form).send().await.unwrap()
        }
    };
    let tokens = assert_json(
        post(
            vec![
                ("grant_type", "authorization_code".into()),
                ("code", code),
                ("redirect_uri", CALLBACK.into()),
                ("code_verifier", VERIFIER.into()),
            ],
            Some(key.proof("POST", &token_url, None, now)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let form = || {
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh.clone()),
        ]
    };
    let res = post(form(), None).await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let res = post(
        form(),
        Some(DpopKey::new().proof("POST", &token_url, None, now)),
    )
    .await;
    assert_oauth(res, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let res = post(form(), Some(key.proof("POST", &token_url, None, now))).await;
    let next = assert_json(res, StatusCode::OK).await;
    assert_eq!(next["token_type"], "DPoP");
}

#[tokio::test]
async fn logout_ends_the_session_and_returns_to_a_registered_uri() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let tokens = rp.tokens("openid", &cookie).await;
    let hint = tokens["id_token"].as_str().unwrap();
    let logout = |query: String, cookie: Option<&str>| {
        let idp = &idp;
        let cookie = cookie.map(str::to_owned);
        async move {
            let mut req = idp
                .http
                .get(idp.url(&format!("/apps/idp/oauth/logout?{query}")));
            if let Some(cookie) = cookie {
                req = req.header("cookie", cookie);
            }
            req.send().await.unwrap()
        }
    };
    let q = |pairs: &[(&str, &str)]| {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    // An unregistered URI: a page, no redirect.
    let res = logout(
        q(&[
            ("id_token_hint", hint),
            ("post_logout_redirect_uri", "https://evil.example/"),
        ]),
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(header(&res, "location").is_none());
    // No hint: the person is asked, and still signed in.
    let res = logout(
        q(&[
            ("client_id", &rp.client_id),
            ("post_logout_redirect_uri", BYE),
        ]),
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("name=\"confirm\""));
    let me = idp.with_origin(PUBLIC_URL).with_cookie(&cookie);
    assert_eq!(
        me.request(Method::GET, "/apps/idp/sessions/current")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // A confirmation from another site is not one.
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/logout"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("client_id", rp.client_id.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    // With the hint: signed out, cookie cleared, back with state; the grant ends too.
    let res = logout(
        q(&[
            ("id_token_hint", hint),
            ("post_logout_redirect_uri", BYE),
            ("state", "s-9"),
        ]),
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res).as_str(), format!("{BYE}?state=s-9"));
    assert_eq!(session_cookie(&res).as_deref(), Some("latchkey_session="));
    assert_problem(
        me.request(Method::GET, "/apps/idp/sessions/current")
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_oauth(
        rp.userinfo(tokens["access_token"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // A hint that is not ours.
    let res = logout(q(&[("id_token_hint", "a.b.c")]), None).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_protocol_endpoints_are_rate_limited() {
    let t = TestApp::spawn_with(|c| {
        c.rate_limits = Some("oauth=3/60".to_owned());
    })
    .await;
    let idp = t
        .new_app(
            "idp",
            json!({"rp_id": "localhost", "origins": [PUBLIC_URL]}),
        )
        .await;
    let rp = Rp::register(&idp, json!({})).await;
    for _ in 0..3 {
        let res = rp
            .post("token", &[("grant_type", "client_credentials")])
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    }
    let res = rp.post("introspect", &[("token", "x")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&res, "retry-after").is_some());
    assert_oauth(
        res,
        StatusCode::TOO_MANY_REQUESTS,
        "temporarily_unavailable",
    )
    .await;
}

#[tokio::test]
async fn a_confidential_client_may_rely_on_the_nonce_instead_of_pkce() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let query = rp.query(
        "openid",
        &[("code_challenge", ""), ("code_challenge_method", "")],
    );
    let code = code_of(&rp.authorize(&query, Some(&cookie)).await);
    let res = rp
        .post(
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
            ],
        )
        .await;
    let tokens = assert_json(res, StatusCode::OK).await;
    assert_eq!(jwt(tokens["id_token"].as_str().unwrap()).1["nonce"], "n-1");
}

#[tokio::test]
async fn public_clients_cannot_introspect_and_the_sign_in_detour_cannot_be_forged() {
    let idp = provider().await;
    let spa = Rp::register(
        &idp,
        json!({"type": "public", "name": "SPA", "skip_consent": true}),
    )
    .await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let tokens = spa.tokens("openid", &cookie).await;
    let res = spa
        .post(
            "introspect",
            &[("token", tokens["access_token"].as_str().unwrap())],
        )
        .await;
    assert_oauth(res, StatusCode::UNAUTHORIZED, "invalid_client").await;

    // The way back from the login page is sealed: a made-up one is refused, and the old
    // plain parameters mean nothing.
    let res = spa
        .authorize(
            &format!("client_id={}&lk_resume=AAAA", spa.client_id),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(header(&res, "location").is_none());
    let query = spa.query(
        "openid",
        &[("prompt", "login"), ("lk_signed_in_after", "0")],
    );
    let res = spa.authorize(&query, Some(&cookie)).await;
    assert_eq!(location(&res).path(), "/apps/idp/login");
}

#[tokio::test]
async fn a_client_may_have_its_id_tokens_signed_with_rs256() {
    let idp = provider().await;
    let rp = Rp::register(
        &idp,
        json!({"skip_consent": true, "id_token_signed_response_alg": "RS256"}),
    )
    .await;
    // The key is made with the client, ahead of its first sign-in.
    let jwks = assert_json(
        idp.http
            .get(idp.url("/apps/idp/.well-known/jwks.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["kty"] == "RSA"),
        "{jwks}"
    );
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let tokens = rp.tokens("openid offline_access", &cookie).await;
    let (id_header, _) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id_header["alg"], "RS256");
    let (at_header, _) = jwt(tokens["access_token"].as_str().unwrap());
    assert_eq!(
        at_header["alg"], "ES256",
        "access tokens keep the app's algorithm"
    );

    // The JWKS publishes both keys; the id_token verifies with the RSA one.
    let jwks = assert_json(
        idp.http
            .get(idp.url("/apps/idp/.well-known/jwks.json"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let rsa = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == id_header["kid"])
        .expect("the id_token's key is published");
    assert_eq!(rsa["kty"], "RSA");
    let key = jsonwebtoken::DecodingKey::from_rsa_components(
        rsa["n"].as_str().unwrap(),
        rsa["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[&rp.client_id]);
    validation.set_issuer(&[ISSUER]);
    let claims =
        jsonwebtoken::decode::<Value>(tokens["id_token"].as_str().unwrap(), &key, &validation)
            .unwrap()
            .claims;
    let at_hash = Sha256::digest(tokens["access_token"].as_str().unwrap().as_bytes());
    assert_eq!(claims["at_hash"], b64url(&at_hash[..16]));
    // A refresh signs its id_token the same way, with the same key.
    let next = assert_json(
        rp.post(
            "token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        jwt(next["id_token"].as_str().unwrap()).0["kid"],
        id_header["kid"]
    );
    // The RS256-signed id_token is still a hint logout accepts.
    let doc = assert_json(
        idp.http
            .get(idp.url("/apps/idp/.well-known/openid-configuration"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["ES256", "EdDSA", "RS256"])
    );

    // Back to the app's algorithm with null; an unknown one is refused.
    let res = idp
        .patch_oauth_client(
            "idp",
            &rp.client_id,
            json!({"id_token_signed_response_alg": null}),
        )
        .await;
    let client = assert_json(res, StatusCode::OK).await;
    assert_eq!(client["id_token_signed_response_alg"], Value::Null);
    let res = idp
        .patch_oauth_client(
            "idp",
            &rp.client_id,
            json!({"id_token_signed_response_alg": "HS256"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "invalid_request").await;
    let tokens = rp.tokens("openid", &cookie).await;
    assert_eq!(jwt(tokens["id_token"].as_str().unwrap()).0["alg"], "ES256");

    // No client wants RS256 now: once due, its key is retired, not replaced, and leaves the
    // JWKS when its tokens have expired.
    let rsa_keys = |jwks: &Value| {
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["kty"] == "RSA")
            .count()
    };
    let jwks_now = || async {
        assert_json(
            idp.http
                .get(idp.url("/apps/idp/.well-known/jwks.json"))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    };
    idp.advance(Duration::from_secs(91 * 86_400));
    assert_eq!(rsa_keys(&jwks_now().await), 1, "retired, still published");
    idp.advance(Duration::from_secs(3 * 86_400));
    assert_eq!(rsa_keys(&jwks_now().await), 0);
}

#[tokio::test]
async fn a_client_holds_at_most_twenty_grants_of_a_person() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (_, cookie) = person(&idp, "ada@example.com").await;
    let first = rp.tokens("openid", &cookie).await;
    for _ in 0..19 {
        rp.tokens("openid", &cookie).await;
    }
    let token = first["access_token"].as_str().unwrap();
    assert_eq!(rp.userinfo(token).await.status(), StatusCode::OK);
    rp.tokens("openid", &cookie).await;
    assert_oauth(
        rp.userinfo(token).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // The person's own browser session is untouched.
    let me = idp.with_origin(PUBLIC_URL).with_cookie(&cookie);
    let res = me
        .request(Method::GET, "/apps/idp/sessions/current")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_client_has_its_own_allowance() {
    let t = TestApp::spawn_with(|c| {
        c.rate_limits = Some("oauth_client=2/60".to_owned());
    })
    .await;
    let idp = t
        .new_app(
            "idp",
            json!({"rp_id": "localhost", "origins": [PUBLIC_URL]}),
        )
        .await;
    let busy = Rp::register(&idp, json!({"name": "Busy"})).await;
    let quiet = Rp::register(&idp, json!({"name": "Quiet"})).await;
    for _ in 0..2 {
        let res = busy.post("revoke", &[("token", "lk_rt_unknown")]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = busy.post("revoke", &[("token", "lk_rt_unknown")]).await;
    assert_oauth(
        res,
        StatusCode::TOO_MANY_REQUESTS,
        "temporarily_unavailable",
    )
    .await;
    let res = quiet.post("revoke", &[("token", "lk_rt_unknown")]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "another client is not held back"
    );
}

#[tokio::test]
async fn browser_clients_reach_the_credential_free_endpoints_from_any_origin() {
    let idp = provider().await;
    for path in [
        "/apps/idp/oauth/token",
        "/apps/idp/oauth/userinfo",
        "/apps/idp/oauth/revoke",
        "/apps/idp/oauth/par",
    ] {
        let res = idp
            .http
            .request(Method::OPTIONS, idp.url(path))
            .header("origin", "https://spa.example")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, dpop, authorization",
            )
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        assert_eq!(
            header(&res, "access-control-allow-origin").as_deref(),
            Some("*")
        );
        assert!(
            header(&res, "access-control-allow-credentials").is_none(),
            "never cookies"
        );
        let allowed = header(&res, "access-control-allow-headers").unwrap_or_default();
        assert!(allowed.contains("dpop"), "{allowed}");
    }
    for path in [
        "/apps/idp/.well-known/openid-configuration",
        "/apps/idp/.well-known/jwks.json",
    ] {
        let res = idp
            .http
            .get(idp.url(path))
            .header("origin", "https://spa.example")
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&res, "access-control-allow-origin").as_deref(),
            Some("*"),
            "{path}"
        );
    }
    // Introspection is for backends: no CORS.
    let res = idp
        .http
        .post(idp.url("/apps/idp/oauth/introspect"))
        .header("origin", "https://spa.example")
        .form(&[("token", "x")])
        .send()
        .await
        .unwrap();
    assert!(header(&res, "access-control-allow-origin").is_none());
}

#[tokio::test]
async fn id_tokens_carry_the_organization_the_browser_session_acts_for() {
    let idp = provider().await;
    let rp = Rp::register(&idp, json!({"skip_consent": true})).await;
    let (user_id, cookie) = person(&idp, "ada@example.com").await;
    let server = |method: Method, path: &str, body: Value| {
        let idp = &idp;
        let path = format!("/apps/idp{path}");
        async move {
            idp.request(method, &path)
                .bearer_auth(&idp.api_key)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    for (method, path, body) in [
        (Method::POST, "/permissions", json!({"key": "recipes:edit"})),
        (
            Method::POST,
            "/roles",
            json!({"key": "chef", "name": "Chef", "permissions": ["recipes:edit"]}),
        ),
        (
            Method::POST,
            "/roles",
            json!({"key": "guest", "name": "Guest"}),
        ),
        (
            Method::POST,
            "/organizations",
            json!({"id": "bistro", "name": "Bistro"}),
        ),
        (
            Method::POST,
            "/organizations/bistro/members",
            json!({"user_id": user_id, "roles": ["chef"]}),
        ),
    ] {
        assert_eq!(
            server(method, path, body).await.status(),
            StatusCode::CREATED
        );
    }

    // Without an organization: null and the app-wide roles (none).
    let tokens = rp.tokens("openid", &cookie).await;
    let (_, id) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["org_id"], Value::Null);
    assert_eq!(id["roles"], json!([]));
    assert_eq!(id["permissions"], json!([]));

    // The browser session acts for the organization: the grant it authorizes does too.
    let switched = idp
        .with_origin(PUBLIC_URL)
        .request(Method::POST, "/apps/idp/sessions/current/organization")
        .header("cookie", &cookie)
        .json(&json!({"org_id": "bistro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), StatusCode::OK);
    let tokens = rp.tokens("openid offline_access", &cookie).await;
    let (_, id) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["org_id"], "bistro");
    assert_eq!(id["roles"], json!(["chef"]));
    assert_eq!(id["permissions"], json!(["recipes:edit"]));
    // The OAuth access token is the client's: it grants nothing of what the user may do.
    let (_, at) = jwt(tokens["access_token"].as_str().unwrap());
    for claim in ["org_id", "roles", "permissions"] {
        assert!(at.get(claim).is_none(), "{claim} in {at}");
    }

    // A role change shows at the next refresh.
    let res = server(
        Method::PATCH,
        &format!("/organizations/bistro/members/{user_id}"),
        json!({"roles": ["guest"]}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let next = assert_json(
        rp.post(
            "token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let (_, id) = jwt(next["id_token"].as_str().unwrap());
    assert_eq!(id["org_id"], "bistro");
    assert_eq!(id["roles"], json!(["guest"]));
    assert_eq!(id["permissions"], json!([]));

    // Removed from the organization before a grant's code is exchanged: the grant acts for
    // none.
    let res = server(
        Method::DELETE,
        &format!("/organizations/bistro/members/{user_id}"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let tokens = rp.tokens("openid", &cookie).await;
    let (_, id) = jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["org_id"], Value::Null);
    assert_eq!(id["roles"], json!([]));
}
