//! Outgoing email: rendering the per-app templates, and delivery through SMTP (`lettre`) or,
//! without SMTP, into `.eml` files in the data directory's outbox.
//!
//! Sending is never on a request's critical path: callers hand a rendered [`Email`] to
//! [`Mailer::send`] from a background task, bounded by [`SEND_TIMEOUT`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{Map, Value};

/// The longest a delivery may take, connection included.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// The purpose of the security notice (a passkey or a second factor added or removed), whose
/// placeholders are `{{app_name}}`, `{{change}}` (a sentence saying what changed) and `{{when}}`.
pub const SECURITY_NOTICE: &str = "security_notice";

/// The purpose of an invitation to join an organization, whose placeholders are
/// `{{app_name}}`, `{{org_name}}`, `{{link}}` (the invitation's page) and `{{days}}` (how long
/// the link works).
pub const INVITATION: &str = "invitation";

/// The purposes an email can have, with their default (English) templates:
/// (purpose, subject, text, html). Placeholders: `{{app_name}}`, `{{code}}`, `{{link}}`,
/// `{{minutes}}`; the security notice's and the invitation's are their own (see
/// [`SECURITY_NOTICE`] and [`INVITATION`]).
const DEFAULTS: [(&str, &str, &str, &str); 5] = [
    (
        "sign_in",
        "{{code}} is your {{app_name}} sign-in code",
        "Hello,\n\nYour code to sign in to {{app_name}} is:\n\n    {{code}}\n\nOr open this link in the \
         browser where you asked for it:\n{{link}}\n\nThe code and the link work once and expire in \
         {{minutes}} minutes. If you did not ask to sign in, you can ignore this email.\n",
        "<p>Hello,</p><p>Your code to sign in to {{app_name}} is:</p><p style=\"font-size:28px;\
         letter-spacing:4px\"><strong>{{code}}</strong></p><p>Or <a href=\"{{link}}\">sign in \
         with this link</a> in the browser where you asked for it.</p><p>The code and the link work \
         once and expire in {{minutes}} minutes. If you did not ask to sign in, you can ignore this \
         email.</p>",
    ),
    (
        "sign_up",
        "{{code}} is your code to create a {{app_name}} account",
        "Hello,\n\nYour code to create your {{app_name}} account is:\n\n    {{code}}\n\nOr open this \
         link in the browser where you asked for it:\n{{link}}\n\nThe code and the link work once and \
         expire in {{minutes}} minutes. If you did not ask for an account, you can ignore this \
         email.\n",
        "<p>Hello,</p><p>Your code to create your {{app_name}} account is:</p><p \
         style=\"font-size:28px;letter-spacing:4px\"><strong>{{code}}</strong></p><p>Or <a \
         href=\"{{link}}\">continue with this link</a> in the browser where you asked for it.</p>\
         <p>The code and the link work once and expire in {{minutes}} minutes. If you did not ask \
         for an account, you can ignore this email.</p>",
    ),
    (
        "verify_email",
        "{{code}} is your code to verify your email for {{app_name}}",
        "Hello,\n\nYour code to verify this address for {{app_name}} is:\n\n    {{code}}\n\nOr open \
         this link in the browser where you asked for it:\n{{link}}\n\nThe code and the link work \
         once and expire in {{minutes}} minutes. If you did not ask for this, you can ignore this \
         email.\n",
        "<p>Hello,</p><p>Your code to verify this address for {{app_name}} is:</p><p \
         style=\"font-size:28px;letter-spacing:4px\"><strong>{{code}}</strong></p><p>Or <a \
         href=\"{{link}}\">verify with this link</a> in the browser where you asked for it.</p>\
         <p>The code and the link work once and expire in {{minutes}} minutes. If you did not ask \
         for this, you can ignore this email.</p>",
    ),
    (
        SECURITY_NOTICE,
        "Your {{app_name}} account changed",
        "Hello,\n\n{{change}} ({{when}}).\n\nIf this was you, there is nothing to do. If it was \
         not, sign in to {{app_name}} now and review your passkeys and sign-in methods: someone \
         else may have access to your account.\n",
        "<p>Hello,</p><p>{{change}} ({{when}}).</p><p>If this was you, there is nothing to do. \
         If it was not, sign in to {{app_name}} now and review your passkeys and sign-in methods: \
         someone else may have access to your account.</p>",
    ),
    (
        INVITATION,
        "You are invited to join {{org_name}} on {{app_name}}",
        "Hello,\n\nYou are invited to join {{org_name}} on {{app_name}}. To accept, open this link \
         and sign in or create an account with this email address:\n{{link}}\n\nThe link works \
         once and expires in {{days}} days. If you did not expect this, you can ignore this \
         email.\n",
        "<p>Hello,</p><p>You are invited to join <strong>{{org_name}}</strong> on {{app_name}}.</p>\
         <p><a href=\"{{link}}\">Accept the invitation</a> and sign in or create an account with \
         this email address.</p><p>The link works once and expires in {{days}} days. If you did \
         not expect this, you can ignore this email.</p>",
    ),
];

