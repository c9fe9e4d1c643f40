//! Every scenario runs end to end: the real `latchkey-bench` binary against an in-process
//! server of its own (`latchkey_test::TestApp`, on SQLite, or on PostgreSQL when
//! `LATCHKEY_TEST_DATABASE_URL` is set), given by `--base-url` with the suite's `--admin-key`
//! to make its app and API key. It exits 0, completes operations, and counts no errors.
//! Nothing here is timed: performance is measured by running `latchkey-bench`, never asserted
//! by tests.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::collections::BTreeSet;

use latchkey_test::{ADMIN_KEY, PUBLIC_URL, TestApp};
use serde_json::Value;

/// The rate limits `latchkey-bench --spawn` gives its server (`BENCH_RATE_LIMITS`): the load
/// comes from one address, so per-client limits are far above it, the per-address email limit
/// as it is.
const BENCH_RATE_LIMITS: &str = "*=1000000000/60,email_address=1/30+5/3600";

/// Runs one scenario briefly against a fresh in-process server and returns the JSON result.
async fn run(scenario: &str) -> Value {
    let t =
        TestApp::spawn_with(|config| config.rate_limits = Some(BENCH_RATE_LIMITS.to_owned())).await;
    run_against(&t, scenario, &["--admin-key", ADMIN_KEY]).await
}

/// Runs one scenario briefly against `t`'s server with `args` added, and returns the JSON
/// result.
async fn run_against(t: &TestApp, scenario: &str, args: &[&str]) -> Value {
    let out =
        t.db.data_dir
            .join(format!("latchkey-bench-{scenario}.json"));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_latchkey-bench"))
        .arg(scenario)
        .args(["--duration", "1", "--concurrency", "4", "--users", "20"])
        .arg("--base-url")
        .arg(&t.base)
        .args(args)
        // The server runs inside this test process, so its memory and CPU are this process's
        // (the load generator, a child of it, is counted in too).
        .arg("--server-pid")
        .arg(std::process::id().to_string())
        .arg("--out")
        .arg(&out)
        .kill_on_drop(true)
        .output()
        .await
        .expect("run latchkey-bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{scenario}: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let result: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(result["scenario"], scenario);
    assert_eq!(result["base_url"], t.base.as_str());
    assert_eq!(result["errors"], 0, "{scenario} counted errors:\n{stdout}");
    assert_eq!(result["error_counts"], Value::Array(vec![]), "{stdout}");
    assert!(
        result["ok"].as_u64().unwrap() >= 1,
        "{scenario} completed nothing:\n{stdout}"
    );
    assert!(
        result["server"]["vm_hwm_kib"].as_u64().unwrap() > 0,
        "{result}"
    );
    result
}

#[tokio::test]
async fn signup() {
    let result = run("signup").await;
    assert!(result["operations"]["signup"]["ok"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn signin() {
    let result = run("signin").await;
    assert!(result["operations"]["signin"]["ok"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn verify() {
    let result = run("verify").await;
    assert!(result["operations"]["verify"]["ok"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn refresh() {
    let result = run("refresh").await;
    assert!(result["operations"]["refresh"]["ok"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn mixed() {
    let result = run("mixed").await;
    // In one second with four workers the schedule always reaches verifications.
    assert!(result["operations"]["verify"]["ok"].as_u64().unwrap() >= 1);
}

/// The OpenID Provider's code flow for signed-in users: the generator makes its app on the suite
/// server's public URL (rp_id `localhost`) and a confidential client of it; each operation is an
/// authorization with the session cookie, a code exchange and userinfo.
#[tokio::test]
async fn oidc() {
    let result = run("oidc").await;
    assert!(result["operations"]["oidc"]["ok"].as_u64().unwrap() >= 1);
    let oidc = &result["oidc"];
    let app = result["app"].as_str().unwrap();
    assert_eq!(
        oidc["issuer"],
        format!("{PUBLIC_URL}/apps/{app}"),
        "{result}"
    );
    assert_eq!(oidc["users"], 20, "{result}");
    assert_eq!(oidc["access_tokens"], 0, "{result}");
}

/// Introspection of access tokens from code flows made in the setup, one per user, as their
/// client.
#[tokio::test]
async fn introspect() {
    let result = run("introspect").await;
    assert!(result["operations"]["introspect"]["ok"].as_u64().unwrap() >= 1);
    assert_eq!(result["oidc"]["access_tokens"], 20, "{result}");
}

/// Email-code sign-ins: the in-process server delivers through SMTP to the generator's sink, on
/// a port reserved here (the server's SMTP URL is fixed when it starts, before the generator
/// does), for the suite's app `acme` and its API key. Every operation is a real sign-in from its
/// own source address, and every email reached a waiting worker.
#[tokio::test]
async fn email() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = TestApp::spawn_with(|config| {
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        config.rate_limits = Some(BENCH_RATE_LIMITS.to_owned());
    })
    .await;
    let listen = format!("127.0.0.1:{port}");
    let result = run_against(
        &t,
        "email",
        &[
            "--smtp-listen",
            &listen,
            "--app",
            &t.app,
            "--api-key",
            &t.api_key,
        ],
    )
    .await;
    let ok = result["operations"]["email"]["ok"].as_u64().unwrap();
    // Twenty users, each signed in at most once per 32 s: a one-second run cannot use one twice.
    assert!((1..=20).contains(&ok), "{result}");
    let email = &result["email"];
    assert_eq!(email["users"], 20, "{result}");
    assert_eq!(email["emails_received"], ok, "{result}");
    assert_eq!(email["emails_unexpected"], 0, "{result}");
    let steps = &result["operations"]["email"]["steps_latency_ms"];
    for step in ["request", "delivery", "redeem"] {
        assert!(steps[step]["max"].as_f64().unwrap() > 0.0, "{result}");
    }

    // The server saw each sign-in by email code come from its own loopback address.
    let signed_in: Vec<Value> = t
        .events("sign_in.succeeded")
        .await
        .into_iter()
        .filter(|e| e["data"]["method"] == "email_otp")
        .collect();
    let ips: BTreeSet<&str> = signed_in
        .iter()
        .map(|e| e["ip"].as_str().unwrap())
        .collect();
    assert_eq!(signed_in.len() as u64, ok, "{signed_in:?}");
    assert_eq!(ips.len() as u64, ok, "{ips:?}");
    assert!(ips.iter().all(|ip| ip.starts_with("127.1.")), "{ips:?}");
}
