//! Every adapter entry point reads any bytes without panicking: arbitrary
//! bytes, and structure-aware mutations of every committed fixture (JSON
//! values deleted, retyped, given impossible dates; feeds and pages cut,
//! spliced and salted with markup). A property test that runs on every
//! `cargo test`; raise `PROPTEST_CASES` for a long run. Cases that ever failed
//! are kept in `never_panics.proptest-regressions` and re-run first.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;
use statuswatch_sources::{parse, Context, Role, REGISTRY};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use url::Url;

/// Every role a platform names for any of these URLs, by endpoint or probe.
fn roles() -> &'static Vec<&'static Role> {
    static ROLES: OnceLock<Vec<&'static Role>> = OnceLock::new();
    ROLES.get_or_init(|| {
        let urls = [
            "https://status.example.com/",
            "https://status.example.com/api/v3/",
            "https://status.example.com/pages/5f33a8cb5c2f8c04c6c2a7b1",
            "https://status.example.com/history.atom",
            "https://status.example.com/history.rss",
            "https://status.cloud.google.com/",
            "https://health.aws.amazon.com/health/status",
            "https://status.aws.amazon.com/rss/all.rss",
            "https://azure.status.microsoft/en-us/status/feed/",
            "https://status.heroku.com/",
            "https://slack-status.com/",
        ];
        let mut by_name = BTreeMap::new();
        for spec in REGISTRY {
            for u in urls {
                let u = Url::parse(u).unwrap();
                for e in (spec.endpoints)(&u) {
                    by_name.insert((e.role.platform, e.role.name), e.role);
                }
                for p in (spec.probes)(&u, true) {
                    by_name.insert((p.role.platform, p.role.name), p.role);
                }
            }
        }
        by_name.into_values().collect()
    })
}

/// The committed fixtures, every platform's.
fn fixtures() -> &'static Vec<Vec<u8>> {
    static FIXTURES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut out = Vec::new();
        for dir in std::fs::read_dir(&root).unwrap() {
            let dir = dir.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|f| f.unwrap().path())
                .collect();
            files.sort();
            for f in files {
                out.push(std::fs::read(f).unwrap());
            }
        }
        assert!(
            out.len() >= 30,
            "fixtures not found under {}",
            root.display()
        );
        out
    })
}

fn ctx() -> Context {
    Context {
        now: Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap(),
        ..Context::default()
    }
}

/// Every role reads `body`: no panic, and what it accepts is a snapshot that
/// serialises and whose incidents have keys.
fn read_everywhere(body: &[u8]) -> Result<(), TestCaseError> {
    for role in roles() {
        let mut c = ctx();
        if let Ok(snap) = parse(role, body, &mut c) {
            prop_assert!(serde_json::to_string(&snap).is_ok());
            for i in &snap.incidents {
                prop_assert!(
                    !i.vendor_id.is_empty(),
                    "{}/{}: an incident without a key",
                    role.platform,
                    role.name
                );
            }
        }
    }
    Ok(())
}

/// Values that break assumptions: impossible dates, odd types, huge numbers.
fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        prop::sample::select(vec![
            "",
            "2026-02-30T25:61:00Z",
            "0000-00-00T00:00:00.000Z",
            "9999-12-31T23:59:59+14:00",
            "-0001-01-01T00:00:00Z",
            "2026-13-01",
            "1970-01-01T00:00:00Z",
            "investigating",
            "resolved",
            "major_outage",
            "under_maintenance",
            "critical",
            "<p>x</p>",
            "\u{0}",
            "é→·",
        ])
        .prop_map(|s| Value::String(s.to_string())),
        any::<String>().prop_map(Value::String),
        Just(Value::Array(vec![])),
        Just(Value::Object(Default::default())),
    ]
}

/// One edit of a JSON tree, at a path chosen by `pick`.
#[derive(Debug, Clone)]
enum Edit {
    Remove(u64),
    Replace(u64, Value),
    Duplicate(u64),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            any::<u64>().prop_map(Edit::Remove),
            (any::<u64>(), odd_value()).prop_map(|(p, v)| Edit::Replace(p, v)),
            any::<u64>().prop_map(Edit::Duplicate),
        ],
        1..8,
    )
}

/// The number of nodes of a tree.
fn size(v: &Value) -> u64 {
    1 + match v {
        Value::Array(a) => a.iter().map(size).sum(),
        Value::Object(o) => o.values().map(size).sum(),
        _ => 0,
    }
}