/// A rendered email, ready to send. Its subject and bodies hold a sign-in code and link, so
/// its `Debug` shows only who it is for.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Email {
    pub from_name: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Email")
            .field("from_name", &self.from_name)
            .field("to", &self.to)
            .finish_non_exhaustive()
    }
}

/// Checks an app's `email_templates` setting.
pub fn validate_templates(templates: &Map<String, Value>) -> Result<(), String> {
    for (purpose, parts) in templates {
        if !DEFAULTS.iter().any(|(p, ..)| p == purpose) {
            return Err(format!(
                "email_templates has an unknown purpose {purpose:?}: use sign_in, sign_up, \
                 verify_email, security_notice or invitation"
            ));
        }
        let parts = parts.as_object().ok_or_else(|| {
            format!("email_templates.{purpose} must be an object with subject, text and/or html")
        })?;
        for (name, value) in parts {
            if !matches!(name.as_str(), "subject" | "text" | "html") {
                return Err(format!(
                    "email_templates.{purpose} has an unknown field {name:?}: use subject, text or html"
                ));
            }
            let text = value
                .as_str()
                .ok_or_else(|| format!("email_templates.{purpose}.{name} must be a string"))?;
            if text.trim().is_empty() || text.len() > 20_000 {
                return Err(format!(
                    "email_templates.{purpose}.{name} must be 1 to 20000 characters"
                ));
            }
            if name == "subject" && text.contains(['\r', '\n']) {
                return Err(format!(
                    "email_templates.{purpose}.subject must be one line"
                ));
            }
            // What the email is for must be in it: the code, what changed, or the link.
            let needed = match purpose.as_str() {
                SECURITY_NOTICE => "change",
                INVITATION => "link",
                _ => "code",
            };
            if name != "subject" && !text.contains(&format!("{{{{{needed}}}}}")) {
                return Err(format!(
                    "email_templates.{purpose}.{name} must contain {{{{{needed}}}}}"
                ));
            }
        }
    }
    Ok(())
}

/// Escapes text for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{{{name}}}}}"), value)
        })
}

/// Renders the email for `purpose` from the app's templates, falling back to the defaults.
pub fn render(
    templates: &Map<String, Value>,
    purpose: &str,
    app_name: &str,
    to: &str,
    code: &str,
    link: &str,
    minutes: i64,
) -> Email {
    let minutes = minutes.to_string();
    let values = [
        ("app_name", app_name),
        ("code", code),
        ("link", link),
        ("minutes", minutes.as_str()),
    ];
    render_with(templates, purpose, app_name, to, &values)
}

/// Renders the security notice from the app's templates (or the default): `change` says what
/// happened, `when` when.
pub fn render_notice(
    templates: &Map<String, Value>,
    app_name: &str,
    to: &str,
    change: &str,
    when: &str,
) -> Email {
    let values = [("app_name", app_name), ("change", change), ("when", when)];
    render_with(templates, SECURITY_NOTICE, app_name, to, &values)
}

/// Renders the invitation to join `org_name` from the app's templates (or the default).
pub fn render_invitation(
    templates: &Map<String, Value>,
    app_name: &str,
    to: &str,
    org_name: &str,
    link: &str,
    days: i64,
) -> Email {
    let days = days.to_string();
    let values = [
        ("app_name", app_name),
        ("org_name", org_name),
        ("link", link),
        ("days", days.as_str()),
    ];
    render_with(templates, INVITATION, app_name, to, &values)
}

