//! Charts drawn on the server as SVG (no script, no external asset): uptime
//! bars, bars per month, horizontal bars per provider, and status badges.
//! Every text goes through maud's escaping.

use crate::state::{State, Uptime};
use maud::{html, Markup, PreEscaped};
use statuswatch_view::words::format_duration;

/// 90 (or any number of) day bars, each coloured by its worst state, with the
/// day and what happened as a tooltip.
pub fn uptime_bars(u: &Uptime, label: &str) -> Markup {
    let n = u.days.len().max(1);
    let w = 3.0_f64;
    let gap = 1.0_f64;
    let width = n as f64 * (w + gap);
    html! {
        svg.bars xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} 24")) preserveAspectRatio="none"
            role="img" aria-label=(format!("{label}: {:.2}% uptime over {} days", u.percent, u.days.len())) {
            @for (k, d) in u.days.iter().enumerate() {
                rect x=(format!("{:.1}", k as f64 * (w + gap))) y="0" width=(w) height="24" rx="0.6"
                    fill=(d.state.colour()) data-state=(d.state.as_str()) {
                    title {
                        (d.date.format("%b %-d, %Y")) ": "
                        @match d.state {
                            State::Outage => { "outage " (format_duration(chrono::Duration::minutes(d.outage_minutes))) }
                            State::Degraded => { "degraded " (format_duration(chrono::Duration::minutes(d.degraded_minutes))) }
                            _ => { "no incident" }
                        }
                        @for t in &d.incidents { " · " (t) }
                    }
                }
            }
        }
    }
}

/// Vertical bars with a label under each (incidents per month).
pub fn column_chart(values: &[(String, usize)], label: &str) -> Markup {
    let max = values.iter().map(|v| v.1).max().unwrap_or(0).max(1);
    let bw = 28.0;
    let h = 120.0;
    let width = values.len() as f64 * bw + 10.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {}", h + 36.0)) role="img" aria-label=(label) {
            @for (k, (name, v)) in values.iter().enumerate() {
                @let bh = h * (*v as f64) / (max as f64);
                @let x = 5.0 + k as f64 * bw;
                rect x=(x + 3.0) y=(h - bh + 14.0) width=(bw - 6.0) height=(bh) fill="#0969da" {
                    title { (name) ": " (v) }
                }
                text x=(x + bw / 2.0) y=(h - bh + 11.0) font-size="10" text-anchor="middle" { (v) }
                text x=(x + bw / 2.0) y=(h + 28.0) font-size="9" text-anchor="middle" { (name.get(2..).unwrap_or(name)) }
            }
        }
    }
}

/// Horizontal bars with a label and a value text (time to resolve per provider).
pub fn bar_list(rows: &[(String, f64, String)], label: &str) -> Markup {
    let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max).max(1.0);
    let row_h = 22.0;
    let height = rows.len() as f64 * row_h + 4.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 600 {height}")) role="img" aria-label=(label) {
            @for (k, (name, v, text)) in rows.iter().enumerate() {
                @let y = 2.0 + k as f64 * row_h;
                text x="0" y=(y + 15.0) font-size="12" { (name) }
                rect x="200" y=(y + 3.0) width=(300.0 * v / max) height=(row_h - 6.0) fill="#8250df" {
                    title { (name) ": " (text) }
                }
                text x=(205.0 + 300.0 * v / max) y=(y + 15.0) font-size="12" { (text) }
            }
        }
    }
}

/// A status badge in the usual two-part style, for READMEs and wikis.
pub fn badge(label: &str, state: State) -> String {
    let value = state.as_str();
    // Widths from a fixed per-character estimate (Verdana 11px ≈ 7px a character).
    let lw = 10 + 7 * label.chars().count();
    let vw = 10 + 7 * value.chars().count();
    let total = lw + vw;
    let esc = |s: &str| html! { (s) }.into_string();
    let (l, v) = (esc(label), esc(value));
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{l}: {v}"><title>{l}: {v}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{c}"/><rect width="{total}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="{lx}" y="14">{l}</text><text x="{vx}" y="14">{v}</text></g></svg>"##,
        c = state.colour(),
        lx = lw / 2,
        vx = lw + vw / 2,
    );
    PreEscaped(svg).into_string()
}
