//! The ordered match lists of recent catalog searches, kept in memory.
//!
//! A broad search ("server" on a 50,000-part catalog) matches thousands of parts; ranking and counting
//! them costs far more than showing one page of 20. The catalog changes only when a vendor loads a new
//! one, so the ordered list of matches (part number and type, 8 bytes each) is kept per search for
//! [`TTL_SECS`]: a page is then the site's coverage filter and a slice. The parts of recent pages are
//! kept too, priced per currency and level (reading 20 rows through the database driver costs more
//! than the whole rest of a request). A catalog or price list loaded while the server runs is seen
//! within [`TTL_SECS`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use entitle_core::catalog::{PartNumber, PriceLevel};
use entitle_core::dto::{PartSummary, ValidCatalogQuery};
use entitle_core::money::Currency;

use crate::clock::Clock;
use crate::db::catalog::{self as q, Match, MatchKey, Viewer};
use crate::db::{Db, DbResult};

/// How long a search's match list is reused, in seconds.
pub const TTL_SECS: i64 = 60;
/// Most searches kept.
const MAX_ENTRIES: usize = 512;
/// Most matches kept over all searches (8 bytes each: 8 MB).
const MAX_MATCHES: usize = 1_000_000;
/// Most priced parts kept (about 400 bytes each: 8 MB).
const MAX_PRICED: usize = 20_000;

/// A part priced in a currency at a level.
type PricedKey = (PartNumber, Currency, PriceLevel);

struct Entry {
    at: i64,
    /// Filled once by the first request for the key; requests arriving meanwhile wait for it instead
    /// of running the same query (a cold broad search takes hundreds of milliseconds).
    matches: Arc<tokio::sync::OnceCell<Arc<[Match]>>>,
}

impl Entry {
    fn len(&self) -> usize {
        self.matches.get().map_or(0, |m| m.len())
    }
}

/// Recent searches' ordered match lists and the parts of their pages; cheap to clone (shared).
#[derive(Clone, Default)]
pub struct CatalogCache {
    searches: Arc<Mutex<HashMap<MatchKey, Entry>>>,
    priced: Arc<Mutex<HashMap<PricedKey, (i64, PartSummary)>>>,
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogCache")
    }
}

impl CatalogCache {
    /// One page of the parts matching `query` as `viewer` sees them, and how many match in all.
    ///
    /// # Errors
    /// Database errors.
    pub async fn search(
        &self,
        db: &Db,
        clock: &Clock,
        query: &ValidCatalogQuery,
        viewer: Viewer,
    ) -> DbResult<(Vec<PartSummary>, u64)> {
        let Some(key) = MatchKey::of(query, viewer.currency, viewer.level) else {
            return Ok((Vec::new(), 0));
        };
        let all = self.matches(db, clock, key).await?;
        let held = match viewer.coverage_site {
            Some(site) if all.iter().any(|m| m.part_type.is_coverage_part()) => {
                Some(q::coverage_parts_of(&db.pool, site).await?)
            }
            _ => None,
        };
        let visible = |m: &&Match| {
            !m.part_type.is_coverage_part()
                || held.as_ref().is_none_or(|h| h.contains(&m.part_number))
        };
        let per_page = usize::try_from(query.per_page).unwrap_or(usize::MAX);
        let skip = usize::try_from(query.page.saturating_sub(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page);
        let page: Vec<_> = all
            .iter()
            .filter(visible)
            .skip(skip)
            .take(per_page)
            .map(|m| m.part_number)
            .collect();
        let total = all.iter().filter(visible).count();
        let items = self.priced(db, clock, &page, viewer).await?;
        Ok((items, u64::try_from(total).unwrap_or(u64::MAX)))
    }

    /// The parts `page`, in its order, priced for `viewer`: those priced in the last [`TTL_SECS`] from
    /// memory, the others in one query.
    async fn priced(
        &self,
        db: &Db,
        clock: &Clock,
        page: &[PartNumber],
        viewer: Viewer,
    ) -> DbResult<Vec<PartSummary>> {
        let now = clock.now_unix();
        let key = |n: PartNumber| (n, viewer.currency, viewer.level);
        let mut found: HashMap<PartNumber, PartSummary> = {
            let map = lock(&self.priced);
            page.iter()
                .filter_map(|n| {
                    map.get(&key(*n))
                        .filter(|(at, _)| now - at < TTL_SECS)
                        .map(|(_, s)| (*n, s.clone()))
                })
                .collect()
        };
        let missing: Vec<PartNumber> = page
            .iter()
            .filter(|n| !found.contains_key(n))
            .copied()
            .collect();
        if !missing.is_empty() {
            let fresh = q::priced(&db.pool, &missing, viewer.currency, viewer.level).await?;
            let mut map = lock(&self.priced);
            if map.len() + fresh.len() > MAX_PRICED {
                map.retain(|_, (at, _)| now - *at < TTL_SECS);
                if map.len() + fresh.len() > MAX_PRICED {
                    map.clear();
                }
            }
            for s in fresh {
                map.insert(key(s.part_number), (now, s.clone()));
                found.insert(s.part_number, s);
            }
        }
        Ok(page.iter().filter_map(|n| found.remove(n)).collect())
    }

    async fn matches(&self, db: &Db, clock: &Clock, key: MatchKey) -> DbResult<Arc<[Match]>> {
        let now = clock.now_unix();
        let cell = {
            let mut map = lock(&self.searches);
            match map.get(&key).filter(|e| now - e.at < TTL_SECS) {
                Some(e) => Arc::clone(&e.matches),
                None => {
                    map.retain(|_, e| now - e.at < TTL_SECS);
                    while map.len() >= MAX_ENTRIES
                        || map.values().map(Entry::len).sum::<usize>() > MAX_MATCHES
                    {
                        // The oldest goes first.
                        let Some(oldest) =
                            map.iter().min_by_key(|(_, e)| e.at).map(|(k, _)| k.clone())
                        else {
                            break;
                        };
                        map.remove(&oldest);
                    }
                    let cell = Arc::new(tokio::sync::OnceCell::new());
                    map.insert(
                        key.clone(),
                        Entry {
                            at: now,
                            matches: Arc::clone(&cell),
                        },
                    );
                    cell
                }
            }
        };
        // A failed query leaves the cell empty: the next request for the key runs it again.
        let matches = cell
            .get_or_try_init(|| async {
                q::matches(&db.pool, db.backend, &key).await.map(Arc::from)
            })
            .await?;
        Ok(Arc::clone(matches))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the map half-written (every change is one call).
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
