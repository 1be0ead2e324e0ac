//! Anniversaries moved on, and an organisation's level recomputed at the end of its points term.

use super::*;

impl Engine {
    /// Moves past anniversaries on by a year, and starts a new points term for organisations whose
    /// term ended, at the level its points earned.
    pub(super) async fn roll_anniversaries(&self, today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let mut n = 0;
        for r in sqlx::query("SELECT id, anniversary FROM sites WHERE anniversary < $1 ORDER BY id")
            .bind(format_date(today))
            .fetch_all(&mut *tx)
            .await?
        {
            let next =
                next_anniversary(parse_date(&r.try_get::<String, _>("anniversary")?)?, today);
            sqlx::query("UPDATE sites SET anniversary = $1 WHERE id = $2")
                .bind(format_date(next))
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
            n += 1;
        }
        for r in sqlx::query(
            "SELECT id, agreement_number, agreement_kind, price_level, points, term_start FROM organisations ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            let id: i64 = r.try_get("id")?;
            let Some(start) = r.try_get::<Option<String>, _>("term_start")? else {
                // First run: the current points term is the year up to the organisation's first
                // site anniversary, so the level is recomputed on that anniversary.
                let first: Option<String> = sqlx::query_scalar(
                    "SELECT MIN(anniversary) FROM sites WHERE organisation_id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                let end = match first {
                    Some(d) => next_anniversary(parse_date(&d)?, today),
                    None => one_year_after(today),
                };
                sqlx::query("UPDATE organisations SET term_start = $1 WHERE id = $2")
                    .bind(format_date(one_year_before(end)))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                continue;
            };
            let start = parse_date(&start)?;
            if one_year_after(start) > today {
                continue;
            }
            let mut new_start = one_year_after(start);
            while one_year_after(new_start) <= today {
                new_start = one_year_after(new_start);
            }
            let kind = if r.try_get::<String, _>("agreement_kind")? == "express" {
                entitle_core::pricing::AgreementKind::Express
            } else {
                entitle_core::pricing::AgreementKind::Relationship
            };
            let held: PriceLevel = r
                .try_get::<String, _>("price_level")?
                .parse()
                .map_err(|_| EngineError::Rule("bad price level".into()))?;
            let points = u64::try_from(r.try_get::<i64, _>("points")?).unwrap_or(0);
            let level = level_for_next_term(kind, held, points);
            sqlx::query(
                "UPDATE organisations SET price_level = $1, points = 0, term_start = $2 WHERE id = $3",
            )
            .bind(level.code())
            .bind(format_date(new_start))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            journal::audit(
                &mut tx,
                self.clock.now_unix(),
                None,
                "organisation.level",
                r.try_get::<String, _>("agreement_number")?,
                format!("{} points: level {} → {}", points, held.code(), level.code()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }
}
