//! Affected components as pages write them.

use statuswatch_model::Component;

/// Reads Statuspage's list: `Group (a, b), Other Group (c), and d.`
///
/// Items are separated by commas at the top level (not inside parentheses);
/// `Name (x, y)` is a group with its components. Statuspage lists grouped
/// components before ungrouped ones, so words before a group that have no
/// parentheses of their own are part of that group's name (group names may
/// contain commas: `Europe, Middle East (Frankfurt, Dubai)`).
pub fn parse_affected_list(list: &str) -> Vec<Component> {
    let list = list.trim().trim_end_matches('.').trim();
    // `Group (a, b) and c`: after a group's parenthesis, ` and ` separates items.
    // Statuspage joins its list as `A, B, and C`, and two as `A and B` (in
    // other languages `A y B`, `A und B`): the last conjunction outside
    // parentheses ends one item for sure (a group's name may hold commas,
    // `Europe, Middle East (Frankfurt, Dubai)`, but no conjunction).
    let list = list.replace(") and ", "), ");
    if let Some((head, tail)) = split_last_conjunction(&list) {
        // The one conjunction: what comes before it is split at commas only
        // (`Voice and Video Escalation Service` is one name).
        let mut out = parse_items(head);
        for c in parse_items(tail) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        return out;
    }
    parse_items(&list)
}

/// Items separated by commas at the top level, `Group (a, b)` a group.
fn parse_items(list: &str) -> Vec<Component> {
    let items = split_top_level(list);
    let mut out: Vec<Component> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim();
        let item = item.strip_prefix("and ").unwrap_or(item).trim();
        if item.is_empty() {
            continue;
        }
        match group_split(item) {
            Some((name, inner)) => {
                pending.push(name.to_string());
                let group = pending.join(", ");
                pending.clear();
                for child in split_top_level(inner) {
                    let child = child.trim();
                    let child = child.strip_prefix("and ").unwrap_or(child).trim();
                    if !child.is_empty() {
                        push(&mut out, child, Some(group.clone()));
                    }
                }
            }
            None => pending.push(item.to_string()),
        }
    }
    for name in pending {
        push(&mut out, &name, None);
    }
    out
}

/// `A, B and C (d)` -> (`A, B`, `C (d)`): a list cut at its last
/// conjunction (` and `, or another language's) outside parentheses.
fn split_last_conjunction(list: &str) -> Option<(&str, &str)> {
    for and in [
        " and ", " y ", " e ", " et ", " und ", " en ", " i ", " ve ", " och ", " og ",
    ] {
        let mut depth = 0i32;
        let mut last = None;
        for (i, c) in list.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth == 0 && list[i..].starts_with(and) => last = Some(i),
                _ => {}
            }
        }
        if let Some(i) = last {
            return Some((list[..i].trim_end_matches(','), &list[i + and.len()..]));
        }
    }
    None
}

fn push(out: &mut Vec<Component>, name: &str, group: Option<String>) {
    let c = Component {
        name: name.to_string(),
        group,
    };
    if !out.contains(&c) {
        out.push(c);
    }
}

/// `Name (inner)` where the parentheses close at the end of the item and
/// `inner` holds a comma-separated list (else the parentheses belong to the name,
/// as in `Data Center Designer (DCD)`... unless it is the only way to read it).
fn group_split(item: &str) -> Option<(&str, &str)> {
    if !item.ends_with(')') {
        return None;
    }
    let open = matching_open(item)?;
    let name = item[..open].trim();
    let inner = &item[open + 1..item.len() - 1];
    if name.is_empty() || abbreviation(name, inner) {
        return None;
    }
    Some((name, inner))
}

/// `Inbound Email Security (IES)`: the parentheses hold the name's
/// abbreviation (capitals starting as the name starts), not a component.
fn abbreviation(name: &str, inner: &str) -> bool {
    let inner = inner.trim();
    (2..=6).contains(&inner.chars().count())
        && inner.chars().all(|c| c.is_ascii_uppercase())
        && name.split_whitespace().count() >= 2
        && name.chars().next() == inner.chars().next()
}

