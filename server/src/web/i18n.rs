//! The message catalogs (Indonesian by default, English on request) and language choice.
//! Every user-visible string lives in `assets/i18n/*.toml`; templates ask for it by key.

use std::{collections::HashMap, sync::LazyLock};

use serde::{Deserialize, Serialize};

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 code, as stored on users and used in `lang=""`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Parses a stored or submitted code.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best match for an `Accept-Language` header; Indonesian when nothing matches.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "id" | "in" => Lang::Id,
                "en" => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// This language's catalog.
    pub fn catalog(self) -> &'static Catalog {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }
}

/// One language's messages, keyed by dotted names such as `login.title`.
#[derive(Debug)]
pub struct Catalog {
    messages: HashMap<String, String>,
}

static ID: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::parse(include_str!("../../../assets/i18n/id.toml")));
static EN: LazyLock<Catalog> =
    LazyLock::new(|| Catalog::parse(include_str!("../../../assets/i18n/en.toml")));

impl Catalog {
    /// Flattens a TOML catalog into dotted keys. The catalogs are compiled in, so a broken
    /// one is a build defect caught by the tests, not an environment fault.
    fn parse(text: &str) -> Catalog {
        #[allow(clippy::expect_used)]
        let table: toml::Table = toml::from_str(text).expect("message catalog is valid TOML");
        let mut messages = HashMap::new();
        flatten("", &table, &mut messages);
        Catalog { messages }
    }

    /// The message for `key`; the key itself when missing, so a gap is visible, not fatal.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map(String::as_str).unwrap_or(key)
    }

    /// Whether the catalog has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }

    /// Every key, for completeness tests.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

/// What templates call `t` : the catalog of the request's language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// The request's language.
    pub lang: Lang,
}

impl Tr {
    /// The message for `key`.
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        // The catalogs are 'static, so the borrow is only bounded by the key.
        let catalog: &'static Catalog = self.lang.catalog();
        catalog.get(key)
    }

    /// The message for `key` with its `{name}` placeholder filled in.
    pub fn fmt(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.get(key)
            .replace(&format!("{{{name}}}"), &value.to_string())
    }

    /// The message `key` with two placeholders filled in.
    pub fn fmt2(
        &self,
        key: &str,
        a: &str,
        a_value: impl std::fmt::Display,
        b: &str,
        b_value: impl std::fmt::Display,
    ) -> String {
        self.fmt(key, a, a_value)
            .replace(&format!("{{{b}}}"), &b_value.to_string())
    }

    /// The message `key` with three placeholders filled in.
    #[allow(clippy::too_many_arguments)]
    pub fn fmt3(
        &self,
        key: &str,
        a: &str,
        a_value: impl std::fmt::Display,
        b: &str,
        b_value: impl std::fmt::Display,
        c: &str,
        c_value: impl std::fmt::Display,
    ) -> String {
        self.fmt2(key, a, a_value, b, b_value)
            .replace(&format!("{{{c}}}"), &c_value.to_string())
    }

    /// The name of a coded value, e.g. `of("unit_kind", "skpd")`; the code itself if unnamed.
    pub fn of(&self, group: &str, code: impl std::fmt::Display) -> String {
        let catalog: &'static Catalog = self.lang.catalog();
        let key = format!("{group}.{code}");
        if catalog.has(&key) {
            catalog.get(&key).to_owned()
        } else {
            code.to_string()
        }
    }

    /// A number in this language's style, at most `decimals` decimals.
    pub fn number(&self, x: f64, decimals: usize) -> String {
        self.lang.number(x, decimals)
    }

    /// A date, e.g. `2 Desember 2026`.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date(*d)
    }

    /// A moment in Jakarta, e.g. `2 Desember 2026 07.56 WIB`.
    pub fn moment(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.lang.moment(*at)
    }

    /// A unit's name in this language: its English name in English when it has one, its
    /// official (Indonesian) name otherwise.
    pub fn unit<'a>(&self, unit: &'a crate::entities::units::Model) -> &'a str {
        match (self.lang, unit.name_en.as_deref()) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => &unit.name,
        }
    }

    /// The language code, for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, id;q=0.8"),
            Lang::Id
        );
        assert_eq!(Lang::from_accept_language("de"), Lang::Id);
        assert_eq!(Lang::from_accept_language(""), Lang::Id);
    }

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let missing_en: Vec<_> = ID.keys().filter(|k| !EN.has(k)).collect();
        let missing_id: Vec<_> = EN.keys().filter(|k| !ID.has(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_id.is_empty(), "missing in id.toml: {missing_id:?}");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates", "src"] {
            visit(&root.join(dir), &mut |text| {
                for key in keys_used(text) {
                    if !ID.has(&key) {
                        missing.push(key);
                    }
                }
            });
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys missing from the catalogs: {missing:?}"
        );
    }

    /// Every reason the question-file reader gives (`ParseError::new(line, "code", …)`) can
    /// be said in both languages on the pages.
    #[test]
    fn every_question_file_problem_has_words() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/src/questions");
        let mut codes = Vec::new();
        visit(&root, &mut |text| {
            for call in text.split("ParseError::new(").skip(1) {
                if let Some(code) = call.split('"').nth(1)
                    && code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    codes.push(code.to_owned());
                }
            }
        });
        assert!(codes.len() > 30, "found only {codes:?}");
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !ID.has(&format!("gift.{c}")) || !EN.has(&format!("gift.{c}")))
            .collect();
        assert!(missing.is_empty(), "no words for {missing:?}");
    }

    fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                f(&text);
            }
        }
    }

    /// Keys in `t.get("…")` and `t.fmt("…"` calls.
    fn keys_used(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for marker in ["t.get(\"", "t.fmt(\""] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if !key.is_empty()
                        && !key.ends_with('.')
                        && key.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                        })
                    {
                        keys.push(key.to_owned());
                    }
                }
            }
        }
        keys
    }
}
