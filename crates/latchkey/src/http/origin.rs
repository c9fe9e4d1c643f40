//! The one origin policy: which web origins may do what.
//!
//! Browsers name the page behind every cross-site request in `Origin`; this module is the only
//! place that reads it. Four uses, one rule each ([`OriginPolicy::check`]):
//!
//! | use | no `Origin` | one of the app's origins | this server's own origin | any other |
//! |---|---|---|---|---|
//! | [`OriginUse::CookieChange`]: a non-GET request authenticated by the session cookie (CSRF) | refused | allowed | allowed only if among the app's | refused |
//! | [`OriginUse::SignIn`]: a JSON call that starts or finishes a sign-in (login CSRF) | allowed (not a browser) | allowed | allowed (the hosted pages) | refused |
//! | [`OriginUse::PageForm`]: a form the hosted pages post (login CSRF) | refused | allowed | allowed | refused |
//! | [`OriginUse::Cors`]: reading the browser API's answers from another page (CORS) | — | allowed | allowed only if among the app's | refused |
//!
//! The OpenID Provider's endpoints that a client in a browser calls (token, userinfo, PAR,
//! revocation; discovery and the JWKS) answer every origin, without credentials
//! ([`open_cors`]): they read no cookie, only what the request carries, so another site's page
//! can learn nothing there that a script outside any browser could not.
//!
//! Safe methods (GET, HEAD, OPTIONS) change nothing, so a cookie read needs no `Origin`. The
//! literal `null` (opaque origins: sandboxed frames, some redirects) and a header that is not
//! text match nothing. The hosted
//! pages run on this server's own origin, which must therefore be among the app's origins for
//! them to work at all ([`OriginPolicy::hosts_pages`]). CORS is a layer on the browser routers
//! only ([`OriginPolicy::cors`]): the server and admin APIs answer no other origin.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header, request::Parts};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::auth::{App, Auth, Error};

/// What a browser request wants to do, as far as its origin matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginUse {
    /// A state-changing request authenticated by the session cookie.
    CookieChange,
    /// A JSON call that starts or finishes a sign-in.
    SignIn,
    /// A form posted by one of the hosted pages.
    PageForm,
    /// A cross-origin read of the browser API.
    Cors,
}

/// The origin policy of this server: the app's origins, and this server's own origin (from
/// `PUBLIC_URL`), where the hosted pages run.
#[derive(Clone, Debug)]
pub struct OriginPolicy {
    own: Arc<str>,
    /// The host of that origin as a `Host` header names it (`host[:port]`).
    own_host: Arc<str>,
}

impl OriginPolicy {
    /// The policy for a server whose public URL is `public_url`.
    pub fn new(public_url: &str) -> Self {
        let url = url::Url::parse(public_url).ok();
        let own = url
            .as_ref()
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        let own_host = url
            .as_ref()
            .map(|u| {
                let host = u.host_str().unwrap_or_default();
                u.port()
                    .map_or_else(|| host.to_owned(), |p| format!("{host}:{p}"))
            })
            .unwrap_or_default();
        Self {
            own: own.into(),
            own_host: own_host.into(),
        }
    }

    /// This server's own origin.
    pub fn own(&self) -> &str {
        &self.own
    }

    /// This server's own host, as a `Host` header names it.
    pub fn own_host(&self) -> &str {
        &self.own_host
    }

    /// Whether a request of `method` from `origin` (the `Origin` header, if sent) may do
    /// `what` for `app`: the rule of the table above.
    pub fn allows(
        &self,
        app: &App,
        what: OriginUse,
        method: &Method,
        origin: Option<&str>,
    ) -> bool {
        let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        let app_origin = origin.is_some_and(|o| app.has_origin(o));
        let own_origin = origin.is_some_and(|o| o == &*self.own);
        match what {
            OriginUse::CookieChange => safe || app_origin,
            OriginUse::SignIn => origin.is_none() || app_origin || own_origin,
            OriginUse::PageForm => app_origin || own_origin,
            OriginUse::Cors => app_origin,
        }
    }

