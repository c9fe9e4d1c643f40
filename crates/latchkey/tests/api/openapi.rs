//! The OpenAPI description (`/openapi.json`) against the router itself: every route the http
//! sources register is described and nothing else is, path templates exactly as routed; error
//! responses are documented; every `$ref` resolves; and `/docs` is a locked-down page.
//!
//! axum cannot list its routes, so the routes come from the source: every
//! `.route("PATH", get(a).post(b))` call under `src/http/`, read with a small tokenizer that
//! skips comments and string contents and does not care how rustfmt broke the lines.

use std::collections::BTreeSet;
use std::path::Path;

use latchkey_test::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

/// HTTP methods an axum method router can be built from.
const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// `(METHOD, path)` of every `.route(…)` call in the Rust files under `dir`.
fn routes_in_source(dir: &Path) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut files = vec![dir.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                files.push(entry.unwrap().path());
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let src = std::fs::read_to_string(&path).unwrap();
            for (method, route) in routes_in(&strip_comments(&src)) {
                assert!(
                    out.insert((method.clone(), route.clone())),
                    "{method} {route} is routed twice"
                );
            }
        }
    }
    out
}

/// The source with `//` and `/* */` comments blanked out (string literals kept).
fn strip_comments(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == 'r' && !ident_before && matches!(next, Some('"' | '#')) {
            // A raw string `r#"…"#`: copied through its closing quote and hashes.
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                let close: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', j - i - 1))
                    .collect();
                let mut k = j + 1;
                while k < chars.len() && !chars[k..].starts_with(&close) {
                    k += 1;
                }
                let end = (k + close.len()).min(chars.len());
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            out.push(c);
            i += 1;
        } else if c == '"' {
            // A string literal.
            out.push(c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    out.push(chars[i]);
                }
                i += 1;
            }
            if i < chars.len() {
                out.push('"');
            }
            i += 1;
        } else if c == '\'' && next.is_some_and(|n| n != '\\') && chars.get(i + 2) == Some(&'\'') {
            // A char literal such as '"' must not open a string.
            out.extend(&chars[i..i + 3]);
            i += 3;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            out.push(' ');
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The `(METHOD, path)` pairs of the `.route("PATH", chain)` calls in comment-free `src`.
fn routes_in(src: &str) -> Vec<(String, String)> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let needle: Vec<char> = ".route(".chars().collect();
    let mut i = 0;
    while i + needle.len() <= s.len() {
        if s[i..i + needle.len()] != needle[..] {
            i += 1;
            continue;
        }
        i += needle.len();
        skip_ws(&s, &mut i);
        assert_eq!(
            s.get(i),
            Some(&'"'),
            "a .route( whose path is not a literal"
        );
        let start = i + 1;
        i = start;
        while s[i] != '"' {
            i += 1;
        }
        let path: String = s[start..i].iter().collect();
        i += 1;
        skip_ws(&s, &mut i);
        assert_eq!(s.get(i), Some(&','), "{path}: expected a comma");
        i += 1;
        // The method chain, up to the `)` closing `.route(`: `a::b::get(x).post(y)`.
        let mut methods = Vec::new();
        loop {
            skip_ws(&s, &mut i);
            if s[i] == ')' {
                i += 1;
                break;
            }
            if s[i] == '.' || s[i] == ',' {
                i += 1;
                continue;
            }
            let start = i;
            while s[i].is_alphanumeric() || s[i] == '_' || s[i] == ':' {
                i += 1;
            }
            let ident: String = s[start..i].iter().collect();
            let name = ident.rsplit("::").next().unwrap_or_default().to_owned();
            skip_ws(&s, &mut i);
            assert_eq!(s.get(i), Some(&'('), "{path}: `{ident}` is not a call");
            i = skip_balanced(&s, i);
            assert!(
                METHODS.contains(&name.as_str()),
                "{path}: `{ident}` is not a method router this test understands"
            );
            methods.push(name.to_uppercase());
        }
        assert!(!methods.is_empty(), "{path}: no method");
        for m in methods {
            out.push((m, path.clone()));
        }
    }
    out
}

fn skip_ws(s: &[char], i: &mut usize) {
    while *i < s.len() && s[*i].is_whitespace() {
        *i += 1;
    }
}

