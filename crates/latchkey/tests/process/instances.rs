//! Several instances on one PostgreSQL database, as behind a load balancer: each finishes
//! ceremonies the other began and honours its tokens, racing instances finish each ceremony and
//! token exactly once, and replicas started at the same moment on a fresh database all come up.
//! A SQLite file is served by one process: a second server on it is refused with a clear
//! message, and racing requests meet in the one server instead.

use std::time::{Duration, Instant};

use latchkey_authenticator::CreateOptions;
use latchkey_test::{ADMIN_KEY, ORIGIN, TestApp, TestDb, assert_json, jwt};
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::Row;

use crate::helpers::{Process, base_env, spawn, with};

/// A second instance on `a`'s database and its view, on PostgreSQL; on SQLite, served by one
/// process, `a` itself.
async fn second_instance(a: &TestApp) -> (TestApp, Option<Process>) {
    if a.db.is_postgres() {
        let server = Process::serve(&a.db).await;
        (a.at(&server.base), Some(server))
    } else {
        (a.clone(), None)
    }
}

/// What a second server on a SQLite file says as it exits.
const ALREADY_SERVED: &str = "another Latchkey server is serving this SQLite database";

#[tokio::test]
async fn two_instances_on_one_database_finish_each_others_ceremonies() {
    let (a, _server_a) = spawn().await;
    if !a.db.is_postgres() {
        // One process owns a SQLite file (its ceremonies wait in that process's memory): a
        // second server is refused before it listens, and the first goes on serving.
        let log = Process::try_serve(&a.db).await.err().expect("refused");
        assert!(log.contains(ALREADY_SERVED), "{log}");
        assert_eq!(a.ready().await.status(), StatusCode::OK);
        a.sign_up("ann@example.com").await;
        // Readers run beside the writer through the write-ahead log.
        let mut conn = a.db.connect().await;
        let mode: String = sqlx::query("pragma journal_mode")
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        assert_eq!(mode, "wal");
        return;
    }
    let server_b = Process::serve(&a.db).await;
    let b = a.at(&server_b.base);

    // Registration options from A, verified at B.
    let (response, mut credential) = a
        .registration(
            json!({"email": "ann@example.com"}),
            &CreateOptions::new(ORIGIN),
        )
        .await;
    let res = b.finish_registration(&response).await;
    let signed_up = assert_json(res, StatusCode::CREATED).await;

    // Authentication options from B, verified at A.
    let assertion = b.assertion(&mut credential, None).await;
    let res = a.finish_authentication(&assertion).await;
    let at_a = assert_json(res, StatusCode::OK).await;
    assert_eq!(at_a["user"]["id"], signed_up["user"]["id"]);
    // The challenge was used at A: B refuses it too.
    let res = b.finish_authentication(&assertion).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // A token issued by A is good at B, by the server API and as a bearer token.
    let access = at_a["access_token"].as_str().unwrap();
    let verified = b.verify_token(access).await;
    assert_eq!(verified["valid"], true, "{verified}");
    assert_eq!(verified["session_id"], at_a["session"]["id"]);
    let res = b.with_bearer(access).current_session().await;
    assert_eq!(
        assert_json(res, StatusCode::OK).await["session"]["id"],
        at_a["session"]["id"]
    );
    // An auth token from A is redeemed once, at B; A then refuses it.
    let auth_token = at_a["auth_token"].as_str().unwrap();
    assert_eq!(b.verify_token(auth_token).await["valid"], true);
    assert_eq!(a.verify_token(auth_token).await["valid"], false);

    // A refresh token rotated at A and presented again at B within the reuse grace: B hands
    // over the tokens A did (they are derived, not stored), and the session goes on. (Reuse
    // after the grace revoking the session is shown in the api suite, which moves the clock.)
    let old_refresh = at_a["refresh_token"].as_str().unwrap();
    let rotated = assert_json(a.refresh(old_refresh).await, StatusCode::OK).await;
    let again = assert_json(b.refresh(old_refresh).await, StatusCode::OK).await;
    assert_eq!(again["refresh_token"], rotated["refresh_token"]);
    assert_eq!(again["auth_token"], rotated["auth_token"]);
    let res = a.refresh(rotated["refresh_token"].as_str().unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);

    // A rotates the app's signing key; B, which cached the old key set, still verifies the new
    // key's tokens.
    let res = a.patch_app("acme", json!({"signing_alg": "EdDSA"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = a.sign_in(&mut credential, None).await;
    let eddsa = assert_json(res, StatusCode::OK).await;
    let token = eddsa["access_token"].as_str().unwrap();
    assert_eq!(jwt(token).0["alg"], "EdDSA");
    assert_eq!(b.verify_token(token).await["valid"], true);
    let res = b.with_bearer(token).current_session().await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn racing_instances_finish_each_ceremony_and_token_exactly_once() {
    let (a, _server_a) = spawn().await;
    // On SQLite the race is between two requests to its one server.
    let (b, _server_b) = second_instance(&a).await;

    // One registration response, sent to both at once: one account.
    let (response, mut credential) = a
        .registration(
            json!({"email": "ann@example.com"}),
            &CreateOptions::new(ORIGIN),
        )
        .await;
    let (x, y) = tokio::join!(
        a.finish_registration(&response),
        b.finish_registration(&response)
    );
    let mut statuses = [x.status(), y.status()];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::CREATED, "{statuses:?}");
    assert!(statuses[1].is_client_error(), "{statuses:?}");
    assert_eq!(a.db.count("users").await, 1);
    assert_eq!(a.db.count("passkeys").await, 1);

    // One assertion, sent to both at once: one sign-in.
    let assertion = a.assertion(&mut credential, None).await;
    let sessions_before = a.db.count("sessions").await;
    let (x, y) = tokio::join!(
        a.finish_authentication(&assertion),
        b.finish_authentication(&assertion)
    );
    let mut statuses = [x.status(), y.status()];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::OK, "{statuses:?}");
    assert!(statuses[1].is_client_error(), "{statuses:?}");
    assert_eq!(a.db.count("sessions").await, sessions_before + 1);

    // One auth token, redeemed at both at once: valid once.
    let res = a.sign_in(&mut credential, None).await;
    let body = assert_json(res, StatusCode::OK).await;
    let auth_token = body["auth_token"].as_str().unwrap();
    let (x, y) = tokio::join!(a.verify_token(auth_token), b.verify_token(auth_token));
    assert_eq!(
        [x["valid"].clone(), y["valid"].clone()]
            .iter()
            .filter(|v| **v == json!(true))
            .count(),
        1,
        "{x} {y}"
    );

    // One refresh token, presented at both at once (two tabs, two instances): one rotation,
    // and both get its tokens, whichever instance answered; the session goes on.
    let refresh = body["refresh_token"].as_str().unwrap();
    let (x, y) = tokio::join!(a.refresh(refresh), b.refresh(refresh));
    let x = assert_json(x, StatusCode::OK).await;
    let y = assert_json(y, StatusCode::OK).await;
    assert_eq!(x["refresh_token"], y["refresh_token"]);
    assert_eq!(x["auth_token"], y["auth_token"]);
    let res = b
        .with_bearer(x["access_token"].as_str().unwrap())
        .current_session()
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = a.refresh(x["refresh_token"].as_str().unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// Starts three servers at the same moment on `db`, each with its own log: each one that came
/// up, or its log.
async fn start_three_together(
    db: &TestDb,
    env: &[(String, String)],
    round: usize,
) -> [Result<Process, String>; 3] {
    let log = |i: usize| db.data_dir.join(format!("server-{round}-{i}.log"));
    let (l0, l1, l2) = (log(0), log(1), log(2));
    let (p0, p1, p2) = tokio::join!(
        Process::try_start(&["serve"], &db.data_dir, env, &l0),
        Process::try_start(&["serve"], &db.data_dir, env, &l1),
        Process::try_start(&["serve"], &db.data_dir, env, &l2)
    );
    [p0, p1, p2]
}

/// Replicas of a deployment start at once; on a fresh database each runs the migrations at
/// start-up. None may fail because another got there first. On SQLite exactly one of them
/// serves the file and the others say why they stop; none fails on the migrations.
#[tokio::test]
async fn instances_started_together_on_a_fresh_database_all_come_up() {
    for round in 0..5 {
        let db = TestDb::new().await;
        let env = with(
            with(base_env(&db), "LATCHKEY_ADMIN_KEY", ADMIN_KEY),
            "LATCHKEY_MASTER_KEY",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        );
        let started = start_three_together(&db, &env, round).await;
        let postgres = db.is_postgres();
        let mut servers = Vec::new();
        for outcome in started {
            match outcome {
                Ok(server) => servers.push(server),
                Err(log) => assert!(!postgres && log.contains(ALREADY_SERVED), "{log}"),
            }
        }
        assert_eq!(servers.len(), if postgres { 3 } else { 1 });
        let t = TestApp::attach(db, &servers[0].base);
        for s in &servers {
            let res = t.at(&s.base).ready().await;
            assert_eq!(res.status(), StatusCode::OK);
        }
        let acme = t.new_app("acme", json!({})).await;
        acme.at(&servers[servers.len() - 1].base)
            .sign_up("ann@example.com")
            .await;
        // The servers stop before their database goes.
        drop(servers);
    }
}

/// Rate limits hold across instances and restarts: each instance counts in memory and shares
/// its counts through the store every second (and once more as it stops), so a client that used
/// its budget at one instance is refused at another moments later, and by a restarted server.
#[tokio::test]
async fn rate_limits_hold_across_instances_and_restarts() {
    let db = TestDb::new().await;
    let env = with(
        with(
            with(
                base_env(&db),
                "LATCHKEY_PUBLIC_URL",
                latchkey_test::PUBLIC_URL,
            ),
            "LATCHKEY_ADMIN_KEY",
            ADMIN_KEY,
        ),
        "LATCHKEY_RATE_LIMITS",
        "sign_ups=2/3600",
    );
    let log = db.data_dir.join("server.log");
    let mut first = Process::start(&["serve"], &db.data_dir, &env, &log).await;
    let a = TestApp::attach(db, &first.base)
        .new_app("acme", json!({}))
        .await;
    a.sign_up("ann@example.com").await;
    a.sign_up("bob@example.com").await;
    let carol = json!({"email": "carol@example.com"});
    let res = a.register_options(carol.clone()).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);

    if a.db.is_postgres() {
        // A second instance learns of the count within a sync or two.
        let second = Process::start(&["serve"], &a.db.data_dir, &env, &log).await;
        let b = a.at(&second.base);
        let mut refused = false;
        for _ in 0..30 {
            let res = b.register_options(carol.clone()).await;
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                refused = true;
                break;
            }
            assert_eq!(res.status(), StatusCode::OK);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(
            refused,
            "the second instance never saw the first one's count"
        );
        // It let through at most what one sync interval allows: the one it counted before
        // learning, if any.
        assert!(a.db.count("users").await <= 2);
    }

    // A restarted server remembers the count.
    assert!(first.terminate().await.success());
    let restarted = Process::start(&["serve"], &a.db.data_dir, &env, &log).await;
    let res = a.at(&restarted.base).register_options(carol).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_domain_given_at_one_instance_is_served_by_the_other_within_seconds() {
    let (a, _server_a) = spawn().await;
    // On SQLite the one server both changes the app and serves the domain.
    let (b, _server_b) = second_instance(&a).await;
    let at_b = b.on_host("login.example.com");
    // B has looked already: the host is nobody's.
    let res = at_b.request(Method::GET, "/config").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res = a
        .patch_app("acme", json!({"domain": "login.example.com"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // B reads the domains again at most a few seconds after it last did.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let res = at_b.request(Method::GET, "/config").send().await.unwrap();
        if res.status() == StatusCode::OK {
            assert_eq!(assert_json(res, StatusCode::OK).await["app_id"], "acme");
            break;
        }
        assert!(Instant::now() < deadline, "B never served the domain");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
