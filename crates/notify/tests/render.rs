//! The exact request every channel sends for opened, updated and resolved
//! (snapshots, reviewed like code), and the webhook signature.
// Tests may stamp their fixtures with the real time (see clippy.toml).
#![allow(clippy::disallowed_methods)]

use chrono::{DateTime, TimeZone, Utc};
use statuswatch_model::{Component, EventKind, Impact, Incident, Status, Update};
use statuswatch_notify::{render, signature, ChannelConfig, ChannelKind, Notification};
use statuswatch_store::StoredIncident;
use statuswatch_view::{IncidentView, UpdateView};

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 3, h, m, 0).unwrap()
}

fn incident(status: Status, updates: &[(&str, Status, u32, &str)]) -> IncidentView {
    let mut i = Incident::new("abc", "Limited access to provisioning <services>", status);
    i.impact = Some(Impact::Major);
    i.url = Some("https://status.example.com/incidents/abc".into());
    i.components = vec![
        Component {
            name: "Cloud API".into(),
            group: Some("Core".into()),
        },
        Component {
            name: "DCD".into(),
            group: None,
        },
    ];
    i.updates = updates
        .iter()
        .map(|(label, st, minute, body)| Update {
            vendor_id: None,
            status: *st,
            label: label.to_string(),
            at: Some(t(18, *minute)),
            body: body.to_string(),
        })
        .collect();
    i.normalize();
    IncidentView::from(&StoredIncident {
        id: "01incident".into(),
        source_id: 1,
        source: "ionos".into(),
        provider: "IONOS Cloud".into(),
        detected_at: t(18, 55),
        incident: i,
    })
}

fn notifications() -> Vec<(&'static str, Notification)> {
    let opened = incident(
        Status::Investigating,
        &[(
            "Investigating",
            Status::Investigating,
            53,
            "We are looking & <checking> @everyone.",
        )],
    );
    let updated = incident(
        Status::Identified,
        &[
            (
                "Investigating",
                Status::Investigating,
                53,
                "We are looking.",
            ),
            ("Identified", Status::Identified, 58, "Found it."),
        ],
    );
    let resolved = incident(
        Status::Resolved,
        &[
            (
                "Investigating",
                Status::Investigating,
                53,
                "We are looking.",
            ),
            ("Resolved", Status::Resolved, 59, "All good."),
        ],
    );
    let n = |id: &str, kind, view: IncidentView| {
        let update: Option<UpdateView> = view.updates.last().cloned();
        Notification {
            event_id: id.into(),
            kind,
            occurred_at: update.as_ref().unwrap().at.unwrap(),
            incident: view,
            update,
        }
    };
    vec![
        (
            "opened",
            n("01event-open", EventKind::IncidentOpened, opened),
        ),
        (
            "updated",
            n("01event-upd", EventKind::IncidentUpdated, updated),
        ),
        (
            "resolved",
            n("01event-res", EventKind::IncidentResolved, resolved),
        ),
    ]
}

