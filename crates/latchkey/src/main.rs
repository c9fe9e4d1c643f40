//! The `latchkey` command: the server and the operator's scripts.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use latchkey::auth::apps::NewApp;
use latchkey::config::Config;
use latchkey::server;

#[derive(Parser)]
#[command(
    name = "latchkey",
    version,
    about = "Self-hosted, passkey-first authentication server"
)]
struct Cli {
    /// Configuration file (default: latchkey.toml in the working directory, if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the server.
    Serve {
        /// Development mode: creates the `demo` app for the public URL if it is missing.
        #[arg(long)]
        dev: bool,
    },
    /// Applies database migrations and exits.
    Migrate,
    /// Manages apps.
    Apps {
        #[command(subcommand)]
        command: AppsCommand,
    },
    /// Manages an app's API keys.
    ApiKeys {
        #[command(subcommand)]
        command: ApiKeysCommand,
    },
    /// Manages instance admin keys.
    AdminKey {
        #[command(subcommand)]
        command: AdminKeyCommand,
    },
}

#[derive(Subcommand)]
enum AppsCommand {
    /// Creates an app.
    Create {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        rp_id: String,
        #[arg(long)]
        rp_name: Option<String>,
        /// An allowed web origin (repeatable), e.g. https://example.com
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
        /// An allowed post-sign-in redirect URI (repeatable).
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
    },
    /// Lists apps, one per line: id, name, rp_id.
    List,
}

#[derive(Subcommand)]
enum ApiKeysCommand {
    /// Creates an API key for an app and prints its secret.
    Create {
        #[arg(long)]
        app: String,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminKeyCommand {
    /// Creates an admin key and prints its secret.
    Create,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let json = std::env::var("LATCHKEY_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging();
    let config = Config::load(cli.config.as_deref()).context("invalid configuration")?;
    match cli.command {
        Command::Serve { dev } => {
            let listen = config.listen.clone();
            let state = server::build_state(config).await?;
            let serving = server::hold_for_serving(&state).await?;
            if dev {
                server::ensure_demo_app(&state).await?;
            }
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let addr = listener.local_addr()?;
            let public = state.config.public_base().to_owned();
            tracing::info!(%addr, %public, "latchkey listening");
            let mut out = std::io::stdout().lock();
            writeln!(out, "latchkey listening on http://{addr}")?;
            if dev {
                writeln!(out, "demo app login page: {public}/apps/demo/login")?;
            }
            out.flush()?;
            drop(out);
            server::serve(listener, state, serving, server::shutdown_signal()).await?;
        }
        Command::Migrate => {
            server::build_state(config).await?;
            eprintln!("migrations applied");
        }
        Command::Apps { command } => {
            let state = server::build_state(config).await?;
            match command {
                AppsCommand::Create {
                    id,
                    name,
                    rp_id,
                    rp_name,
                    origins,
                    redirect_uris,
                } => {
                    let mut new = NewApp::new(id, name, rp_id, origins);
                    new.settings.rp_name = rp_name;
                    new.settings.redirect_uris = Some(redirect_uris);
                    let app = state
                        .auth
                        .apps()
                        .create(new)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{}", app.id);
                }
                AppsCommand::List => {
                    let mut cursor: Option<String> = None;
                    loop {
                        let apps = state
                            .auth
                            .apps()
                            .list(cursor.as_deref(), 200)
                            .await
                            .map_err(|e| anyhow::anyhow!("{e}"))?;
                        for app in &apps {
                            println!("{}\t{}\t{}", app.id, app.name, app.rp_id);
                        }
                        match apps.last() {
                            Some(last) if apps.len() == 200 => cursor = Some(last.id.to_string()),
                            _ => break,
                        }
                    }
                }
            }
        }
        Command::ApiKeys {
            command: ApiKeysCommand::Create { app, name },
        } => {
            let state = server::build_state(config).await?;
            let created = state
                .auth
                .api_keys()
                .create(&app, name, &Default::default())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", created.secret.expose());
        }
        Command::AdminKey {
            command: AdminKeyCommand::Create,
        } => {
            let state = server::build_state(config).await?;
            let created = state
                .auth
                .api_keys()
                .create_admin_key()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", created.secret.expose());
        }
    }
    Ok(())
}
