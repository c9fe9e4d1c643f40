//! Slow and greedy clients: each one costs itself, and `/health` keeps answering everyone else.
//! The hostile client connects from 127.0.0.2 (all of 127.0.0.0/8 is this machine), the
//! well-behaved one from 127.0.0.1.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use latchkey_test::TestApp;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection to the server from `from`.
async fn connect_from(t: &TestApp, from: &str) -> TcpStream {
    connect_socket(t, socket_from(from)).await
}

/// A socket bound to `from`, to be set up before it connects.
fn socket_from(from: &str) -> TcpSocket {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket
}

async fn connect_socket(t: &TestApp, socket: TcpSocket) -> TcpStream {
    let server: SocketAddr = t.base.trim_start_matches("http://").parse().unwrap();
    socket.connect(server).await.unwrap()
}

/// `GET /health` on a new connection from `from`, closed after it: what came back.
async fn health_from(t: &TestApp, from: &str) -> String {
    let mut stream = connect_from(t, from).await;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    closed_within(&mut stream, Duration::from_secs(3))
        .await
        .unwrap()
        .0
}

/// Waits for the server to close `stream` (end of stream or a reset), returning what it sent
/// first and how long that took; `None` if it stayed open for `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<(String, Duration)> {
    let start = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + limit).into(), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => {
                return Some((
                    String::from_utf8_lossy(&received).into_owned(),
                    start.elapsed(),
                ));
            }
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
}

async fn health_answers(t: &TestApp) {
    let res = tokio::time::timeout(Duration::from_secs(2), t.health())
        .await
        .expect("/health answered within 2 s");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_head_sent_too_slowly_is_cut_off() {
    let t = TestApp::spawn_with(|c| c.header_timeout = 1).await;
    // A head trickled in a byte at a time, each well within the timeout: cut off at 1 s anyway.
    let mut slow = connect_from(&t, "127.0.0.2").await;
    let trickle = async {
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\n" {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), trickle).await;
    let (_, waited) = closed_within(&mut slow, Duration::from_secs(3))
        .await
        .expect("the trickled head was cut off");
    assert!(waited < Duration::from_secs(3), "{waited:?}");

    // A connection that sends nothing, and one left idle after a response, are closed too.
    let mut silent = connect_from(&t, "127.0.0.2").await;
    assert!(
        closed_within(&mut silent, Duration::from_secs(3))
            .await
            .is_some()
    );
    let mut idle = connect_from(&t, "127.0.0.2").await;
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answered, _) = closed_within(&mut idle, Duration::from_secs(3))
        .await
        .expect("the idle keep-alive connection was closed");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    health_answers(&t).await;
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_a_408() {
    let t = TestApp::spawn_with(|c| c.body_timeout = 1).await;
    let mut stream = connect_from(&t, "127.0.0.2").await;
    let head = "POST /apps/acme/sessions/refresh HTTP/1.1\r\nHost: x\r\n\
                Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"refresh";
    stream.write_all(head.as_bytes()).await.unwrap();
    let (answer, waited) = closed_within(&mut stream, Duration::from_secs(5))
        .await
        .expect("the server answered and closed");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    health_answers(&t).await;
}

/// A client that asks for responses and never reads them cannot hold its connection: once the
/// server's writes stop moving for the write timeout, the connection is closed and its place
/// freed (here the address's only place).
#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off() {
    let t = TestApp::spawn_with(|c| {
        c.write_timeout = 1;
        c.header_timeout = 30;
        c.max_connections_per_ip = 1;
    })
    .await;
    let socket = socket_from("127.0.0.2");
    socket.set_recv_buffer_size(4096).unwrap();
    let mut greedy = connect_socket(&t, socket).await;
    // 400 pipelined requests for the 31 KB SDK: far more than the socket buffers hold.
    let requests = "GET /sdk/latchkey.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(400);
    greedy.write_all(requests.as_bytes()).await.unwrap();
    // While it holds its place, the address gets no other connection…
    let mut second = connect_from(&t, "127.0.0.2").await;
    assert!(
        closed_within(&mut second, Duration::from_secs(1))
            .await
            .is_some()
    );
    // …and once the stalled writes are cut off, it does.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = health_from(&t, "127.0.0.2").await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the stalled connection kept its place"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    drop(greedy);
    health_answers(&t).await;
}

/// One address may hold only so many connections: past that, new ones from it are closed at
/// once, while everyone else is still served.
#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let t = TestApp::spawn_with(|c| {
        c.max_connections_per_ip = 20;
        c.header_timeout = 30;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut s = connect_from(&t, "127.0.0.2").await;
        s.write_all(b"GET /hea").await.unwrap();
        held.push(s);
    }
    // Give the server a moment to have accepted them all.
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..50 {
        let mut extra = connect_from(&t, "127.0.0.2").await;
        let closed = closed_within(&mut extra, Duration::from_secs(2)).await;
        assert!(
            closed.is_some(),
            "a connection over the per-address limit stayed open"
        );
    }
    health_answers(&t).await;
    // The held ones are still open (the limit closed only the new ones)…
    for s in &mut held {
        let mut buf = [0u8; 1];
        assert!(
            tokio::time::timeout(Duration::from_millis(20), s.read(&mut buf))
                .await
                .is_err()
        );
    }
    // …and once they go, the address is welcome again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = health_from(&t, "127.0.0.2").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Many clients holding half-open sockets fill the server's connections; the header timeout
