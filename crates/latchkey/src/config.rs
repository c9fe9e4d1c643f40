//! The configuration contract: `latchkey.toml`, then `LATCHKEY_*` environment variables.
//!
//! Loaded once at start-up into one [`Config`]; nothing else reads the environment. Defaults are
//! those of the API contract, so an empty configuration runs a working development server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Everything the server needs to know about its surroundings. Its `Debug` shows no secret: keys
/// print as set or not, and passwords in URLs as `***`.
#[derive(Clone, Deserialize, Serialize)]
pub struct Config {
    /// Address to bind; port 0 picks a free one (tests do this).
    pub listen: String,
    /// External base URL: the prefix of every app's issuer and of links in emails.
    pub public_url: String,
    /// Where the SQLite file, the generated master key and the email outbox live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; `None` means the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// An admin key accepted in addition to those created with `latchkey admin-key create`.
    pub admin_key: Option<String>,
    /// 32 bytes, base64: encrypts secrets at rest. `None` means generated once into the data dir.
    pub master_key: Option<String>,
    /// SMTP server for outgoing email; `None` writes `.eml` files to the outbox instead.
    pub smtp_url: Option<String>,
    /// The `From` address of outgoing email.
    pub email_from: Option<String>,
    /// A PEM certificate to trust for the SMTP server's TLS, besides the public roots.
    pub smtp_ca_file: Option<PathBuf>,
    /// Seconds a connection has to send a complete request head, counted from its opening or
    /// its previous response; an idle keep-alive connection closes after it.
    #[serde(deserialize_with = "number")]
    pub header_timeout: u64,
    /// Seconds a request body has to arrive once its head has (408 after it).
    #[serde(deserialize_with = "number")]
    pub body_timeout: u64,
    /// Seconds writing a response may make no progress (the client not reading) before the
    /// connection is closed.
    #[serde(deserialize_with = "number")]
    pub write_timeout: u64,
    /// Days audit events are kept.
    #[serde(deserialize_with = "number")]
    pub event_retention_days: u64,
    /// Seconds between two sweeps of what the store no longer needs.
    #[serde(deserialize_with = "number")]
    pub sweep_interval: u64,
    /// Connections open at once (also bounded by the process's file descriptor limit).
    #[serde(deserialize_with = "number")]
    pub max_connections: usize,
    /// Connections open at once from one client address.
    #[serde(deserialize_with = "number")]
    pub max_connections_per_ip: usize,
    /// Comma-separated CIDRs of proxies whose `Forwarded` / `X-Forwarded-For` header names the
    /// client address; from anyone else those headers are ignored.
    pub trusted_proxies: Option<String>,
    /// The header the trusted proxies name the client in: `x-forwarded-for` or `forwarded`.
    pub proxy_header: crate::http::client_addr::ProxyHeader,
    /// Rate limits other than the defaults: comma-separated `rule=max/seconds` (several limits
    /// of one rule joined with `+`; `*` for every rule).
    pub rate_limits: Option<String>,
    /// A bearer token `/metrics` asks for; `None` leaves it open (keep it off the internet).
    pub metrics_token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".to_owned(),
            public_url: "http://localhost:8080".to_owned(),
            data_dir: PathBuf::from("./latchkey-data"),
            database_url: None,
            admin_key: None,
            metrics_token: None,
            master_key: None,
            smtp_url: None,
            email_from: None,
            smtp_ca_file: None,
            header_timeout: 10,
            body_timeout: 10,
            write_timeout: 30,
            event_retention_days: 90,
            sweep_interval: 60,
            max_connections: 10_000,
            max_connections_per_ip: 256,
            trusted_proxies: None,
            proxy_header: crate::http::client_addr::ProxyHeader::default(),
            rate_limits: None,
        }
    }
}

