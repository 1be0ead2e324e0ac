//! The data layer's one error type: routes and the engine see this, never `sqlx::Error` directly,
//! and the data layer never builds an HTTP error.

/// Why a data-layer call failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database refused or failed the statement (or the connection).
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A stored value does not parse as what it should be: a bug or a hand edit, never user input.
    #[error("stored {what} is not valid: {detail}")]
    Corrupt {
        /// Which value.
        what: &'static str,
        /// The value or the parse error.
        detail: String,
    },
    /// A value to be stored does not fit its column.
    #[error("{what} cannot be stored: {detail}")]
    Unstorable {
        /// Which value.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// Something the data layer relies on (hashing, pricing a stored quote) failed.
    #[error("{0}")]
    Internal(String),
}

impl DbError {
    /// A stored `what` that does not parse.
    pub fn corrupt(what: &'static str, detail: impl std::fmt::Display) -> Self {
        DbError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }
}

/// A stored integer as the type it must fit (a count, a quantity, points): a value out of range is
/// [`DbError::Corrupt`], never a default.
///
/// # Errors
/// [`DbError::Corrupt`] naming `what`.
pub fn stored<T: TryFrom<i64>>(what: &'static str, value: i64) -> DbResult<T>
where
    T::Error: std::fmt::Display,
{
    T::try_from(value).map_err(|e| DbError::corrupt(what, format!("{value}: {e}")))
}

/// What data-layer calls return.
pub type DbResult<T> = Result<T, DbError>;
