//! The CLI: `migrate`, `apps create|list`, `api-keys create`, `admin-key create`, their refusals,
//! and a server that accepts what the CLI made.

use latchkey_test::{ADMIN_KEY, PUBLIC_URL, TestApp, TestDb, assert_json, assert_problem};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Process, base_env, cli, stderr_of, stdout_of, with};

#[tokio::test]
async fn cli_creates_apps_and_keys_that_a_server_accepts() {
    let db = TestDb::new().await;
    let out = cli(&db, &["migrate"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(db.count("apps").await, 0);

    let create = [
        "apps",
        "create",
        "--id",
        "cli-app",
        "--name",
        "CLI",
        "--rp-id",
        "example.com",
        "--origin",
        "https://example.com",
        "--redirect-uri",
        "https://example.com/cb",
    ];
    let out = cli(&db, &create).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = cli(&db, &create).await;
    assert!(
        !out.status.success(),
        "a second app with the same id is refused"
    );
    assert!(
        stderr_of(&out).contains("already exists"),
        "{}",
        stderr_of(&out)
    );

    let out = cli(&db, &["apps", "list"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let listed = stdout_of(&out);
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("cli-app")).count(),
        1,
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 1, "{listed}");

    let out = cli(&db, &["api-keys", "create", "--app", "cli-app"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the secret alone: {stdout:?}");
    let api_key = lines[0].to_owned();
    assert!(api_key.starts_with("lk_sk_"), "{api_key}");

    let out = cli(&db, &["admin-key", "create"]).await;
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the secret alone: {stdout:?}");
    let admin_key = lines[0].to_owned();
    assert!(admin_key.starts_with("lk_admin_"), "{admin_key}");

    // Refusals: non-zero, a reason on stderr, nothing on stdout, nothing stored.
    let out = cli(
        &db,
        &[
            "apps",
            "create",
            "--id",
            "A!",
            "--name",
            "Bad",
            "--rp-id",
            "example.com",
            "--origin",
            "https://example.com",
        ],
    )
    .await;
    assert!(!out.status.success());
    assert!(stdout_of(&out).is_empty(), "{}", stdout_of(&out));
    assert!(stderr_of(&out).contains("id must"), "{}", stderr_of(&out));
    let out = cli(&db, &["api-keys", "create", "--app", "missing"]).await;
    assert!(!out.status.success());
    assert!(
        stdout_of(&out).is_empty(),
        "no secret for a missing app: {}",
        stdout_of(&out)
    );
    assert!(stderr_of(&out).contains("missing"), "{}", stderr_of(&out));
    assert_eq!(db.count("apps").await, 1);

    // A server with no LATCHKEY_ADMIN_KEY accepts the CLI's keys (and not the suite's key).
    let env = with(base_env(&db), "LATCHKEY_PUBLIC_URL", PUBLIC_URL);
    let log = db.data_dir.join("server.log");
    let server = Process::start(&["serve"], &db.data_dir, &env, &log).await;
    let t = TestApp::attach(db, &server.base);
    let apps = assert_json(
        t.with_admin_key(&admin_key).list_apps("").await,
        StatusCode::OK,
    )
    .await;
    let app = &apps["items"][0];
    assert_eq!(app["id"], "cli-app");
    assert_eq!(app["rp_id"], "example.com");
    assert_eq!(app["origins"], json!(["https://example.com"]));
    assert_eq!(app["redirect_uris"], json!(["https://example.com/cb"]));
    let res = t.with_admin_key(ADMIN_KEY).list_apps("").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = t.for_app("cli-app", &api_key).list_users("").await;
    assert_eq!(assert_json(res, StatusCode::OK).await["items"], json!([]));
    let res = t.with_admin_key(&api_key).list_apps("").await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The server stops before its database goes.
    drop(server);
}
