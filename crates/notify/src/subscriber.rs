//! Email to the subscribers of a page of one's own: the confirmation of a
//! subscription (double opt-in) and each notification, every one with its
//! one-click unsubscribe link (RFC 8058: `List-Unsubscribe` and
//! `List-Unsubscribe-Post`). Rendering is pure; sending goes through the
//! SMTP server of the email channel the config names.

use crate::channels::email::{self, escape, EmailParts};
use crate::render::Notification;
use crate::SendError;

/// Where subscribers' mail is sent from, and the address their links use.
#[derive(Debug, Clone)]
pub struct SubscriberMail {
    /// The email channel whose SMTP server and sender are used.
    pub channel: String,
    /// Its settings.
    pub smtp: email::Config,
    /// The public address of this server (`https://status.example.com`),
    /// without a trailing slash: links in mail must not come from a
    /// request's Host header.
    pub public_url: String,
}

impl SubscriberMail {
    /// The page's address.
    pub fn page_url(&self, slug: &str) -> String {
        format!("{}/status/{slug}", self.public_url)
    }

    /// The confirmation link of a subscription.
    pub fn confirm_url(&self, slug: &str, token: &str) -> String {
        format!("{}/subscribers/confirm?token={token}", self.page_url(slug))
    }

    /// The one-click unsubscribe link of a subscription.
    pub fn unsubscribe_url(&self, slug: &str, token: &str) -> String {
        format!(
            "{}/subscribers/unsubscribe?token={token}",
            self.page_url(slug)
        )
    }

    /// Sends `parts` to one subscriber, with the unsubscribe headers.
    pub async fn send(
        &self,
        to: &str,
        parts: &EmailParts,
        unsubscribe: &str,
    ) -> Result<(), SendError> {
        email::send_mail(
            &self.channel,
            &self.smtp,
            &[to.to_string()],
            parts,
            &[
                ("List-Unsubscribe", format!("<{unsubscribe}>")),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".into()),
            ],
        )
        .await
    }
}

/// The mail asking someone to confirm their subscription to a page.
pub fn confirmation(page_title: &str, confirm: &str, components: &[String]) -> EmailParts {
    let what = if components.is_empty() {
        "every incident and maintenance".to_string()
    } else {
        format!("incidents and maintenances of {}", components.join(", "))
    };
    let subject: String = format!("Confirm your subscription to {page_title}")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let text = format!(
        "Someone, probably you, asked to hear of {what} on the status page {page_title}.\n\n\
         To confirm, open this link:\n{confirm}\n\n\
         If it was not you, ignore this mail: nothing will be sent unless the link is followed.\n"
    );
    let html = format!(
        "<!DOCTYPE html><html><body><p>Someone, probably you, asked to hear of {} on the status page <b>{}</b>.</p>\
         <p><a href=\"{}\">Confirm the subscription</a></p>\
         <p>If it was not you, ignore this mail: nothing will be sent unless the link is followed.</p></body></html>",
        escape(&what),
        escape(page_title),
        escape(confirm)
    );
    EmailParts {
        subject,
        text,
        html,
    }
}

/// A notification for a subscriber: the channel's email, with the page's
/// link and the unsubscribe link at the end.
pub fn notification(n: &Notification, page: &str, unsubscribe: &str) -> EmailParts {
    let mut parts = email::render_email(n);
    parts.text.push_str(&format!(
        "\nStatus page: {page}\nUnsubscribe: {unsubscribe}\n"
    ));
    let footer = format!(
        "<hr><p><a href=\"{}\">Status page</a> · <a href=\"{}\">Unsubscribe</a></p></body></html>",
        escape(page),
        escape(unsubscribe)
    );
    parts.html = parts.html.replacen("</body></html>", &footer, 1);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_names_the_page_and_carries_the_link() {
        let p = confirmation(
            "Acme <Cloud>",
            "https://s.example/status/acme/subscribers/confirm?token=abc",
            &["API".into()],
        );
        assert_eq!(p.subject, "Confirm your subscription to Acme <Cloud>");
        assert!(p
            .text
            .contains("https://s.example/status/acme/subscribers/confirm?token=abc"));
        assert!(p.text.contains("incidents and maintenances of API"));
        assert!(p.html.contains("Acme &lt;Cloud&gt;"), "escaped: {}", p.html);
        assert!(!p.html.contains("<Cloud>"));
    }
}
