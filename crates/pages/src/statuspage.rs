//! A page of one's own in Atlassian Statuspage's public API v2 form: the same
//! field names, id forms and status words, so every Statuspage client (and
//! statuswatch's own adapter) reads it. Pure: stored values in, JSON out.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use statuswatch_model::{ComponentState, ComponentStatus, Incident, Kind, Status};
use statuswatch_store::{Page, Source, StoredIncident};

/// A stable id in Statuspage's form (12 characters of `[0-9a-z]`) for `parts`.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..12)
        .map(|_| {
            let c = ALPHABET[(h % 36) as usize] as char;
            h /= 36;
            c
        })
        .collect()
}

/// Times as Statuspage writes them: milliseconds and `Z`.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn opt_time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(time(t)))
}

/// What is needed to write a page's answers.
pub struct Wire<'a> {
    /// The page.
    pub page: &'a Page,
    /// Its source (components, last change).
    pub source: &'a Source,
    /// Its incidents and maintenances, newest first.
    pub incidents: &'a [StoredIncident],
    /// The watched vendors it shows, as components of their own group.
    pub externals: Vec<ComponentState>,
    /// The page's absolute base URL (`http://host/status/<slug>`).
    pub base: String,
}

impl Wire<'_> {
    fn page_id(&self) -> String {
        stable_id(&["page", &self.page.slug])
    }

    fn updated_at(&self) -> DateTime<Utc> {
        self.incidents
            .iter()
            .filter_map(|s| s.incident.last_update_at())
            .chain(self.source.health.last_poll_at)
            .max()
            .unwrap_or(self.page.created_at)
    }

    /// The `page` object every answer starts with.
    pub fn page(&self) -> Value {
        json!({
            "id": self.page_id(),
            "name": self.page.title,
            "url": self.base,
            "time_zone": "Etc/UTC",
            "updated_at": time(self.updated_at()),
        })
    }

    fn group_id(&self, group: &str) -> String {
        stable_id(&["group", &self.page.slug, group])
    }

    fn component_id(&self, c: &ComponentState) -> String {
        stable_id(&[
            "component",
            &self.page.slug,
            c.group.as_deref().unwrap_or(""),
            &c.name,
        ])
    }

    fn component(&self, c: &ComponentState, position: usize) -> Value {
        json!({
            "id": self.component_id(c),
            "name": c.name,
            "status": c.status,
            "created_at": time(self.page.created_at),
            "updated_at": time(self.source.health.last_poll_at.unwrap_or(self.page.created_at)),
            "position": position,
            "description": null,
            "showcase": true,
            "start_date": null,
            "group_id": c.group.as_deref().map(|g| self.group_id(g)),
            "page_id": self.page_id(),
            "group": false,
            "only_show_if_degraded": false,
        })
    }

    /// Every component, each group first as a component of its own (with the
    /// worst state of its members), as Statuspage lists them.
    pub fn components(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut seen_groups: Vec<&str> = Vec::new();
        let all: Vec<&ComponentState> = self
            .source
            .components
            .iter()
            .chain(&self.externals)
            .collect();
        for c in all.iter().copied() {
            match c.group.as_deref() {
                None => out.push(self.component(c, out.len() + 1)),
                Some(g) if !seen_groups.contains(&g) => {
                    seen_groups.push(g);
                    let members: Vec<&ComponentState> = all
                        .iter()
                        .copied()
                        .filter(|m| m.group.as_deref() == Some(g))
                        .collect();
                    let worst = ComponentStatus::worst(members.iter().map(|m| m.state))
                        .unwrap_or(ComponentStatus::Operational);
                    let group = json!({
                        "id": self.group_id(g),
                        "name": g,
                        "status": crate::domain::component_word(worst),
                        "created_at": time(self.page.created_at),
                        "updated_at": time(self.source.health.last_poll_at.unwrap_or(self.page.created_at)),
                        "position": out.len() + 1,
                        "description": null,
                        "showcase": false,
                        "start_date": null,
                        "group_id": null,
                        "page_id": self.page_id(),
                        "group": true,
                        "only_show_if_degraded": false,
                        "components": members.iter().map(|m| self.component_id(m)).collect::<Vec<_>>(),
                    });
                    out.push(group);
                    for m in members {
                        out.push(self.component(m, out.len() + 1));
                    }
                }
                Some(_) => {}
            }
        }
        out
    }

    /// The page's worst component state, Statuspage's indicator word for it
    /// and the sentence it shows.
    pub fn overall(&self) -> (ComponentStatus, &'static str, &'static str) {
        let worst = ComponentStatus::worst(self.source.components.iter().map(|c| c.state))
            .unwrap_or(ComponentStatus::Operational);
        let (indicator, description) = match worst {
            ComponentStatus::MajorOutage => ("critical", "Major System Outage"),
            ComponentStatus::PartialOutage => ("major", "Partial System Outage"),
            ComponentStatus::Degraded => ("minor", "Minor Service Outage"),
            ComponentStatus::Maintenance => ("maintenance", "Service Under Maintenance"),
            _ => ("none", "All Systems Operational"),
        };
        (worst, indicator, description)
    }

    /// The overall indicator: the worst component's state.
    pub fn status(&self) -> Value {
        let (_, indicator, description) = self.overall();
        json!({ "indicator": indicator, "description": description })
    }

    fn affected(&self, i: &Incident) -> Vec<Value> {
        self.source
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                i.components
                    .iter()
                    .any(|a| a.name == c.name && a.group == c.group)
            })
            .map(|(n, c)| self.component(c, n + 1))
            .collect()
    }

    /// One incident or maintenance.
    pub fn incident(&self, s: &StoredIncident) -> Value {
        let i = &s.incident;
        let id = &i.vendor_id;
        let created = i.first_update_at().unwrap_or(s.detected_at);
        let updated = i.last_update_at().unwrap_or(created);
        let monitoring = i
            .updates
            .iter()
            .find(|u| u.status == Status::Monitoring)
            .and_then(|u| u.at);
        // Newest first, as Statuspage lists them.
        let updates: Vec<Value> = i
            .updates
            .iter()
            .rev()
            .map(|u| {
                let at = opt_time(u.at.or(Some(created)));
                json!({
                    "id": u.vendor_id.clone().unwrap_or_else(|| stable_id(&[id, &u.key()])),
                    "status": u.status.as_str(),
                    "body": u.body,
                    "incident_id": id,
                    "created_at": at,
                    "updated_at": at,
                    "display_at": at,
                    "affected_components": null,
                    "deliver_notifications": true,
                    "custom_tweet": null,
                    "tweet_id": null,
                })
            })
            .collect();
        let impact = match i.kind {
            Kind::Maintenance => "maintenance",
            Kind::Incident => i.impact.map_or("none", |x| x.as_str()),
        };
        let mut v = json!({
            "id": id,
            "name": i.title,
            "status": i.status.as_str(),
            "created_at": time(created),
            "updated_at": time(updated),
            "monitoring_at": opt_time(monitoring),
            "resolved_at": opt_time(i.resolved_at),
            "impact": impact,
            "shortlink": format!("{}/incidents/{id}", self.base),
            "started_at": opt_time(i.started_at.or(Some(created))),
            "page_id": self.page_id(),
            "incident_updates": updates,
            "components": self.affected(i),
        });
        if i.kind == Kind::Maintenance {
            v["scheduled_for"] = opt_time(i.scheduled_for);
            v["scheduled_until"] = opt_time(i.scheduled_until);
        } else {
            v["reminder_intervals"] = Value::Null;
        }
        v
    }

    fn list(&self, pick: impl Fn(&Incident) -> bool, limit: usize) -> Vec<Value> {
        self.incidents
            .iter()
            .filter(|s| pick(&s.incident))
            .take(limit)
            .map(|s| self.incident(s))
            .collect()
    }

    /// Incidents (not maintenances) the filter keeps, newest first, at most 50.
    pub fn incidents(&self, unresolved_only: bool) -> Vec<Value> {
        self.list(
            |i| i.kind == Kind::Incident && (!unresolved_only || !i.status.is_terminal()),
            50,
        )
    }

    /// Maintenances in these statuses (all when empty), newest first, at most 50.
    pub fn maintenances(&self, statuses: &[Status]) -> Vec<Value> {
        self.list(
            |i| {
                i.kind == Kind::Maintenance && (statuses.is_empty() || statuses.contains(&i.status))
            },
            50,
        )
    }

    /// `summary.json`.
    pub fn summary(&self) -> Value {
        json!({
            "page": self.page(),
            "components": self.components(),
            "incidents": self.incidents(true),
            "scheduled_maintenances": self.maintenances(&[Status::Scheduled, Status::InProgress, Status::Verifying]),
            "status": self.status(),
        })
    }
}
