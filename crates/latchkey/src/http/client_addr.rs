//! The client's address: the connection's peer, or, when the peer is a trusted proxy
//! (`LATCHKEY_TRUSTED_PROXIES`), the address the proxies say they received the request from.
//! Rate limits, sessions and events all use this one address.
//!
//! The forwarding header (`X-Forwarded-For`, or `Forwarded` of RFC 7239: whichever the proxies
//! write, `LATCHKEY_PROXY_HEADER`) lists the addresses a request passed through, oldest first,
//! each appended by the proxy that received it. Anyone can write the start of that list, so it is
//! read from the end: the peer, then each address before it while the one after it is a trusted
//! proxy. The first address not trusted is the client. The other header is never read (a proxy
//! passes on a client's own `Forwarded` untouched while it appends to `X-Forwarded-For`), and
//! from a peer that is not trusted, neither is.

use std::net::IpAddr;

use axum::http::header::FORWARDED;
use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;

impl<'de> serde::Deserialize<'de> for ProxyHeader {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match name.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            _ => Err(serde::de::Error::custom(format!(
                "{name:?} is not a forwarding header: use x-forwarded-for or forwarded"
            ))),
        }
    }
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The header trusted proxies name the client in; read case-insensitively (`X-Forwarded-For`
/// is `x-forwarded-for`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProxyHeader {
    /// `X-Forwarded-For: client, proxy1, …`
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1, …` (RFC 7239).
    Forwarded,
}

/// The networks whose forwarding header is believed, and which header that is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
    header: ProxyHeader,
}

/// The client address of a request, put in its extensions by the connection that received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl TrustedProxies {
    /// Parses a comma-separated list of CIDRs or single addresses, whose `header` is believed;
    /// an empty list trusts none.
    pub fn parse(list: &str, header: ProxyHeader) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{item:?} is neither a CIDR (10.0.0.0/8) nor an address"))?;
            nets.push(net);
        }
        Ok(Self { nets, header })
    }

    /// Whether `addr` is a trusted proxy.
    pub fn trusts(&self, addr: IpAddr) -> bool {
        let addr = canonical(addr);
        self.nets.iter().any(|net| net.contains(&addr))
    }

    /// The client address of a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_for(headers, self.header).into_iter().rev() {
            // An entry that is not an address (`unknown`, an obfuscated name, garbage) ends the
            // chain: the last address known is the client.
            let Some(hop) = hop else {
                break;
            };
            client = canonical(hop);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:a.b.c.d`) as the IPv4 address it is.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        IpAddr::V4(_) => addr,
    }
}

/// The forwarded-for chain in `header`, oldest first, over every line of it in order. `None`
/// stands for an entry that is not an address (a line that is not text spoils only itself).
fn forwarded_for(headers: &HeaderMap, header: ProxyHeader) -> Vec<Option<IpAddr>> {
    let name = match header {
        ProxyHeader::XForwardedFor => X_FORWARDED_FOR,
        ProxyHeader::Forwarded => FORWARDED,
    };
    let entries = headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .map(|entry| std::str::from_utf8(entry).map(str::trim))
        .filter(|entry| entry.as_ref().map_or(true, |e| !e.is_empty()));
    match header {
        ProxyHeader::XForwardedFor => entries.map(|e| e.ok().and_then(node_addr)).collect(),
        ProxyHeader::Forwarded => entries
            .map(|element| {
                element
                    .ok()?
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| node_addr(value.trim().trim_matches('"')))
            })
            .collect(),
    }
}

/// The address of a node: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn node_addr(node: &str) -> Option<IpAddr> {
    if let Ok(addr) = node.parse::<IpAddr>() {
        return Some(addr);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                value.parse().expect("a header value"),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn headers_count_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(none.client(ip("203.0.113.9"), &spoofed), ip("203.0.113.9"));

        let lb = TrustedProxies::parse("10.0.0.0/8, 192.168.1.1", ProxyHeader::XForwardedFor)
            .expect("parsed");
        // From the load balancer: the address it saw.
        assert_eq!(lb.client(ip("10.1.2.3"), &spoofed), ip("1.2.3.4"));
        // A client writing its own header in front gets the address the proxy appended.
        let forged = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4")]);
        assert_eq!(lb.client(ip("10.1.2.3"), &forged), ip("1.2.3.4"));
        // Two trusted hops, and headers split over lines.
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 1.2.3.4"),
            ("x-forwarded-for", "192.168.1.1"),
        ]);
        assert_eq!(lb.client(ip("10.0.0.1"), &chain), ip("1.2.3.4"));
        // Not from a trusted peer: ignored.
        assert_eq!(lb.client(ip("192.168.1.2"), &chain), ip("192.168.1.2"));
        // Nothing forwarded: the proxy itself.
        assert_eq!(lb.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // Garbage ends the chain at the last address known.
        let garbage = headers(&[("x-forwarded-for", "1.2.3.4, nonsense")]);
        assert_eq!(lb.client(ip("10.0.0.1"), &garbage), ip("10.0.0.1"));
        // Bytes that are not text spoil only their own entry.
        let mut bytes = HeaderMap::new();
        bytes.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"\x80\x81, 1.2.3.4").expect("a value"),
        );
        assert_eq!(lb.client(ip("10.0.0.1"), &bytes), ip("1.2.3.4"));
        // A client's own Forwarded header means nothing when the proxy writes X-Forwarded-For.
        let both = headers(&[("forwarded", "for=6.6.6.6"), ("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(lb.client(ip("10.0.0.1"), &both), ip("1.2.3.4"));
    }

    #[test]
    fn forwarded_when_chosen_and_ports_and_brackets_are_read() {
        let both = headers(&[
            (
                "forwarded",
                r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https"#,
            ),
            ("x-forwarded-for", "5.5.5.5"),
        ]);
        let rfc = TrustedProxies::parse("10.0.0.0/8", ProxyHeader::Forwarded).expect("parsed");
        assert_eq!(rfc.client(ip("10.0.0.1"), &both), ip("2001:db8::7"));
        let lb = TrustedProxies::parse("10.0.0.0/8", ProxyHeader::XForwardedFor).expect("parsed");
        assert_eq!(lb.client(ip("10.0.0.1"), &both), ip("5.5.5.5"));
        let port = headers(&[("x-forwarded-for", "1.2.3.4:5678")]);
        assert_eq!(lb.client(ip("10.0.0.1"), &port), ip("1.2.3.4"));
        // An IPv4 peer seen through an IPv6 socket is still the IPv4 proxy.
        assert_eq!(lb.client(ip("::ffff:10.0.0.1"), &port), ip("1.2.3.4"));
    }

    #[test]
    fn bad_lists_are_refused() {
        let parse = |list| TrustedProxies::parse(list, ProxyHeader::XForwardedFor);
        assert!(parse("10.0.0.0/33").is_err());
        assert!(parse("proxy.internal").is_err());
        assert_eq!(parse(" ").expect("empty"), TrustedProxies::default());
    }
}
