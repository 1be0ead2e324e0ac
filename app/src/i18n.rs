//! UI strings in English and Bahasa Indonesia, and the remembered language choice.
//!
//! Strings are keyed by a closed enum so a missing translation is a compile error, not a blank.

use entitle_core::catalog::{Metric, PartType};
use entitle_core::locale::Locale;
use leptos::prelude::*;

const STORAGE_KEY: &str = "entitle.locale";

/// The languages the screens are translated into, in the switcher's order. German is missing: its
/// strings are not written yet (core, the mail and the documents have it).
pub const OFFERED: [Locale; 2] = [Locale::En, Locale::Id];

/// Every UI string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Key {
    SkipToContent,
    MainNavigation,
    NavCatalog,
    Language,
    CatalogTitle,
    CatalogIntro,
    SearchLabel,
    SearchPlaceholder,
    SearchButton,
    Category,
    AllCategories,
    LicenceType,
    AllTypes,
    Metric,
    AllMetrics,
    Currency,
    Sort,
    SortRelevance,
    SortPartNumber,
    SortPriceAsc,
    SortPriceDesc,
    PartNumber,
    Description,
    UnitPrice,
    PriceLevel,
    Loading,
    NoResultsTitle,
    NoResultsHelp,
    ErrorTitle,
    ErrorNetwork,
    ErrorGeneric,
    Retry,
    Previous,
    Next,
    ResultsRange,
    ResultsPagination,
    NotFoundTitle,
    BackToCatalog,
    PerMonth,
    NavRenewals,
    NavSignIn,
    NavSignOut,
    SignedInAs,
    SignInTitle,
    Email,
    Password,
    SignInButton,
    SigningIn,
    InvalidCredentials,
    TooManyAttempts,
    ErrorSummary,
    FieldRequired,
    ForgotPassword,
    RenewalsTitle,
    RenewalsIntro,
    GroupAwaiting,
    GroupMonth,
    GroupAgreement,
    RenewalGrouping,
    NoRenewals,
    QuoteNumber,
    Site,
    DueDate,
    Status,
    Subtotal,
    Tax,
    Total,
    QuoteTitle,
    RenewalInformation,
    AccountInformation,
    SalesRepresentative,
    CustomerNumber,
    RenewalDueDate,
    Agreement,
    ValidUntil,
    Name,
    Phone,
    Quantity,
    Coverage,
    Amount,
    AddToCart,
    AddingToCart,
    AddedToCart,
    PartnerHandles,
    QuoteNotFound,
    BackToRenewals,
    StatusIssued,
    StatusChangeRequested,
    StatusReissued,
    StatusInCart,
    StatusOrdered,
    StatusExpired,
    StatusCancelled,
    Points,
}