/// A number as the TOML file gives it (a number) or the environment does (a string of digits).
fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr + Deserialize<'de>,
    T::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given<T> {
        Number(T),
        Text(String),
    }
    match Given::<T>::deserialize(d)? {
        Given::Number(n) => Ok(n),
        Given::Text(text) => text
            .trim()
            .parse()
            .map_err(|e| serde::de::Error::custom(format!("{text:?} is not a whole number: {e}"))),
    }
}

/// The `LATCHKEY_*` variables this contract names, as strings. Values are never reinterpreted
/// (an admin key of digits stays a string); a variable we do not know gets a warning, since it is
/// most likely a typo.
fn environment() -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (name, value) in std::env::vars_os() {
        let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
            continue;
        };
        let Some(key) = name.strip_prefix("LATCHKEY_") else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        if Config::KEYS.contains(&key.as_str()) {
            // An empty variable means "not set", as in most tools.
            if !value.is_empty() {
                out.insert(key, value.to_owned());
            }
        } else if !matches!(key.as_str(), "log_format" | "test_database_url") {
            eprintln!("warning: ignoring unknown environment variable {name}");
        }
    }
    out
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| if v.is_some() { "(set)" } else { "(none)" };
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(without_password),
            )
            .field("admin_key", &set(&self.admin_key))
            .field("master_key", &set(&self.master_key))
            .field("smtp_url", &self.smtp_url.as_deref().map(without_password))
            .field("email_from", &self.email_from)
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("write_timeout", &self.write_timeout)
            .field("event_retention_days", &self.event_retention_days)
            .field("sweep_interval", &self.sweep_interval)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_ip", &self.max_connections_per_ip)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("proxy_header", &self.proxy_header)
            .field("rate_limits", &self.rate_limits)
            .field("metrics_token", &set(&self.metrics_token))
            .finish()
    }
}

/// A URL with its password (if any) replaced by `***`, fit for a log line.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "(unparsable URL)".to_owned(),
    }
}

impl Config {
    /// Layers defaults, the TOML file (`path`, or `latchkey.toml` if present) and the
    /// environment, which wins.
    pub fn load(path: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let file = path.map_or_else(|| PathBuf::from("latchkey.toml"), Path::to_path_buf);
        if let Some(explicit) = path
            && !explicit.exists()
        {
            return Err(Box::new(figment::Error::from(format!(
                "configuration file {} does not exist",
                explicit.display()
            ))));
        }
        let mut figment = Figment::from(Serialized::defaults(Self::default()));
        // Exactly this file: figment's plain `file` would also search parent directories.
        if file.exists() {
            figment = figment.merge(Toml::file_exact(file));
        }
        let config: Self = figment
            .merge(Serialized::defaults(environment()))
            .extract()
            .map_err(Box::new)?;
        config
            .validate()
            .map_err(|e| Box::new(figment::Error::from(e)))?;
        Ok(config)
    }

    /// The names of the settings, as they appear lower-cased in the TOML file.
    const KEYS: [&'static str; 20] = [
        "listen",
        "public_url",
        "data_dir",
        "database_url",
        "admin_key",
        "master_key",
        "smtp_url",
        "email_from",
        "smtp_ca_file",
        "header_timeout",
        "body_timeout",
        "write_timeout",
        "event_retention_days",
        "sweep_interval",
        "max_connections",
        "max_connections_per_ip",
        "trusted_proxies",
        "proxy_header",
        "rate_limits",
        "metrics_token",
    ];