/// Applies a replacement or duplication to the `n`th node below `v`
/// (pre-order); true when done.
fn apply(v: &mut Value, n: &mut u64, edit: &Edit) -> bool {
    let children: Vec<&mut Value> = match v {
        Value::Array(a) => a.iter_mut().collect(),
        Value::Object(o) => o.values_mut().collect(),
        _ => return false,
    };
    for child in children {
        if *n == 0 {
            match edit {
                Edit::Replace(_, new) => *child = new.clone(),
                Edit::Duplicate(_) => {
                    let copy = child.clone();
                    *child = Value::Array(vec![copy.clone(), copy]);
                }
                Edit::Remove(_) => unreachable!("removal is remove_nth's"),
            }
            return true;
        }
        *n -= 1;
        if apply(child, n, edit) {
            return true;
        }
    }
    false
}

/// Applies the edits in turn, each at a node chosen modulo the tree's size.
fn mutate_json(mut v: Value, edits: &[Edit]) -> Value {
    for e in edits {
        let total = size(&v).max(1);
        let at = match e {
            Edit::Remove(p) | Edit::Replace(p, _) | Edit::Duplicate(p) => p % total,
        };
        let mut n = at;
        if let Edit::Remove(_) = e {
            remove_nth(&mut v, &mut n);
        } else {
            apply(&mut v, &mut n, e);
        }
    }
    v
}

/// Removes the `n`th node (pre-order, the root excluded): an object's key or
/// an array's element.
fn remove_nth(v: &mut Value, n: &mut u64) -> bool {
    match v {
        Value::Array(a) => {
            for i in 0..a.len() {
                if *n == 0 {
                    a.remove(i);
                    return true;
                }
                *n -= 1;
                if remove_nth(&mut a[i], n) {
                    return true;
                }
            }
            false
        }
        Value::Object(o) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if *n == 0 {
                    o.remove(&k);
                    return true;
                }
                *n -= 1;
                if remove_nth(o.get_mut(&k).unwrap(), n) {
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}

/// Markup and words that steer byte mutations of feeds and pages into the
/// parsers' branches.
const SALT: &[&str] = &[
    "<item>",
    "</item>",
    "<entry>",
    "</entry>",
    "<title>",
    "</title>",
    "<pubDate>",
    "<updated>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#0;",
    "&",
    "<",
    "<p>",
    "<strong>",
    "<small>",
    "Resolved -",
    "Investigating -",
    "Mon, 31 Feb 2026 25:00:00 GMT",
    "2026-02-30T00:00:00Z",
    "\u{0}",
    "\u{feff}",
    "é",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
];

#[derive(Debug, Clone)]
enum Cut {
    Truncate(usize),
    Delete(usize, usize),
    Repeat(usize, usize),
    Insert(usize, &'static str),
    Flip(usize, u8),
}

fn cuts() -> impl Strategy<Value = Vec<Cut>> {
    prop::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(Cut::Truncate),
            (any::<usize>(), 0usize..200).prop_map(|(a, n)| Cut::Delete(a, n)),
            (any::<usize>(), 0usize..200).prop_map(|(a, n)| Cut::Repeat(a, n)),
            (any::<usize>(), prop::sample::select(SALT)).prop_map(|(a, s)| Cut::Insert(a, s)),
            (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Cut::Flip(a, b)),
        ],
        1..6,
    )
}

fn mutate_bytes(mut b: Vec<u8>, cuts: &[Cut]) -> Vec<u8> {
    for c in cuts {
        let len = b.len().max(1);
        match *c {
            Cut::Truncate(a) => b.truncate(a % len),
            Cut::Delete(a, n) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                if a < end {
                    b.drain(a..end);
                }
            }
            Cut::Repeat(a, n) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                if a < end {
                    let piece = b[a..end].to_vec();
                    b.splice(end..end, piece);
                }
            }
            Cut::Insert(a, s) => {
                let a = (a % len).min(b.len());
                b.splice(a..a, s.bytes());
            }
            Cut::Flip(a, x) => {
                if !b.is_empty() {
                    let a = a % b.len();
                    b[a] ^= x;
                }
            }
        }
    }
    b
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

#[test]
fn every_platform_has_a_role_here() {
    let platforms: std::collections::BTreeSet<_> = roles().iter().map(|r| r.platform).collect();
    for spec in REGISTRY {
        assert!(
            platforms.contains(spec.name),
            "no role of {} is fuzzed",
            spec.name
        );
    }
    assert!(roles().len() >= 25, "only {} roles", roles().len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_everywhere(&body)?;
    }

    #[test]
    fn mutated_json_fixtures(which in any::<prop::sample::Index>(), edits in edits()) {
        let all = fixtures();
        let jsons: Vec<Value> = all.iter().filter_map(|b| serde_json::from_slice(b).ok()).collect();
        let v = jsons[which.index(jsons.len())].clone();
        let body = serde_json::to_vec(&mutate_json(v, &edits)).unwrap();
        read_everywhere(&body)?;
    }

    #[test]
    fn mutated_fixture_bytes(which in any::<prop::sample::Index>(), cuts in cuts()) {
        let all = fixtures();
        let body = mutate_bytes(all[which.index(all.len())].clone(), &cuts);
        read_everywhere(&body)?;
    }
}
