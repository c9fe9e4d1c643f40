//! The browser's side of a ceremony, parsed: the `PublicKeyCredential` JSON a browser sends
//! (`credential.toJSON()`, plus our optional `name`), and the transports names WebAuthn uses.
//!
//! The JSON is read only as far as routing needs (which ceremony it answers, which passkey it
//! names); everything else is left to `webauthn_rp`'s strict parser.

use serde_json::Value;
use webauthn_rp::bin::Decode;
use webauthn_rp::response::{AuthTransports, AuthenticatorTransport};

use crate::auth::error::{Error, Result, invalid};
use crate::crypto::from_b64url;

/// The transports WebAuthn names, with their bit in `webauthn_rp`'s encoded `AuthTransports`.
const TRANSPORTS: [(AuthenticatorTransport, &str, u8); 6] = [
    (AuthenticatorTransport::Ble, "ble", 0x1),
    (AuthenticatorTransport::Hybrid, "hybrid", 0x2),
    (AuthenticatorTransport::Internal, "internal", 0x4),
    (AuthenticatorTransport::Nfc, "nfc", 0x8),
    (AuthenticatorTransport::SmartCard, "smart-card", 0x10),
    (AuthenticatorTransport::Usb, "usb", 0x20),
];

/// The library's transport set as WebAuthn's names.
pub(super) fn transports_to_strings(t: AuthTransports) -> Vec<String> {
    TRANSPORTS
        .iter()
        .filter(|(tr, _, _)| t.contains(*tr))
        .map(|(_, name, _)| (*name).to_owned())
        .collect()
}

/// The stored transport names back as the library's set (a hint for `allowCredentials`).
pub(super) fn transports_from_strings(names: &[String]) -> AuthTransports {
    let bits = TRANSPORTS
        .iter()
        .filter(|(_, name, _)| names.iter().any(|n| n == name))
        .fold(0u8, |acc, (_, _, bit)| acc | bit);
    AuthTransports::decode(bits).unwrap_or_else(|_| {
        AuthTransports::decode(0).unwrap_or_else(|_| unreachable!("the empty set decodes"))
    })
}

fn bad_credential(what: &str) -> Error {
    Error::InvalidRequest(format!(
        "the body must be the PublicKeyCredential JSON from the browser: {what}"
    ))
}

/// A passkey's name: 1 to 64 characters, no control characters, trimmed.
pub(super) fn check_passkey_name(name: &str) -> Result<String> {
    let name = name.trim();
    let len = name.chars().count();
    if !(1..=64).contains(&len) || name.chars().any(char::is_control) {
        return invalid("name must be 1 to 64 characters with no control characters");
    }
    Ok(name.to_owned())
}

/// The credential JSON a browser sent, parsed once.
pub(super) struct BrowserCredential(Value);

impl BrowserCredential {
    pub fn parse(body: &[u8]) -> Result<Self> {
        let value: Value =
            serde_json::from_slice(body).map_err(|_| bad_credential("it is not JSON"))?;
        if !value.is_object() {
            return Err(bad_credential("it is not an object"));
        }
        Ok(Self(value))
    }

    /// The challenge inside `clientDataJSON`, which names the ceremony.
    pub fn challenge(&self) -> Result<String> {
        let cdj = self
            .0
            .pointer("/response/clientDataJSON")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_credential("response.clientDataJSON is missing"))?;
        let cdj = from_b64url(cdj)
            .ok_or_else(|| bad_credential("response.clientDataJSON is not base64url"))?;
        let client_data: Value = serde_json::from_slice(&cdj)
            .map_err(|_| bad_credential("clientDataJSON is not JSON"))?;
        let challenge = client_data
            .get("challenge")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_credential("clientDataJSON has no challenge"))?;
        if challenge.is_empty()
            || challenge.len() > 128
            || !challenge
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad_credential(
                "the challenge in clientDataJSON is not base64url",
            ));
        }
        Ok(challenge.to_owned())
    }

    /// The passkey name a registration may carry beside the credential.
    pub fn name(&self) -> Result<Option<String>> {
        match self.0.get("name") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(name)) => check_passkey_name(name).map(Some),
            Some(_) => invalid("name must be a string"),
        }
    }

    /// The user-verified flag of the authenticator data sent (trusted only once verified).
    pub fn user_verified(&self) -> bool {
        self.0
            .pointer("/response/authenticatorData")
            .and_then(Value::as_str)
            .and_then(from_b64url)
            .and_then(|data| data.get(32).copied())
            .is_some_and(|flags| flags & 0x04 != 0)
    }

    /// The JSON for the library's parser: without members it does not know (our `name`;
    /// transports newer than it), refusing a discoverable assertion without a `userHandle`,
    /// which the library would accept and then fail on.
    pub fn into_library_json(mut self, need_user_handle: bool) -> Result<Vec<u8>> {
        if let Some(object) = self.0.as_object_mut() {
            object.remove("name");
        }
        if let Some(transports) = self
            .0
            .pointer_mut("/response/transports")
            .and_then(Value::as_array_mut)
        {
            transports.retain(|t| {
                t.as_str()
                    .is_some_and(|t| TRANSPORTS.iter().any(|(_, n, _)| *n == t))
            });
        }
        // RP ID hash (32) + flags (1) + counter (4): anything shorter is malformed, and saying
        // so here keeps a malformed assertion from using up its challenge.
        if let Some(data) = self
            .0
            .pointer("/response/authenticatorData")
            .and_then(Value::as_str)
            && from_b64url(data).is_some_and(|d| d.len() < 37)
        {
            return Err(bad_credential(
                "response.authenticatorData is shorter than 37 bytes",
            ));
        }
        if need_user_handle
            && self
                .0
                .pointer("/response/userHandle")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            return Err(bad_credential(
                "response.userHandle is required for a username-less sign-in",
            ));
        }
        serde_json::to_vec(&self.0).map_err(|_| bad_credential("it cannot be re-encoded"))
    }
}
