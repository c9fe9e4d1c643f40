//! The configuration contract, as the binary reads it: `latchkey.toml` in the working directory
//! (not its parents), `LATCHKEY_*` variables that win and stay strings, `--config FILE`,
//! `serve --dev`, and starts that are refused (a missing `--config` file, an SMTP CA file that
//! cannot apply).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use latchkey_authenticator::{CreateOptions, GetOptions};
use latchkey_test::helpers::TempDir;
use latchkey_test::helpers::set_cookie;
use latchkey_test::smtp::{SmtpSink, TlsMode};
use latchkey_test::{ADMIN_KEY, ORIGIN, PUBLIC_URL, TestApp, TestDb, assert_json, jwt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::helpers::{Process, base_env, run, stderr_of, with, without};

/// Starts a server in `cwd` with `env`, creates app `acme` unless it exists, signs someone up,
/// and returns the `Set-Cookie` of the session cookie and the access token's `iss`.
async fn issuer_and_cookie(
    db: &Arc<TestDb>,
    cwd: &Path,
    env: &[(String, String)],
    email: &str,
) -> (String, String) {
    let mut server = Process::start(&["serve"], cwd, env, &db.data_dir.join("server.log")).await;
    let t = TestApp::attach(db.clone(), &server.base);
    let exists = t.get_app("acme").await;
    let acme = if exists.status() == StatusCode::NOT_FOUND {
        t.new_app("acme", json!({})).await
    } else {
        t.for_app("acme", "")
    };
    let (response, _) = acme
        .registration(json!({"email": email}), &CreateOptions::new(ORIGIN))
        .await;
    let res = acme.finish_registration(&response).await;
    let cookie = set_cookie(&res, "latchkey_session").expect("session cookie");
    let body = assert_json(res, StatusCode::CREATED).await;
    let iss = jwt(body["access_token"].as_str().unwrap()).1["iss"]
        .as_str()
        .unwrap()
        .to_owned();
    server.kill().await;
    (cookie, iss)
}

#[tokio::test]
async fn latchkey_toml_sets_the_public_url_and_the_environment_wins() {
    let db = Arc::new(TestDb::new().await);
    let cwd = db.data_dir.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(
        cwd.join("latchkey.toml"),
        "public_url = \"https://auth.example.test\"\n",
    )
    .unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);

    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "ann@example.com").await;
    assert_eq!(iss, "https://auth.example.test/apps/acme");
    assert!(
        cookie.contains("; Secure"),
        "https public URL: Secure cookie: {cookie}"
    );

    let env = with(env, "LATCHKEY_PUBLIC_URL", "http://localhost:9090");
    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "bob@example.com").await;
    assert_eq!(iss, "http://localhost:9090/apps/acme");
    assert!(
        !cookie.contains("Secure"),
        "http public URL: no Secure: {cookie}"
    );
}

