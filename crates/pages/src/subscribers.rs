//! A page's email subscribers: asking, confirming, leaving.

use crate::admin::PageAdmin;
use crate::checks::{new_key, valid_email};
use crate::domain as own;
use crate::error::{invalid, PageError, Result};
use statuswatch_store::Subscriber;

/// What a request to subscribe calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Send the confirmation mail.
    Confirm,
    /// The address is subscribed already: nothing to send.
    AlreadyConfirmed,
    /// A confirmation went out a moment ago: not again yet.
    RecentlyAsked,
}

/// The least time between two confirmation mails to one address.
pub const RESEND_AFTER: chrono::Duration = chrono::Duration::minutes(10);

impl PageAdmin {
    /// Records someone asking to subscribe by email, pending confirmation;
    /// `components` (by name) narrows what they hear of. Says whether a
    /// confirmation mail is to be sent: not to an address already confirmed,
    /// nor again within [`RESEND_AFTER`] of the last one (so the form cannot
    /// flood someone's inbox).
    pub async fn subscribe(
        &self,
        slug: &str,
        email: &str,
        components: &[String],
    ) -> Result<(Subscriber, Asked)> {
        let (_, source) = self.page(slug).await?;
        let email = email.trim();
        if !valid_email(email) {
            return invalid(format!("`{email}` is not an email address"));
        }
        let mut names = Vec::new();
        for c in components
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            if !source.components.iter().any(|k| k.name == c) {
                return Err(PageError::NotFound(format!(
                    "the page has no component `{c}`"
                )));
            }
            if !names.iter().any(|n: &String| n == c) {
                names.push(c.to_string());
            }
        }
        let now = self.now();
        if let Some(known) = self
            .store
            .subscribers(slug)
            .await?
            .into_iter()
            .find(|s| s.email.eq_ignore_ascii_case(email))
        {
            if known.confirmed_at.is_some() {
                return Ok((known, Asked::AlreadyConfirmed));
            }
            if now - known.created_at < RESEND_AFTER {
                return Ok((known, Asked::RecentlyAsked));
            }
        }
        let token = format!("{}{}", new_key(), new_key());
        let s = self
            .store
            .add_subscriber(&Subscriber {
                id: own::new_id(),
                slug: slug.to_string(),
                email: email.to_string(),
                components: names,
                token,
                created_at: now,
                confirmed_at: None,
            })
            .await?;
        Ok((s, Asked::Confirm))
    }

    /// Confirms a subscription to page `slug` by its link's token (a token
    /// of another page's subscriber changes nothing).
    pub async fn confirm(&self, slug: &str, token: &str) -> Result<Subscriber> {
        Ok(self
            .store
            .confirm_subscriber(slug, token, self.now())
            .await?)
    }

    /// Ends a subscription to page `slug` by its link's token.
    pub async fn unsubscribe(&self, slug: &str, token: &str) -> Result<Subscriber> {
        Ok(self.store.remove_subscriber(slug, token).await?)
    }
}
