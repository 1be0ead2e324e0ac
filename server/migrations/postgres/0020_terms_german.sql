-- The terms of sale in German, for customers in Germany, Austria, Switzerland and Liechtenstein: the
-- same version 2026-01 they accept, read in their language.
-- Keep in step with ../sqlite/0020_terms_german.sql.
INSERT INTO terms_translations (version, locale, title, body) VALUES (
    '2026-01',
    'de',
    'Allgemeine Verkaufsbedingungen',
    'Lizenzen werden nach dem Lizenzvertrag des Herstellers gewährt. Subscription & Support (S&S) gilt für den auf der Bestellung angegebenen Deckungszeitraum und verlängert sich nur durch eine neue Bestellung. Preise verstehen sich ohne Steuern, sofern nicht anders angegeben. Bestellungen sind mit dem Absenden verbindlich; eine Stornierung ist möglich, bis die Bestellung bearbeitet wird.'
);
