//! Email through lettre to a real SMTP conversation on loopback.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use chrono::{TimeZone, Utc};
use statuswatch_model::{EventKind, Incident, Status, Update};
use statuswatch_notify::{deliver, render_email, ChannelConfig, Notification};
use statuswatch_store::StoredIncident;
use statuswatch_testkit::SmtpSink;
use statuswatch_view::IncidentView;

fn notification() -> Notification {
    let at = Utc.with_ymd_and_hms(2026, 5, 3, 18, 53, 0).unwrap();
    let mut i = Incident::new("abc", "Errors on <API> & more", Status::Investigating);
    i.updates.push(Update {
        vendor_id: None,
        status: Status::Investigating,
        label: "Investigating".into(),
        at: Some(at),
        body: "We see <b>errors</b>.".into(),
    });
    i.normalize();
    let view = IncidentView::from(&StoredIncident {
        id: "01inc".into(),
        source_id: 1,
        source: "acme".into(),
        provider: "Acme".into(),
        detected_at: at,
        incident: i,
    });
    Notification {
        event_id: "01event".into(),
        kind: EventKind::IncidentOpened,
        occurred_at: at,
        update: view.updates.last().cloned(),
        incident: view,
    }
}

#[test]
fn the_email_has_a_plain_and_an_escaped_html_part() {
    let e = render_email(&notification());
    assert_eq!(e.subject, "[Acme] New incident: Errors on <API> & more");
    assert!(e.text.contains("Investigating\nWe see <b>errors</b>."));
    assert!(e.html.contains("<h2>Errors on &lt;API&gt; &amp; more</h2>"));
    assert!(e.html.contains("We see &lt;b&gt;errors&lt;/b&gt;."));
    assert!(!e.html.contains("<b>errors"));
}

#[tokio::test]
async fn an_email_reaches_the_smtp_server_with_both_parts() {
    let sink = SmtpSink::start().await;
    let channel: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": {},
            "smtp_security": "none", "from": "statuswatch <sw@example.com>",
            "to": ["ops@example.com", "oncall@example.com"]}}"#,
        sink.addr.port()
    ))
    .unwrap();
    channel.validate().unwrap();
    let client = statuswatch_notify::client("test").unwrap();
    assert!(deliver(&client, &channel, &notification(), Utc::now())
        .await
        .unwrap());
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.from, "sw@example.com");
    assert_eq!(m.to, ["ops@example.com", "oncall@example.com"]);
    assert!(m
        .data
        .contains("Subject: [Acme] New incident: Errors on <API> & more"));
    assert!(m.data.contains("Content-Type: multipart/alternative"));
    assert!(m.data.contains("Content-Type: text/plain"));
    assert!(m.data.contains("Content-Type: text/html"));
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_a_retryable_failure() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let channel: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": {port},
            "smtp_security": "none", "from": "sw@example.com", "to": ["ops@example.com"],
            "username": "u", "password": "hunter2"}}"#
    ))
    .unwrap();
    assert!(!format!("{channel:?}").contains("hunter2"));
    let client = statuswatch_notify::client("test").unwrap();
    let e = deliver(&client, &channel, &notification(), Utc::now())
        .await
        .unwrap_err();
    assert!(e.retryable, "{e:?}");
    assert!(!e.message.contains("hunter2"));
    let bad: ChannelConfig = serde_json::from_str(
        r#"{"name": "mail", "kind": "email", "smtp_host": "h", "from": "nope", "to": ["a@b.c"]}"#,
    )
    .unwrap();
    assert_eq!(
        bad.validate().unwrap_err().to_string(),
        "channel `mail`: `nope` is not an email address"
    );
}