/// The text of `key` in `locale`.
#[must_use]
#[allow(clippy::too_many_lines)]
pub const fn t(locale: Locale, key: Key) -> &'static str {
    use Key as K;
    match locale {
        Locale::En | Locale::De => match key {
            K::SkipToContent => "Skip to content",
            K::MainNavigation => "Main",
            K::NavCatalog => "Product catalog",
            K::Language => "Language",
            K::CatalogTitle => "Product catalog",
            K::CatalogIntro => "Search by product description, category and licence type.",
            K::SearchLabel => "Search the catalog",
            K::SearchPlaceholder => "Part number or product, e.g. Guardian",
            K::SearchButton => "Search",
            K::Category => "Category",
            K::AllCategories => "All categories",
            K::LicenceType => "Licence type",
            K::AllTypes => "All licence types",
            K::Metric => "Metric",
            K::AllMetrics => "All metrics",
            K::Currency => "Currency",
            K::Sort => "Sort by",
            K::SortRelevance => "Best match",
            K::SortPartNumber => "Part number",
            K::SortPriceAsc => "Price, low to high",
            K::SortPriceDesc => "Price, high to low",
            K::PartNumber => "Part number",
            K::Description => "Description",
            K::UnitPrice => "Unit price",
            K::PriceLevel => "Level",
            K::Loading => "Loading…",
            K::NoResultsTitle => "No products found",
            K::NoResultsHelp => {
                "Can't find the product you need? Contact your Business Partner or your sales representative."
            }
            K::ErrorTitle => "The catalog could not be loaded",
            K::ErrorNetwork => "You seem to be offline. Check your connection and try again.",
            K::ErrorGeneric => "Something went wrong on our side. Please try again.",
            K::Retry => "Try again",
            K::Previous => "Previous",
            K::Next => "Next",
            K::ResultsRange => "Showing {from}–{to} of {total}",
            K::ResultsPagination => "Results pages",
            K::NotFoundTitle => "Page not found",
            K::BackToCatalog => "Back to the product catalog",
            K::PerMonth => "per month",
            K::NavRenewals => "Renewals",
            K::NavSignIn => "Sign in",
            K::NavSignOut => "Sign out",
            K::SignedInAs => "Signed in as",
            K::SignInTitle => "Sign in",
            K::Email => "E-mail address",
            K::Password => "Password",
            K::SignInButton => "Sign in",
            K::SigningIn => "Signing in…",
            K::InvalidCredentials => "The e-mail address or password is not right.",
            K::TooManyAttempts => {
                "Too many sign-in attempts. Wait a few minutes and try again, or reset your password."
            }
            K::ErrorSummary => "There is a problem",
            K::FieldRequired => "This field is required",
            K::ForgotPassword => "Forgot your password?",
            K::RenewalsTitle => "Renewals",
            K::RenewalsIntro => "Renewal quotes waiting for your review or action.",
            K::GroupAwaiting => "Awaiting action",
            K::GroupMonth => "By month",
            K::GroupAgreement => "By agreement",
            K::RenewalGrouping => "Show renewals",
            K::NoRenewals => "No renewal quotes are waiting for you.",
            K::QuoteNumber => "Renewal quote",
            K::Site => "Site",
            K::DueDate => "Due date",
            K::Status => "Status",
            K::Subtotal => "Subtotal",
            K::Tax => "Tax",
            K::Total => "Total",
            K::QuoteTitle => "Renewal quote {number}",
            K::RenewalInformation => "Renewal information",
            K::AccountInformation => "Account information",
            K::SalesRepresentative => "Sales representative",
            K::CustomerNumber => "Customer number",
            K::RenewalDueDate => "Renewal due date",
            K::Agreement => "Agreement",
            K::ValidUntil => "Valid until",
            K::Name => "Name",
            K::Phone => "Telephone",
            K::Quantity => "Quantity",
            K::Coverage => "Coverage",
            K::Amount => "Amount",
            K::AddToCart => "Add to cart",
            K::AddingToCart => "Adding…",
            K::AddedToCart => "The renewal is in your cart.",
            K::PartnerHandles => {
                "This renewal is handled by your Business Partner, {partner}. Contact them to renew."
            }
            K::QuoteNotFound => "This renewal quote was not found, or it is not yours to see.",
            K::BackToRenewals => "Back to renewals",
            K::StatusIssued => "Issued",
            K::StatusChangeRequested => "Change requested",
            K::StatusReissued => "Re-issued",
            K::StatusInCart => "In cart",
            K::StatusOrdered => "Ordered",
            K::StatusExpired => "Expired",
            K::Points => "points",
            K::StatusCancelled => "Cancelled",
        },
        Locale::Id => match key {
            K::SkipToContent => "Langsung ke konten",
            K::MainNavigation => "Utama",
            K::NavCatalog => "Katalog produk",
            K::Language => "Bahasa",
            K::CatalogTitle => "Katalog produk",
            K::CatalogIntro => "Cari berdasarkan deskripsi produk, kategori, dan jenis lisensi.",
            K::SearchLabel => "Cari di katalog",
            K::SearchPlaceholder => "Nomor komponen atau produk, mis. Guardian",
            K::SearchButton => "Cari",
            K::Category => "Kategori",
            K::AllCategories => "Semua kategori",
            K::LicenceType => "Jenis lisensi",
            K::AllTypes => "Semua jenis lisensi",
            K::Metric => "Metrik",
            K::AllMetrics => "Semua metrik",
            K::Currency => "Mata uang",
            K::Sort => "Urutkan",
            K::SortRelevance => "Paling cocok",
            K::SortPartNumber => "Nomor komponen",
            K::SortPriceAsc => "Harga terendah",
            K::SortPriceDesc => "Harga tertinggi",
            K::PartNumber => "Nomor komponen",
            K::Description => "Deskripsi",
            K::UnitPrice => "Harga satuan",
            K::PriceLevel => "Level",
            K::Loading => "Memuat…",
            K::NoResultsTitle => "Produk tidak ditemukan",
            K::NoResultsHelp => {
                "Tidak menemukan produk yang Anda cari? Hubungi Mitra Bisnis atau perwakilan penjualan Anda."
            }
            K::ErrorTitle => "Katalog tidak dapat dimuat",
            K::ErrorNetwork => "Sepertinya Anda sedang offline. Periksa koneksi lalu coba lagi.",
            K::ErrorGeneric => "Terjadi kesalahan di sisi kami. Silakan coba lagi.",
            K::Retry => "Coba lagi",
            K::Previous => "Sebelumnya",
            K::Next => "Berikutnya",
            K::ResultsRange => "Menampilkan {from}–{to} dari {total}",
            K::ResultsPagination => "Halaman hasil",
            K::NotFoundTitle => "Halaman tidak ditemukan",
            K::BackToCatalog => "Kembali ke katalog produk",
            K::PerMonth => "per bulan",
            K::NavRenewals => "Perpanjangan",
            K::NavSignIn => "Masuk",
            K::NavSignOut => "Keluar",
            K::SignedInAs => "Masuk sebagai",
            K::SignInTitle => "Masuk",
            K::Email => "Alamat email",
            K::Password => "Kata sandi",
            K::SignInButton => "Masuk",
            K::SigningIn => "Sedang masuk…",
            K::InvalidCredentials => "Alamat email atau kata sandi tidak benar.",
            K::TooManyAttempts => {
                "Terlalu banyak percobaan masuk. Tunggu beberapa menit lalu coba lagi, atau atur ulang kata sandi Anda."
            }
            K::ErrorSummary => "Ada masalah",
            K::FieldRequired => "Kolom ini wajib diisi",
            K::ForgotPassword => "Lupa kata sandi?",
            K::RenewalsTitle => "Perpanjangan",
            K::RenewalsIntro => "Penawaran perpanjangan yang menunggu tinjauan atau tindakan Anda.",
            K::GroupAwaiting => "Menunggu tindakan",
            K::GroupMonth => "Per bulan",
            K::GroupAgreement => "Per perjanjian",
            K::RenewalGrouping => "Tampilkan perpanjangan",
            K::NoRenewals => "Tidak ada penawaran perpanjangan yang menunggu Anda.",
            K::QuoteNumber => "Penawaran perpanjangan",
            K::Site => "Situs",
            K::DueDate => "Tanggal jatuh tempo",
            K::Status => "Status",
            K::Subtotal => "Subtotal",
            K::Tax => "Pajak",
            K::Total => "Total",
            K::QuoteTitle => "Penawaran perpanjangan {number}",
            K::RenewalInformation => "Informasi perpanjangan",
            K::AccountInformation => "Informasi akun",
            K::SalesRepresentative => "Perwakilan penjualan",
            K::CustomerNumber => "Nomor pelanggan",
            K::RenewalDueDate => "Tanggal jatuh tempo perpanjangan",
            K::Agreement => "Perjanjian",
            K::ValidUntil => "Berlaku hingga",
            K::Name => "Nama",
            K::Phone => "Telepon",
            K::Quantity => "Jumlah",
            K::Coverage => "Masa dukungan",
            K::Amount => "Jumlah harga",
            K::AddToCart => "Tambahkan ke keranjang",
            K::AddingToCart => "Menambahkan…",
            K::AddedToCart => "Perpanjangan sudah ada di keranjang Anda.",
            K::PartnerHandles => {
                "Perpanjangan ini ditangani oleh Mitra Bisnis Anda, {partner}. Hubungi mereka untuk memperpanjang."
            }
            K::QuoteNotFound => {
                "Penawaran perpanjangan ini tidak ditemukan, atau Anda tidak berhak melihatnya."
            }
            K::BackToRenewals => "Kembali ke perpanjangan",
            K::StatusIssued => "Diterbitkan",
            K::StatusChangeRequested => "Perubahan diminta",
            K::StatusReissued => "Diterbitkan ulang",
            K::StatusInCart => "Di keranjang",
            K::StatusOrdered => "Dipesan",
            K::StatusExpired => "Kedaluwarsa",
            K::Points => "poin",
            K::StatusCancelled => "Dibatalkan",
        },
    }
}

