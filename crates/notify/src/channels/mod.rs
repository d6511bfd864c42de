//! One module per channel kind: its settings (`Config`, validated), a pure
//! `render` of a notification into the request the platform documents, and
//! (for email) its own `send`; HTTP channels are sent by [`crate::send`].

pub mod discord;
pub mod email;
pub mod googlechat;
pub mod matrix;
pub mod mattermost;
pub mod ntfy;
pub mod opsgenie;
pub mod pagerduty;
pub mod pushover;
pub mod rocketchat;
pub mod slack;
pub mod teams;
pub mod telegram;
pub mod webhook;
pub mod zulip;
