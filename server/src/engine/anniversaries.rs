//! Anniversaries moved on, and an organisation's level recomputed at the end of its points term.

use super::*;

impl Engine {
    /// Moves past anniversaries on by a year, and starts a new points term for organisations whose
    /// term ended, at the level its points earned.
    pub(super) async fn roll_anniversaries(&self, today: Date) -> Result<usize, EngineError> {
        let mut tx = self.db.begin_write().await?;
        let mut n = 0;
        for (site_id, anniversary) in stored::sites_past_anniversary(&mut tx, today).await? {
            stored::set_anniversary(&mut tx, site_id, next_anniversary(anniversary, today)).await?;
            n += 1;
        }
        for term in stored::points_terms(&mut tx).await? {
            let Some(start) = term.term_start else {
                // First run: the current points term is the year up to the organisation's first
                // site anniversary, so the level is recomputed on that anniversary.
                let end = match stored::first_anniversary(&mut tx, term.id).await? {
                    Some(d) => next_anniversary(d, today),
                    None => one_year_after(today),
                };
                stored::set_term_start(&mut tx, term.id, one_year_before(end)).await?;
                continue;
            };
            if one_year_after(start) > today {
                continue;
            }
            let mut new_start = one_year_after(start);
            while one_year_after(new_start) <= today {
                new_start = one_year_after(new_start);
            }
            let held = term.level;
            let level = level_for_next_term(term.agreement, held, term.points);
            stored::start_points_term(&mut tx, term.id, level, new_start).await?;
            journal::audit(
                &mut tx,
                self.clock.now_unix(),
                None,
                entitle_core::audit::AuditAction::OrganisationLevelChanged,
                &term.agreement_number,
                format!(
                    "{} points: level {} → {}",
                    term.points,
                    held.code(),
                    level.code()
                ),
            )
            .await?;
        }
        crate::db::commit(tx).await?;
        Ok(n)
    }
}