/// The label of a licence type.
#[must_use]
pub const fn part_type_label(locale: Locale, p: PartType) -> &'static str {
    match locale {
        Locale::En | Locale::De => p.label(),
        Locale::Id => match p {
            PartType::LicenseAndSns => "Lisensi + S&S 12 bulan",
            PartType::AnnualSnsRenewal => "Perpanjangan S&S tahunan",
            PartType::SnsReinstatement => "Pemulihan S&S 12 bulan",
            PartType::FixedTermLicense => "Lisensi jangka tetap + S&S",
            PartType::MonthlyLicense => "Lisensi bulanan",
            PartType::Subscription => "Langganan",
        },
    }
}

/// The label of a licence metric (core's names, which the documents print too).
#[must_use]
pub const fn metric_label(locale: Locale, m: Metric) -> &'static str {
    match locale {
        // The screens do not offer German yet (see OFFERED).
        Locale::En | Locale::De => m.label(),
        Locale::Id => m.name(Locale::Id),
    }
}

/// The current language, shared through the component tree.
#[derive(Debug, Clone, Copy)]
struct LocaleContext(RwSignal<Locale>);

/// The browser's localStorage, when there is one (private modes may refuse it).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn apply_lang(l: Locale) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", l.tag());
    }
}

/// Provides the language: the one remembered, else the browser's, else English.
pub fn provide_locale() {
    let remembered = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|v| v.parse().ok())
        .filter(|l| OFFERED.contains(l));
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .and_then(|v| v.parse().ok())
        .filter(|l| OFFERED.contains(l));
    let locale = remembered.or(browser).unwrap_or_default();
    apply_lang(locale);
    provide_context(LocaleContext(RwSignal::new(locale)));
}