    fn validate(&self) -> Result<(), String> {
        let url = url::Url::parse(&self.public_url).map_err(|e| {
            format!(
                "LATCHKEY_PUBLIC_URL {:?} is not a URL: {e}",
                self.public_url
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("LATCHKEY_PUBLIC_URL must be an http or https URL".to_owned());
        }
        for (name, value) in [
            ("LATCHKEY_HEADER_TIMEOUT", self.header_timeout),
            ("LATCHKEY_BODY_TIMEOUT", self.body_timeout),
            ("LATCHKEY_WRITE_TIMEOUT", self.write_timeout),
            ("LATCHKEY_SWEEP_INTERVAL", self.sweep_interval),
        ] {
            if !(1..=3600).contains(&value) {
                return Err(format!("{name} must be between 1 and 3600 seconds"));
            }
        }
        if self
            .metrics_token
            .as_deref()
            .is_some_and(|t| t.len() < 16 || t.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err(
                "LATCHKEY_METRICS_TOKEN must be at least 16 characters with no spaces".to_owned(),
            );
        }
        if !(1..=36_500).contains(&self.event_retention_days) {
            return Err("LATCHKEY_EVENT_RETENTION_DAYS must be between 1 and 36500".to_owned());
        }
        for (name, value) in [
            ("LATCHKEY_MAX_CONNECTIONS", self.max_connections),
            (
                "LATCHKEY_MAX_CONNECTIONS_PER_IP",
                self.max_connections_per_ip,
            ),
        ] {
            if value == 0 {
                return Err(format!("{name} must be at least 1"));
            }
        }
        self.trusted_proxies()
            .map_err(|e| format!("LATCHKEY_TRUSTED_PROXIES: {e}"))?;
        self.rate_limits()
            .map_err(|e| format!("LATCHKEY_RATE_LIMITS: {e}"))?;
        if self.listen.parse::<SocketAddr>().is_err() && !self.listen.contains(':') {
            return Err(format!(
                "LATCHKEY_LISTEN {:?} must be host:port",
                self.listen
            ));
        }
        Ok(())
    }

    /// The database URL in force: the configured one or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("latchkey.db").display()
            )
        })
    }

    /// The public URL without a trailing slash, ready to have paths appended.
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    /// How connections are bounded: the configured limits, with at most as many connections
    /// as the process may open file descriptors, less some for the store, logs and email.
    pub fn connection_limits(&self) -> crate::http::connections::ConnectionLimits {
        const RESERVED_DESCRIPTORS: usize = 128;
        let descriptors = open_file_limit()
            .saturating_sub(RESERVED_DESCRIPTORS)
            .max(1);
        crate::http::connections::ConnectionLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout),
            body_timeout: std::time::Duration::from_secs(self.body_timeout),
            write_timeout: std::time::Duration::from_secs(self.write_timeout),
            max_connections: self.max_connections.min(descriptors),
            max_connections_per_ip: self.max_connections_per_ip,
            // Checked when the configuration was loaded.
            trusted_proxies: self.trusted_proxies().unwrap_or_default(),
        }
    }

    /// The proxies whose forwarding headers are believed.
    pub fn trusted_proxies(&self) -> Result<crate::http::client_addr::TrustedProxies, String> {
        crate::http::client_addr::TrustedProxies::parse(
            self.trusted_proxies.as_deref().unwrap_or(""),
            self.proxy_header,
        )
    }

    /// The rate limits in force: the defaults, changed by `rate_limits`.
    pub fn rate_limits(&self) -> Result<crate::auth::throttle::Limits, String> {
        crate::auth::throttle::Limits::parse(self.rate_limits.as_deref().unwrap_or(""))
    }

    /// Whether cookies must carry `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// How many file descriptors this process may open (its soft `RLIMIT_NOFILE`).
fn open_file_limit() -> usize {
    #[cfg(target_os = "linux")]
    if let Ok(limits) = std::fs::read_to_string("/proc/self/limits")
        && let Some(soft) = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse().ok())
    {
        return soft;
    }
    usize::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let config = Config {
            admin_key: Some("lk_admin_topsecret".to_owned()),
            metrics_token: Some("scrape-me-secretly-please".to_owned()),
            master_key: Some("bWFzdGVyLWtleS1ieXRlcy1iZWxvbmctaGVyZQ==".to_owned()),
            smtp_url: Some("smtps://mailer:hunter2@smtp.example.com:465".to_owned()),
            database_url: Some("postgres://app:pgsecret@db.example.com/latchkey".to_owned()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        for secret in ["topsecret", "bWFzdGVy", "hunter2", "pgsecret", "secretly"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("smtp.example.com") && shown.contains("(set)"));
    }
}
