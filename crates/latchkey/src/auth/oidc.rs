//! Each app's OAuth 2.1 authorization server and OpenID Provider.
//!
//! The authorization endpoint rides on the browser's Latchkey session: without one (or when
//! the client asks for a fresh sign-in) the person goes through the hosted login page, which
//! runs the sign-in pipeline and comes back; then, unless the client is first-party or the
//! person already agreed, a consent page; then a code. Exchanging the code creates a session of
//! its own for the client (a *grant*, [`Grant`]): listed and revocable like any session, its
//! refresh tokens rotating with the same reuse detection, its access tokens OAuth's (`at+jwt`,
//! never accepted by the browser API).
//!
//! State kept: codes (single use, [`CODE_TTL`]) and consents in the store. A pushed request
//! (PAR) and a pending consent are sealed under the master key and carried by the client and
//! the page instead, so that any instance can finish what another began.

use base64::Engine as _;
use jsonwebtoken::Algorithm;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::Digest as _;

use super::apps::SigningAlg;
use super::error::{Error, Result};
use super::events::{self, EventKind};
use super::ids::{SessionId, UserId, new_id};
use super::oauth_clients::{
    ClientType, GrantType, OAuthClient, Scope, TokenAuthMethod, scopes_to_text,
};
use super::roles::Access;
use super::sessions::{Grant, Principal, RevokeReason, principal_of};
use super::store::{self, oauth::CodeRow};
use super::tokens::{AppKeys, Aud, JwtType, OAUTH_ACCESS_TOKEN_TYPE};
use super::{Amr, App, Auth, RequestMeta, Session, User};
use crate::clock::Timestamp;
use crate::crypto::{Secret, SecretKind, b64url, ct_eq};

/// An authorization code works this many seconds.
pub const CODE_TTL: i64 = 60;
/// A pushed authorization request's `request_uri` works this many seconds.
pub const PUSHED_REQUEST_TTL: i64 = 90;
/// A consent page can be answered this many seconds.
const CONSENT_TTL: i64 = 600;
/// Used codes are kept this long after they expire, so that a late second exchange still
/// revokes what the first one made.
const USED_CODES_KEPT: i64 = 3_600;
/// `request_uri`s this server hands out start so (RFC 9126).
const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";
/// Longest `state`, `nonce` or `login_hint` taken.
const MAX_PARAM: usize = 1_024;

string_enum! {
    /// The error codes of the OAuth endpoints (RFC 6749, OpenID Connect Core, RFC 9126,
    /// RFC 9449, RFC 7009).
    pub enum OAuthErrorCode {
        InvalidRequest = "invalid_request",
        InvalidClient = "invalid_client",
        InvalidGrant = "invalid_grant",
        UnauthorizedClient = "unauthorized_client",
        UnsupportedGrantType = "unsupported_grant_type",
        UnsupportedResponseType = "unsupported_response_type",
        InvalidScope = "invalid_scope",
        AccessDenied = "access_denied",
        LoginRequired = "login_required",
        ConsentRequired = "consent_required",
        InvalidToken = "invalid_token",
        InsufficientScope = "insufficient_scope",
        InvalidRequestUri = "invalid_request_uri",
        RequestNotSupported = "request_not_supported",
        InvalidDpopProof = "invalid_dpop_proof",
        UnsupportedTokenType = "unsupported_token_type",
        ServerError = "server_error",
        TemporarilyUnavailable = "temporarily_unavailable",
    }
}

/// What a request proves of a DPoP-bound access token.
#[derive(Clone, Copy, Debug)]
enum Binding<'a> {
    /// A resource request: the key of its valid proof, if it sent one, which must be the
    /// token's (and a bearer token must come without one).
    Proven(Option<&'a str>),
    /// Introspection or revocation: the binding is reported, not checked.
    Reported,
}

/// An OAuth refusal.
pub fn oauth_error(error: OAuthErrorCode, description: impl Into<String>) -> Error {
    Error::OAuth {
        error,
        description: description.into(),
    }
}

fn invalid_request(description: impl Into<String>) -> Error {
    oauth_error(OAuthErrorCode::InvalidRequest, description)
}

fn invalid_grant(description: impl Into<String>) -> Error {
    oauth_error(OAuthErrorCode::InvalidGrant, description)
}

string_enum! {
    /// What the client asks of the authorization endpoint about signing in and consenting
    /// (OpenID Connect Core 3.1.2.1, and `create` from Initiating User Registration).
    pub enum Prompt {
        /// Nothing may be shown: answer at once, or with an error.
        None = "none",
        /// A fresh sign-in, even with a session.
        Login = "login",
        /// Ask for consent again.
        Consent = "consent",
        /// Offer account creation first.
        Create = "create",
        /// There is one account per browser session here: the session's.
        SelectAccount = "select_account",
    }
}

string_enum! {
    /// The authentication context class of a sign-in (an id_token's `acr`).
    pub enum Acr {
        /// Phishing-resistant: a passkey (OpenID EAP ACR Values).
        Phr = "phr",
        /// More than one factor, not all of them phishing-resistant.
        Mfa = "mfa",
        /// One factor, such as an email code.
        Sfa = "sfa",
    }
}

impl Acr {
    /// The class of a sign-in that proved `amr`.
    pub fn of(amr: &[Amr]) -> Self {
        if amr.contains(&Amr::Passkey) {
            Self::Phr
        } else if amr.contains(&Amr::Mfa) {
            Self::Mfa
        } else {
            Self::Sfa
        }
    }
}

/// An authorization request as sent, every parameter as text: each is checked by
/// [`Oidc::authorize`], which answers a bad one in OAuth's terms rather than refusing to parse.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    /// One of the client's redirect URIs, exactly.
    pub redirect_uri: Option<String>,
    /// `code`.
    pub response_type: Option<String>,
    /// `query` (the default) only.
    pub response_mode: Option<String>,
    /// Space-separated: `openid`, `profile`, `email`, `offline_access`.
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// PKCE (RFC 7636): required for public clients.
    pub code_challenge: Option<String>,
    /// `S256` only.
    pub code_challenge_method: Option<String>,
    /// Space-separated: `none`, `login`, `consent`, `create`, `select_account`.
    pub prompt: Option<String>,
    /// Seconds since the person last signed in beyond which they sign in again.
    pub max_age: Option<String>,
    /// An email address to start the login page with.
    pub login_hint: Option<String>,
    pub acr_values: Option<String>,
    pub ui_locales: Option<String>,
    /// A pushed request's `request_uri` (RFC 9126), in place of the other parameters.
    pub request_uri: Option<String>,
    /// Request objects are not supported.
    pub request: Option<String>,
    /// The thumbprint of the DPoP key the code is bound to (RFC 9449, section 10).
    pub dpop_jkt: Option<String>,
    /// Set by the authorization endpoint itself on the way to the login page: the request
    /// as it was checked, sealed with the moment after which the sign-in it waits for must
    /// have happened, in place of the other parameters (but client_id).
    pub lk_resume: Option<String>,
}

/// A checked authorization request: what a code, a consent page or a pushed request carries.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<Scope>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompts: Vec<Prompt>,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    pub dpop_jkt: Option<String>,
}

/// Where the browser goes back to the client: the redirect URI and the parameters to add.
#[derive(Clone, Debug)]
pub struct ClientRedirect {
    pub redirect_uri: String,
    pub params: Vec<(&'static str, String)>,
}

impl ClientRedirect {
    /// The URL: the redirect URI with the parameters added to its query.
    pub fn url(&self) -> String {
        match url::Url::parse(&self.redirect_uri) {
            Ok(mut url) => {
                url.query_pairs_mut()
                    .extend_pairs(self.params.iter().map(|(k, v)| (*k, v.as_str())));
                url.to_string()
            }
            // Registered URIs were checked when saved.
            Err(_) => self.redirect_uri.clone(),
        }
    }
}

/// What the authorization endpoint answers.
#[derive(Debug)]
pub enum Authorization {
    /// The request cannot be answered by redirect (no such client, a redirect URI it did not
    /// register): a page says why, and the browser stays here.
    Refused(String),
    /// Back to the client: with a code, or an error.
    Redirect(ClientRedirect),
    /// The person signs in first (again, if `after` is set: no earlier sign-in counts), then
    /// comes back to `resume` (this server's path and query).
    SignIn {
        resume: String,
        login_hint: Option<String>,
        create: bool,
    },
    /// The person is asked; their answer comes back with `ticket`.
    Consent {
        client_name: String,
        scopes: Vec<Scope>,
        ticket: String,
        user: Box<User>,
        /// Where the answer goes (its origin is a form target of the page).
        redirect_uri: String,
    },
}

/// The credentials a client presented at the token, PAR, introspection or revocation
/// endpoint.
#[derive(Debug, Default)]
pub struct ClientCredentials {
    pub client_id: Option<String>,
    pub secret: Option<Secret>,
    /// How the secret came: `client_secret_basic`, `client_secret_post`, or `none`.
    pub method: Option<TokenAuthMethod>,
}

/// A token request's parameters (RFC 6749 section 4.1.3, 6, 4.4). Its `Debug` shows none of
/// the secrets.
#[derive(Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenParams {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    /// For `client_credentials`: the scopes asked for (none of this server's are for a
    /// client alone, so it may only be empty).
    pub scope: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for TokenParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "…");
        f.debug_struct("TokenParams")
            .field("grant_type", &self.grant_type)
            .field("code", &hidden(&self.code))
            .field("redirect_uri", &self.redirect_uri)
            .field("code_verifier", &hidden(&self.code_verifier))
            .field("refresh_token", &hidden(&self.refresh_token))
            .field("scope", &self.scope)
            .field("client_id", &self.client_id)
            .field("client_secret", &hidden(&self.client_secret))
            .finish()
    }
}