/// The current language signal.
#[must_use]
pub fn use_locale() -> Signal<Locale> {
    use_context::<LocaleContext>().map_or_else(|| Signal::stored(Locale::En), |c| c.0.into())
}

/// The writable language signal (call while rendering, not inside an event handler).
#[must_use]
pub fn locale_signal() -> RwSignal<Locale> {
    use_context::<LocaleContext>().map_or_else(|| RwSignal::new(Locale::En), |c| c.0)
}

/// Switches `signal` to `l` and remembers the choice on this device.
pub fn set_locale(signal: RwSignal<Locale>, l: Locale) {
    signal.set(l);
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, l.tag());
    }
    apply_lang(l);
}

/// Set while this device's choice has not reached the account yet: it was made signed out (or the
/// server could not be told), and goes to the account at the next sign-in.
const UNSAVED_KEY: &str = "entitle.locale.unsaved";

fn mark_unsaved(unsaved: bool) {
    if let Some(s) = storage() {
        let _ = if unsaved {
            s.set_item(UNSAVED_KEY, "1")
        } else {
            s.remove_item(UNSAVED_KEY)
        };
    }
}

/// The user switched to `l` in the header: shown at once, remembered here, and stored on the account
/// when signed in (so their other devices and their mail follow).
pub fn choose_locale(signal: RwSignal<Locale>, l: Locale, signed_in: bool) {
    set_locale(signal, l);
    mark_unsaved(true);
    if signed_in {
        save_to_account(l);
    }
}

fn save_to_account(l: Locale) {
    leptos::task::spawn_local(async move {
        if crate::api::set_language(l).await.is_ok() {
            mark_unsaved(false);
        }
    });
}

/// On signing in (or opening the app signed in): the latest choice wins. One made on this device that
/// the account has not heard of goes to the account; otherwise the account's language, if its owner
/// ever chose one the screens speak, replaces this device's.
pub fn adopt_account_locale(signal: RwSignal<Locale>, account: Option<Locale>) {
    let unsaved = storage()
        .and_then(|s| s.get_item(UNSAVED_KEY).ok().flatten())
        .is_some();
    let current = signal.get_untracked();
    if unsaved {
        if account == Some(current) {
            mark_unsaved(false);
        } else {
            save_to_account(current);
        }
    } else if let Some(l) = account.filter(|l| OFFERED.contains(l) && *l != current) {
        set_locale(signal, l);
    }
}

/// The label of a renewal quote's status.
#[must_use]
pub const fn quote_status_label(
    locale: Locale,
    s: entitle_core::quote::QuoteStatus,
) -> &'static str {
    use entitle_core::quote::QuoteStatus as Q;
    t(
        locale,
        match s {
            Q::Issued => Key::StatusIssued,
            Q::ChangeRequested => Key::StatusChangeRequested,
            Q::Reissued => Key::StatusReissued,
            Q::InCart => Key::StatusInCart,
            Q::Ordered => Key::StatusOrdered,
            Q::Expired => Key::StatusExpired,
            Q::Cancelled => Key::StatusCancelled,
        },
    )
}
