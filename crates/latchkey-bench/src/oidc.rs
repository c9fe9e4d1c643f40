//! The `oidc` and `introspect` scenarios: the app's OpenID Provider as a relying party uses it.
//!
//! `oidc` is one authorization code flow (OpenID Connect Core §3.1) for a person who is already
//! signed in: the browser, holding its session cookie, is sent to `oauth/authorize` and comes
//! back with a code; the relying party exchanges the code (PKCE, HTTP Basic client
//! authentication) and reads `oauth/userinfo`. The latency covers those three requests.
//! `introspect` is the relying party's (or a resource server's) `oauth/introspect` of an access
//! token, authenticated as the client (RFC 7662).
//!
//! The setup makes what a browser and a relying party would already hold: a confidential client
//! that asks no consent, users signed up with a passkey on the server's own origin (where the
//! authorization endpoint runs, so the app's origin must be the server's `PUBLIC_URL` and its
//! rp_id that URL's host), their session cookies, and for `introspect` one access token per user.
//! Each worker keeps one PKCE verifier for all its flows: the server checks it per code alike.
//!
//! Every code exchange makes a session (the grant), and Latchkey keeps at most
//! [`GRANTS_PER_CLIENT`] live grants per user and client: an exchange past that also revokes the
//! user's oldest grant of the client. Each worker takes its users in turn, so with enough users
//! (the default) most flows stay under the cap, as a person's visits to one site do; the report
//! counts those that did not.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_authenticator::{Alg, Key};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::latchkey::{Latchkey, OAuthClient, Pkce};
use crate::target::{Failure, Target};

/// Where the client's codes go; never contacted (the generator reads the redirect).
pub const REDIRECT_URI: &str = "https://rp.example/cb";

/// What each flow asks for: an id_token, and userinfo with the email.
const SCOPE: &str = "openid email";

/// Live grants Latchkey keeps per user and client (`MAX_GRANTS_PER_CLIENT`): each code exchange
/// past them also revokes the oldest.
pub const GRANTS_PER_CLIENT: u32 = 20;

/// A fresh code verifier (32 random bytes, base64url) and its challenge (RFC 7636 §4).
pub fn pkce() -> Pkce {
    let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    Pkce {
        challenge: s256(&verifier),
        verifier,
    }
}

/// The S256 challenge of `verifier`: base64url of its SHA-256.
fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// What the workers share: the client, and for `introspect` the access tokens.
pub struct OidcRun {
    pub client: OAuthClient,
    /// One access token per user (`introspect` only).
    tokens: Vec<String>,
    /// Users made in the setup.
    users: usize,
    /// Flows of a user past its [`GRANTS_PER_CLIENT`]-th, whose exchange also revoked a grant.
    flows_past_grant_cap: AtomicU64,
}

/// A signed-in browser: its session cookie, and how many flows it has taken.
pub struct Browser {
    cookie: String,
    flows: u32,
}

/// One worker's browsers, taken in turn, and its PKCE verifier.
pub struct OidcWorker {
    browsers: Vec<Browser>,
    next: usize,
    pkce: Pkce,
}

impl OidcWorker {
    pub fn new(cookies: Vec<String>) -> Self {
        Self {
            browsers: cookies
                .into_iter()
                .map(|cookie| Browser { cookie, flows: 0 })
                .collect(),
            next: 0,
            pkce: pkce(),
        }
    }

    /// The browser whose turn it is.
    fn next_browser(&mut self) -> Option<&mut Browser> {
        let at = self.next;
        self.next = (at + 1) % self.browsers.len().max(1);
        self.browsers.get_mut(at)
    }
}

