//! Ids that must not be mixed up: a user's, a session's, an app's. Each is its own type, so a
//! function that takes `(&AppId, &UserId, &SessionId)` cannot be handed them in another order.
//! On the wire and in the store they are plain strings.

use serde::{Deserialize, Serialize};

/// A new time-ordered id (UUIDv7): ids sort by creation, which is what cursors rely on.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    };
}

id_type!(
    /// A user's id: a UUIDv7, whose 16 bytes are also the user's WebAuthn user handle.
    UserId
);
id_type!(
    /// A session's id: a UUIDv7, the `sid` of its access tokens.
    SessionId
);
id_type!(
    /// An app's id, chosen at creation: `[a-z0-9][a-z0-9-]{1,62}`. Only [`AppId::parse`] makes
    /// one from outside input.
    AppId
);

impl UserId {
    /// A new user id.
    pub fn generate() -> Self {
        Self(new_id())
    }
}

impl SessionId {
    /// A new session id.
    pub fn generate() -> Self {
        Self(new_id())
    }
}

impl AppId {
    /// The id if it has an app id's shape.
    pub fn parse(id: &str) -> Option<Self> {
        let bytes = id.as_bytes();
        let ok = (2..=63).contains(&bytes.len())
            && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        ok.then(|| Self(id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids() {
        for good in ["demo", "a1-b2", "1a"] {
            assert!(AppId::parse(good).is_some(), "{good}");
        }
        for bad in ["a", "-ab", "Demo", "de_mo", &"a".repeat(64)] {
            assert!(AppId::parse(bad).is_none(), "{bad}");
        }
    }
}
