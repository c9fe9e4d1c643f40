//! Every scenario runs end to end: the real `latchkey-bench` binary against an in-process
//! server of its own (`latchkey_test::TestApp`, on SQLite, or on PostgreSQL when
//! `LATCHKEY_TEST_DATABASE_URL` is set), given by `--base-url` with the suite's `--admin-key`
//! to make its app and API key. It exits 0, completes operations, and counts no errors.
//! Nothing here is timed: performance is measured by running `latchkey-bench`, never asserted
//! by tests.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use latchkey_test::{ADMIN_KEY, TestApp};
use serde_json::Value;

/// Runs one scenario briefly against a fresh in-process server and returns the JSON result.
async fn run(scenario: &str) -> Value {
    let t = TestApp::spawn().await;
    let out =
        t.db.data_dir
            .join(format!("latchkey-bench-{scenario}.json"));
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_latchkey-bench"))
        .arg(scenario)
        .args(["--duration", "1", "--concurrency", "4", "--users", "20"])
        .arg("--base-url")
        .arg(&t.base)
        .arg("--admin-key")
        .arg(ADMIN_KEY)
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
