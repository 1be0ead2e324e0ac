-- The terms in the other languages customers read: one row per published version and language. The
-- version (terms_versions) is what a customer accepts; the text in their language is what they read.
-- A version without a row for a language is shown in the language it was published in.
-- Keep in step with ../sqlite/0010_terms_translations.sql.
CREATE TABLE terms_translations (
    version TEXT NOT NULL REFERENCES terms_versions(version),
    locale  TEXT NOT NULL,
    title   TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (version, locale)
);

INSERT INTO terms_translations (version, locale, title, body) VALUES (
    '2026-01',
    'id',
    'Syarat dan ketentuan penjualan',
    'Lisensi diberikan berdasarkan perjanjian lisensi vendor. Langganan & Dukungan (S&S) berlaku selama periode cakupan yang tercantum pada pesanan dan hanya diperpanjang dengan pesanan baru. Harga belum termasuk pajak kecuali dinyatakan lain. Pesanan mengikat setelah dikirim; pembatalan dapat dilakukan sampai pesanan diproses.'
);
