//! The harness: the shared `latchkey_test::TestApp` (an in-process Latchkey per test, on a
//! fresh database, with app `acme` and an API key; sign-ups through the software authenticator,
//! the way a browser would do them), and a client of this crate for one of its apps.

use latchkey_client::Client;
pub use latchkey_test::{PUBLIC_URL, TestApp};

/// A client for `t`'s app with `t`'s API key, that knows the server's public URL (its tokens'
/// issuer is on it, not on the address the server listens at).
pub fn client_for(t: &TestApp) -> Client {
    Client::builder(&t.base, &t.app, &t.api_key)
        .public_url(PUBLIC_URL)
        .build()
        .expect("client")
}

/// The reason a token was refused, or a panic if it was not.
pub fn token_error(
    r: latchkey_client::Result<latchkey_client::Claims>,
) -> latchkey_client::TokenError {
    match r {
        Err(latchkey_client::Error::InvalidToken(why)) => why,
        other => panic!("expected a refused token, got {other:?}"),
    }
}