#[tokio::test]
async fn config_flag_names_the_file_and_a_missing_one_stops_the_start() {
    let db = TestDb::new().await;
    let file = db.data_dir.join("elsewhere.toml");
    std::fs::write(&file, "public_url = \"https://flag.example.test/\"\n").unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let mut server = Process::start(
        &["serve", "--config", file.to_str().unwrap()],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let data_dir = db.data_dir.clone();
    let t = TestApp::attach(db, &server.base);
    let signed = t
        .new_app("acme", json!({}))
        .await
        .sign_up("ann@example.com")
        .await;
    // The trailing slash of the configured URL does not double up in the issuer.
    assert_eq!(
        jwt(signed.access_token()).1["iss"],
        "https://flag.example.test/apps/acme"
    );
    server.kill().await;

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.args(["serve", "--config", "/nonexistent/latchkey.toml"])
        .env_clear()
        .current_dir(&data_dir)
        .kill_on_drop(true);
    for (k, v) in &env {
        cmd.env(k, v);
    }
    let out = run(cmd).await;
    assert!(!out.status.success());
    assert!(
        stderr_of(&out).contains("/nonexistent/latchkey.toml"),
        "{}",
        stderr_of(&out)
    );
}

/// The contract reads `latchkey.toml` from the working directory, not from its parents: a file
/// somewhere up the tree (another deployment's, a home directory's) must not configure this one.
#[tokio::test]
async fn latchkey_toml_in_a_parent_directory_is_not_read() {
    let db = Arc::new(TestDb::new().await);
    let parent = db.data_dir.join("parent");
    let cwd = parent.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    std::fs::write(
        parent.join("latchkey.toml"),
        "public_url = \"https://parent.example.test\"\n",
    )
    .unwrap();
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let (cookie, iss) = issuer_and_cookie(&db, &cwd, &env, "ann@example.com").await;
    assert_eq!(
        iss, "http://localhost:8080/apps/acme",
        "the default public URL"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");
}

/// Environment variables are strings: an admin key that happens to be all digits is still an
/// admin key, not a number the configuration refuses.
/// The connection settings read from the environment as numbers and names; a value that is not
/// one stops the start with a message naming it.
#[tokio::test]
async fn connection_settings_come_from_the_environment() {
    let db = TestDb::new().await;
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let env = with(env, "LATCHKEY_HEADER_TIMEOUT", "5");
    let env = with(env, "LATCHKEY_BODY_TIMEOUT", "7");
    let env = with(env, "LATCHKEY_MAX_CONNECTIONS_PER_IP", "64");
    let env = with(env, "LATCHKEY_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8");
    let env = with(env, "LATCHKEY_PROXY_HEADER", "Forwarded");
    let env = with(env, "LATCHKEY_WRITE_TIMEOUT", "20");
    let log = db.data_dir.join("server.log");
    let server = Process::start(&["serve"], &db.data_dir, &env, &log).await;
    let data_dir = db.data_dir.clone();
    let t = TestApp::attach(db, &server.base);
    let res = t.health().await;
    assert_eq!(res.status(), StatusCode::OK);
    drop(server);

    for (name, value) in [
        ("LATCHKEY_HEADER_TIMEOUT", "soon"),
        ("LATCHKEY_BODY_TIMEOUT", "0"),
        ("LATCHKEY_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("LATCHKEY_PROXY_HEADER", "x-real-ip"),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        cmd.arg("serve")
            .env_clear()
            .current_dir(&data_dir)
            .kill_on_drop(true);
        for (k, v) in with(env.clone(), name, value) {
            cmd.env(k, v);
        }
        let out = run(cmd).await;
        assert!(!out.status.success(), "{name}={value} started");
        let stderr = stderr_of(&out).to_lowercase();
        assert!(
            stderr.contains(&name.to_lowercase())
                || stderr.contains(&name["LATCHKEY_".len()..].to_lowercase()),
            "{name}: {stderr}"
        );
    }
}

#[tokio::test]
async fn environment_values_are_strings_even_when_they_look_like_numbers() {
    let db = TestDb::new().await;
    let digits = "20240101123456789";
    let env = with(base_env(&db), "LATCHKEY_ADMIN_KEY", digits);
    let log = db.data_dir.join("server.log");
    let server = Process::start(&["serve"], &db.data_dir, &env, &log).await;
    let t = TestApp::attach(db, &server.base);
    let res = t.with_admin_key(digits).list_apps("").await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn serve_dev_creates_the_demo_app_and_keeps_its_master_key() {
    let db = Arc::new(TestDb::new().await);
    // An empty data dir that does not exist yet; on SQLite the database is the default file
    // inside it.
    let data_dir = db.data_dir.join("fresh");
    let mut env = with(
        base_env(&db),
        "LATCHKEY_DATA_DIR",
        data_dir.to_str().unwrap(),
    );
    if !db.is_postgres() {
        env = without(env, "LATCHKEY_DATABASE_URL");
    }
    let env = with(env, "LATCHKEY_ADMIN_KEY", ADMIN_KEY);
    let log = db.data_dir.join("server.log");
    let origin = "http://localhost:8080";

    let mut server = Process::start(&["serve", "--dev"], &db.data_dir, &env, &log).await;
    let line = server.next_stdout_line().await;
    assert!(line.starts_with("demo app"), "{line}");
    let t = TestApp::attach(db.clone(), &server.base);
    let demo = t.for_app("demo", "").with_origin(origin);
    let config = assert_json(demo.without_origin().config().await, StatusCode::OK).await;
    assert_eq!(config["app_id"], "demo");
    assert_eq!(config["rp_id"], "localhost");
    let app: Value = t.get_app("demo").await.json().await.unwrap();
    assert_eq!(app["origins"], json!([origin]));
    if !db.is_postgres() {
        assert!(
            data_dir.join("latchkey.db").exists(),
            "the default SQLite file"
        );
    }
    let master_key = data_dir.join("master.key");
    let mode = std::fs::metadata(&master_key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let key_text = std::fs::read(&master_key).unwrap();

    // Someone signs up on the demo app from its origin.
    let created = assert_json(
        t.create_api_key("demo", json!({"name": "ops"})).await,
        StatusCode::CREATED,
    )
    .await;
    let demo = demo.with_api_key(created["secret"].as_str().unwrap());
    let mut signed = demo
        .sign_up_with("ann@example.com", CreateOptions::new(origin))
        .await;
    let access = signed.access_token().to_owned();
    server.kill().await;

    // A second start reuses the master key and the demo app; what the first start issued holds.
    let mut server = Process::start(&["serve", "--dev"], &db.data_dir, &env, &log).await;
    assert!(server.next_stdout_line().await.starts_with("demo app"));
    let demo = demo.at(&server.base);
    assert_eq!(
        std::fs::read(&master_key).unwrap(),
        key_text,
        "the master key file is unchanged"
    );
    let verified = demo.verify_token(&access).await;
    assert_eq!(verified["valid"], true, "{verified}");
    let res = demo
        .without_origin()
        .with_bearer(&access)
        .current_session()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Signing a new token needs the private key sealed under the first start's master key.
    let assertion = demo
        .assertion_with(&mut signed.credential, None, &GetOptions::new(origin))
        .await;
    let res = demo.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::OK);
    let apps: Value = demo.list_apps("").await.json().await.unwrap();
    assert_eq!(apps["items"].as_array().unwrap().len(), 1);
}

/// API.md: `serve --dev` "prints the URL of its login page" (`/apps/demo/login`).
#[tokio::test]
async fn serve_dev_prints_the_demo_login_page_url() {
    let db = TestDb::new().await;
    let env = without(base_env(&db), "LATCHKEY_PUBLIC_URL");
    let mut server = Process::start(
        &["serve", "--dev"],
        &db.data_dir,
        &env,
        &db.data_dir.join("server.log"),
    )
    .await;
    let line = server.next_stdout_line().await;
    assert!(
        line.contains("http://localhost:8080/apps/demo/login"),
        "{line}"
    );
}

// ---- An SMTP CA file that cannot apply stops the start ------------------------------------

/// Runs `latchkey serve` with these SMTP settings and expects it to refuse to start: returns
/// its standard error.
async fn refused_start(smtp_url: &str, ca_file: &Path) -> String {
    let db = TestDb::new().await;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LATCHKEY_LISTEN", "127.0.0.1:0")
        .env("LATCHKEY_PUBLIC_URL", PUBLIC_URL)
        .env("LATCHKEY_DATA_DIR", &db.data_dir)
        .env("LATCHKEY_DATABASE_URL", &db.url)
        .env("LATCHKEY_ADMIN_KEY", ADMIN_KEY)
        .env("LATCHKEY_SMTP_URL", smtp_url)
        .env("LATCHKEY_SMTP_CA_FILE", ca_file)
        .current_dir(&db.data_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("start latchkey");
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    // The server's first line on stdout says it listens; a refusal closes stdout without one.
    let first = tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
        .await
        .expect("latchkey neither started nor exited within 30 s")
        .unwrap();
    if let Some(line) = first {
        let _ = child.kill().await;
        panic!("latchkey started with SMTP {smtp_url} and CA file {ca_file:?}: {line}");
    }
    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("latchkey closed its stdout but did not exit")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !output.status.success() && output.status.code().is_some(),
        "latchkey {}: {stderr}",
        output.status
    );
    stderr
}

#[tokio::test]
async fn a_ca_file_with_a_plain_smtp_url_stops_the_server() {
    let sink = SmtpSink::start_tls(TlsMode::StartTls, None).await;
    let dir = TempDir::new();
    let ca_file = sink.write_ca(dir.path());
    // Plain SMTP: the CA could not apply, and silently ignoring it would hide the mistake.
    let stderr = refused_start(&format!("smtp://127.0.0.1:{}", sink.port()), &ca_file).await;
    assert!(stderr.contains("LATCHKEY_SMTP_CA_FILE"), "{stderr}");
    assert!(sink.commands().is_empty());
}

#[tokio::test]
async fn a_missing_or_malformed_ca_file_stops_the_server() {
    let sink = SmtpSink::start_tls(TlsMode::Implicit, None).await;
    let dir = TempDir::new();
    let missing = dir.path().join("no-such-ca.pem");
    let stderr = refused_start(&sink.url(), &missing).await;
    assert!(stderr.contains("LATCHKEY_SMTP_CA_FILE"), "{stderr}");
    assert!(stderr.contains("no-such-ca.pem"), "{stderr}");

    // A CERTIFICATE block that is not base64.
    let malformed = dir.path().join("malformed.pem");
    std::fs::write(
        &malformed,
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let stderr = refused_start(&sink.url(), &malformed).await;
    assert!(stderr.contains("LATCHKEY_SMTP_CA_FILE"), "{stderr}");
    assert!(stderr.contains("malformed.pem"), "{stderr}");
    assert!(sink.commands().is_empty());
}

#[tokio::test]
async fn a_ca_file_without_a_certificate_stops_the_server() {
    let sink = SmtpSink::start_tls(TlsMode::Implicit, None).await;
    let dir = TempDir::new();
    for (name, content) in [
        ("empty.pem", ""),
        ("text.pem", "hello\n"),
        // The wrong file: a key, not a certificate.
        (
            "key.pem",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        ),
        // Base64, but not a certificate inside.
        (
            "not-der.pem",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let stderr = refused_start(&sink.url(), &path).await;
        assert!(stderr.contains("LATCHKEY_SMTP_CA_FILE"), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}