    /// [`Self::allows`] for a request of `method` with `headers`, as the refusal every API
    /// answers with (`origin_not_allowed`).
    pub fn check(
        &self,
        app: &App,
        what: OriginUse,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<(), Error> {
        // An `Origin` that is not text is still an origin: one that matches nothing.
        let origin = headers
            .get(header::ORIGIN)
            .map(|v| v.to_str().unwrap_or_default());
        if self.allows(app, what, method, origin) {
            return Ok(());
        }
        Err(Error::OriginNotAllowed(match (origin, what) {
            (Some(o), _) => format!("origin {o:?} is not one of this app's origins"),
            (None, OriginUse::CookieChange) => "a cookie-authenticated change needs an Origin \
                                                header from one of this app's origins"
                .to_owned(),
            (None, _) => {
                "this request needs an Origin header from one of this app's origins".to_owned()
            }
        }))
    }

    /// Whether the hosted pages can work for `app`: WebAuthn and the checks above need this
    /// server's origin among the app's.
    pub fn hosts_pages(&self, app: &App) -> bool {
        app.has_origin(&self.own)
    }

    /// The CORS layer of the browser routers: the app in the path answers exactly its own
    /// origins, with credentials.
    pub fn cors(&self, auth: Arc<Auth>) -> CorsLayer {
        let policy = self.clone();
        CorsLayer::new()
            .allow_origin(AllowOrigin::async_predicate(
                move |origin: HeaderValue, parts: &Parts| {
                    let app_id = app_in_path(parts.uri.path()).map(str::to_owned);
                    let (auth, policy) = (auth.clone(), policy.clone());
                    async move {
                        let (Some(app_id), Ok(origin)) = (app_id, origin.to_str()) else {
                            return false;
                        };
                        match auth.apps().get(&app_id).await {
                            Ok(app) => {
                                policy.allows(&app, OriginUse::Cors, &Method::GET, Some(origin))
                            }
                            Err(_) => false,
                        }
                    }
                },
            ))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .expose_headers([HeaderName::from_static("retry-after")])
            .max_age(Duration::from_secs(600))
    }
}

/// The CORS layer of the OpenID Provider's credential-free endpoints: any origin, no
/// credentials (cookies) ever, the headers OAuth and DPoP requests carry.
pub fn open_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("dpop"),
        ])
        .expose_headers([
            header::WWW_AUTHENTICATE,
            HeaderName::from_static("retry-after"),
        ])
        .max_age(Duration::from_secs(600))
}

/// The `{app}` of a `/apps/{app}/…` path.
fn app_in_path(path: &str) -> Option<&str> {
    path.strip_prefix("/apps/")?.split('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: &str = "https://auth.example.com";
    const APP: &str = "https://shop.example.com";

    fn app(with_own: bool) -> App {
        let mut origins = vec![APP];
        if with_own {
            origins.push(OWN);
        }
        serde_json::from_value(serde_json::json!({
            "id": "shop", "name": "Shop", "rp_id": "example.com", "rp_name": "Shop",
            "origins": origins, "redirect_uris": [], "access_token_ttl": 900,
            "refresh_token_ttl": 86_400, "user_verification": "preferred",
            "sign_up_allowed": true, "signing_alg": "ES256", "magic_link_binding": true,
            "unknown_email_sign_up": true, "sign_up_email_first": false, "cross_device_links": false,
            "require_par": false, "mfa": "optional",
            "email_templates": {}, "logo_url": null,
            "accent_color": null, "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
        }))
        .unwrap_or_else(|e| panic!("test app: {e}"))
    }

    /// Every case of the rule, as the module's table states it.
    #[test]
    fn the_rule_table() {
        let policy = OriginPolicy::new(&format!("{OWN}/"));
        assert_eq!(policy.own(), OWN);
        let post = Method::POST;
        let get = Method::GET;
        use OriginUse::{CookieChange, Cors, PageForm, SignIn};
        // (use, method, app lists our own origin, request Origin, allowed)
        let cases: &[(OriginUse, &Method, bool, Option<&str>, bool)] = &[
            (CookieChange, &post, false, None, false),
            (CookieChange, &post, false, Some(APP), true),
            (CookieChange, &post, false, Some(OWN), false),
            (CookieChange, &post, true, Some(OWN), true),
            (
                CookieChange,
                &post,
                false,
                Some("https://evil.example"),
                false,
            ),
            (CookieChange, &post, false, Some("null"), false),
            (CookieChange, &post, false, Some(""), false),
            (CookieChange, &get, false, None, true),
            (
                CookieChange,
                &get,
                false,
                Some("https://evil.example"),
                true,
            ),
            (CookieChange, &Method::DELETE, false, None, false),
            (CookieChange, &Method::PATCH, false, Some(APP), true),
            (SignIn, &post, false, None, true),
            (SignIn, &post, false, Some(APP), true),
            (SignIn, &post, false, Some(OWN), true),
            (SignIn, &post, false, Some("https://evil.example"), false),
            (SignIn, &post, false, Some("null"), false),
            (SignIn, &post, false, Some(""), false),
            (PageForm, &post, false, None, false),
            (PageForm, &post, false, Some(APP), true),
            (PageForm, &post, false, Some(OWN), true),
            (PageForm, &post, false, Some("https://evil.example"), false),
            (PageForm, &post, false, Some("null"), false),
            (PageForm, &post, false, Some(""), false),
            (Cors, &get, false, Some(APP), true),
            (Cors, &get, false, Some(OWN), false),
            (Cors, &get, true, Some(OWN), true),
            (Cors, &get, false, Some("https://evil.example"), false),
            (Cors, &get, false, None, false),
        ];
        for (what, method, with_own, origin, allowed) in cases {
            assert_eq!(
                policy.allows(&app(*with_own), *what, method, *origin),
                *allowed,
                "{what:?} {method} (own origin listed: {with_own}) from {origin:?}"
            );
        }
        assert!(policy.hosts_pages(&app(true)));
        assert!(!policy.hosts_pages(&app(false)));
    }

    #[test]
    fn the_app_is_read_from_the_path() {
        assert_eq!(
            app_in_path("/apps/shop/passkeys/authenticate/options"),
            Some("shop")
        );
        assert_eq!(app_in_path("/apps/shop"), Some("shop"));
        assert_eq!(app_in_path("/admin/apps/shop"), None);
    }
}