fn channel(kind: &str) -> ChannelConfig {
    let extra = match kind {
        "pagerduty" => r#""routing_key": "R0UT1NG""#.to_string(),
        "webhook" => r#""url": "https://hooks.example.com/in", "secret": "change-me""#.to_string(),
        "ntfy" => r#""url": "https://ntfy.example.com/ops-vendors", "token": "tk_abc""#.to_string(),
        "telegram" => r#""bot_token": "123456:ABC", "chat_id": "-1001234567890""#.to_string(),
        "zulip" => r#""url": "https://acme.zulipchat.com", "email": "status-bot@acme.zulipchat.com", "api_key": "k3y", "stream": "vendors""#.to_string(),
        "pushover" => r#""token": "app-t0ken", "user": "us3r""#.to_string(),
        "opsgenie" => r#""api_key": "g3nie""#.to_string(),
        "matrix" => r#""url": "https://matrix.example.org", "access_token": "syt_t0ken", "room_id": "!ops:example.org""#.to_string(),
        _ => r#""url": "https://hooks.example.com/in""#.to_string(),
    };
    let c: ChannelConfig =
        serde_json::from_str(&format!(r#"{{"name": "ops", "kind": "{kind}", {extra}}}"#)).unwrap();
    c.validate().unwrap();
    c
}

#[test]
fn every_channel_renders_its_documented_payload() {
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    for kind in [
        "webhook",
        "slack",
        "teams",
        "discord",
        "googlechat",
        "mattermost",
        "ntfy",
        "pagerduty",
        "telegram",
        "rocketchat",
        "pushover",
        "opsgenie",
        "matrix",
    ] {
        let c = channel(kind);
        for (event, n) in notifications() {
            let r = render(&c, &n, now).expect("incident events render on every channel");
            assert_eq!(r.content_type, "application/json");
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            insta::assert_json_snapshot!(format!("{kind}_{event}"), body);
        }
    }
}

#[test]
fn the_webhook_is_signed_and_keyed() {
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let (_, n) = notifications().remove(0);
    let r = render(&channel("webhook"), &n, now).unwrap();
    let header = |k: &str| {
        r.headers
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("Idempotency-Key").as_deref(), Some("01event-open"));
    let sig = header("Statuswatch-Signature").unwrap();
    assert_eq!(sig, signature("change-me", now.timestamp(), &r.body));
    assert!(sig.starts_with(&format!("t={},v1=", now.timestamp())));
    assert_eq!(sig.len(), format!("t={},v1=", now.timestamp()).len() + 64);
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["type"], "incident.opened");
    assert_eq!(body["id"], "01event-open");
    assert_eq!(
        body["incident"]["title"],
        "Limited access to provisioning <services>"
    );
    assert_eq!(body["update"]["label"], "Investigating");
    // Without a secret there is no signature.
    let mut plain = channel("webhook");
    if let ChannelKind::Webhook(w) = &mut plain.kind {
        w.secret = None;
    }
    assert!(render(&plain, &n, now)
        .unwrap()
        .headers
        .iter()
        .all(|(h, _)| h != "Statuswatch-Signature"));
}

#[test]
fn pagerduty_is_not_told_about_maintenance() {
    let (_, mut n) = notifications().remove(0);
    n.kind = EventKind::MaintenanceScheduled;
    assert!(render(&channel("pagerduty"), &n, Utc::now()).is_none());
    assert!(render(&channel("slack"), &n, Utc::now()).is_some());
}

#[tokio::test]
async fn a_mattermost_message_reaches_its_webhook_as_rendered() {
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let (_, n) = notifications().remove(0);
    let c: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "ops", "kind": "mattermost", "url": "{}/hooks/xyz"}}"#,
        server.uri()
    ))
    .unwrap();
    c.validate().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let expected: serde_json::Value =
        serde_json::from_slice(&render(&c, &n, now).unwrap().body).unwrap();
    Mock::given(method("POST"))
        .and(path("/hooks/xyz"))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let client = statuswatch_notify::client("statuswatch-test").unwrap();
    assert!(statuswatch_notify::deliver(&client, &c, &n, now)
        .await
        .unwrap());
    // A Mattermost without its URL is refused at start-up, by name.
    let bad: ChannelConfig =
        serde_json::from_str(r#"{"name": "mm", "kind": "mattermost"}"#).unwrap();
    let e = bad.validate().unwrap_err().to_string();
    assert!(e.contains("mm") && e.contains("url"), "{e}");
}