/// The token endpoint's answer. Its secrets print redacted.
#[derive(Debug)]
pub struct Tokens {
    pub access_token: Secret,
    /// `Bearer`, or `DPoP` for a token bound to the proof's key.
    pub token_type: &'static str,
    pub expires_in: i64,
    pub scope: String,
    pub refresh_token: Option<Secret>,
    pub id_token: Option<Secret>,
}

/// The claims of an OAuth access token (RFC 9068).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OAuthAccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub scope: String,
    /// The grant's session; absent for `client_credentials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<SessionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<Acr>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::sign_in::lenient_amr"
    )]
    pub amr: Vec<Amr>,
    /// The DPoP key the token is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
}

/// A token's proof-of-possession key (RFC 7800), by its JWK thumbprint (RFC 9449).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Confirmation {
    pub jkt: String,
}

/// The claims of an id_token (OpenID Connect Core 2, 5.1).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub azp: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, deserialize_with = "super::sign_in::lenient_amr")]
    pub amr: Vec<Amr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<Acr>,
    pub sid: SessionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_hash: Option<String>,
    /// The session's organization (`null` when none), and the user's roles and permissions
    /// there, when the token was issued.
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(flatten)]
    pub profile: Map<String, Value>,
}

/// What introspection (RFC 7662) says of a token.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Introspection {
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The user's email address, if they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `Bearer`, `DPoP` or `refresh_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub cnf: Option<Value>,
}

/// Who asks introspection: a client (sees its own tokens only) or the app's backend.
#[derive(Debug)]
pub enum Introspector {
    Client(Box<OAuthClient>),
    App,
}

/// A consent as the account page lists it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Consent {
    pub client_id: String,
    pub client_name: String,
    pub scopes: Vec<Scope>,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[serde(with = "crate::clock::rfc3339_serde")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// RP-initiated logout's parameters (OpenID Connect RP-Initiated Logout 1.0).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct LogoutParams {
    pub id_token_hint: Option<String>,
    pub client_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub ui_locales: Option<String>,
    pub logout_hint: Option<String>,
}

/// What RP-initiated logout answers.
#[derive(Debug)]
pub enum Logout {
    /// Signed out (or nobody was): to the client's registered URI, or a page saying so.
    Done(Option<String>),
    /// The request does not prove which client sent it for this session: the person confirms
    /// on a page whose form posts the same parameters back with `confirm`, then goes to the
    /// registered URI, if one was asked for.
    Confirm(Option<String>),
    /// The request cannot be followed (an unregistered URI): a page says why.
    Refused(String),
}

/// Every other parameter is as its specification fixes it; these say what the server
/// offers (OpenID Connect Discovery 1.0, RFC 8414).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub pushed_authorization_request_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    pub introspection_endpoint: String,
    pub revocation_endpoint: String,
    pub end_session_endpoint: String,
    pub scopes_supported: Vec<Scope>,
    pub response_types_supported: Vec<&'static str>,
    pub response_modes_supported: Vec<&'static str>,
    pub grant_types_supported: Vec<GrantType>,
    pub subject_types_supported: Vec<&'static str>,
    pub id_token_signing_alg_values_supported: Vec<&'static str>,
    pub token_endpoint_auth_methods_supported: Vec<TokenAuthMethod>,
    pub introspection_endpoint_auth_methods_supported: Vec<TokenAuthMethod>,
    pub revocation_endpoint_auth_methods_supported: Vec<TokenAuthMethod>,
    pub code_challenge_methods_supported: Vec<&'static str>,
    pub dpop_signing_alg_values_supported: Vec<&'static str>,
    pub claims_supported: Vec<&'static str>,
    pub prompt_values_supported: Vec<Prompt>,
    pub acr_values_supported: Vec<Acr>,
    pub claims_parameter_supported: bool,
    pub request_parameter_supported: bool,
    pub request_uri_parameter_supported: bool,
    pub require_request_uri_registration: bool,
    pub require_pushed_authorization_requests: bool,
    pub authorization_response_iss_parameter_supported: bool,
    pub frontchannel_logout_supported: bool,
    pub backchannel_logout_supported: bool,
}

/// The sealed state a consent page carries.
#[derive(Serialize, Deserialize)]
struct ConsentTicket {
    request: AuthRequest,
    /// The browser session that was asked: the answer must come with it.
    session_id: SessionId,
    expires_at: Timestamp,
}

/// The sealed state an authorization request carries through the login page and back.
#[derive(Serialize, Deserialize)]
struct Resume {
    request: AuthorizeParams,
    client_id: String,
    /// It came as a pushed request (what an app that requires PAR asks).
    pushed: bool,
    /// The sign-in it waits for happened at this moment or after…
    signed_in_after: Timestamp,
    /// …in another session than this one (a tag), which the browser had when it left.
    not_session: Option<String>,
    expires_at: Timestamp,
}

/// The sealed state a pushed request's `request_uri` carries.
#[derive(Serialize, Deserialize)]
struct PushedRequest {
    request: AuthorizeParams,
    client_id: String,
    expires_at: Timestamp,
}

/// The OpenID Provider of each app.
pub struct Oidc<'a> {
    pub(super) auth: &'a Auth,
}

