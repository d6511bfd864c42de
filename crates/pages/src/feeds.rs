//! A page's history feeds in Statuspage's form: one entry per incident or
//! maintenance, its updates newest first as `<small>time</small><br>
//! <strong>Status</strong> - text` paragraphs.

use crate::read::Published;
use crate::statuspage::time;
use chrono::{DateTime, Utc};
use statuswatch_store::StoredIncident;

use statuswatch_view::clean::{ics_text, xml_escape as escape};

/// The updates of `s` as Statuspage's feed content (HTML, not yet escaped).
fn content(s: &StoredIncident) -> String {
    s.incident
        .updates
        .iter()
        .rev()
        .map(|u| {
            let at =
                u.at.map(|t| {
                    format!(
                        "{} <var data-var='date'>{}</var>, <var data-var='time'>{}</var> UTC",
                        t.format("%b"),
                        t.format("%-d"),
                        t.format("%H:%M")
                    )
                })
                .unwrap_or_default();
            format!(
                "<p><small>{at}</small><br><strong>{}</strong> - {}</p>",
                escape(&u.label),
                escape(&u.body)
            )
        })
        .collect()
}

fn updated(s: &StoredIncident) -> DateTime<Utc> {
    s.incident.last_update_at().unwrap_or(s.detected_at)
}

/// `history.atom`.
pub fn atom(own: &Published) -> String {
    // Without a public address the feed's ids are named by the page alone.
    let host = own
        .base
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("statuswatch");
    let newest = own
        .incidents
        .iter()
        .map(updated)
        .max()
        .unwrap_or(own.page.created_at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<feed xml:lang=\"en-US\" xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!(
        "  <id>tag:{host},2005:/status/{}/history</id>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/history.atom\"/>\n  <title>{} Status - Incident History</title>\n  <updated>{}</updated>\n  <author>\n    <name>{}</name>\n  </author>\n",
        own.page.slug,
        escape(&own.base),
        escape(&own.base),
        escape(&own.page.title),
        time(newest),
        escape(&own.page.title)
    ));
    for s in own.incidents.iter().take(25) {
        let i = &s.incident;
        out.push_str(&format!(
            "  <entry>\n    <id>tag:{host},2005:Incident/{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}/incidents/{}\"/>\n    <title>{}</title>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            escape(&i.vendor_id),
            time(i.first_update_at().unwrap_or(s.detected_at)),
            time(updated(s)),
            escape(&own.base),
            escape(&i.vendor_id),
            escape(&i.title),
            escape(&content(s))
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// `history.rss`.
pub fn rss(own: &Published) -> String {
    let newest = own
        .incidents
        .iter()
        .map(updated)
        .max()
        .unwrap_or(own.page.created_at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n  <channel>\n",
    );
    out.push_str(&format!(
        "    <title>{} Status - Incident History</title>\n    <link>{}</link>\n    <description>Statuspage</description>\n    <pubDate>{}</pubDate>\n",
        escape(&own.page.title),
        escape(&own.base),
        newest.to_rfc2822()
    ));
    for s in own.incidents.iter().take(25) {
        let i = &s.incident;
        let link = format!("{}/incidents/{}", own.base, i.vendor_id);
        out.push_str(&format!(
            "    <item>\n      <title>{}</title>\n      <description>{}</description>\n      <pubDate>{}</pubDate>\n      <link>{}</link>\n      <guid>{}</guid>\n    </item>\n",
            escape(&i.title),
            escape(&content(s)),
            i.first_update_at().unwrap_or(s.detected_at).to_rfc2822(),
            escape(&link),
            escape(&link)
        ));
    }
    out.push_str("  </channel>\n</rss>\n");
    out
}

/// The page's maintenances as an iCalendar feed (RFC 5545): one event per
/// maintenance with a window, so a calendar shows what is planned. A
/// completed one stays (marked so); one without a window is left out.
pub fn ics(own: &Published) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let mut cal = Calendar::new();
    cal.name(&format!("{} maintenance", own.page.title));
    for s in &own.incidents {
        let i = &s.incident;
        let (Some(from), Some(until)) = (i.scheduled_for, i.scheduled_until) else {
            continue;
        };
        if i.kind != statuswatch_model::Kind::Maintenance {
            continue;
        }
        let mut e = Event::new();
        e.uid(&format!("{}@statuswatch/{}", i.vendor_id, own.page.slug))
            .summary(&ics_text(&i.title))
            .starts(from)
            .ends(until)
            .timestamp(i.last_update_at().unwrap_or(s.detected_at))
            .url(&format!("{}/incidents/{}", own.base, i.vendor_id))
            .status(EventStatus::Confirmed);
        let mut text: Vec<String> = i
            .updates
            .iter()
            .map(|u| format!("{}: {}", u.label, u.body))
            .collect();
        if !i.components.is_empty() {
            text.push(format!(
                "Affected: {}",
                i.components
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        e.description(&ics_text(&text.join("\n")));
        e.add_property("X-STATUSWATCH-STATUS", i.status.as_str());
        cal.push(e.done());
    }
    cal.done().to_string()
}
