//! Wall-clock time for the domain layer.
//!
//! Every rule that looks at time (ceremony expiry, token lifetimes, sliding sessions) reads it
//! through [`Clock`], so that the whole server agrees on one notion of "now" within a request.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch, the unit every timestamp in the store uses.
pub type Timestamp = i64;

/// The source of the current time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock;

impl Clock {
    /// The current time in whole seconds since the epoch.
    pub fn now(&self) -> Timestamp {
        OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// Formats an epoch timestamp as RFC 3339 in UTC, the form every API response uses.
pub fn rfc3339(ts: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
