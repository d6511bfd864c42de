//! A page of one's own in Atlassian Statuspage's public API v2 form: the same
//! field names, id forms and status words, so every Statuspage client (and
//! statuswatch's own adapter) reads it. Pure: stored values in, the typed
//! wire structs statuswatch reads Statuspage pages with
//! ([`statuswatch_sources::statuspage::wire`]) out.

use chrono::{DateTime, SecondsFormat, Utc};
use statuswatch_model::{ComponentState, ComponentStatus, Incident, Kind, Status};
use statuswatch_sources::statuspage::wire;
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

fn opt_time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(time)
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

/// One of the answers of the API v2, by its path under `api/v2/`.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// `summary.json`.
    Summary(wire::Summary),
    /// Every other answer: the page and one list (or the status).
    List(wire::List),
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
    pub fn page(&self) -> wire::Page {
        wire::Page {
            id: self.page_id(),
            name: Some(self.page.title.clone()),
            url: Some(self.base.clone()),
            time_zone: "Etc/UTC".into(),
            updated_at: time(self.updated_at()),
        }
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

    /// A component (or, `members` given, a group) as every answer lists it.
    fn entry(
        &self,
        id: String,
        name: &str,
        status: &str,
        position: usize,
        group_id: Option<String>,
        members: Option<Vec<String>>,
    ) -> wire::Component {
        wire::Component {
            id,
            name: name.to_string(),
            status: Some(status.to_string()),
            created_at: time(self.page.created_at),
            updated_at: time(
                self.source
                    .health
                    .last_poll_at
                    .unwrap_or(self.page.created_at),
            ),
            position: Some(position as i64),
            description: None,
            showcase: members.is_none(),
            start_date: None,
            group_id,
            page_id: self.page_id(),
            group: Some(members.is_some()),
            only_show_if_degraded: false,
            components: members,
        }
    }

    fn component(&self, c: &ComponentState, position: usize) -> wire::Component {
        let group_id = c.group.as_deref().map(|g| self.group_id(g));
        self.entry(
            self.component_id(c),
            &c.name,
            &c.status,
            position,
            group_id,
            None,
        )
    }

    /// Every component, each group first as a component of its own (with the
    /// worst state of its members), as Statuspage lists them.
    pub fn components(&self) -> Vec<wire::Component> {
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
                    let ids = members.iter().map(|m| self.component_id(m)).collect();
                    let group = self.entry(
                        self.group_id(g),
                        g,
                        crate::domain::component_word(worst),
                        out.len() + 1,
                        None,
                        Some(ids),
                    );
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
    pub fn status(&self) -> wire::Indicator {
        let (_, indicator, description) = self.overall();
        wire::Indicator {
            indicator: indicator.into(),
            description: description.into(),
        }
    }

    fn affected(&self, i: &Incident) -> Vec<wire::Component> {
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
    pub fn incident(&self, s: &StoredIncident) -> wire::Incident {
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
        let updates = i
            .updates
            .iter()
            .rev()
            .map(|u| {
                let at = opt_time(u.at.or(Some(created)));
                wire::IncidentUpdate {
                    id: Some(
                        u.vendor_id
                            .clone()
                            .unwrap_or_else(|| stable_id(&[id, &u.key()])),
                    ),
                    status: u.status.as_str().into(),
                    body: Some(u.body.clone()),
                    incident_id: id.clone(),
                    created_at: at.clone(),
                    updated_at: at.clone(),
                    display_at: at,
                    affected_components: None,
                    deliver_notifications: true,
                    custom_tweet: None,
                    tweet_id: None,
                }
            })
            .collect();
        let maintenance = i.kind == Kind::Maintenance;
        let impact = match i.kind {
            Kind::Maintenance => "maintenance",
            Kind::Incident => i.impact.map_or("none", |x| x.as_str()),
        };
        wire::Incident {
            id: id.clone(),
            name: i.title.clone(),
            status: i.status.as_str().into(),
            created_at: Some(time(created)),
            updated_at: Some(time(updated)),
            monitoring_at: opt_time(monitoring),
            resolved_at: opt_time(i.resolved_at),
            impact: Some(impact.into()),
            shortlink: Some(format!("{}/incidents/{id}", self.base)),
            started_at: opt_time(i.started_at.or(Some(created))),
            page_id: self.page_id(),
            incident_updates: updates,
            components: Some(self.affected(i)),
            scheduled_for: opt_time(i.scheduled_for.filter(|_| maintenance)),
            scheduled_until: opt_time(i.scheduled_until.filter(|_| maintenance)),
            reminder_intervals: (!maintenance).then_some(None),
        }
    }

    fn list(&self, pick: impl Fn(&Incident) -> bool, limit: usize) -> Vec<wire::Incident> {
        self.incidents
            .iter()
            .filter(|s| pick(&s.incident))
            .take(limit)
            .map(|s| self.incident(s))
            .collect()
    }

    /// Incidents (not maintenances) the filter keeps, newest first, at most 50.
    pub fn incidents(&self, unresolved_only: bool) -> Vec<wire::Incident> {
        self.list(
            |i| i.kind == Kind::Incident && (!unresolved_only || !i.status.is_terminal()),
            50,
        )
    }

    /// Maintenances in these statuses (all when empty), newest first, at most 50.
    pub fn maintenances(&self, statuses: &[Status]) -> Vec<wire::Incident> {
        self.list(
            |i| {
                i.kind == Kind::Maintenance && (statuses.is_empty() || statuses.contains(&i.status))
            },
            50,
        )
    }

    /// `summary.json`.
    pub fn summary(&self) -> wire::Summary {
        wire::Summary {
            page: self.page(),
            components: self.components(),
            incidents: self.incidents(true),
            scheduled_maintenances: self.maintenances(&[
                Status::Scheduled,
                Status::InProgress,
                Status::Verifying,
            ]),
            status: Some(self.status()),
        }
    }

    /// The answer at `path` under `api/v2/` (`None`: the API has none).
    pub fn answer(&self, path: &str) -> Option<Answer> {
        let list = |f: &dyn Fn(&mut wire::List)| {
            let mut l = wire::List {
                page: self.page(),
                incidents: None,
                scheduled_maintenances: None,
                components: None,
                status: None,
            };
            f(&mut l);
            Answer::List(l)
        };
        Some(match path {
            "summary.json" => Answer::Summary(self.summary()),
            "status.json" => list(&|l| l.status = Some(self.status())),
            "components.json" => list(&|l| l.components = Some(self.components())),
            "incidents.json" => list(&|l| l.incidents = Some(self.incidents(false))),
            "incidents/unresolved.json" => list(&|l| l.incidents = Some(self.incidents(true))),
            "scheduled-maintenances.json" => {
                list(&|l| l.scheduled_maintenances = Some(self.maintenances(&[])))
            }
            "scheduled-maintenances/upcoming.json" => {
                list(&|l| l.scheduled_maintenances = Some(self.maintenances(&[Status::Scheduled])))
            }
            "scheduled-maintenances/active.json" => list(&|l| {
                l.scheduled_maintenances =
                    Some(self.maintenances(&[Status::InProgress, Status::Verifying]))
            }),
            _ => return None,
        })
    }
}