/// From the `(` at `i`, the index after its matching `)` (strings and chars respected).
fn skip_balanced(s: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < s.len() {
        match s[i] {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            '"' => {
                i += 1;
                while s[i] != '"' {
                    if s[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("unbalanced parentheses")
}

/// `(METHOD, path)` of every operation in the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            if METHODS.contains(&method.as_str()) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// Every `$ref` value anywhere in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_route_parser_reads_rustfmt_chains() {
    let src = strip_comments(
        r##"Router::new()
        .merge(r#"an odd " quote and // slashes"#)
        // .route("/commented", get(x))
        .route("/a/{b}", get(one).post(two))
        .route(
            "/c",
            axum::routing::delete(three)
                .patch(four),
        )
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/s", post(|| async { ")" }))
        .route("/t", get(h))"##,
    );
    let got: BTreeSet<_> = routes_in(&src).into_iter().collect();
    let want: BTreeSet<_> = [
        ("GET", "/a/{b}"),
        ("POST", "/a/{b}"),
        ("DELETE", "/c"),
        ("PATCH", "/c"),
        ("GET", "/favicon.ico"),
        ("POST", "/s"),
        ("GET", "/t"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn the_description_covers_exactly_the_routes() {
    let t = TestApp::spawn().await;
    let res = t.openapi().await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = res.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Latchkey");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));

    // Parity, both ways, with the router's own source.
    let routed = routes_in_source(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http"));
    let described = operations(&doc);
    let undocumented: Vec<_> = routed.difference(&described).collect();
    let unrouted: Vec<_> = described.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routed but not described: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "described but not routed: {unrouted:?}"
    );
    assert!(
        routed.len() > 60,
        "the parser found only {} routes",
        routed.len()
    );

    // API.md's paths, spelled as API.md spells them.
    for (method, path) in [
        ("GET", "/apps/{app}/config"),
        ("POST", "/apps/{app}/passkeys/register/options"),
        ("POST", "/apps/{app}/passkeys/register/verify"),
        ("POST", "/apps/{app}/passkeys/authenticate/options"),
        ("POST", "/apps/{app}/passkeys/authenticate/verify"),
        ("PATCH", "/apps/{app}/passkeys/{id}"),
        ("POST", "/apps/{app}/otp/email"),
        ("POST", "/apps/{app}/sessions"),
        ("POST", "/apps/{app}/sessions/refresh"),
        ("DELETE", "/apps/{app}/sessions/current"),
        ("GET", "/apps/{app}/sessions/current/permissions"),
        ("PATCH", "/apps/{app}/me"),
        ("GET", "/apps/{app}/login"),
        ("POST", "/apps/{app}/tokens/verify"),
        ("GET", "/apps/{app}/users"),
        ("POST", "/apps/{app}/users"),
        ("DELETE", "/apps/{app}/users/{id}"),
        ("DELETE", "/apps/{app}/users/{id}/passkeys/{pid}"),
        ("DELETE", "/apps/{app}/users/{id}/sessions/{sid}"),
        ("GET", "/apps/{app}/events"),
        ("POST", "/admin/apps"),
        ("PATCH", "/admin/apps/{app}"),
        ("POST", "/admin/apps/{app}/api-keys"),
        ("DELETE", "/admin/apps/{app}/api-keys/{id}"),
        ("GET", "/apps/{app}/.well-known/jwks.json"),
        ("GET", "/health"),
        ("GET", "/ready"),
        ("GET", "/metrics"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/sdk/latchkey.js"),
        ("GET", "/compat/passlock/{app}/token/{token}"),
        ("GET", "/compat/passkeyme/api/config"),
        ("POST", "/compat/plainkey/server/access-token"),
        ("GET", "/apps/{app}/.well-known/openid-configuration"),
        ("GET", "/apps/{app}/.well-known/oauth-authorization-server"),
        ("GET", "/apps/{app}/oauth/authorize"),
        ("POST", "/apps/{app}/oauth/par"),
        ("POST", "/apps/{app}/oauth/token"),
        ("GET", "/apps/{app}/oauth/userinfo"),
        ("POST", "/apps/{app}/oauth/userinfo"),
        ("POST", "/apps/{app}/oauth/introspect"),
        ("POST", "/apps/{app}/oauth/revoke"),
        ("GET", "/apps/{app}/oauth/logout"),
        ("POST", "/apps/{app}/oauth/logout"),
    ] {
        assert!(
            described.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path} is not described"
        );
    }

    // Every operation: a tag, a summary, its path parameters, and (but for the few that cannot
    // fail on input) an error response.
    let no_errors = [
        "/health",
        "/ready",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/sdk/latchkey.js",
        "/sdk/latchkey.d.ts",
        "/favicon.ico",
    ];
    let tags = [
        "browser",
        "email",
        "mfa",
        "pages",
        "server",
        "admin",
        "standards",
        "oidc",
        "compat",
    ];
    for (method, path) in &described {
        let op = &doc["paths"][path][method.to_lowercase()];
        let tag = op["tags"][0].as_str().unwrap_or_default();
        assert!(tags.contains(&tag), "{method} {path}: tag {tag:?}");
        assert!(op["summary"].is_string(), "{method} {path}: no summary");
        let responses = op["responses"].as_object().unwrap();
        if !no_errors.contains(&path.as_str()) {
            assert!(
                responses.keys().any(|s| s.starts_with('4')),
                "{method} {path}: no 4xx response"
            );
        }
        for (status, response) in responses {
            if let Some(problem) = response["content"].get("application/problem+json") {
                assert_eq!(
                    problem["schema"]["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
        }
        let params: BTreeSet<&str> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let templated: BTreeSet<&str> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        assert_eq!(params, templated, "{method} {path}: path parameters");
    }

    // Security: the server API wants an API key, the admin API the admin key.
    assert_eq!(
        doc["paths"]["/apps/{app}/users"]["get"]["security"][0]["api_key"],
        serde_json::json!([])
    );
    assert_eq!(
        doc["paths"]["/admin/apps"]["post"]["security"][0]["admin_key"],
        serde_json::json!([])
    );
    let me = doc["paths"]["/apps/{app}/me"]["get"]["security"].to_string();
    assert!(
        me.contains("session_cookie") && me.contains("access_token"),
        "{me}"
    );
    for scheme in [
        "api_key",
        "admin_key",
        "session_cookie",
        "access_token",
        "server_token",
    ] {
        assert!(
            doc["components"]["securitySchemes"][scheme].is_object(),
            "{scheme}"
        );
    }
    let problem = &doc["components"]["schemas"]["Problem"]["properties"];
    for field in ["type", "title", "status", "code", "detail"] {
        assert!(problem[field].is_object(), "Problem.{field}");
    }

    // Every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{r} is not local"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
}

#[tokio::test]
async fn the_docs_page_is_a_locked_down_module_page() {
    let t = TestApp::spawn().await;
    let res = t.docs().await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    let html = res.text().await.unwrap();
    assert!(html.contains("<script type=\"module\" src=\"/assets/docs.js\"></script>"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("style="));
    assert!(!html.contains("https://"), "no third-party origin");

    let js = t.asset("docs.js").await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let js = js.text().await.unwrap();
    assert!(js.contains("/openapi.json"));
    assert!(!js.contains("innerHTML"), "renders with DOM nodes only");
}

/// The API reference in `docs/reference.md`, rendered from the description: every operation by
/// tag, with its summary, what it needs, and every status it answers.
fn reference(doc: &Value) -> String {
    let mut out = String::from(
        "# HTTP API reference\n\n\
         <!-- Generated from the server's OpenAPI description by the `api` test suite \
         (openapi.rs); do not edit by hand. Regenerate with \
         `LATCHKEY_BLESS=1 cargo test -p latchkey --test api -- reference`. -->\n\n\
         Every Latchkey server describes itself at `/openapi.json` (OpenAPI 3.1) and shows that \
         description at `/docs`. This page is the same description as a list. Errors are RFC 9457 \
         problem details (`application/problem+json`) with a stable `code`; the code is named \
         first in each error status below. Request and response bodies are in the description's \
         schemas.\n",
    );
    let mut by_tag: std::collections::BTreeMap<String, Vec<(String, String, &Value)>> =
        std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
            by_tag
                .entry(tag)
                .or_default()
                .push((path.clone(), method.to_uppercase(), op));
        }
    }
    for (tag, ops) in &by_tag {
        out.push_str(&format!("\n## {tag}\n"));
        for (path, method, op) in ops {
            let summary = op["summary"].as_str().unwrap_or("");
            out.push_str(&format!("\n### `{method} {path}`: {summary}\n\n"));
            let security: Vec<String> = op["security"]
                .as_array()
                .map(|reqs| {
                    reqs.iter()
                        .map(|r| {
                            let names: Vec<&str> =
                                r.as_object().unwrap().keys().map(String::as_str).collect();
                            if names.is_empty() {
                                "none".to_owned()
                            } else {
                                names.join(" and ")
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            if !security.is_empty() {
                out.push_str(&format!("Credentials: {}.\n\n", security.join(", or ")));
            }
            if let Some(params) = op["parameters"].as_array() {
                for p in params {
                    out.push_str(&format!(
                        "- {} `{}`{}: {}\n",
                        p["in"].as_str().unwrap_or(""),
                        p["name"].as_str().unwrap_or(""),
                        if p["required"] == true {
                            ""
                        } else {
                            " (optional)"
                        },
                        p["description"].as_str().unwrap_or("").replace('\n', " ")
                    ));
                }
                out.push('\n');
            }
            out.push_str("| status | meaning |\n|---|---|\n");
            for (status, response) in op["responses"].as_object().unwrap() {
                let text = response["description"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " ")
                    .replace('|', "\\|");
                out.push_str(&format!("| {status} | {text} |\n"));
            }
        }
    }
    out
}

/// `docs/reference.md` is the description rendered; `LATCHKEY_BLESS=1` rewrites it.
#[tokio::test]
async fn the_reference_in_docs_is_the_description() {
    let t = TestApp::spawn().await;
    let res = t.http.get(t.url("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    let rendered = reference(&doc);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference.md");
    if std::env::var_os("LATCHKEY_BLESS").is_some() {
        std::fs::write(&file, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/reference.md is out of date: regenerate it with \
         LATCHKEY_BLESS=1 cargo test -p latchkey --test api -- reference"
    );
}