impl Oidc<'_> {
    /// The app's discovery document.
    pub fn metadata(&self, app: &App) -> ProviderMetadata {
        let issuer = self.auth.tokens().issuer(app);
        let at = |path: &str| format!("{issuer}/{path}");
        let secret_methods = vec![
            TokenAuthMethod::ClientSecretBasic,
            TokenAuthMethod::ClientSecretPost,
        ];
        ProviderMetadata {
            authorization_endpoint: at("oauth/authorize"),
            pushed_authorization_request_endpoint: at("oauth/par"),
            token_endpoint: at("oauth/token"),
            userinfo_endpoint: at("oauth/userinfo"),
            jwks_uri: at(".well-known/jwks.json"),
            introspection_endpoint: at("oauth/introspect"),
            revocation_endpoint: at("oauth/revoke"),
            end_session_endpoint: at("oauth/logout"),
            issuer,
            scopes_supported: Scope::ALL.to_vec(),
            response_types_supported: vec!["code"],
            response_modes_supported: vec!["query"],
            grant_types_supported: GrantType::ALL.to_vec(),
            subject_types_supported: vec!["public"],
            // The app's own first; a client may ask for another.
            id_token_signing_alg_values_supported: std::iter::once(app.signing_alg)
                .chain(
                    SigningAlg::ALL
                        .iter()
                        .copied()
                        .filter(|a| *a != app.signing_alg),
                )
                .map(SigningAlg::as_str)
                .collect(),
            token_endpoint_auth_methods_supported: TokenAuthMethod::ALL.to_vec(),
            introspection_endpoint_auth_methods_supported: secret_methods.clone(),
            revocation_endpoint_auth_methods_supported: TokenAuthMethod::ALL.to_vec(),
            code_challenge_methods_supported: vec!["S256"],
            dpop_signing_alg_values_supported: super::dpop::ALGORITHMS.to_vec(),
            claims_supported: vec![
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "acr",
                "amr",
                "sid",
                "azp",
                "at_hash",
                "email",
                "email_verified",
                "name",
                "given_name",
                "family_name",
            ],
            prompt_values_supported: Prompt::ALL.to_vec(),
            acr_values_supported: Acr::ALL.to_vec(),
            claims_parameter_supported: false,
            request_parameter_supported: false,
            request_uri_parameter_supported: true,
            require_request_uri_registration: true,
            require_pushed_authorization_requests: false,
            authorization_response_iss_parameter_supported: true,
            frontchannel_logout_supported: false,
            backchannel_logout_supported: false,
        }
    }

    /// The authorization endpoint: `params` as sent, the browser's session if it has one.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn authorize(
        &self,
        app: &App,
        params: AuthorizeParams,
        browser: Option<Principal>,
    ) -> Result<Authorization> {
        let now = self.auth.clock.now();
        let Some(client_id) = params.client_id.clone().filter(|c| !c.is_empty()) else {
            return Ok(Authorization::Refused(
                "The request does not say which application is asking (client_id).".to_owned(),
            ));
        };
        let Some(client) = self.find_client(app, &client_id).await? else {
            return Ok(Authorization::Refused(
                "The application asking is not registered here.".to_owned(),
            ));
        };
        // A pushed request, or one coming back from the login page, stands for every
        // parameter but client_id.
        let (params, resumed, pushed) = if let Some(sealed) = params.lk_resume.as_deref() {
            match self.unseal::<Resume>(app, "resume", sealed) {
                Some(r) if r.client_id == client.client_id && r.expires_at > now => {
                    let pushed = r.pushed;
                    (r.request.clone(), Some(r), pushed)
                }
                _ => {
                    return Ok(Authorization::Refused(
                        "This sign-in request has expired or is not ours. Go back to the \
                         application and start again."
                            .to_owned(),
                    ));
                }
            }
        } else if let Some(uri) = params.request_uri.as_deref() {
            match self.unseal_pushed(app, uri, &client.client_id, now) {
                Ok(pushed) => (pushed, None, true),
                Err(why) => return Ok(Authorization::Refused(why)),
            }
        } else {
            (params, None, false)
        };
        let Some(redirect_uri) = params.redirect_uri.clone().filter(|r| !r.is_empty()) else {
            return Ok(Authorization::Refused(
                "The request does not say where to return (redirect_uri).".to_owned(),
            ));
        };
        if !client.redirect_uris.contains(&redirect_uri) {
            return Ok(Authorization::Refused(
                "The request asks to return somewhere the application did not register.".to_owned(),
            ));
        }
        // From here on, errors go back to the client.
        let issuer = self.auth.tokens().issuer(app);
        let error_back = |error: OAuthErrorCode, description: String, state: Option<String>| {
            let mut list = vec![
                ("error", error.as_str().to_owned()),
                ("error_description", description),
            ];
            if let Some(state) = state {
                list.push(("state", state));
            }
            list.push(("iss", issuer.clone()));
            Ok(Authorization::Redirect(ClientRedirect {
                redirect_uri: redirect_uri.clone(),
                params: list,
            }))
        };
        let request = match check_request(&client, &params, redirect_uri.clone()) {
            Ok(request) => request,
            Err((error, description)) => {
                let state = params.state.clone().filter(|s| s.len() <= MAX_PARAM);
                return error_back(error, description, state);
            }
        };
        if app.require_par && !pushed {
            return error_back(
                OAuthErrorCode::InvalidRequest,
                "this server requires pushed authorization requests (PAR)".to_owned(),
                request.state.clone(),
            );
        }
        let prompt = |p| request.prompts.contains(&p);
        // Whether the browser's session will do, or the person signs in (again): a fresh
        // sign-in asked for is one made after the request went to the login page, in another
        // session than the one the browser had then.
        let came_back_fresh = |session: &Session| {
            resumed.as_ref().is_some_and(|r| {
                session.auth_time >= r.signed_in_after
                    && r.not_session.as_deref() != Some(session_tag(&session.id).as_str())
            })
        };
        let fresh_enough = |session: &Session| {
            let asked_fresh = prompt(Prompt::Login) || prompt(Prompt::Create);
            // A sign-in made for this request counts, however short max_age is (0 included).
            let max_age_ok = request
                .max_age
                .is_none_or(|max| now - session.auth_time <= max)
                || came_back_fresh(session);
            (!asked_fresh || came_back_fresh(session)) && max_age_ok
        };
        let browser_session = browser.as_ref().map(|p| p.session.id.clone());
        let principal = browser.filter(|p| fresh_enough(&p.session));
        let Some(principal) = principal else {
            if prompt(Prompt::None) {
                return error_back(
                    OAuthErrorCode::LoginRequired,
                    "the person is not signed in".to_owned(),
                    request.state.clone(),
                );
            }
            let resume = Resume {
                request: params.clone(),
                client_id: client.client_id.clone(),
                pushed,
                signed_in_after: now,
                not_session: browser_session.as_ref().map(session_tag),
                // Going round again does not make a request last longer.
                expires_at: resumed.as_ref().map_or(now + CONSENT_TTL, |r| r.expires_at),
            };
            return Ok(Authorization::SignIn {
                resume: format!(
                    "/apps/{}/oauth/authorize?{}",
                    app.id,
                    url::form_urlencoded::Serializer::new(String::new())
                        .append_pair("client_id", &client.client_id)
                        .append_pair("lk_resume", &self.seal(app, "resume", &resume)?)
                        .finish()
                ),
                login_hint: request.login_hint.clone(),
                create: prompt(Prompt::Create),
            });
        };
        let granted = if client.skip_consent {
            true
        } else if prompt(Prompt::Consent) {
            false
        } else {
            let mut reader = self.auth.store.read().await?;
            let consent = store::oauth::find_consent(
                &mut reader.conn(),
                &app.id,
                &principal.user.id,
                &client.client_id,
            )
            .await?;
            consent.is_some_and(|given| request.scopes.iter().all(|s| given.contains(s)))
        };
        if !granted {
            if prompt(Prompt::None) {
                return error_back(
                    OAuthErrorCode::ConsentRequired,
                    "the person has not agreed to this application's request".to_owned(),
                    request.state.clone(),
                );
            }
            let ticket = ConsentTicket {
                request: request.clone(),
                session_id: principal.session.id.clone(),
                expires_at: now + CONSENT_TTL,
            };
            return Ok(Authorization::Consent {
                client_name: client.name.clone(),
                scopes: request.scopes.clone(),
                ticket: self.seal(app, "consent", &ticket)?,
                user: Box::new(principal.user),
                redirect_uri: request.redirect_uri.clone(),
            });
        }
        let code = self
            .issue_code(app, &request, &principal.session, &principal.user.id)
            .await?;
        Ok(Authorization::Redirect(code))
    }

    /// The person's answer on the consent page (`allow` or not), with the page's ticket and
    /// the browser's session, which must be the one that was asked.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn consent(
        &self,
        app: &App,
        ticket: &str,
        allow: bool,
        browser: Option<Principal>,
        meta: &RequestMeta,
    ) -> Result<std::result::Result<ClientRedirect, String>> {
        let now = self.auth.clock.now();
        let Some(ticket) = self
            .unseal::<ConsentTicket>(app, "consent", ticket)
            .filter(|t| t.expires_at > now)
        else {
            return Ok(Err(
                "This page has expired. Go back to the application and start again.".to_owned(),
            ));
        };
        let Some(principal) = browser.filter(|p| p.session.id == ticket.session_id) else {
            return Ok(Err(
                "You are no longer signed in as the person who was asked. Go back to the \
                 application and start again."
                    .to_owned(),
            ));
        };
        let request = ticket.request;
        if self.find_client(app, &request.client_id).await?.is_none() {
            return Ok(Err(
                "The application asking is no longer registered here.".to_owned()
            ));
        }
        let issuer = self.auth.tokens().issuer(app);
        if !allow {
            let mut params = vec![
                ("error", OAuthErrorCode::AccessDenied.as_str().to_owned()),
                (
                    "error_description",
                    "the person did not allow the request".to_owned(),
                ),
            ];
            if let Some(state) = request.state.clone() {
                params.push(("state", state));
            }
            params.push(("iss", issuer));
            return Ok(Ok(ClientRedirect {
                redirect_uri: request.redirect_uri,
                params,
            }));
        }
        let (app_id, user_id, client_id, scopes, meta) = (
            app.id.clone(),
            principal.user.id.clone(),
            request.client_id.clone(),
            request.scopes.clone(),
            meta.clone(),
        );
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let mut all = store::oauth::find_consent(conn, &app_id, &user_id, &client_id)
                        .await?
                        .unwrap_or_default();
                    for scope in scopes {
                        if !all.contains(&scope) {
                            all.push(scope);
                        }
                    }
                    store::oauth::save_consent(conn, &app_id, &user_id, &client_id, &all, now)
                        .await?;
                    let data =
                        events::data([("client_id", json!(client_id)), ("scopes", json!(all))]);
                    let kind = EventKind::OAuthConsentGranted;
                    events::record(conn, &app_id, kind, Some(&user_id), &meta, data, now).await?;
                    Ok::<_, Error>(())
                })
            })
            .await?;
        let code = self
            .issue_code(app, &request, &principal.session, &principal.user.id)
            .await?;
        Ok(Ok(code))
    }

    /// Writes a code for the request, signed in as `session` shows, and the redirect that
    /// carries it.
    async fn issue_code(
        &self,
        app: &App,
        request: &AuthRequest,
        session: &Session,
        user_id: &UserId,
    ) -> Result<ClientRedirect> {
        let now = self.auth.clock.now();
        let code = Secret::new(SecretKind::AuthorizationCode);
        let row = CodeRow {
            app_id: app.id.clone(),
            client_id: request.client_id.clone(),
            user_id: user_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            scopes: request.scopes.clone(),
            nonce: request.nonce.clone(),
            code_challenge: request.code_challenge.clone(),
            auth_time: session.auth_time,
            amr: session.amr.clone(),
            dpop_jkt: request.dpop_jkt.clone(),
            org_id: session.org_id.clone(),
            created_at: now,
            expires_at: now + CODE_TTL,
        };
        let hash = code.hash();
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move { store::oauth::insert_code(conn, &hash, &row).await })
            })
            .await?;
        let mut params = vec![("code", code.expose().to_owned())];
        if let Some(state) = request.state.clone() {
            params.push(("state", state));
        }
        params.push(("iss", self.auth.tokens().issuer(app)));
        Ok(ClientRedirect {
            redirect_uri: request.redirect_uri.clone(),
            params,
        })
    }

    /// A client's pushed authorization request (RFC 9126): checked now as authorize would,
    /// then sealed into the `request_uri` that authorize accepts.
    pub async fn push(
        &self,
        app: &App,
        client: &OAuthClient,
        mut params: AuthorizeParams,
    ) -> Result<(String, i64)> {
        if params.request_uri.is_some() {
            return Err(invalid_request(
                "a pushed request cannot hold a request_uri",
            ));
        }
        if params
            .client_id
            .as_deref()
            .is_some_and(|c| c != client.client_id)
        {
            return Err(invalid_request(
                "client_id is not the authenticated client's",
            ));
        }
        params.client_id = Some(client.client_id.clone());
        params.lk_resume = None;
        let redirect_uri = params.redirect_uri.clone().unwrap_or_default();
        if !client.redirect_uris.contains(&redirect_uri) {
            return Err(invalid_request(
                "redirect_uri must be one of the client's registered redirect URIs",
            ));
        }
        check_request(client, &params, redirect_uri)
            .map_err(|(error, description)| oauth_error(error, description))?;
        let now = self.auth.clock.now();
        let pushed = PushedRequest {
            request: params,
            client_id: client.client_id.clone(),
            expires_at: now + PUSHED_REQUEST_TTL,
        };
        let sealed = self.seal(app, "par", &pushed)?;
        Ok((format!("{REQUEST_URI_PREFIX}{sealed}"), PUSHED_REQUEST_TTL))
    }

    /// The request a `request_uri` stands for, if this server made it for `client_id` and it
    /// has not expired; else what to tell the person.
    fn unseal_pushed(
        &self,
        app: &App,
        uri: &str,
        client_id: &str,
        now: Timestamp,
    ) -> std::result::Result<AuthorizeParams, String> {
        let pushed = uri
            .strip_prefix(REQUEST_URI_PREFIX)
            .and_then(|sealed| self.unseal::<PushedRequest>(app, "par", sealed))
            .filter(|p| p.client_id == client_id)
            .ok_or_else(|| "The request this link points to is not one of ours.".to_owned())?;
        if pushed.expires_at <= now {
            return Err(
                "This sign-in request has expired. Go back to the application and \
                        start again."
                    .to_owned(),
            );
        }
        Ok(pushed.request)
    }

    /// `value` sealed under the master key for `purpose` and this app, as URL-safe text.
    fn seal<T: Serialize>(&self, app: &App, purpose: &str, value: &T) -> Result<String> {
        let plain = serde_json::to_vec(value)
            .map_err(|e| Error::Internal(format!("sealing {purpose}: {e}")))?;
        let context = format!("latchkey oauth {purpose} v1 {}", app.id);
        Ok(b64url(
            &self.auth.master_key.seal(context.as_bytes(), &plain),
        ))
    }

    /// What [`Self::seal`] sealed, if `text` is that and unaltered.
    fn unseal<T: serde::de::DeserializeOwned>(
        &self,
        app: &App,
        purpose: &str,
        text: &str,
    ) -> Option<T> {
        let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .ok()?;
        let context = format!("latchkey oauth {purpose} v1 {}", app.id);
        let plain = self.auth.master_key.open(context.as_bytes(), &sealed)?;
        serde_json::from_slice(&plain).ok()
    }

    async fn find_client(&self, app: &App, client_id: &str) -> Result<Option<OAuthClient>> {
        if client_id.len() > 128 || client_id.chars().any(char::is_control) {
            return Ok(None);
        }
        let mut reader = self.auth.store.read().await?;
        Ok(store::oauth_clients::find_client(&mut reader.conn(), &app.id, client_id).await?)
    }

    /// The client `credentials` name, if they prove it is that client: the secret (compared
    /// as hashes, in constant time) by the method the client registered, or none for a public
    /// client. Refusals are `invalid_client`.
    pub async fn authenticate_client(
        &self,
        app: &App,
        credentials: ClientCredentials,
        meta: &RequestMeta,
    ) -> Result<OAuthClient> {
        let refused = |why: &str| {
            let refusal = oauth_error(OAuthErrorCode::InvalidClient, why);
            match self
                .auth
                .throttle()
                .hit_client(super::throttle::Rule::BadKeys, meta)
            {
                Ok(()) => refusal,
                Err(limited) => limited,
            }
        };
        let Some(client_id) = credentials.client_id.filter(|c| !c.is_empty()) else {
            return Err(refused("the client is not identified (client_id)"));
        };
        let Some(client) = self.find_client(app, &client_id).await? else {
            return Err(refused(
                "the client is unknown or its credentials are wrong",
            ));
        };
        let method = credentials.method.unwrap_or(TokenAuthMethod::None);
        if method != client.token_endpoint_auth_method {
            return Err(refused(&format!(
                "this client authenticates with {}",
                client.token_endpoint_auth_method
            )));
        }
        if method == TokenAuthMethod::None {
            return Ok(client);
        }
        let presented = credentials.secret.map(|s| s.hash()).unwrap_or_default();
        let mut reader = self.auth.store.read().await?;
        let stored =
            store::oauth::client_secret_hash(&mut reader.conn(), &app.id, &client_id).await?;
        drop(reader);
        match stored {
            Some(stored) if ct_eq(&stored, &presented) => Ok(client),
            _ => Err(refused(
                "the client is unknown or its credentials are wrong",
            )),
        }
    }

    /// The token endpoint, for an authenticated `client`. `dpop_jkt` is the thumbprint of a
    /// valid DPoP proof's key, when the request carried one.
    #[tracing::instrument(level = "debug", skip_all, fields(app = %app.id))]
    pub async fn token(
        &self,
        app: &App,
        client: &OAuthClient,
        params: TokenParams,
        dpop_jkt: Option<String>,
        meta: &RequestMeta,
    ) -> Result<Tokens> {
        let grant = params
            .grant_type
            .as_deref()
            .ok_or_else(|| invalid_request("grant_type is required"))?;
        let grant: GrantType = grant.parse().map_err(|_| {
            oauth_error(
                OAuthErrorCode::UnsupportedGrantType,
                "grant_type must be authorization_code, refresh_token or client_credentials",
            )
        })?;
        if !client.grant_types.contains(&grant) {
            return Err(oauth_error(
                OAuthErrorCode::UnauthorizedClient,
                format!("this client may not use {grant}"),
            ));
        }
        match grant {
            GrantType::AuthorizationCode => {
                self.exchange_code(app, client, params, dpop_jkt, meta)
                    .await
            }
            GrantType::RefreshToken => self.refresh(app, client, params, dpop_jkt, meta).await,
            GrantType::ClientCredentials => {
                self.client_credentials(app, client, params, dpop_jkt).await
            }
        }
    }

    async fn exchange_code(
        &self,
        app: &App,
        client: &OAuthClient,
        params: TokenParams,
        dpop_jkt: Option<String>,
        meta: &RequestMeta,
    ) -> Result<Tokens> {
        let code = params
            .code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| invalid_request("code is required"))?;
        let keys = self
            .auth
            .tokens()
            .keys_with(app, client.id_token_signed_response_alg)
            .await?;
        let issuer = self.auth.tokens().issuer(app);
        let now = self.auth.clock.now();
        let (app_arc, client, meta) = (
            std::sync::Arc::new(app.clone()),
            client.clone(),
            meta.clone(),
        );
        let hash = Secret::from_presented(code).hash();
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let app = &*app_arc;
                    let Some(code) = store::oauth::take_code(conn, &app.id, &hash, now).await?
                    else {
                        // Used before: whatever its first exchange made is revoked, since one
                        // of the two presenters is not who it should be.
                        if let Some((owner, Some(session_id))) =
                            store::oauth::find_used_code(conn, &app.id, &hash).await?
                            && owner == client.client_id
                        {
                            let reason = RevokeReason::CodeReuse;
                            if store::sessions::revoke_session(
                                conn,
                                &app.id,
                                &session_id,
                                now,
                                reason,
                            )
                            .await?
                            {
                                let data = events::data([
                                    ("client_id", json!(owner)),
                                    ("session_id", json!(session_id)),
                                ]);
                                let kind = EventKind::OAuthCodeReuseDetected;
                                events::record(conn, &app.id, kind, None, &meta, data, now).await?;
                            }
                        }
                        return Ok(Err(invalid_grant(
                            "the code is unknown, expired or already used",
                        )));
                    };
                    if let Err(refusal) = check_code(
                        &code,
                        &client,
                        &params.redirect_uri,
                        &params.code_verifier,
                        now,
                    ) {
                        return Ok(Err(refusal));
                    }
                    if code.dpop_jkt.is_some() && code.dpop_jkt != dpop_jkt {
                        return Ok(Err(oauth_error(
                            OAuthErrorCode::InvalidDpopProof,
                            "the code is bound to another DPoP key",
                        )));
                    }
                    let user = store::users::find_user(conn, &app.id, &code.user_id)
                        .await?
                        .filter(|u| !u.disabled);
                    let Some(user) = user else {
                        return Ok(Err(invalid_grant(
                            "the person no longer exists or is disabled",
                        )));
                    };
                    let offline = code.scopes.contains(&Scope::OfflineAccess)
                        && client.grant_types.contains(&GrantType::RefreshToken);
                    let refresh_token = offline.then(|| Secret::new(SecretKind::RefreshToken));
                    let session = Session {
                        id: SessionId::generate(),
                        app_id: app.id.clone(),
                        user_id: user.id.clone(),
                        amr: code.amr.clone(),
                        ip: meta.ip.clone(),
                        user_agent: meta.user_agent.clone(),
                        created_at: now,
                        last_seen_at: now,
                        expires_at: now
                            + if offline {
                                app.refresh_token_ttl
                            } else {
                                app.access_token_ttl
                            },
                        revoked_at: None,
                        auth_time: code.auth_time,
                        org_id: code.org_id.clone(),
                        grant: Some(Grant {
                            client_id: client.client_id.clone(),
                            scopes: code.scopes.clone(),
                            // A public client's refresh token is bound to its proof's key.
                            dpop_jkt: dpop_jkt
                                .clone()
                                .filter(|_| client.client_type == ClientType::Public),
                            client_name: None,
                        }),
                    };
                    // What the user may do, acting for the browser session's organization if
                    // they still are a member: the grant acts for it only then.
                    let access =
                        store::roles::user_access(conn, &app.id, &user.id, code.org_id.as_deref())
                            .await?;
                    let session = Session {
                        org_id: access.org_id.clone(),
                        ..session
                    };
                    let cookie = Secret::new(SecretKind::SessionCookie);
                    let refresh_hash = refresh_token.as_ref().map(Secret::hash);
                    store::oauth::insert_grant(
                        conn,
                        &session,
                        &cookie.hash(),
                        refresh_hash.as_deref(),
                    )
                    .await?;
                    store::oauth::set_code_grant(conn, &hash, &session.id).await?;
                    let data = events::data([
                        ("client_id", json!(client.client_id)),
                        ("session_id", json!(session.id)),
                        ("scopes", json!(code.scopes)),
                    ]);
                    let kind = EventKind::OAuthGrantCreated;
                    events::record(conn, &app.id, kind, Some(&user.id), &meta, data, now).await?;
                    // Signed before the commit: the code is spent, so its caller must get the
                    // tokens.
                    let tokens = grant_tokens(
                        client.id_token_signed_response_alg,
                        &keys,
                        &issuer,
                        app,
                        &user,
                        &session,
                        &access,
                        dpop_jkt.as_deref(),
                        code.nonce.as_deref(),
                        now,
                    )?;
                    Ok::<_, Error>(Ok(Tokens {
                        refresh_token,
                        ..tokens
                    }))
                })
            })
            .await?
    }

    async fn refresh(
        &self,
        app: &App,
        client: &OAuthClient,
        params: TokenParams,
        dpop_jkt: Option<String>,
        meta: &RequestMeta,
    ) -> Result<Tokens> {
        let token = params
            .refresh_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| invalid_request("refresh_token is required"))?;
        let sign_in = self
            .auth
            .sessions()
            .refresh_grant(
                app,
                &Secret::from_presented(token),
                &client.client_id,
                dpop_jkt.as_deref(),
                meta,
            )
            .await
            .map_err(|e| match e {
                Error::Unauthorized(why) => invalid_grant(why),
                other => other,
            })?;
        let keys = self
            .auth
            .tokens()
            .keys_with(app, client.id_token_signed_response_alg)
            .await?;
        let issuer = self.auth.tokens().issuer(app);
        let now = self.auth.clock.now();
        let scopes = sign_in
            .session
            .grant
            .as_ref()
            .map(|g| g.scopes.clone())
            .unwrap_or_default();
        if let Some(asked) = params.scope.as_deref() {
            let asked =
                parse_scopes(asked).map_err(|e| oauth_error(OAuthErrorCode::InvalidScope, e))?;
            if asked.iter().any(|s| !scopes.contains(s)) {
                return Err(oauth_error(
                    OAuthErrorCode::InvalidScope,
                    "a refresh cannot widen the scopes granted",
                ));
            }
        }
        let id_token = if scopes.contains(&Scope::Openid) {
            Some(id_token(
                client.id_token_signed_response_alg,
                &keys,
                &issuer,
                app,
                &sign_in.user,
                &sign_in.session,
                &sign_in.access,
                &sign_in.access_token,
                None,
                now,
            )?)
        } else {
            None
        };
        Ok(Tokens {
            access_token: sign_in.access_token,
            token_type: token_type(dpop_jkt.as_deref()),
            expires_in: sign_in.expires_in,
            scope: scopes_to_text(&scopes),
            refresh_token: Some(sign_in.refresh_token),
            id_token,
        })
    }

    async fn client_credentials(
        &self,
        app: &App,
        client: &OAuthClient,
        params: TokenParams,
        dpop_jkt: Option<String>,
    ) -> Result<Tokens> {
        if let Some(scope) = params.scope.as_deref().filter(|s| !s.trim().is_empty()) {
            let scopes =
                parse_scopes(scope).map_err(|e| oauth_error(OAuthErrorCode::InvalidScope, e))?;
            if !scopes.is_empty() {
                return Err(oauth_error(
                    OAuthErrorCode::InvalidScope,
                    "no scope is for a client alone: ask for none",
                ));
            }
        }
        let keys = self.auth.tokens().keys(app).await?;
        let now = self.auth.clock.now();
        let claims = OAuthAccessClaims {
            iss: self.auth.tokens().issuer(app),
            sub: client.client_id.clone(),
            aud: app.id.to_string(),
            client_id: client.client_id.clone(),
            iat: now,
            exp: now + app.access_token_ttl,
            jti: new_id(),
            scope: String::new(),
            sid: None,
            auth_time: None,
            acr: None,
            amr: Vec::new(),
            cnf: dpop_jkt.clone().map(|jkt| Confirmation { jkt }),
        };
        Ok(Tokens {
            access_token: keys.sign_claims(Some(OAUTH_ACCESS_TOKEN_TYPE), &claims)?,
            token_type: token_type(dpop_jkt.as_deref()),
            expires_in: app.access_token_ttl,
            scope: String::new(),
            refresh_token: None,
            id_token: None,
        })
    }

    /// Checks an OAuth access token: signature, type, expiry, the DPoP binding as `binding`
    /// says, and, for a user's token, that its session is live and its user enabled.
    async fn check_access_token(
        &self,
        app: &App,
        token: &str,
        binding: Binding<'_>,
    ) -> Result<(OAuthAccessClaims, Option<Principal>)> {
        let bad = |why: &str| {
            oauth_error(
                OAuthErrorCode::InvalidToken,
                format!("the access token is not valid: {why}"),
            )
        };
        let tokens = self.auth.tokens();
        let keys = tokens.keys(app).await?;
        let (_, claims) = tokens
            .decode::<OAuthAccessClaims>(app, keys, token, JwtType::OAuthAccess, Aud::App)
            .await
            .map_err(bad)?;
        let now = self.auth.clock.now();
        if claims.exp < now {
            return Err(bad("expired"));
        }
        if let Binding::Proven(dpop_jkt) = binding {
            match (&claims.cnf, dpop_jkt) {
                (Some(cnf), Some(jkt)) if cnf.jkt == jkt => {}
                (Some(_), _) => return Err(bad("it is bound to a DPoP key: send its proof")),
                (None, Some(_)) => return Err(bad("it is a bearer token, not a DPoP one")),
                (None, None) => {}
            }
        }
        let Some(sid) = &claims.sid else {
            // A client's own token: good while the client exists.
            if self.find_client(app, &claims.client_id).await?.is_none() {
                return Err(bad("its client no longer exists"));
            }
            return Ok((claims, None));
        };
        let mut reader = self.auth.store.read().await?;
        let found =
            store::sessions::find_session_with_user(&mut reader.conn(), &app.id, sid).await?;
        drop(reader);
        let (session, user) = found.ok_or_else(|| bad("its grant no longer exists"))?;
        let principal = principal_of(session, user, now).map_err(|e| bad(&e.to_string()))?;
        Ok((claims, Some(principal)))
    }

    /// The userinfo endpoint: the claims the token's scopes allow about its user.
    pub async fn userinfo(
        &self,
        app: &App,
        token: &str,
        dpop_jkt: Option<&str>,
    ) -> Result<Map<String, Value>> {
        let (claims, principal) = self
            .check_access_token(app, token, Binding::Proven(dpop_jkt))
            .await?;
        let principal = principal.ok_or_else(|| {
            oauth_error(
                OAuthErrorCode::InvalidToken,
                "a client's own token has no user to describe",
            )
        })?;
        let scopes = super::oauth_clients::scopes_from_text(&claims.scope);
        if !scopes.contains(&Scope::Openid) {
            return Err(oauth_error(
                OAuthErrorCode::InsufficientScope,
                "userinfo needs a token granted the openid scope",
            ));
        }
        let mut info = Map::new();
        info.insert("sub".to_owned(), json!(principal.user.id));
        info.extend(profile_claims(&principal.user, &scopes));
        Ok(info)
    }

    /// Introspection (RFC 7662): whether `token` (an access or refresh token) is active, and
    /// what it is. A client learns only of its own tokens.
    pub async fn introspect(
        &self,
        app: &App,
        caller: &Introspector,
        token: &Secret,
    ) -> Result<Introspection> {
        let now = self.auth.clock.now();
        let mine = |client_id: &str| match caller {
            Introspector::Client(c) => c.client_id == client_id,
            Introspector::App => true,
        };
        let issuer = self.auth.tokens().issuer(app);
        if SecretKind::RefreshToken.is_kind_of(token.expose()) {
            let mut reader = self.auth.store.read().await?;
            let found =
                store::oauth::refresh_token_session(&mut reader.conn(), &app.id, &token.hash())
                    .await?;
            let Some((session_id, current)) = found.filter(|(_, current)| *current) else {
                return Ok(Introspection::default());
            };
            let _ = current;
            let found =
                store::sessions::find_session_with_user(&mut reader.conn(), &app.id, &session_id)
                    .await?;
            drop(reader);
            let Some((session, user)) = found else {
                return Ok(Introspection::default());
            };
            let Some(grant) = session.grant.clone().filter(|g| mine(&g.client_id)) else {
                return Ok(Introspection::default());
            };
            let Ok(principal) = principal_of(session, user, now) else {
                return Ok(Introspection::default());
            };
            return Ok(Introspection {
                active: true,
                scope: Some(scopes_to_text(&grant.scopes)),
                client_id: Some(grant.client_id),
                username: principal.user.email.as_ref().map(ToString::to_string),
                token_type: Some("refresh_token".to_owned()),
                exp: Some(principal.session.expires_at),
                iat: Some(principal.session.last_seen_at),
                sub: Some(principal.user.id.to_string()),
                aud: Some(app.id.to_string()),
                iss: Some(issuer),
                jti: None,
                sid: Some(principal.session.id.to_string()),
                cnf: None,
            });
        }
        let (claims, principal) = match self
            .check_access_token(app, token.expose(), Binding::Reported)
            .await
        {
            Ok(found) => found,
            Err(Error::OAuth { .. }) => return Ok(Introspection::default()),
            Err(e) => return Err(e),
        };
        if !mine(&claims.client_id) {
            return Ok(Introspection::default());
        }
        Ok(Introspection {
            active: true,
            scope: Some(claims.scope.clone()),
            client_id: Some(claims.client_id.clone()),
            username: principal
                .as_ref()
                .and_then(|p| p.user.email.as_ref().map(ToString::to_string)),
            token_type: Some(token_type(claims.cnf.as_ref().map(|c| c.jkt.as_str())).to_owned()),
            exp: Some(claims.exp),
            iat: Some(claims.iat),
            sub: Some(claims.sub.clone()),
            aud: Some(claims.aud.clone()),
            iss: Some(claims.iss.clone()),
            jti: Some(claims.jti.clone()),
            sid: claims.sid.as_ref().map(ToString::to_string),
            cnf: claims.cnf.as_ref().map(|c| json!({"jkt": c.jkt})),
        })
    }

    /// Revocation (RFC 7009): ends the grant behind a refresh or access token of `client`.
    /// Anything else (unknown, another client's, already ended) is answered alike.
    pub async fn revoke(
        &self,
        app: &App,
        client: &OAuthClient,
        token: &Secret,
        meta: &RequestMeta,
    ) -> Result<()> {
        let session_id = if SecretKind::RefreshToken.is_kind_of(token.expose()) {
            let mut reader = self.auth.store.read().await?;
            store::oauth::refresh_token_session(&mut reader.conn(), &app.id, &token.hash())
                .await?
                .map(|(id, _)| id)
        } else {
            match self
                .check_access_token(app, token.expose(), Binding::Reported)
                .await
            {
                Ok((claims, _)) if claims.client_id == client.client_id => claims.sid,
                _ => None,
            }
        };
        let Some(session_id) = session_id else {
            return Ok(());
        };
        let (app_id, client_id, meta) = (app.id.clone(), client.client_id.clone(), meta.clone());
        let now = self.auth.clock.now();
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    let session = store::sessions::find_session(conn, &app_id, &session_id).await?;
                    let Some(session) = session
                        .filter(|s| s.grant.as_ref().is_some_and(|g| g.client_id == client_id))
                    else {
                        return Ok(());
                    };
                    let reason = RevokeReason::TokenRevoked;
                    if store::sessions::revoke_session(conn, &app_id, &session.id, now, reason)
                        .await?
                    {
                        reason
                            .record(conn, &app_id, &session.user_id, &session.id, &meta, now)
                            .await?;
                    }
                    Ok::<_, Error>(())
                })
            })
            .await
    }

    /// RP-initiated logout: ends the browser's session (and the grant the `id_token_hint`
    /// names) and returns to the client's registered URI. Without a hint that names the
    /// browser's user, the person confirms first (`confirmed`), so that no other site can sign
    /// them out.
    pub async fn logout(
        &self,
        app: &App,
        params: &LogoutParams,
        browser: Option<Principal>,
        confirmed: bool,
        meta: &RequestMeta,
    ) -> Result<Logout> {
        let tokens = self.auth.tokens();
        let hint = match params.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
            Some(hint) => {
                let keys = tokens.keys(app).await?;
                match tokens
                    .decode::<IdClaims>(app, keys, hint, JwtType::Id, Aud::Any)
                    .await
                {
                    Ok((_, claims)) => Some(claims),
                    Err(_) => {
                        return Ok(Logout::Refused(
                            "The sign-out request is not valid (its id_token_hint is not ours)."
                                .to_owned(),
                        ));
                    }
                }
            }
            None => None,
        };
        let client_id = match (&hint, params.client_id.as_deref()) {
            (Some(h), Some(c)) if h.aud != c => {
                return Ok(Logout::Refused(
                    "The sign-out request names two different applications.".to_owned(),
                ));
            }
            (Some(h), _) => Some(h.aud.clone()),
            (None, c) => c.map(str::to_owned),
        };
        let client = match &client_id {
            Some(id) => self.find_client(app, id).await?,
            None => None,
        };
        let redirect = match params
            .post_logout_redirect_uri
            .as_deref()
            .filter(|u| !u.is_empty())
        {
            None => None,
            Some(uri) => {
                let registered = client
                    .as_ref()
                    .is_some_and(|c| c.post_logout_redirect_uris.iter().any(|u| u == uri));
                if !registered {
                    return Ok(Logout::Refused(
                        "The sign-out request asks to go somewhere the application did not \
                         register."
                            .to_owned(),
                    ));
                }
                let mut url = ClientRedirect {
                    redirect_uri: uri.to_owned(),
                    params: Vec::new(),
                };
                if let Some(state) = params.state.clone() {
                    url.params.push(("state", state));
                }
                Some(url.url())
            }
        };
        let hint_names_browser = match (&hint, &browser) {
            (Some(h), Some(p)) => h.sub == p.user.id.as_str(),
            _ => false,
        };
        if browser.is_some() && !hint_names_browser && !confirmed {
            return Ok(Logout::Confirm(redirect));
        }
        let now = self.auth.clock.now();
        let (app_id, meta) = (app.id.clone(), meta.clone());
        let grant = hint
            .filter(|h| client.as_ref().is_some_and(|c| c.client_id == h.aud))
            .map(|h| h.sid);
        let browser_session = browser.map(|p| (p.session.id, p.user.id));
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if let Some((session_id, user_id)) = browser_session {
                        let reason = RevokeReason::SignOut;
                        if store::sessions::revoke_session(conn, &app_id, &session_id, now, reason)
                            .await?
                        {
                            reason
                                .record(conn, &app_id, &user_id, &session_id, &meta, now)
                                .await?;
                        }
                    }
                    if let Some(sid) = grant
                        && let Some(session) =
                            store::sessions::find_session(conn, &app_id, &sid).await?
                    {
                        let reason = RevokeReason::SignOut;
                        if store::sessions::revoke_session(conn, &app_id, &sid, now, reason).await?
                        {
                            reason
                                .record(conn, &app_id, &session.user_id, &sid, &meta, now)
                                .await?;
                        }
                    }
                    Ok::<_, Error>(())
                })
            })
            .await?;
        Ok(Logout::Done(redirect))
    }

    /// The user's consents, newest first.
    pub async fn consents(&self, app: &App, user_id: &UserId) -> Result<Vec<Consent>> {
        let mut reader = self.auth.store.read().await?;
        let rows = store::oauth::list_consents(&mut reader.conn(), &app.id, user_id).await?;
        Ok(rows
            .into_iter()
            .map(|r| Consent {
                client_id: r.client_id,
                client_name: r.client_name,
                scopes: r.scopes,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }

    /// Withdraws the user's consent to a client and ends that client's grants of the user.
    pub async fn revoke_consent(
        &self,
        app: &App,
        user_id: &UserId,
        client_id: &str,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.auth.clock.now();
        let (app_id, user_id, client_id, meta) = (
            app.id.clone(),
            user_id.clone(),
            client_id.to_owned(),
            meta.clone(),
        );
        self.auth
            .store
            .write(move |conn| {
                Box::pin(async move {
                    if !store::oauth::delete_consent(conn, &app_id, &user_id, &client_id).await? {
                        return Err(Error::NotFound(format!(
                            "you have not given {client_id:?} access"
                        )));
                    }
                    let reason = RevokeReason::ConsentRevoked;
                    let ended = store::oauth::revoke_client_sessions(
                        conn,
                        &app_id,
                        &client_id,
                        Some(&user_id),
                        now,
                        reason,
                    )
                    .await?;
                    for (session_id, _) in &ended {
                        reason
                            .record(conn, &app_id, &user_id, session_id, &meta, now)
                            .await?;
                    }
                    let data = events::data([("client_id", json!(client_id))]);
                    let kind = EventKind::OAuthConsentRevoked;
                    events::record(conn, &app_id, kind, Some(&user_id), &meta, data, now).await?;
                    Ok(())
                })
            })
            .await
    }

    /// Deletes codes that expired a while ago.
    pub(crate) async fn sweep(conn: &mut store::Conn<'_>, now: Timestamp) -> Result<()> {
        store::oauth::delete_expired_codes(conn, now - USED_CODES_KEPT).await?;
        store::oauth::delete_expired_dpop_proofs(conn, now).await?;
        Ok(())
    }
}

/// Checks an authorization request of `client` (its redirect URI already checked): the
/// refusal in OAuth's terms.
fn check_request(
    client: &OAuthClient,
    params: &AuthorizeParams,
    redirect_uri: String,
) -> std::result::Result<AuthRequest, (OAuthErrorCode, String)> {
    use OAuthErrorCode as E;
    let fail = |code, text: &str| Err((code, text.to_owned()));
    if params.request.is_some() {
        return fail(
            E::RequestNotSupported,
            "request objects are not supported: use PAR",
        );
    }
    match params.response_type.as_deref() {
        Some("code") => {}
        None => return fail(E::InvalidRequest, "response_type is required"),
        Some(_) => return fail(E::UnsupportedResponseType, "response_type must be code"),
    }
    if params
        .response_mode
        .as_deref()
        .is_some_and(|m| m != "query")
    {
        return fail(E::InvalidRequest, "response_mode must be query");
    }
    if !client.grant_types.contains(&GrantType::AuthorizationCode) {
        return fail(
            E::UnauthorizedClient,
            "this client may not use authorization_code",
        );
    }
    let scopes = parse_scopes(params.scope.as_deref().unwrap_or_default())
        .map_err(|e| (E::InvalidScope, e))?;
    if let Some(scope) = scopes.iter().find(|s| !client.scopes.contains(s)) {
        return fail(
            E::InvalidScope,
            &format!("this client may not ask for {scope}"),
        );
    }
    for (name, value) in [
        ("state", &params.state),
        ("nonce", &params.nonce),
        ("login_hint", &params.login_hint),
    ] {
        if value.as_ref().is_some_and(|v| v.len() > MAX_PARAM) {
            return fail(E::InvalidRequest, &format!("{name} is too long"));
        }
    }
    let code_challenge = match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) if client.client_type == ClientType::Public => {
            return fail(
                E::InvalidRequest,
                "a public client must use PKCE (code_challenge)",
            );
        }
        // Without PKCE only an OpenID Connect request's nonce ties the code to its client's
        // session (RFC 9700, section 2.1.1).
        (None, None)
            if !(scopes.contains(&Scope::Openid)
                && params.nonce.as_deref().is_some_and(|n| !n.is_empty())) =>
        {
            return fail(
                E::InvalidRequest,
                "use PKCE (code_challenge), or send a nonce with the openid scope",
            );
        }
        (None, None) => None,
        (None, Some(_)) => return fail(E::InvalidRequest, "code_challenge is missing"),
        (Some(_), method) if method != Some("S256") => {
            return fail(E::InvalidRequest, "code_challenge_method must be S256");
        }
        (Some(challenge), _) => {
            if challenge.len() != 43 || !challenge.bytes().all(unreserved) {
                return fail(E::InvalidRequest, "code_challenge is not an S256 challenge");
            }
            Some(challenge.to_owned())
        }
    };
    let mut prompts = Vec::new();
    for value in params.prompt.as_deref().unwrap_or_default().split(' ') {
        if value.is_empty() {
            continue;
        }
        let prompt: Prompt = value.parse().map_err(|_| {
            (
                E::InvalidRequest,
                format!("prompt {value:?} is not supported"),
            )
        })?;
        if !prompts.contains(&prompt) {
            prompts.push(prompt);
        }
    }
    if prompts.contains(&Prompt::None) && prompts.len() > 1 {
        return fail(E::InvalidRequest, "prompt=none goes with no other value");
    }
    let max_age = match params.max_age.as_deref() {
        None | Some("") => None,
        Some(text) => Some(text.parse::<i64>().ok().filter(|age| *age >= 0).ok_or((
            E::InvalidRequest,
            "max_age must be a number of seconds".to_owned(),
        ))?),
    };
    if let Some(jkt) = params.dpop_jkt.as_deref()
        && (jkt.len() != 43 || !jkt.bytes().all(unreserved))
    {
        return fail(
            E::InvalidRequest,
            "dpop_jkt is not a JWK SHA-256 thumbprint",
        );
    }
    Ok(AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri,
        scopes,
        state: params.state.clone(),
        nonce: params.nonce.clone(),
        code_challenge,
        prompts,
        max_age,
        login_hint: params.login_hint.clone().filter(|h| !h.is_empty()),
        dpop_jkt: params.dpop_jkt.clone(),
    })
}

