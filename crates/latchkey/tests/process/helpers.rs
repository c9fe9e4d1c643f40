//! `latchkey` processes for the tests of this suite: `serve` with the suite's settings or with
//! an environment of the test's choosing, and the CLI's one-shot commands. Every process gets a
//! cleared environment (nothing of the test runner's leaks in), logs to a file in its data dir,
//! and is killed when its handle drops.

use std::path::Path;
use std::process::{ExitStatus, Output, Stdio};
use std::time::Duration;

use latchkey_test::{ADMIN_KEY, PUBLIC_URL, TestApp, TestDb};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// How long a process may take to print its address, or a command to finish.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `latchkey` process.
pub struct Process {
    child: Child,
    /// Where it listens: `http://127.0.0.1:PORT`, from its first line on stdout.
    pub base: String,
    /// Lines printed on stdout after the first.
    stdout: mpsc::UnboundedReceiver<String>,
}

impl Process {
    /// `latchkey serve` on `db` as the in-process servers are set up: port 0, [`PUBLIC_URL`],
    /// the suite's admin key, a master key generated into the data dir.
    pub async fn serve(db: &TestDb) -> Self {
        Self::try_serve(db)
            .await
            .unwrap_or_else(|log| panic!("latchkey exited at start:\n{log}"))
    }

    /// [`Self::serve`], or the process's log if it exits before listening.
    pub async fn try_serve(db: &TestDb) -> Result<Self, String> {
        Self::try_serve_with(db, &[]).await
    }

    /// [`Self::serve`] with these variables besides the suite's.
    pub async fn serve_with(db: &TestDb, vars: &[(&str, &str)]) -> Self {
        Self::try_serve_with(db, vars)
            .await
            .unwrap_or_else(|log| panic!("latchkey exited at start:\n{log}"))
    }

    async fn try_serve_with(db: &TestDb, vars: &[(&str, &str)]) -> Result<Self, String> {
        let mut env = with(
            with(base_env(db), "LATCHKEY_PUBLIC_URL", PUBLIC_URL),
            "LATCHKEY_ADMIN_KEY",
            ADMIN_KEY,
        );
        for (key, value) in vars {
            env = with(env, key, value);
        }
        Self::try_start(
            &["serve"],
            &db.data_dir,
            &env,
            &db.data_dir.join("server.log"),
        )
        .await
    }

    /// `latchkey ARGS` in `cwd` with exactly `env`, stderr appended to `log`; returns once it
    /// prints `latchkey listening on …` (and fails the test if it exits first).
    pub async fn start(args: &[&str], cwd: &Path, env: &[(String, String)], log: &Path) -> Self {
        Self::try_start(args, cwd, env, log)
            .await
            .unwrap_or_else(|log| panic!("latchkey exited at start:\n{log}"))
    }

    /// [`Self::start`], or the process's log if it exits before listening.
    pub async fn try_start(
        args: &[&str],
        cwd: &Path,
        env: &[(String, String)],
        log: &Path,
    ) -> Result<Self, String> {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
        cmd.args(args)
            .env_clear()
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start latchkey");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(START_TIMEOUT, lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("latchkey did not start; see {}", log.display()))
            .unwrap();
        let Some(first) = first else {
            let _ = child.wait().await;
            return Err(std::fs::read_to_string(log).unwrap_or_default());
        };
        let base = first
            .strip_prefix("latchkey listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let _ = tx.send(line);
            }
        });
        Ok(Self {
            child,
            base,
            stdout: rx,
        })
    }

    /// The next line the process prints on stdout.
    pub async fn next_stdout_line(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(10), self.stdout.recv())
            .await
            .expect("another line on stdout")
            .expect("stdout still open")
    }

    /// Ends the process with SIGKILL: nothing gets a chance to flush.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }

    /// Sends SIGTERM and waits for the exit status.
    pub async fn terminate(&mut self) -> ExitStatus {
        let pid = self.child.id().expect("running");
        let _ = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status();
        tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("exits after SIGTERM")
            .expect("wait")
    }
}

/// A `latchkey serve` process on a fresh database, and a `TestApp` for it with app `acme` (the
/// process suite's `TestApp::spawn`).
pub async fn spawn() -> (TestApp, Process) {
    spawn_with(&[]).await
}

/// [`spawn`] with these variables besides the suite's.
pub async fn spawn_with(vars: &[(&str, &str)]) -> (TestApp, Process) {
    let db = TestDb::new().await;
    let server = Process::serve_with(&db, vars).await;
    let t = TestApp::attach(db, &server.base)
        .new_app("acme", json!({}))
        .await;
    (t, server)
}

/// The environment every process of this suite starts from: nothing of the test runner's,
/// only PATH, a free port, logging, and the test database.
pub fn base_env(db: &TestDb) -> Vec<(String, String)> {
    vec![
        ("PATH".to_owned(), std::env::var("PATH").unwrap_or_default()),
        ("LATCHKEY_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "LATCHKEY_DATA_DIR".to_owned(),
            db.data_dir.display().to_string(),
        ),
        ("LATCHKEY_DATABASE_URL".to_owned(), db.url.clone()),
        ("RUST_LOG".to_owned(), "info,sqlx=warn".to_owned()),
    ]
}

/// `env` with `key` set to `value`.
pub fn with(mut env: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != key);
    env.push((key.to_owned(), value.to_owned()));
    env
}

/// `env` without `key`.
pub fn without(mut env: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != key);
    env
}

/// Runs the `latchkey` CLI on the test database and waits for it.
pub async fn cli(db: &TestDb, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LATCHKEY_DATA_DIR", &db.data_dir)
        .env("LATCHKEY_DATABASE_URL", &db.url)
        .current_dir(&db.data_dir)
        .kill_on_drop(true);
    run(cmd).await
}

/// Runs `cmd` to its end (within a minute) and returns what it printed.
pub async fn run(mut cmd: Command) -> Output {
    tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("the command finishes")
        .expect("run the command")
}

pub fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
