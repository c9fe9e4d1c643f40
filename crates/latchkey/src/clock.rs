//! Wall-clock time for the domain layer.
//!
//! Every rule that looks at time (ceremony expiry, token lifetimes, sliding sessions, throttling
//! windows, job back-off) reads it through [`Clock`], so that the whole server agrees on one
//! notion of "now", and so that tests can move that "now" forward instead of waiting or
//! rewriting rows. A production server never moves its clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch, the unit every timestamp in the store uses.
pub type Timestamp = i64;

/// The source of the current time: the system clock plus an offset that only tests move.
/// Clones share the offset, so moving one moves the clock of the whole server built with it.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// The current time in whole seconds since the epoch.
    pub fn now(&self) -> Timestamp {
        OffsetDateTime::now_utc().unix_timestamp() + self.offset.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) `seconds` forward: codes, challenges, tokens
    /// and sessions age as if that time had passed.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Formats an epoch timestamp as RFC 3339 in UTC, the form every API response uses.
pub fn rfc3339(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// Serde for a timestamp that travels as RFC 3339 (`#[serde(with = "clock::rfc3339_serde")]`).
pub mod rfc3339_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    pub fn serialize<S: Serializer>(ts: &super::Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(*ts))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        OffsetDateTime::parse(&text, &Rfc3339)
            .map(OffsetDateTime::unix_timestamp)
            .map_err(serde::de::Error::custom)
    }
}

/// [`rfc3339_serde`] for an optional timestamp (`null` when absent).
pub mod rfc3339_serde_option {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        ts: &Option<super::Timestamp>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match ts {
            Some(ts) => super::rfc3339_serde::serialize(ts, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<super::Timestamp>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super::rfc3339_serde")] super::Timestamp);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(ts)| ts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn clones_move_together() {
        let clock = Clock::system();
        let other = clock.clone();
        let before = other.now();
        clock.advance(3600);
        assert!(other.now() >= before + 3600);
    }
}