/// RFC 3986 unreserved characters: what PKCE values and thumbprints are made of.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Space-separated scopes, each one this server knows, each once.
fn parse_scopes(text: &str) -> std::result::Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for value in text.split(' ').filter(|v| !v.is_empty()) {
        let scope: Scope = value.parse().map_err(|_| {
            format!(
                "scope {:?} is not supported",
                value.chars().take(64).collect::<String>()
            )
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

/// Checks a code against its exchange: the client, the expiry, the redirect URI, and PKCE.
fn check_code(
    code: &CodeRow,
    client: &OAuthClient,
    redirect_uri: &Option<String>,
    verifier: &Option<String>,
    now: Timestamp,
) -> Result<()> {
    if code.client_id != client.client_id {
        return Err(invalid_grant("the code was issued to another client"));
    }
    if code.expires_at <= now {
        return Err(invalid_grant("the code has expired"));
    }
    if redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
        return Err(invalid_grant(
            "redirect_uri must be the one the authorization request named",
        ));
    }
    match (&code.code_challenge, verifier) {
        (Some(challenge), Some(verifier)) => {
            let ok = (43..=128).contains(&verifier.len())
                && verifier.bytes().all(unreserved)
                && ct_eq(
                    b64url(&sha2::Sha256::digest(verifier.as_bytes())).as_bytes(),
                    challenge.as_bytes(),
                );
            if !ok {
                return Err(invalid_grant(
                    "code_verifier does not match the code_challenge",
                ));
            }
        }
        (Some(_), None) => return Err(invalid_grant("code_verifier is required")),
        // A verifier with no challenge: someone is trying a downgrade.
        (None, Some(_)) => {
            return Err(invalid_grant(
                "the authorization request sent no code_challenge",
            ));
        }
        (None, None) => {}
    }
    Ok(())
}

/// `DPoP` for a token bound to a proof's key, else `Bearer`.
fn token_type(dpop_jkt: Option<&str>) -> &'static str {
    if dpop_jkt.is_some() { "DPoP" } else { "Bearer" }
}

/// The claims `scopes` allow about `user`, for an id_token or userinfo.
fn profile_claims(user: &User, scopes: &[Scope]) -> Map<String, Value> {
    let mut claims = Map::new();
    if scopes.contains(&Scope::Email)
        && let Some(email) = &user.email
    {
        claims.insert("email".to_owned(), json!(email.to_string()));
        claims.insert("email_verified".to_owned(), json!(user.email_verified));
    }
    if scopes.contains(&Scope::Profile) {
        let name =
            user.display_name
                .clone()
                .or_else(|| match (&user.given_name, &user.family_name) {
                    (Some(g), Some(f)) => Some(format!("{g} {f}")),
                    (Some(n), None) | (None, Some(n)) => Some(n.clone()),
                    (None, None) => None,
                });
        for (key, value) in [
            ("name", name),
            ("given_name", user.given_name.clone()),
            ("family_name", user.family_name.clone()),
        ] {
            if let Some(value) = value {
                claims.insert(key.to_owned(), json!(value));
            }
        }
    }
    claims
}

/// The access token of a grant's session (and, with `openid`, its id_token), signed with keys
/// loaded beforehand.
#[allow(clippy::too_many_arguments)]
fn grant_tokens(
    id_alg: Option<SigningAlg>,
    keys: &AppKeys,
    issuer: &str,
    app: &App,
    user: &User,
    session: &Session,
    access: &Access,
    dpop_jkt: Option<&str>,
    nonce: Option<&str>,
    now: Timestamp,
) -> Result<Tokens> {
    let (access_token, expires_in) =
        oauth_access_token(keys, issuer, app, user, session, dpop_jkt, now)?;
    let scopes = session
        .grant
        .as_ref()
        .map(|g| g.scopes.clone())
        .unwrap_or_default();
    let id_token = if scopes.contains(&Scope::Openid) {
        Some(id_token(
            id_alg,
            keys,
            issuer,
            app,
            user,
            session,
            access,
            &access_token,
            nonce,
            now,
        )?)
    } else {
        None
    };
    Ok(Tokens {
        access_token,
        token_type: token_type(dpop_jkt),
        expires_in,
        scope: scopes_to_text(&scopes),
        refresh_token: None,
        id_token,
    })
}

/// A grant session's OAuth access token (RFC 9068) and its lifetime. It carries no roles or
/// permissions: it is the client's, possibly another party's, and a resource server of the app
/// that trusted them would grant that client all the user may do.
pub(crate) fn oauth_access_token(
    keys: &AppKeys,
    issuer: &str,
    app: &App,
    user: &User,
    session: &Session,
    dpop_jkt: Option<&str>,
    now: Timestamp,
) -> Result<(Secret, i64)> {
    let grant = session
        .grant
        .as_ref()
        .ok_or_else(|| Error::Internal("an OAuth token for a session without a grant".into()))?;
    let claims = OAuthAccessClaims {
        iss: issuer.to_owned(),
        sub: user.id.to_string(),
        aud: app.id.to_string(),
        client_id: grant.client_id.clone(),
        iat: now,
        exp: now + app.access_token_ttl,
        jti: new_id(),
        scope: scopes_to_text(&grant.scopes),
        sid: Some(session.id.clone()),
        auth_time: Some(session.auth_time),
        acr: Some(Acr::of(&session.amr)),
        amr: session.amr.clone(),
        cnf: dpop_jkt.map(|jkt| Confirmation {
            jkt: jkt.to_owned(),
        }),
    };
    Ok((
        keys.sign_claims(Some(OAUTH_ACCESS_TOKEN_TYPE), &claims)?,
        app.access_token_ttl,
    ))
}

/// A grant session's id_token, for `access_token` (its `at_hash`), signed with the key of
/// `alg` (the app's own when `None`).
#[allow(clippy::too_many_arguments)]
fn id_token(
    alg: Option<SigningAlg>,
    keys: &AppKeys,
    issuer: &str,
    app: &App,
    user: &User,
    session: &Session,
    access: &Access,
    access_token: &Secret,
    nonce: Option<&str>,
    now: Timestamp,
) -> Result<Secret> {
    let grant = session
        .grant
        .as_ref()
        .ok_or_else(|| Error::Internal("an id_token for a session without a grant".into()))?;
    let claims = IdClaims {
        iss: issuer.to_owned(),
        sub: user.id.to_string(),
        aud: grant.client_id.clone(),
        azp: grant.client_id.clone(),
        exp: now + app.access_token_ttl,
        iat: now,
        auth_time: session.auth_time,
        nonce: nonce.map(str::to_owned),
        amr: session.amr.clone(),
        acr: Some(Acr::of(&session.amr)),
        sid: session.id.clone(),
        at_hash: keys
            .signing_alg(alg)
            .map(|alg| token_hash(alg, access_token.expose())),
        org_id: access.org_id.clone(),
        roles: access.roles.clone(),
        permissions: access.permissions.clone(),
        profile: profile_claims(user, &grant.scopes),
    };
    keys.sign_claims_as(alg, None, &claims)
}

/// OpenID Connect's `at_hash`: the left half of the token's hash under the signature's hash
/// function, base64url.
fn token_hash(alg: Algorithm, token: &str) -> String {
    match alg {
        Algorithm::EdDSA => {
            let digest = sha2::Sha512::digest(token.as_bytes());
            b64url(&digest[..32])
        }
        _ => {
            let digest = sha2::Sha256::digest(token.as_bytes());
            b64url(&digest[..16])
        }
    }
}

/// A short tag of a session id, to name it in a URL without giving the id away.
fn session_tag(id: &SessionId) -> String {
    let digest = sha2::Sha256::digest(format!("latchkey session tag {id}").as_bytes());
    b64url(&digest[..12])
}
