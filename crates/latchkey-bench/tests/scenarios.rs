//! Every scenario runs end to end against a spawned debug server: it exits 0, completes
//! operations, and counts no errors. Nothing here is timed: performance is measured by running
//! `latchkey-bench`, never asserted by tests.
//!
//! The server binary is built once per test run with `cargo build -p latchkey` (this crate cannot
//! depend on another package's binary) into the same target directory as this test.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// `target/<profile>/latchkey`, built on first use.
fn server_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        // This test runs from `target/<profile>/deps/`.
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/<profile>")
            .to_owned();
        let target_dir = profile_dir.parent().expect("target dir").to_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "latchkey", "--bin", "latchkey"])
            .arg("--target-dir")
            .arg(&target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let binary = profile_dir.join(format!("latchkey{}", std::env::consts::EXE_SUFFIX));
        let out = cmd.output().expect("run cargo build -p latchkey");
        assert!(
            out.status.success() || binary.exists(),
            "cargo build -p latchkey failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            eprintln!(
                "warning: cargo build -p latchkey failed; testing the existing {}",
                binary.display()
            );
        }
        binary
    })
}

/// Runs one scenario briefly against its own spawned server and returns the JSON result.
fn run(scenario: &str) -> Value {
    let out = std::env::temp_dir().join(format!(
        "latchkey-bench-test-{scenario}-{}.json",
        std::process::id()
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_latchkey-bench"))
        .arg(scenario)
        .args([
            "--spawn",
            "--duration",
            "1",
            "--concurrency",
            "4",
            "--users",
            "20",
        ])
        .arg("--server-bin")
        .arg(server_binary())
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run latchkey-bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{scenario}: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let result: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    assert_eq!(result["scenario"], scenario);
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

#[test]
fn signup() {
    let result = run("signup");
    assert!(result["operations"]["signup"]["ok"].as_u64().unwrap() >= 1);
}

#[test]
fn signin() {
    let result = run("signin");
    assert!(result["operations"]["signin"]["ok"].as_u64().unwrap() >= 1);
}

#[test]
fn verify() {
    let result = run("verify");
    assert!(result["operations"]["verify"]["ok"].as_u64().unwrap() >= 1);
}

#[test]
fn refresh() {
    let result = run("refresh");
    assert!(result["operations"]["refresh"]["ok"].as_u64().unwrap() >= 1);
}

#[test]
fn mixed() {
    let result = run("mixed");
    // In one second with four workers the schedule always reaches verifications.
    assert!(result["operations"]["verify"]["ok"].as_u64().unwrap() >= 1);
}