/// The index of the `(` matching the final `)`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits at commas outside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Splits names a page ran together when its markup was copied as text
/// (`Data Center Designer (DCD)Cloud APIManaged Kubernetes`): a new name starts
/// at a capital that follows `)` or that starts a capitalised word glued to the
/// previous word of four letters or more, or to an acronym (`APIManaged`,
/// `KubernetesManaged`). Known limitation: a name such as `PagerDuty` is split
/// too; names separated by commas are split at the commas instead.
pub fn split_run_together(line: &str) -> Vec<String> {
    if line.contains(", ") {
        return line
            .split(", ")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if i > 0 && c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let word: Vec<char> = cur
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            let acronym =
                word.len() >= 2 && word.iter().all(|c| c.is_uppercase() || c.is_ascii_digit());
            // `RegionEMEA Region`: an acronym glued to a word of four letters or more.
            let upper_run = chars[i..].iter().take_while(|c| c.is_uppercase()).count();
            let after_run = chars.get(i + upper_run);
            // Only where the word comes back after the acronym, as names run
            // together repeat their last word (`GraphQL` is one name).
            let tail: String = word.iter().rev().collect();
            let acronym_glued = prev.is_lowercase()
                && word.len() >= 4
                && upper_run >= 2
                && after_run.is_none_or(|c| c.is_whitespace())
                && chars[i + upper_run..]
                    .iter()
                    .collect::<String>()
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| w.starts_with(&tail));
            let glued = prev == ')'
                || acronym_glued
                || (next_lower && prev.is_alphanumeric() && (acronym || word.len() >= 4) && {
                    // the rest of the new word must be at least 3 letters long
                    chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_lowercase())
                        .count()
                        >= 2
                });
            if glued {
                out.push(cur.trim().to_string());
                cur.clear();
            }
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Names that repeat the line's first word: `CUSI Payment Services Stripe
/// CUSI Payment Services Bluefin`, `okta-emea.com cell 1okta.com cell 1` (a
/// name starts again wherever that word does, after a space or a digit).
pub fn split_repeated(line: &str) -> Option<Vec<String>> {
    let first: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
    if first.chars().count() < 3 {
        return None;
    }
    let mut cuts = vec![0];
    for (i, _) in line.match_indices(first.as_str()).skip(1) {
        let prev = line[..i].chars().last()?;
        let next = line[i + first.len()..].chars().next();
        if (prev == ' ' || prev.is_ascii_digit())
            && next.is_none_or(|c| !c.is_lowercase() || first.chars().all(char::is_lowercase))
        {
            cuts.push(i);
        }
    }
    if cuts.len() < 2 {
        return None;
    }
    cuts.push(line.len());
    Some(
        cuts.windows(2)
            .map(|w| line[w[0]..w[1]].trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, group: Option<&str>) -> Component {
        Component {
            name: name.into(),
            group: group.map(str::to_string),
        }
    }

    #[test]
    fn statuspage_grammar() {
        assert_eq!(
            parse_affected_list("Group (a, b), Other Group (c), and d."),
            vec![
                c("a", Some("Group")),
                c("b", Some("Group")),
                c("c", Some("Other Group")),
                c("d", None)
            ]
        );
        assert_eq!(
            parse_affected_list("API (API (group 01), API (group 02))."),
            vec![
                c("API (group 01)", Some("API")),
                c("API (group 02)", Some("API"))
            ]
        );
        assert_eq!(
            parse_affected_list("Europe, Middle East (Frankfurt, Dubai), and Billing."),
            vec![
                c("Frankfurt", Some("Europe, Middle East")),
                c("Dubai", Some("Europe, Middle East")),
                c("Billing", None)
            ]
        );
        // Two items are joined by ` and ` (Statuspage's grammar).
        assert_eq!(
            parse_affected_list("Git Operations and API Requests"),
            vec![c("Git Operations", None), c("API Requests", None)]
        );
        assert_eq!(
            parse_affected_list("API and Cloudlink (VPN)."),
            vec![c("API", None), c("VPN", Some("Cloudlink"))]
        );
        // One conjunction, the last: names before it keep theirs.
        assert_eq!(
            parse_affected_list(
                "Chat Service, Voice and Video Escalation Service, and Billing Portal."
            ),
            vec![
                c("Chat Service", None),
                c("Voice and Video Escalation Service", None),
                c("Billing Portal", None)
            ]
        );
        // Parentheses holding an abbreviation belong to the name.
        assert_eq!(
            parse_affected_list("Inbound Email Security (IES), and AI Security Mailbox (AISM)."),
            vec![
                c("Inbound Email Security (IES)", None),
                c("AI Security Mailbox (AISM)", None)
            ]
        );
        assert_eq!(
            parse_affected_list("Webhooks, API Requests, and Pages."),
            vec![
                c("Webhooks", None),
                c("API Requests", None),
                c("Pages", None)
            ]
        );
    }

    #[test]
    fn names_run_together() {
        assert_eq!(
            split_run_together(
                "Data Center Designer (DCD)Cloud APIManaged KubernetesManaged Kubernetes"
            ),
            vec![
                "Data Center Designer (DCD)",
                "Cloud API",
                "Managed Kubernetes",
                "Managed Kubernetes"
            ]
        );
        assert_eq!(split_run_together("GitHub Actions"), vec!["GitHub Actions"]);
        assert_eq!(split_run_together("LinkedIn"), vec!["LinkedIn"]);
        assert_eq!(
            split_run_together("US RegionEMEA RegionAPAC Region"),
            vec!["US Region", "EMEA Region", "APAC Region"]
        );
        assert_eq!(
            split_repeated("CUSI Payment Services Stripe CUSI Payment Services Bluefin").unwrap(),
            vec![
                "CUSI Payment Services Stripe",
                "CUSI Payment Services Bluefin"
            ]
        );
        assert_eq!(
            split_repeated("okta-emea.com cell 1okta.com cell 1okta.com cell 2").unwrap(),
            vec!["okta-emea.com cell 1", "okta.com cell 1", "okta.com cell 2"]
        );
        assert_eq!(split_repeated("API Requests"), None);
    }
}
