//! The fetcher against a loopback server.

use statuswatch_fetch::{FetchConfig, FetchError, Fetched, Fetcher, Validators};
use std::time::{Duration, Instant};
use url::Url;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        total_timeout: Duration::from_millis(500),
        max_body_bytes: 1024,
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap()
}

fn url(server: &MockServer, p: &str) -> Url {
    Url::parse(&format!("{}{p}", server.uri())).unwrap()
}

#[tokio::test]
async fn conditional_get_sends_validators_and_reads_304() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/a"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/a"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    let f = fetcher();
    let Fetched::Body { validators, .. } = f
        .get(&url(&server, "/a"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a body")
    };
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    assert!(matches!(
        f.get(&url(&server, "/a"), &validators).await.unwrap(),
        Fetched::NotModified
    ));
    let sent = server.received_requests().await.unwrap();
    assert!(sent[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("statuswatch/"));
}

#[tokio::test]
async fn retry_after_blocks_the_host_without_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let f = fetcher();
    let err = f
        .get(&url(&server, "/x"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(120))
        }
    );
    let again = f
        .get(&url(&server, "/y"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(again, FetchError::HostBackoff { .. }), "{again:?}");
    assert!(again.retry_after().unwrap() > Duration::from_secs(100));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "second request not sent"
    );
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused_with_or_without_length() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(5000)))
        .mount(&server)
        .await;
    let err = fetcher()
        .get(&url(&server, "/big"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: 1024 });
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[tokio::test]
async fn gzip_answers_are_decompressed_and_capped_after_decompression() {
    let server = MockServer::start().await;
    Mock::given(path("/small"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(gzip(b"{\"page\":{}}")),
        )
        .mount(&server)
        .await;
    // 1 MiB of zeros compresses to about a kilobyte: the cap must see the real size.
    let bomb = gzip(&vec![0u8; 1024 * 1024]);
    assert!(bomb.len() < 1024 * 4);
    Mock::given(path("/bomb"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(bomb),
        )
        .mount(&server)
        .await;
    let f = fetcher();
    let Fetched::Body { bytes, .. } = f
        .get(&url(&server, "/small"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a body")
    };
    assert_eq!(&bytes[..], b"{\"page\":{}}");
    let sent = server.received_requests().await.unwrap();
    assert!(sent[0]
        .headers
        .get("accept-encoding")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("gzip"));
    let err = f
        .get(&url(&server, "/bomb"), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: 1024 });
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let t = Instant::now();
    let err = fetcher()
        .get(&url(&server, "/slow"), &Validators::default())
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout(_)), "{err:?}");
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn requests_to_one_host_are_spaced() {
    let server = MockServer::start().await;
    Mock::given(path("/s"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let f = Fetcher::new(FetchConfig {
        per_host_interval: Duration::from_millis(100),
        ..FetchConfig::default()
    })
    .unwrap();
    let u = url(&server, "/s");
    let t = Instant::now();
    let v = Validators::default();
    let (a, b, c) = tokio::join!(f.get(&u, &v), f.get(&u, &v), f.get(&u, &v));
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert!(
        t.elapsed() >= Duration::from_millis(200),
        "three starts need two intervals"
    );
}

#[tokio::test]
async fn a_host_with_a_rate_limit_is_spaced_wider_and_others_are_not() {
    let server = MockServer::start().await;
    Mock::given(path("/s"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let other = MockServer::start().await;
    Mock::given(path("/s"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&other)
        .await;
    let f = Fetcher::new(FetchConfig {
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    let limited = url(&server, "/s");
    f.set_min_interval(&limited, Duration::from_millis(300));
    let v = Validators::default();
    let t = Instant::now();
    let (a, b) = tokio::join!(f.get(&limited, &v), f.get(&limited, &v));
    assert!(a.is_ok() && b.is_ok());
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "two starts, one limited interval"
    );
    let free = url(&other, "/s");
    let t = Instant::now();
    let (a, b, c) = tokio::join!(f.get(&free, &v), f.get(&free, &v), f.get(&free, &v));
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "another port is another host"
    );
}

#[tokio::test]
async fn unreachable_hosts_are_connect_errors() {
    let f = fetcher();
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = f
        .get(
            &Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
            &Validators::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Connect(_)), "{err:?}");
}

#[tokio::test]
async fn internal_addresses_are_refused_on_someones_behalf_even_after_a_redirect() {
    let inside = MockServer::start().await;
    Mock::given(path("/secret"))
        .respond_with(ResponseTemplate::new(200).set_body_string("metadata"))
        .mount(&inside)
        .await;
    let front = MockServer::start().await;
    Mock::given(path("/go"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/secret", inside.uri())),
        )
        .mount(&front)
        .await;
    let guarded = |allow: Vec<String>| {
        Fetcher::new(FetchConfig {
            refuse_internal: true,
            allow_internal: allow,
            per_host_interval: Duration::ZERO,
            ..FetchConfig::default()
        })
        .unwrap()
    };
    let v = Validators::default();
    // A literal internal address.
    let err = guarded(Vec::new())
        .get(&url(&inside, "/secret"), &v)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("internal address"), "{err}");
    // localhost by name.
    let port = inside.address().port();
    let by_name = Url::parse(&format!("http://localhost:{port}/secret")).unwrap();
    assert!(matches!(
        guarded(Vec::new()).get(&by_name, &v).await,
        Err(FetchError::Refused(_))
    ));
    // An allowed front that redirects inside: the redirect is refused.
    let front_key = format!("127.0.0.1:{}", front.address().port());
    let err = guarded(vec![front_key])
        .get(&url(&front, "/go"), &v)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("redirect to an internal address refused"),
        "{err}"
    );
    // Allowed by configuration, it is fetched.
    let both = vec![
        format!("127.0.0.1:{}", front.address().port()),
        format!("127.0.0.1:{port}"),
    ];
    assert!(guarded(both).get(&url(&front, "/go"), &v).await.is_ok());
    // The default fetcher (the operator's own CLI) is not guarded.
    assert!(fetcher().get(&url(&inside, "/secret"), &v).await.is_ok());
    // A host allowed by name is allowed on its listed port only: not on
    // another, asked directly or through a redirect.
    let front_port = front.address().port();
    let by_name = |p: u16, path: &str| Url::parse(&format!("http://localhost:{p}{path}")).unwrap();
    let named = || guarded(vec![format!("localhost:{front_port}")]);
    let err = named()
        .get(&by_name(port, "/secret"), &v)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Refused(_)), "{err:?}");
    Mock::given(path("/go-by-name"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("http://localhost:{port}/secret").as_str(),
        ))
        .mount(&front)
        .await;
    let err = named()
        .get(&by_name(front_port, "/go-by-name"), &v)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn the_guarded_handle_shares_the_host_pool_and_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "60"))
        .mount(&server)
        .await;
    let key = format!("127.0.0.1:{}", server.address().port());
    let open = Fetcher::new(FetchConfig {
        allow_internal: vec![key],
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    let guarded = open.guarded();
    let v = Validators::default();
    let err = open.get(&url(&server, "/busy"), &v).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Status { status: 429, .. }),
        "{err:?}"
    );
    // The web-added source on the same host waits too, without sending.
    let err = guarded.get(&url(&server, "/busy"), &v).await.unwrap_err();
    assert!(matches!(err, FetchError::HostBackoff { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[test]
fn a_garbled_allow_internal_entry_is_an_error_at_construction() {
    let err = Fetcher::new(FetchConfig {
        allow_internal: vec!["status.intranet.example".into()],
        ..FetchConfig::default()
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`status.intranet.example` is not a host:port"),
        "{err}"
    );
}
