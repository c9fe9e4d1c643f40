//! The Prometheus metrics of one process: requests counted by route template (never by the
//! concrete path), sign-ins by method and outcome, and the latency histogram. Values are
//! asserted here, against a process of its own, because the recorder is process-wide: in a test
//! binary running many in-process servers, every server's requests would add up in it.

use latchkey_authenticator::GetOptions;
use latchkey_test::helpers::header;
use latchkey_test::{TestApp, assert_problem};
use reqwest::StatusCode;

use crate::helpers::spawn;

/// The value of the sample of `name` whose labels include every `k="v"` in `labels`, if any.
fn metric(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| labels.iter().all(|label| l.contains(label)))
        .and_then(|l| l.rsplit(' ').next())
        .map(|v| v.parse::<f64>().unwrap())
}

/// The exposition text, asserted 200 and `text/plain`.
async fn metrics_text(t: &TestApp) -> String {
    let res = t.metrics().await;
    assert_eq!(res.status(), StatusCode::OK);
    let ct = header(&res, "content-type").unwrap();
    assert!(ct.starts_with("text/plain"), "{ct}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn requests_and_sign_ins_are_counted() {
    let (t, _server) = spawn().await;

    // A sign-up counts its requests by route template (never by the concrete path) and is a
    // successful passkey sign-in.
    let route = r#"route="/apps/{app}/passkeys/register/options""#;
    let before = metrics_text(&t).await;
    assert_eq!(
        metric(&before, "latchkey_http_requests_total", &[route]),
        None
    );
    let mut signed = t.sign_up("ann@example.com").await;
    let after_sign_up = metrics_text(&t).await;
    assert_eq!(
        metric(
            &after_sign_up,
            "latchkey_http_requests_total",
            &[route, r#"method="POST""#, r#"status="200""#]
        ),
        Some(1.0),
        "{after_sign_up}"
    );
    assert!(
        !after_sign_up.contains("/apps/acme/passkeys"),
        "concrete paths are not labels"
    );
    let success = [r#"method="passkey""#, r#"outcome="success""#];
    let successes = metric(&after_sign_up, "latchkey_sign_ins_total", &success).unwrap_or(0.0);

    let res = t.sign_in(&mut signed.credential, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_sign_in = metrics_text(&t).await;
    assert_eq!(
        metric(&after_sign_in, "latchkey_sign_ins_total", &success),
        Some(successes + 1.0),
        "{after_sign_in}"
    );

    // A refused assertion (from a foreign origin) counts as a failure.
    let assertion = t
        .assertion_with(
            &mut signed.credential,
            None,
            &GetOptions::new("https://evil.example"),
        )
        .await;
    let res = t.finish_authentication(&assertion).await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credential").await;
    let after_failure = metrics_text(&t).await;
    assert_eq!(
        metric(
            &after_failure,
            "latchkey_sign_ins_total",
            &[r#"method="passkey""#, r#"outcome="failure""#]
        ),
        Some(1.0),
        "{after_failure}"
    );

    // The latency histogram, per route.
    assert!(after_failure.contains("# TYPE latchkey_http_request_duration_seconds histogram"));
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_bucket",
            &[route, r#"le="+Inf""#]
        )
        .is_some_and(|n| n >= 1.0),
        "{after_failure}"
    );
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_count",
            &[route]
        )
        .is_some_and(|n| n >= 1.0)
    );
    assert!(
        metric(
            &after_failure,
            "latchkey_http_request_duration_seconds_sum",
            &[route]
        )
        .is_some()
    );
}
