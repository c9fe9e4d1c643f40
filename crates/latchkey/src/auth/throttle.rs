//! Throttling: sliding-window limits counted in the store, so that they hold across instances,
//! and the key a client is counted by.

use super::error::{Error, Result};
use super::store::{self, Conn};
use super::{Auth, RequestMeta};
use crate::clock::Timestamp;

pub use store::rate_limits::Limit;

/// Throttling rows are kept longer than the longest window.
const RETENTION: i64 = 2 * 3600;

/// Counts requests against limits.
pub(crate) struct Throttle<'a> {
    pub(super) auth: &'a Auth,
}

impl Throttle<'_> {
    /// Counts a request against `key`'s limits in its own transaction; `RateLimited` (naming
    /// `what` was too many) when one is exceeded.
    pub async fn hit(&self, key: &str, limits: &[Limit], what: &str) -> Result<()> {
        let now = self.auth.clock.now();
        let (key, limits) = (key.to_owned(), limits.to_vec());
        let wait = self
            .auth
            .store
            .write(move |tx| {
                Box::pin(async move { store::rate_limits::hit(tx, &key, &limits, now).await })
            })
            .await?;
        match wait {
            Some(retry_after) => Err(rate_limited(retry_after, what)),
            None => Ok(()),
        }
    }
}

/// The refusal of a request over a limit, for `retry_after` seconds.
pub(crate) fn rate_limited(retry_after: i64, what: &str) -> Error {
    Error::RateLimited {
        detail: format!("too many {what}: try again in {retry_after} seconds"),
        retry_after: u64::try_from(retry_after).unwrap_or(1),
    }
}

/// What per-IP limits count by: the IPv4 address, or the /64 an IPv6 address belongs to (one
/// client holds a whole /64, so counting single IPv6 addresses would bind nothing).
pub(crate) fn client_key(meta: &RequestMeta) -> String {
    match meta
        .ip
        .as_deref()
        .and_then(|ip| ip.parse::<std::net::IpAddr>().ok())
        .map(client_network)
    {
        Some(ip @ std::net::IpAddr::V6(_)) => format!("{ip}/64"),
        Some(ip) => ip.to_string(),
        None => "unknown".to_owned(),
    }
}

/// The network a client address stands for in per-client limits: an IPv4 address itself (also
/// when it arrives IPv4-mapped over IPv6), an IPv6 address's /64, which one host commonly holds
/// whole.
pub fn client_network(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => std::net::IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                std::net::IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 @ std::net::IpAddr::V4(_) => v4,
    }
}

/// Forgets throttling rows older than any window.
pub(super) async fn sweep(conn: &mut Conn<'_>, now: Timestamp) -> store::Result<()> {
    store::rate_limits::delete_stale(conn, now - RETENTION).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ip: &str) -> String {
        client_key(&RequestMeta {
            ip: Some(ip.to_owned()),
            user_agent: None,
        })
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
        assert_eq!(client_key(&RequestMeta::default()), "unknown");
    }
}