impl OidcRun {
    /// Registers the client and signs up `users` browsers on `target`'s app with `concurrency`
    /// tasks; for `introspect` (`with_tokens`) each then takes one flow for an access token.
    /// Returns the run and the browsers' cookies.
    pub async fn set_up(
        target: &Arc<Target>,
        client: OAuthClient,
        public_url: &str,
        run_id: &str,
        users: usize,
        concurrency: usize,
        with_tokens: bool,
    ) -> Result<(Self, Vec<String>)> {
        let public_url = public_url.trim_end_matches('/');
        if !client.issuer.starts_with(&format!("{public_url}/")) {
            bail!(
                "the server's issuer is {}, not under --public-url {public_url}: pass the \
                 server's PUBLIC_URL as --public-url",
                client.issuer
            );
        }
        let client = Arc::new(client);
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..concurrency.min(users) {
            let target = Arc::clone(target);
            let client = Arc::clone(&client);
            let run_id = run_id.to_owned();
            tasks.spawn(async move {
                let Target::Latchkey(latchkey) = &*target else {
                    bail!("the OpenID Provider scenarios run against Latchkey only");
                };
                let pkce = pkce();
                let mut done = Vec::new();
                for i in (task..users).step_by(concurrency) {
                    let email = format!("bench-{run_id}-o{i}@example.com");
                    let setup = |what: &str, f: Failure| {
                        anyhow!("setup {what} of {email}: {} {}", f.key(), f.detail())
                    };
                    let mut spent = Duration::ZERO;
                    let key = Key::generate(Alg::Es256)
                        .map_err(|e| anyhow!("generate a passkey key: {e:?}"))?;
                    let (_, cookie) = latchkey
                        .sign_up_in_browser(&email, key, &mut spent)
                        .await
                        .map_err(|f| setup("sign-up", f))?;
                    let token = if with_tokens {
                        let code = latchkey
                            .authorize(&client, &cookie, SCOPE, &pkce, "setup", &mut spent)
                            .await
                            .map_err(|f| setup("authorization", f))?;
                        let token = latchkey
                            .exchange_code(&client, &code, &pkce, &mut spent)
                            .await
                            .map_err(|f| setup("code exchange", f))?;
                        Some(token)
                    } else {
                        None
                    };
                    done.push((i, cookie, token));
                }
                Ok::<_, anyhow::Error>(done)
            });
        }
        let mut cookies: Vec<Option<String>> = vec![None; users];
        let mut tokens: Vec<Option<String>> = vec![None; users];
        while let Some(joined) = tasks.join_next().await {
            for (i, cookie, token) in joined.context("setup task")?? {
                cookies[i] = Some(cookie);
                tokens[i] = token;
            }
        }
        let cookies = cookies
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| anyhow!("a setup user is missing"))?;
        let client =
            Arc::try_unwrap(client).map_err(|_| anyhow!("a setup task still holds the client"))?;
        let run = Self {
            client,
            tokens: tokens.into_iter().flatten().collect(),
            users,
            flows_past_grant_cap: AtomicU64::new(0),
        };
        Ok((run, cookies))
    }

    /// One code flow of `worker`'s next browser: authorize, exchange the code, read userinfo.
    pub async fn code_flow(
        &self,
        latchkey: &Latchkey,
        worker: &mut OidcWorker,
        n: u64,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let Some(browser) = worker.next_browser() else {
            return Err(Failure::Client("this worker has no users".to_owned()));
        };
        // Counted when tried: a failed flow may still have made a grant.
        browser.flows += 1;
        if browser.flows > GRANTS_PER_CLIENT {
            self.flows_past_grant_cap.fetch_add(1, Ordering::Relaxed);
        }
        let cookie = browser.cookie.clone();
        let state = format!("s{n}");
        let pkce = &worker.pkce;
        let code = latchkey
            .authorize(&self.client, &cookie, SCOPE, pkce, &state, spent)
            .await?;
        let token = latchkey
            .exchange_code(&self.client, &code, pkce, spent)
            .await?;
        latchkey.userinfo(&token, spent).await
    }

    /// The `n`-th introspection of a worker: the tokens taken in a stride, as `verify` does.
    pub async fn introspect(
        &self,
        latchkey: &Latchkey,
        worker: usize,
        n: u64,
        spent: &mut Duration,
    ) -> Result<(), Failure> {
        let stride = n as usize * 7919 + worker;
        match self.tokens.get(stride % self.tokens.len().max(1)) {
            Some(token) => latchkey.introspect(&self.client, token, spent).await,
            None => Err(Failure::Client("no OAuth access tokens".to_owned())),
        }
    }

    /// Flows whose exchange also revoked the user's oldest grant of the client.
    pub fn flows_past_grant_cap(&self) -> u64 {
        self.flows_past_grant_cap.load(Ordering::Relaxed)
    }

    pub fn json(&self) -> Value {
        json!({
            "client_id": self.client.id,
            "issuer": self.client.issuer,
            "redirect_uri": self.client.redirect_uri,
            "scope": SCOPE,
            "users": self.users,
            "access_tokens": self.tokens.len(),
            "grants_per_client_cap": GRANTS_PER_CLIENT,
            "flows_past_grant_cap": self.flows_past_grant_cap(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

    use super::*;

    #[test]
    fn the_challenge_is_s256_of_the_verifier() {
        // RFC 7636 appendix B.
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let p = pkce();
        assert_eq!(p.verifier.len(), 43);
        assert_eq!(p.challenge, s256(&p.verifier));
    }

    #[test]
    fn browsers_take_turns() {
        let mut worker = OidcWorker::new(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]);
        let seen: Vec<String> = (0..7)
            .map(|_| worker.next_browser().unwrap().cookie.clone())
            .collect();
        assert_eq!(seen, ["a", "b", "c", "a", "b", "c", "a"]);
        assert!(OidcWorker::new(Vec::new()).next_browser().is_none());
    }
}
