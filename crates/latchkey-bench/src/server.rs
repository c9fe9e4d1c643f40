//! The Latchkey server under test: started by `--spawn`, set up through the admin API, and its
//! memory read from `/proc`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::latchkey::OAuthClient;

/// The load comes from one address, so every per-client limit is raised far above what it
/// sends: the limiter still counts every request (its cost is measured), and refuses none. The
/// per-address email limit stays as it is: the email scenario is built around it.
pub const BENCH_RATE_LIMITS: &str = "*=1000000000/60,email_address=1/30+5/3600";

/// A server started by `--spawn`: killed, and its data directory removed, on drop.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub data_dir: PathBuf,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

/// [`memory`] summed over `pid` and all its descendants (a Node cluster's primary and workers;
/// `VmHWM` is then the sum of each process's own peak).
pub fn tree_memory(pid: u32) -> Option<Memory> {
    let mut total = memory(pid)?;
    for child in descendants(pid) {
        if let Some(m) = memory(child) {
            total.rss_kib += m.rss_kib;
            total.hwm_kib += m.hwm_kib;
        }
    }
    Some(total)
}

/// Every process whose chain of parents leads to `root`.
fn descendants(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
            let after = &stat[stat.rfind(')')? + 1..];
            let ppid = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// CPU time (user + system) used so far by `pid` and its descendants, in seconds.
pub fn tree_cpu_seconds(pid: u32) -> Option<f64> {
    let mut total = cpu_seconds(pid)?;
    for child in descendants(pid) {
        total += cpu_seconds(child).unwrap_or(0.0);
    }
    Some(total)
}

/// CPU time (user + system) used so far by one process (`self` for this one), in seconds.
pub fn cpu_seconds(pid: impl std::fmt::Display) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let mut fields = after.split_whitespace();
    // After `comm`: state(3) ... utime(14) stime(15), counted from 1 over the whole line.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    // Linux reports these in USER_HZ, which is 100 on every architecture it runs on.
    Some((utime + stime) as f64 / 100.0)
}

pub fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some(Memory {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:")?,
    })
}

pub fn default_server_bin() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locate latchkey-bench")?;
    Ok(exe.with_file_name(format!("latchkey{}", std::env::consts::EXE_SUFFIX)))
}

/// Starts `bin serve` on a fresh data directory, with `public_url` as its `PUBLIC_URL`,
/// `database_url` (else SQLite in that directory) and `smtp_url` (else the server writes emails
/// to its outbox folder).
pub async fn spawn_server(
    bin: &Path,
    admin_key: &str,
    public_url: &str,
    database_url: Option<&str>,
    smtp_url: Option<&str>,
) -> Result<Server> {
    // The server runs in its data directory: a relative path must not be read from there.
    let bin = &std::path::absolute(bin)
        .with_context(|| format!("the server binary {}", bin.display()))?;
    if !bin.exists() {
        bail!(
            "server binary {} not found (build it with `cargo build -p latchkey`, or pass --server-bin)",
            bin.display()
        );
    }
    let data_dir = std::env::temp_dir().join(format!(
        "latchkey-bench-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&data_dir).context("create the data directory")?;
    let log_path = data_dir.join("server.log");
    let log = std::fs::File::create(&log_path).context("create the server log")?;
    let mut command = Command::new(bin);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LATCHKEY_LISTEN", "127.0.0.1:0")
        .env("LATCHKEY_PUBLIC_URL", public_url)
        .env("LATCHKEY_DATA_DIR", &data_dir)
        .env("LATCHKEY_ADMIN_KEY", admin_key)
        .env("LATCHKEY_RATE_LIMITS", BENCH_RATE_LIMITS)
        .env("RUST_LOG", "warn")
        .current_dir(&data_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .kill_on_drop(true);
    if let Some(url) = database_url {
        command.env("LATCHKEY_DATABASE_URL", url);
    }
    if let Some(url) = smtp_url {
        command.env("LATCHKEY_SMTP_URL", url);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&data_dir);
            return Err(e).with_context(|| format!("start {}", bin.display()));
        }
    };
    let pid = child
        .id()
        .ok_or_else(|| anyhow!("the server exited at once"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("no server stdout"))?;
    // From here on, dropping `server` kills the process and removes the directory.
    let mut server = Server {
        child,
        pid,
        data_dir,
        base: String::new(),
    };
    let mut lines = BufReader::new(stdout).lines();
    let first = tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await;
    let line = match first {
        Ok(Ok(Some(line))) => line,
        other => {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            bail!("the server did not start ({other:?}); its log:\n{log}");
        }
    };
    let base = line
        .strip_prefix("latchkey listening on ")
        .ok_or_else(|| anyhow!("unexpected first server line {line:?}"))?;
    server.base = base.trim().to_owned();
    // Keep draining stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(server)
}

pub async fn admin(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    path: &str,
    body: Value,
) -> Result<Value> {
    let response = http
        .post(format!("{base}{path}"))
        .bearer_auth(key)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&body)?)
        .send()
        .await
        .with_context(|| format!("POST {path}"))?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("POST {path}: {status} {text}");
    }
    serde_json::from_str(&text).with_context(|| format!("POST {path}: not JSON: {text}"))
}

/// Creates app `id` on `rp_id` with the one origin `origin`.
pub async fn create_app(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    id: &str,
    rp_id: &str,
    origin: &str,
) -> Result<()> {
    admin(
        http,
        base,
        key,
        "/admin/apps",
        json!({"id": id, "name": "Latchkey bench", "rp_id": rp_id, "origins": [origin]}),
    )
    .await
    .map(drop)
}

/// Registers a confidential OAuth client of `app` that returns to `redirect_uri` and asks no
/// consent, and reads the app's issuer from its discovery document.
pub async fn create_oauth_client(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    app: &str,
    redirect_uri: &str,
) -> Result<OAuthClient> {
    let created = admin(
        http,
        base,
        key,
        &format!("/admin/apps/{app}/oauth-clients"),
        json!({"name": "latchkey-bench RP", "type": "confidential",
            "redirect_uris": [redirect_uri], "skip_consent": true}),
    )
    .await?;
    let string = |name: &str| {
        created[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("the OAuth client answer has no {name}: {created}"))
    };
    let path = format!("/apps/{app}/.well-known/openid-configuration");
    let discovery: Value = http
        .get(format!("{base}{path}"))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .with_context(|| format!("GET {path}"))?
        .json()
        .await
        .with_context(|| format!("GET {path}: not JSON"))?;
    let issuer = discovery["issuer"]
        .as_str()
        .ok_or_else(|| anyhow!("GET {path}: no issuer in {discovery}"))?;
    Ok(OAuthClient {
        id: string("client_id")?,
        secret: string("client_secret")?,
        redirect_uri: redirect_uri.to_owned(),
        issuer: issuer.to_owned(),
    })
}

pub async fn create_api_key(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    app: &str,
) -> Result<String> {
    let created = admin(
        http,
        base,
        key,
        &format!("/admin/apps/{app}/api-keys"),
        json!({"name": "latchkey-bench"}),
    )
    .await?;
    created["secret"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("the API key answer has no secret: {created}"))
}
