//! The competency domain's value types: kinds, levels, codes, record sources and the
//! states of training done elsewhere, each parsed once.

use crate::{
    error::{AppError, AppResult, Code},
    vocab::str_enum,
};

str_enum!(
    /// The three kinds of ASN competency (Permenpan RB 38/2017).
    Kind {
        /// Managerial (M.01–M.08).
        Managerial => "manajerial",
        /// Socio-cultural (SK.01).
        SocioCultural => "sosial_kultural",
        /// Technical, from each sector's dictionary.
        Technical => "teknis",
    }
);

str_enum!(
    /// Where a completion record comes from.
    Source {
        /// A course completed in Mahir.
        Internal => "internal",
        /// Training done elsewhere, verified by a unit admin or an admin.
        External => "external",
    }
);

str_enum!(
    /// Where a record of training done elsewhere stands.
    ExternalStatus {
        /// Waiting for a unit admin or an admin.
        Pending => "pending",
        /// Counted.
        Verified => "verified",
        /// Not counted; the reason is kept with the decision.
        Rejected => "rejected",
    }
);

/// A competency as lists and profiles show it: no definition, no levels' texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyRef {
    /// Its id.
    pub id: uuid::Uuid,
    /// Its code.
    pub code: String,
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its English name (empty when none).
    pub name_en: String,
}

/// The lowest and highest competency level.
pub const LEVELS: std::ops::RangeInclusive<i16> = 1..=5;

/// A competency level 1–5, or 422 `invalid_level` on `field`.
pub fn parse_level(n: i64, field: &'static str) -> AppResult<i16> {
    i16::try_from(n)
        .ok()
        .filter(|l| LEVELS.contains(l))
        .ok_or_else(|| AppError::invalid(Code::InvalidLevel, field))
}

/// A competency code as the dictionary keeps it: 1–32 characters, upper-case letters,
/// digits, `.`, `-` and `_`, starting with a letter (`M.01`, `SK.01`, `T.KI`); typed
/// lower case, it is raised. Otherwise 422 `invalid_competency_code`.
pub fn parse_code(raw: &str) -> AppResult<String> {
    let code = raw.trim().to_uppercase();
    let ok = (1..=32).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(code)
    } else {
        Err(AppError::invalid(Code::InvalidCompetencyCode, "code"))
    }
}

/// The gap between a required and an achieved level: how many levels are missing, never
/// negative; a missing achieved level counts as 0. No requirement, no gap.
pub fn gap(required: Option<i16>, achieved: Option<i16>) -> Option<i16> {
    required.map(|r| (r - achieved.unwrap_or(0)).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(parse_code(" m.01 ").expect("m.01"), "M.01");
        assert_eq!(parse_code("T.KI").expect("T.KI"), "T.KI");
        assert_eq!(parse_code("SK_01-a").expect("SK"), "SK_01-A");
        for bad in ["", "1A", ".M", "M 01", "M/01", &"A".repeat(33), "É.01"] {
            assert!(parse_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level(1, "level").expect("1"), 1);
        assert_eq!(parse_level(5, "level").expect("5"), 5);
        for bad in [0, 6, -1, i64::from(i16::MAX) + 1] {
            assert!(parse_level(bad, "level").is_err(), "{bad}");
        }
    }

    #[test]
    fn gaps_table() {
        // (required, achieved, gap)
        let table = [
            (Some(2), None, Some(2)),
            (Some(2), Some(1), Some(1)),
            (Some(2), Some(2), Some(0)),
            (Some(2), Some(4), Some(0)),
            (Some(5), Some(1), Some(4)),
            (None, Some(3), None),
            (None, None, None),
        ];
        for (required, achieved, want) in table {
            assert_eq!(gap(required, achieved), want, "{required:?} {achieved:?}");
        }
    }
}
