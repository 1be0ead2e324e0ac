//! Expiry: renewal quotes and sales reps' quotes past their validity date.

use super::*;
use crate::db::quotes::StepError;

impl Engine {
    /// Quotes past their validity date that nobody ordered become expired: renewal quotes, and sales
    /// reps' quotes (quote requests) the customer did not accept.
    pub(super) async fn expire(&self, today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let requests = crate::db::quote_requests::expire_due(&mut tx, today).await?;
        for number in &requests {
            journal::audit(
                &mut tx,
                self.clock.now_unix(),
                None,
                entitle_core::audit::AuditAction::QuoteRequestExpired,
                number,
                "past its validity date",
            )
            .await?;
        }
        crate::db::commit(tx).await?;
        let n = requests.len() + self.expire_renewal_quotes(today).await?;
        Ok(n)
    }

    pub(super) async fn expire_renewal_quotes(&self, today: Date) -> Result<usize, EngineError> {
        let rows = stored::quotes_past_validity(&mut *self.db.acquire().await?, today).await?;
        let mut n = 0;
        for (id, number, status) in rows {
            let mut tx = self.db.begin_write().await?;
            let expired =
                match crate::db::quotes::transition(&mut tx, id, status, QuoteEvent::Expire, false)
                    .await
                {
                    Ok(_) => true,
                    // Another engine (or the customer) moved it first: that is not an error.
                    Err(StepError::Changed | StepError::Illegal(_)) => false,
                    Err(StepError::Db(e)) => return Err(e.into()),
                };
            if expired {
                journal::audit(
                    &mut tx,
                    self.clock.now_unix(),
                    None,
                    entitle_core::audit::AuditAction::QuoteExpired,
                    &number,
                    "past its validity date",
                )
                .await?;
                crate::db::commit(tx).await?;
                n += 1;
            }
        }
        Ok(n)
    }
}