/// The email for `purpose` with its placeholders filled from `values` (escaped in the HTML
/// part).
fn render_with(
    templates: &Map<String, Value>,
    purpose: &str,
    app_name: &str,
    to: &str,
    values: &[(&str, &str)],
) -> Email {
    let (_, subject, text, html) = DEFAULTS
        .iter()
        .find(|(p, ..)| *p == purpose)
        .copied()
        .unwrap_or(DEFAULTS[0]);
    let custom = |part: &str, default: &str| {
        templates
            .get(purpose)
            .and_then(|t| t.get(part))
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let escaped: Vec<(&str, String)> = values
        .iter()
        .map(|(name, value)| (*name, escape_html(value)))
        .collect();
    let html_values: Vec<(&str, &str)> = escaped
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    Email {
        from_name: app_name.to_owned(),
        to: to.to_owned(),
        subject: fill(&custom("subject", subject), values),
        text: fill(&custom("text", text), values),
        html: fill(&custom("html", html), &html_values),
    }
}

/// The TLS mode `url` asks for, trusting the extra root in `ca_file` as well.
fn tls_with_root(url: &str, ca_file: &std::path::Path) -> Result<Tls, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("LATCHKEY_SMTP_URL: {e}"))?;
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let pem = std::fs::read(ca_file)
        .map_err(|e| format!("LATCHKEY_SMTP_CA_FILE {}: {e}", ca_file.display()))?;
    let not_a_certificate = |why: String| {
        format!(
            "LATCHKEY_SMTP_CA_FILE {} must hold a PEM certificate: {why}",
            ca_file.display()
        )
    };
    // The parser accepts a file without any certificate (and adds nothing): refuse it here.
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(not_a_certificate("no CERTIFICATE block found".to_owned()));
    }
    let cert = Certificate::from_pem(&pem).map_err(|e| not_a_certificate(e.to_string()))?;
    let params = TlsParameters::builder(host)
        .add_root_certificate(cert)
        .build_rustls()
        .map_err(|e| not_a_certificate(e.to_string()))?;
    let mode = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    match (parsed.scheme(), mode.as_deref()) {
        ("smtps", _) => Ok(Tls::Wrapper(params)),
        ("smtp", Some("required")) => Ok(Tls::Required(params)),
        ("smtp", Some("opportunistic")) => Ok(Tls::Opportunistic(params)),
        _ => Err(
            "LATCHKEY_SMTP_CA_FILE needs a TLS URL: smtps://… or smtp://…?tls=required".to_owned(),
        ),
    }
}

/// A failed delivery: what went wrong (never the message's content), and whether trying again
/// could help.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// The server refused the message for good (a 5xx reply, an address it cannot take).
    pub permanent: bool,
}

impl SendError {
    fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: true,
        }
    }

    fn transient(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            permanent: false,
        }
    }
}

/// Where email goes.
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
        /// Files kept: past this many, the oldest go as new ones arrive.
        keep: usize,
    },
}

/// Emails the development outbox keeps.
pub const OUTBOX_KEEP: usize = 1_000;

/// Removes the oldest `.eml` files of `dir` beyond `keep` (their names start with the time they
/// were written). Two deliveries pruning at once may race for a file: whichever loses shrugs.
async fn prune_outbox(dir: &Path, keep: usize) {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return;
    };
    let mut names = Vec::new();
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        if name.to_str().is_some_and(|n| n.ends_with(".eml")) {
            names.push(name);
        }
    }
    if names.len() <= keep {
        return;
    }
    names.sort();
    for name in &names[..names.len() - keep] {
        let _ = tokio::fs::remove_file(dir.join(name)).await;
    }
}

impl Mailer {
    /// SMTP when `smtp_url` is set (`smtp://` plain, `smtp://…?tls=required` STARTTLS,
    /// `smtps://` implicit TLS, `user:pass@` for AUTH), else the outbox in `data_dir`.
    /// `ca_file` (PEM) adds a trusted root for the SMTP server's certificate, for relays with a
    /// private CA.
    pub fn new(
        smtp_url: Option<&str>,
        ca_file: Option<&std::path::Path>,
        from: Option<&str>,
        data_dir: &std::path::Path,
        public_host: &str,
    ) -> Result<Self, String> {
        let from: Mailbox = match from {
            Some(f) => f
                .parse()
                .map_err(|e| format!("LATCHKEY_EMAIL_FROM {f:?} is not an address: {e}"))?,
            None => format!("no-reply@{public_host}")
                .parse()
                .or_else(|_| "no-reply@localhost".parse())
                .map_err(|e| format!("default sender: {e}"))?,
        };
        match smtp_url {
            Some(url) => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("LATCHKEY_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(SEND_TIMEOUT));
                if let Some(ca_file) = ca_file {
                    builder = builder.tls(tls_with_root(url, ca_file)?);
                }
                let transport = builder.build();
                Ok(Self::Smtp { transport, from })
            }
            None => Ok(Self::Outbox {
                dir: data_dir.join("outbox"),
                from,
                keep: OUTBOX_KEEP,
            }),
        }
    }

