//! Why a statement about a page was refused.

use statuswatch_store::StoreError;

/// Why a statement about a page was refused; the message names what was
/// wrong and how to put it right.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// No such page, component, incident or subscriber.
    #[error("{0}")]
    NotFound(String),
    /// The statement does not hold (a status word, an empty title...).
    #[error("{0}")]
    Invalid(String),
    /// It would take a name already taken.
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error("{0}")]
    Store(#[source] StoreError),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => PageError::NotFound(m),
            StoreError::Conflict(m) => PageError::Conflict(m),
            other => PageError::Store(other),
        }
    }
}

pub(crate) type Result<T> = std::result::Result<T, PageError>;

pub(crate) fn invalid<T>(m: impl Into<String>) -> Result<T> {
    Err(PageError::Invalid(m.into()))
}
