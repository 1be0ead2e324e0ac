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
                "quote_request.expire",
                number,
                "past its validity date",
            )
            .await?;
        }
        tx.commit().await?;
        let n = requests.len() + self.expire_renewal_quotes(today).await?;
        Ok(n)
    }

    pub(super) async fn expire_renewal_quotes(&self, today: Date) -> Result<usize, EngineError> {
        let rows = sqlx::query(
            "SELECT id, quote_number, status, version FROM renewal_quotes \
             WHERE valid_until < $1 AND status IN ('issued', 'change_requested', 'reissued', 'in_cart') ORDER BY id",
        )
        .bind(format_date(today))
        .fetch_all(&self.db.pool)
        .await?;
        let mut n = 0;
        for r in rows {
            let status = QuoteStatus::from_code(&r.try_get::<String, _>("status")?)
                .ok_or_else(|| EngineError::Rule("bad quote status".into()))?;
            let mut tx = self.db.begin_write().await?;
            let id: i64 = r.try_get("id")?;
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
                    "quote.expire",
                    r.try_get::<String, _>("quote_number")?,
                    "past its validity date",
                )
                .await?;
                tx.commit().await?;
                n += 1;
            }
        }
        Ok(n)
    }
}