#[test]
fn a_cloudevents_webhook_carries_the_same_body_as_data() {
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let plain = channel("webhook");
    let c: ChannelConfig = serde_json::from_str(
        r#"{"name": "ops", "kind": "webhook", "url": "https://hooks.example.com/in",
            "secret": "change-me", "format": "cloudevents"}"#,
    )
    .unwrap();
    c.validate().unwrap();
    for (event, n) in notifications() {
        let r = render(&c, &n, now).unwrap();
        assert_eq!(
            r.content_type,
            "application/cloudevents+json; charset=utf-8"
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        insta::assert_json_snapshot!(format!("webhook_cloudevents_{event}"), body);
        assert_eq!(body["specversion"], "1.0");
        assert_eq!(body["id"], n.event_id.as_str());
        assert_eq!(body["type"], format!("dev.statuswatch.{}", n.kind.as_str()));
        let contract: serde_json::Value =
            serde_json::from_slice(&render(&plain, &n, now).unwrap().body).unwrap();
        assert_eq!(body["data"], contract, "data is the webhook's own body");
        // Signed and keyed as the plain webhook is.
        let header = |k: &str| {
            r.headers
                .iter()
                .find(|(h, _)| h == k)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(header("Idempotency-Key"), Some(n.event_id.clone()));
        assert_eq!(
            header("Statuswatch-Signature").unwrap(),
            signature("change-me", now.timestamp(), &r.body)
        );
    }
    // A format of no name is refused when the configuration is read.
    let e = serde_json::from_str::<ChannelConfig>(
        r#"{"name": "ops", "kind": "webhook", "url": "https://h.example/x", "format": "xml"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("unknown variant `xml`") && e.contains("cloudevents"),
        "{e}"
    );
}

#[tokio::test]
async fn ntfy_and_telegram_reach_their_servers_as_rendered() {
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let (_, n) = notifications().remove(0);
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let config = |json: String| -> ChannelConfig {
        let c: ChannelConfig = serde_json::from_str(&json).unwrap();
        c.validate().unwrap();
        c
    };
    // ntfy: JSON published to the server's root, the token as a bearer.
    let ntfy = config(format!(
        r#"{{"name": "phone", "kind": "ntfy", "url": "{}/ops-vendors", "token": "tk_abc"}}"#,
        server.uri()
    ));
    let body: serde_json::Value =
        serde_json::from_slice(&render(&ntfy, &n, now).unwrap().body).unwrap();
    assert_eq!(body["topic"], "ops-vendors");
    assert_eq!(body["priority"], 4, "a major incident opened is high");
    Mock::given(method("POST"))
        .and(path("/"))
        .and(header("authorization", "Bearer tk_abc"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    // Telegram: sendMessage under the bot's token, HTML escaped.
    let telegram = config(format!(
        r#"{{"name": "tg", "kind": "telegram", "bot_token": "123456:ABC", "chat_id": "-100", "url": "{}"}}"#,
        server.uri()
    ));
    let body: serde_json::Value =
        serde_json::from_slice(&render(&telegram, &n, now).unwrap().body).unwrap();
    assert!(body["text"]
        .as_str()
        .unwrap()
        .contains("provisioning &lt;services&gt;"));
    Mock::given(method("POST"))
        .and(path("/bot123456:ABC/sendMessage"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = statuswatch_notify::client("statuswatch-test").unwrap();
    for c in [&ntfy, &telegram] {
        assert!(statuswatch_notify::deliver(&client, c, &n, now)
            .await
            .unwrap());
    }
    // Missing credentials are named at start-up; a token never shows.
    let e = |json: &str| {
        serde_json::from_str::<ChannelConfig>(json)
            .unwrap()
            .validate()
            .unwrap_err()
            .to_string()
    };
    assert!(e(r#"{"name": "tg", "kind": "telegram", "chat_id": "1"}"#).contains("needs bot_token"));
    assert!(
        e(r#"{"name": "tg", "kind": "telegram", "bot_token": "1:A"}"#).contains("needs chat_id")
    );
    assert!(
        e(r#"{"name": "n", "kind": "ntfy", "url": "https://ntfy.sh/"}"#).contains("names no topic")
    );
    assert!(!format!("{telegram:?}").contains("ABC"));
}

#[tokio::test]
async fn zulip_pushover_opsgenie_and_rocketchat_reach_their_servers_as_rendered() {
    use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let events = notifications();
    let config = |json: String| -> ChannelConfig {
        let c: ChannelConfig = serde_json::from_str(&json).unwrap();
        c.validate().unwrap();
        c
    };
    let zulip = config(format!(
        r#"{{"name": "z", "kind": "zulip", "url": "{}", "email": "bot@acme.zulipchat.com", "api_key": "k3y", "stream": "vendors"}}"#,
        server.uri()
    ));
    let (_, opened) = &events[0];
    let form = String::from_utf8(render(&zulip, opened, now).unwrap().body).unwrap();
    insta::assert_snapshot!("zulip_opened", form);
    assert!(form.starts_with("type=stream&to=vendors&topic=IONOS+Cloud&content="));
    Mock::given(method("POST"))
        .and(path("/api/v1/messages"))
        // bot@acme.zulipchat.com:k3y
        .and(header(
            "authorization",
            "Basic Ym90QGFjbWUuenVsaXBjaGF0LmNvbTprM3k=",
        ))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let pushover = config(format!(
        r#"{{"name": "p", "kind": "pushover", "token": "app-t0ken", "user": "us3r", "url": "{}/1/messages.json"}}"#,
        server.uri()
    ));
    let body: serde_json::Value =
        serde_json::from_slice(&render(&pushover, opened, now).unwrap().body).unwrap();
    assert_eq!(body["priority"], 1, "a major incident opened is high");
    Mock::given(method("POST"))
        .and(path("/1/messages.json"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let opsgenie = config(format!(
        r#"{{"name": "o", "kind": "opsgenie", "api_key": "g3nie", "url": "{}"}}"#,
        server.uri()
    ));
    for (p, q) in [
        ("/v2/alerts", None),
        ("/v2/alerts/statuswatch-01incident/notes", Some("alias")),
        ("/v2/alerts/statuswatch-01incident/close", Some("alias")),
    ] {
        let mut m = Mock::given(method("POST"))
            .and(path(p))
            .and(header("authorization", "GenieKey g3nie"));
        if let Some(q) = q {
            m = m.and(query_param("identifierType", q));
        }
        m.respond_with(ResponseTemplate::new(202))
            .expect(1)
            .mount(&server)
            .await;
    }
    let rocket = config(format!(
        r#"{{"name": "r", "kind": "rocketchat", "url": "{}/hooks/abc/def"}}"#,
        server.uri()
    ));
    Mock::given(method("POST"))
        .and(path("/hooks/abc/def"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = statuswatch_notify::client("statuswatch-test").unwrap();
    for c in [&zulip, &pushover, &rocket] {
        assert!(statuswatch_notify::deliver(&client, c, opened, now)
            .await
            .unwrap());
    }
    // Opsgenie: opened creates the alert, an update is a note, resolved closes it.
    for (_, n) in &events {
        assert!(statuswatch_notify::deliver(&client, &opsgenie, n, now)
            .await
            .unwrap());
    }
    let mut maintenance = events[0].1.clone();
    maintenance.kind = EventKind::MaintenanceScheduled;
    assert!(render(&opsgenie, &maintenance, now).is_none());
    // Missing credentials are named.
    let e = |json: &str| {
        serde_json::from_str::<ChannelConfig>(json)
            .unwrap()
            .validate()
            .unwrap_err()
            .to_string()
    };
    assert!(e(r#"{"name": "o", "kind": "opsgenie"}"#).contains("needs api_key"));
    assert!(e(r#"{"name": "p", "kind": "pushover", "token": "t"}"#).contains("needs user"));
    assert!(e(r#"{"name": "z", "kind": "zulip", "url": "https://z.example", "email": "b@z", "api_key": "k"}"#).contains("needs stream"));
}

#[tokio::test]
async fn a_matrix_notice_is_put_once_under_the_events_id() {
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let now = Utc.with_ymd_and_hms(2026, 5, 3, 19, 0, 0).unwrap();
    let (_, n) = notifications().remove(0);
    let c: ChannelConfig = serde_json::from_str(&format!(
        r#"{{"name": "m", "kind": "matrix", "url": "{}", "access_token": "syt_t0ken", "room_id": "!ops:example.org"}}"#,
        server.uri()
    ))
    .unwrap();
    c.validate().unwrap();
    let r = render(&c, &n, now).unwrap();
    assert_eq!(r.method, statuswatch_notify::Method::Put);
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(body["formatted_body"]
        .as_str()
        .unwrap()
        .contains("provisioning &lt;services&gt;"));
    // The transaction id is the event's: a retry is the same message.
    Mock::given(method("PUT"))
        .and(path(
            "/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/m.room.message/01event-open",
        ))
        .and(header("authorization", "Bearer syt_t0ken"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"event_id":"$x"}"#))
        .expect(2)
        .mount(&server)
        .await;
    let client = statuswatch_notify::client("statuswatch-test").unwrap();
    for _ in 0..2 {
        assert!(statuswatch_notify::deliver(&client, &c, &n, now)
            .await
            .unwrap());
    }
    let e = serde_json::from_str::<ChannelConfig>(
        r##"{"name": "m", "kind": "matrix", "url": "https://m.example", "access_token": "t", "room_id": "#ops:example.org"}"##,
    )
    .unwrap()
    .validate()
    .unwrap_err()
    .to_string();
    assert!(e.contains("not a room id"), "{e}");
}
