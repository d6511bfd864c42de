//! The frame of every page: style, navigation, and times for people.

use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1b1f24;overflow-wrap:break-word}\
h1{font-size:1.5rem;margin:.2rem 0}.provider{color:#57606a}.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.85rem;margin-right:.3rem;background:#eaeef2}\
.critical{background:#ffd7d5}.major{background:#ffe2c2}.minor{background:#fff4c2}.maintenance{background:#d8e9ff}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#57606a}dd{margin:0}\
ol.timeline{list-style:none;padding:0}ol.timeline li{border-left:3px solid #d0d7de;padding:.2rem 0 .8rem 1rem}\
.label{font-weight:600}.at{color:#57606a;font-size:.9rem;margin-left:.5rem}.body{white-space:pre-wrap}\
nav{display:flex;gap:1rem;flex-wrap:wrap;border-bottom:1px solid #d0d7de;padding-bottom:.5rem;margin-bottom:1rem}nav a{color:#0969da;text-decoration:none}nav .brand{font-weight:700;color:#1b1f24}\
.state{display:inline-block;padding:.05rem .55rem;border-radius:1rem;font-size:.85rem;color:#fff}.state.outage{background:#d1242f}.state.degraded{background:#bf8700}.state.maintenance{background:#0969da}.state.operational{background:#1a7f37}.state.unknown{background:#6e7781}\
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eaeef2;vertical-align:top}th{color:#57606a;font-weight:500;font-size:.9rem}\
svg.bars{width:100%;height:1.6rem;display:block}td:first-child{overflow-wrap:anywhere}.state,.badge{white-space:nowrap}svg.chart{width:100%;max-width:40rem;height:auto}.muted{color:#57606a}.figs{display:flex;gap:1.5rem;flex-wrap:wrap}.figs div{min-width:8rem}.figs b{display:block;font-size:1.4rem}\
form.filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:#57606a}\
td.bars{width:50%}@media(max-width:40rem){td.hide-sm,th.hide-sm{display:none}}\
header.own{border-bottom:4px solid #0969da;padding-bottom:.6rem;margin-bottom:1rem}header.own a{display:flex;align-items:center;gap:.7rem;text-decoration:none;color:#1b1f24}header.own .name{font-size:1.6rem;font-weight:700}\
img.logo{max-height:2.5rem;max-width:10rem}footer.own{margin-top:2rem;font-size:.85rem}.error{color:#d1242f;font-weight:600}\
form.subscribe,form.key{display:flex;flex-direction:column;gap:.6rem;max-width:28rem}fieldset{border:1px solid #d0d7de;border-radius:.4rem}label.check{display:block}form.inline{display:inline}\
button{font:inherit;padding:.35rem .9rem;border-radius:.4rem;border:1px solid #0969da;background:#0969da;color:#fff;cursor:pointer}input{font:inherit;padding:.3rem}";

/// Where the style sheet is served; the query names its version, so that it
/// can be cached for good (no inline style: the content security policy
/// allows only this origin's files).
pub(crate) const STYLE_PATH: &str = concat!("/assets/style.css?v=", env!("CARGO_PKG_VERSION"));

/// `/assets/style.css`.
pub(crate) async fn style_sheet() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLE,
    )
}

pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%b %-d, %Y %H:%M UTC").to_string()
}

pub(crate) fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · statuswatch" }
                link rel="stylesheet" href=(STYLE_PATH);
            }
            body {
                nav {
                    a.brand href="/" { "statuswatch" }
                    a href="/" { "Dashboard" }
                    a href="/search" { "Search" }
                    a href="/stats" { "Stats" }
                    a href="/feed.atom" { "Feed" }
                    a href="/admin" { "Admin" }
                }
                (body)
            }
        }
    }
}
