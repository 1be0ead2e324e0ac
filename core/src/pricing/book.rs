//! The price book: the unit prices and points of the parts a pricing run may use.

use super::*;

/// The unit prices and points of one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartPrices {
    /// The part.
    pub part: PartNumber,
    /// What it sells.
    pub part_type: PartType,
    /// Points earned per unit bought.
    pub points_per_unit: u32,
    /// For an S&S renewal part: the part that reinstates it once lapsed.
    pub reinstatement_part: Option<PartNumber>,
    /// Unit price by currency and level (indexed by `Currency::index` and `PriceLevel::index`).
    prices: [[Option<Decimal>; PriceLevel::ALL.len()]; Currency::ALL.len()],
}

impl PartPrices {
    /// A part with no prices yet.
    #[must_use]
    pub fn new(part: PartNumber, part_type: PartType, points_per_unit: u32) -> Self {
        PartPrices {
            part,
            part_type,
            points_per_unit,
            reinstatement_part: None,
            prices: Default::default(),
        }
    }

    /// Sets the unit price at a level in a currency (per month for monthly parts and subscriptions).
    #[must_use]
    pub fn with_price(mut self, currency: Currency, level: PriceLevel, unit: Decimal) -> Self {
        self.set_price(currency, level, unit);
        self
    }

    /// Sets the unit price at a level in a currency, replacing an earlier one.
    pub fn set_price(&mut self, currency: Currency, level: PriceLevel, unit: Decimal) {
        self.prices[currency.index()][level.index()] = Some(unit);
    }

    /// Names the reinstatement part of an S&S renewal part.
    #[must_use]
    pub fn with_reinstatement(mut self, part: PartNumber) -> Self {
        self.reinstatement_part = Some(part);
        self
    }

    /// The unit price at `level` in `currency`, if the part is sold there.
    #[must_use]
    pub fn unit_price(&self, currency: Currency, level: PriceLevel) -> Option<Money> {
        self.prices[currency.index()][level.index()].map(|p| Money::new(p, currency))
    }
}

/// FNV-1a over the seven bytes of a part number: part numbers are not attacker-chosen keys here (the
/// book is built from the catalog), and SipHash would be a third of the time of pricing a line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartHasher(u64);

impl Default for PartHasher {
    fn default() -> Self {
        PartHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for PartHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The parts a pricing run may use, by part number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceBook {
    parts: HashMap<PartNumber, PartPrices, BuildHasherDefault<PartHasher>>,
}

impl PriceBook {
    /// Adds or replaces a part.
    pub fn insert(&mut self, prices: PartPrices) {
        self.parts.insert(prices.part, prices);
    }

    /// The part, if present.
    #[must_use]
    pub fn get(&self, part: &PartNumber) -> Option<&PartPrices> {
        self.parts.get(part)
    }

    /// How many parts it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether it holds no part.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl FromIterator<PartPrices> for PriceBook {
    fn from_iter<T: IntoIterator<Item = PartPrices>>(iter: T) -> Self {
        let mut book = PriceBook::default();
        for p in iter {
            book.insert(p);
        }
        book
    }
}
