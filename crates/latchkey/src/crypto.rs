//! The small cryptography of our own: random secrets, their hashes, and sealing under the
//! instance master key.
//!
//! Everything here composes audited primitives (`aes-gcm`, `sha2`, `hmac`, the OS RNG); nothing
//! implements a primitive. Secrets handed to callers are never stored: only [`hash_secret`] of
//! them is.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// base64url without padding, the encoding of every id and secret on the wire.
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding.
pub fn from_b64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// `n` bytes from the OS random number generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A new 256-bit secret rendered as `prefix` + base64url, e.g. `lk_rt_…`.
pub fn new_secret(prefix: &str) -> String {
    format!("{prefix}{}", b64url(&random_bytes::<32>()))
}

/// The kinds of secret Latchkey hands out, each with the readable prefix that tells them apart
/// (and lets logs redact them: every one starts `lk_`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    RefreshToken,
    AuthToken,
    SessionCookie,
    MagicLink,
    /// The cookie that binds a magic link to the browser that asked for it.
    LinkBinding,
    ApiKey,
    AdminKey,
    /// A PlainKey-style server access token.
    ServerToken,
    /// An OAuth client's secret.
    ClientSecret,
    /// An OAuth authorization code.
    AuthorizationCode,
    /// A sign-in waiting for its second factor.
    MfaToken,
    /// The link of an invitation to join an organization.
    Invitation,
}

impl SecretKind {
    pub const ALL: [Self; 12] = [
        Self::RefreshToken,
        Self::AuthToken,
        Self::SessionCookie,
        Self::MagicLink,
        Self::LinkBinding,
        Self::ApiKey,
        Self::AdminKey,
        Self::ServerToken,
        Self::ClientSecret,
        Self::AuthorizationCode,
        Self::MfaToken,
        Self::Invitation,
    ];

    pub const fn prefix(self) -> &'static str {
        match self {
            Self::RefreshToken => "lk_rt_",
            Self::AuthToken => "lk_at_",
            Self::SessionCookie => "lk_ss_",
            Self::MagicLink => "lk_ml_",
            Self::LinkBinding => "lk_lb_",
            Self::ApiKey => "lk_sk_",
            Self::AdminKey => "lk_admin_",
            Self::ServerToken => "lk_st_",
            Self::ClientSecret => "lk_cs_",
            Self::AuthorizationCode => "lk_ac_",
            Self::MfaToken => "lk_mfa_",
            Self::Invitation => "lk_inv_",
        }
    }

    /// Whether `text` has this kind's shape (its prefix); says nothing of its validity.
    pub fn is_kind_of(self, text: &str) -> bool {
        text.starts_with(self.prefix())
    }
}

/// A secret on its way to the one caller allowed to see it (a token, a key, a cookie value).
/// Only its SHA-256 is ever stored; its `Debug` shows the kind prefix and nothing else, so no
/// log line or error can print it. It has no `==`: compare hashes with [`ct_eq`].
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// A fresh 256-bit secret of `kind`.
    pub fn new(kind: SecretKind) -> Self {
        Self(new_secret(kind.prefix()))
    }

    /// The secret of `kind` that follows this one, derived under `key` (HMAC-SHA-256): whoever
    /// presents this secret again gets the same successor, so it can be handed over a second
    /// time without the store keeping it. Without `key` it cannot be told from a random one.
    pub fn successor(&self, key: &MasterKey, kind: SecretKind) -> Self {
        let derived = key.keyed_hash(&[
            b"latchkey successor secret v1",
            kind.prefix().as_bytes(),
            self.0.as_bytes(),
        ]);
        Self(format!("{}{}", kind.prefix(), b64url(&derived)))
    }

    /// A secret value received from outside (a header, a body), to be handled as one.
    pub fn from_presented(value: String) -> Self {
        Self(value)
    }

    /// The secret itself, for the response that hands it over.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the store keeps instead of the secret.
    pub fn hash(&self) -> Vec<u8> {
        hash_secret(&self.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A known kind's prefix names it without a single secret character; anything else
        // shows nothing.
        match SecretKind::ALL.iter().find(|k| k.is_kind_of(&self.0)) {
            Some(kind) => write!(f, "Secret({}…)", kind.prefix()),
            None => f.write_str("Secret(…)"),
        }
    }
}