/// frees them, and past the limit new ones are refused at once rather than queued, so the
/// process never runs out of file descriptors and answers again as soon as slots free.
#[tokio::test]
async fn a_flood_of_half_open_sockets_is_bounded_and_drains() {
    let t = TestApp::spawn_with(|c| {
        c.max_connections = 100;
        c.header_timeout = 2;
    })
    .await;
    let mut held = Vec::new();
    for i in 0..300 {
        // Spread over many addresses, as a botnet would be.
        let from = format!("127.0.{}.{}", 1 + i / 200, 2 + i % 200);
        let mut s = connect_from(&t, &from).await;
        let _ = s
            .write_all(b"POST /apps/acme/sessions/refresh HTTP/1.1\r\n")
            .await;
        held.push(s);
    }
    // Within the header timeout (and a margin), every one of them is closed…
    for s in &mut held {
        assert!(
            closed_within(s, Duration::from_secs(6)).await.is_some(),
            "a half-open socket outlived the header timeout"
        );
    }
    // …and the server answers.
    health_answers(&t).await;
}

/// Behind a trusted proxy, the address it forwards is the client's: sessions record it, and each
/// client behind the proxy has its own rate-limit bucket. Without the setting the header is
/// ignored, so a client cannot pick its own address.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_itself() {
    let t = TestApp::spawn_with(|c| c.trusted_proxies = Some("127.0.0.0/8".to_owned())).await;
    let ann = t
        .with_forwarded_for("198.51.100.7")
        .sign_up("ann@example.com")
        .await;
    let listed = t.with_bearer(ann.access_token()).list_sessions().await;
    let listed = latchkey_test::assert_json(listed, StatusCode::OK).await;
    assert_eq!(listed["items"][0]["ip"], "198.51.100.7");

    // One client behind the proxy uses up its email requests; another is not affected.
    let greedy = t.with_forwarded_for("6.6.6.6, 198.51.100.66");
    let mut refused = false;
    for i in 0..40 {
        let res = greedy
            .request_email_code(&format!("u{i}@example.com"), "sign_in")
            .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    assert!(refused, "the per-address limit held");
    let res = t
        .with_forwarded_for("198.51.100.8")
        .request_email_code("calm@example.com", "sign_in")
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    // The spoofed start of the header did not count: 6.6.6.6 was never the client.
    let res = t
        .with_forwarded_for("6.6.6.6")
        .request_email_code("other@example.com", "sign_in")
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn without_trusted_proxies_forwarding_headers_are_ignored() {
    let t = TestApp::spawn().await;
    let ann = t
        .with_forwarded_for("198.51.100.7")
        .sign_up("ann@example.com")
        .await;
    let listed = t.with_bearer(ann.access_token()).list_sessions().await;
    let listed = latchkey_test::assert_json(listed, StatusCode::OK).await;
    assert_eq!(listed["items"][0]["ip"], "127.0.0.1");
    // Changing the header does not buy a new bucket.
    let mut refused = false;
    for i in 0..40 {
        let res = t
            .with_forwarded_for(&format!("203.0.113.{i}"))
            .request_email_code(&format!("u{i}@example.com"), "sign_in")
            .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
    }
    assert!(
        refused,
        "the per-address limit held whatever the header said"
    );
}