    /// Delivers `email`; on success says where it went (for the log), never what it says.
    pub async fn send(&self, email: &Email) -> Result<String, SendError> {
        let (Self::Smtp { from, .. } | Self::Outbox { from, .. }) = self;
        let from = Mailbox::new(Some(email.from_name.clone()), from.email.clone());
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e| SendError::permanent(format!("recipient is not an address: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))?;
        match self {
            Self::Smtp { transport, .. } => {
                tokio::time::timeout(SEND_TIMEOUT, transport.send(message))
                    .await
                    .map_err(|_| SendError::transient("the SMTP server did not answer in time"))?
                    .map_err(|e| SendError {
                        // A 5xx reply says the server will not take this message, ever.
                        permanent: e.is_permanent(),
                        message: format!("SMTP delivery failed: {e}"),
                    })?;
                Ok("smtp".to_owned())
            }
            Self::Outbox { dir, keep, .. } => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| {
                    SendError::transient(format!("cannot create the outbox {}: {e}", dir.display()))
                })?;
                let name = format!(
                    "{}-{}.eml",
                    time::OffsetDateTime::now_utc().unix_timestamp(),
                    uuid::Uuid::now_v7().simple()
                );
                let path = dir.join(name);
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| {
                        SendError::transient(format!("cannot write {}: {e}", path.display()))
                    })?;
                prune_outbox(dir, *keep).await;
                Ok(path.display().to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_keeps_the_newest_emails_only() {
        let dir = std::env::temp_dir().join(format!("latchkey-outbox-{}", uuid::Uuid::now_v7()));
        let mailer = Mailer::Outbox {
            dir: dir.clone(),
            from: "Latchkey <no-reply@example.com>"
                .parse()
                .expect("a mailbox"),
            keep: 3,
        };
        let mut written = Vec::new();
        for i in 0..5 {
            let email = Email {
                from_name: "Acme".to_owned(),
                to: format!("user{i}@example.com"),
                subject: "Hello".to_owned(),
                text: "text".to_owned(),
                html: "<p>html</p>".to_owned(),
            };
            written.push(mailer.send(&email).await.expect("written to the outbox"));
        }
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .expect("the outbox")
            .map(|e| e.expect("an entry").path().display().to_string())
            .collect();
        left.sort();
        assert_eq!(left, written[2..]);
        std::fs::remove_dir_all(&dir).expect("removed");
    }

    #[test]
    fn renders_defaults_and_overrides_with_escaping() {
        let email = render(
            &Map::new(),
            "sign_in",
            "Acme <Shop>",
            "a@b.co",
            "123456",
            "https://x/?a=1&b=2",
            10,
        );
        assert_eq!(email.subject, "123456 is your Acme <Shop> sign-in code");
        assert!(email.text.contains("    123456\n") && email.text.contains("https://x/?a=1&b=2"));
        assert!(email.html.contains("Acme &lt;Shop&gt;") && email.html.contains("a=1&amp;b=2"));
        let mut templates = Map::new();
        templates.insert(
            "sign_in".into(),
            serde_json::json!({"subject": "Code {{code}} für {{app_name}}"}),
        );
        let email = render(&templates, "sign_in", "Acme", "a@b.co", "654321", "l", 10);
        assert_eq!(email.subject, "Code 654321 für Acme");
        assert!(email.text.contains("654321"));
    }

    #[test]
    fn debug_shows_no_code() {
        let email = render(
            &Map::new(),
            "sign_in",
            "Acme",
            "a@b.co",
            "123456",
            "https://x/lk_ml_s",
            10,
        );
        let shown = format!("{email:?}");
        assert!(
            !shown.contains("123456") && !shown.contains("lk_ml_s"),
            "{shown}"
        );
    }

    #[test]
    fn template_validation() {
        let ok: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "sign_up": {"subject": "Hi", "text": "Code {{code}}"}}))
        .unwrap_or_default();
        assert!(validate_templates(&ok).is_ok());
        for bad in [
            serde_json::json!({"welcome": {}}),
            serde_json::json!({"sign_in": "x"}),
            serde_json::json!({"sign_in": {"body": "x"}}),
            serde_json::json!({"sign_in": {"text": "no code here"}}),
            serde_json::json!({"sign_in": {"subject": "two\nlines"}}),
            serde_json::json!({"sign_in": {"subject": 5}}),
        ] {
            let map: Map<String, Value> = serde_json::from_value(bad).unwrap_or_default();
            assert!(validate_templates(&map).is_err());
        }
    }
}