/// The SHA-256 of a secret: what the store keeps instead of the secret itself.
pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The instance master key: encrypts signing keys and other secrets at rest (AES-256-GCM).
#[derive(Clone)]
pub struct MasterKey {
    cipher: Aes256Gcm,
    hmac_key: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

/// A master key that cannot be read, parsed or created.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("LATCHKEY_MASTER_KEY must be 32 bytes in base64")]
    Malformed,
    #[error("master key file {0} is damaged: it must hold 32 bytes in base64")]
    DamagedFile(String),
    #[error("master key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl MasterKey {
    /// Builds the key from 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        // A separate key for keyed hashes, so that no key serves two algorithms.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&bytes)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(b"latchkey keyed-hash key v1");
        let hmac_key: [u8; 32] = mac.finalize().into_bytes().into();
        Self {
            cipher: Aes256Gcm::new(&bytes.into()),
            hmac_key,
        }
    }

    /// Parses the base64 form used by `LATCHKEY_MASTER_KEY` and the key file.
    pub fn parse(text: &str) -> Result<Self, MasterKeyError> {
        let text = text.trim();
        let bytes = STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| MasterKeyError::Malformed)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| MasterKeyError::Malformed)?;
        Ok(Self::from_bytes(bytes))
    }

    /// The configured key, or the one in `<data dir>/master.key`, generated (mode 0600) on first
    /// start. The file appears atomically and complete: it is written and synced under a
    /// temporary name, then hard-linked into place, so a second process starting at the same
    /// moment either sees the whole key or creates none.
    pub fn load_or_create(
        configured: Option<&str>,
        data_dir: &Path,
    ) -> Result<Self, MasterKeyError> {
        if let Some(text) = configured {
            return Self::parse(text);
        }
        let path = data_dir.join("master.key");
        let io = |source| MasterKeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => return Self::parse_file(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let bytes = random_bytes::<32>();
        let temp = data_dir.join(format!("master.key.{}.tmp", b64url(&random_bytes::<9>())));
        let written = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temp)?;
            file.write_all(STANDARD.encode(bytes).as_bytes())?;
            file.sync_all()?;
            std::fs::hard_link(&temp, &path)
        })();
        let _ = std::fs::remove_file(&temp);
        match written {
            Ok(()) => Ok(Self::from_bytes(bytes)),
            // Another process linked its key first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Self::parse_file(&std::fs::read_to_string(&path).map_err(io)?, &path)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn parse_file(text: &str, path: &Path) -> Result<Self, MasterKeyError> {
        Self::parse(text).map_err(|_| MasterKeyError::DamagedFile(path.display().to_string()))
    }

    /// Encrypts `plaintext`, binding it to `context` (e.g. the row it belongs to), as
    /// nonce ‖ ciphertext.
    pub fn seal(&self, context: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce = random_bytes::<12>();
        let ciphertext = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context,
                },
            )
            .unwrap_or_else(|_| unreachable!("AES-GCM encryption of in-memory data cannot fail"));
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        out
    }

    /// Decrypts what [`Self::seal`] produced for the same `context`; `None` if it was altered or
    /// sealed under another key.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        self.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .ok()
    }

    /// A keyed hash (HMAC-SHA-256) under a key derived from the master key, for low-entropy
    /// secrets such as one-time codes, which a plain hash would not protect.
    pub fn keyed_hash(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.hmac_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }
}

/// Constant-time equality of two byte strings.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_binds_context() {
        let key = MasterKey::from_bytes([7; 32]);
        let sealed = key.seal(b"row-1", b"secret");
        assert_eq!(key.open(b"row-1", &sealed).as_deref(), Some(&b"secret"[..]));
        assert!(key.open(b"row-2", &sealed).is_none());
        assert!(
            MasterKey::from_bytes([8; 32])
                .open(b"row-1", &sealed)
                .is_none()
        );
        assert!(key.open(b"row-1", &sealed[..5]).is_none());
    }

    #[test]
    fn secrets_are_prefixed_and_distinct() {
        let a = new_secret("lk_rt_");
        assert!(a.starts_with("lk_rt_"));
        assert_eq!(a.len(), 6 + 43);
        assert_ne!(a, new_secret("lk_rt_"));
        assert_eq!(hash_secret(&a).len(), 32);
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let secret = Secret::new(SecretKind::RefreshToken);
        let shown = format!("{secret:?}");
        assert_eq!(shown, "Secret(lk_rt_…)");
        let tail = &secret.expose()[6..];
        assert!(!shown.contains(tail));
        let foreign = Secret::from_presented("hunter2".to_owned());
        assert_eq!(format!("{foreign:?}"), "Secret(…)");
        assert!(SecretKind::AdminKey.is_kind_of("lk_admin_x"));
        assert!(!SecretKind::ApiKey.is_kind_of("lk_admin_x"));
    }

    #[test]
    fn master_key_parses_only_32_bytes() {
        assert!(MasterKey::parse(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(MasterKey::parse(&STANDARD.encode([1u8; 16])).is_err());
        assert!(MasterKey::parse("not base64!").is_err());
    }
}
