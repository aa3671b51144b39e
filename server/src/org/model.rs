//! The organisation's value types: NIP, unit kinds and position kinds, each parsed once.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::{AppError, Code};

/// The 18-digit civil-servant number: birth date (8), CPNS start (6), gender (1), serial (3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nip(String);

impl Nip {
    /// Parses a NIP, checking its structure: a real birth date, a plausible start of
    /// service after the 17th birthday, gender 1 or 2, a serial above zero. Spaces are
    /// ignored, as NIPs are often written `19860926 201505 1 001`. `today` (in Jakarta)
    /// bounds the years: a civil servant is at least 15, and started at most next year.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Nip, AppError> {
        let bad = || AppError::invalid(Code::InvalidNip, "nip");
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.len() != 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let num = |a: usize, b: usize| s[a..b].parse::<u32>().map_err(|_| bad());
        let birth =
            NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(4, 6)?, num(6, 8)?).ok_or_else(bad)?;
        let (start_year, start_month) = (num(8, 12)? as i32, num(12, 14)?);
        let this_year = today.year();
        if birth.year() < 1930 || birth.year() > this_year - 15 {
            return Err(bad());
        }
        if !(1..=12).contains(&start_month)
            || start_year < birth.year() + 17
            || start_year > this_year + 1
        {
            return Err(bad());
        }
        if !matches!(&s[14..15], "1" | "2") || num(15, 18)? == 0 {
            return Err(bad());
        }
        Ok(Nip(s))
    }

    /// The 18 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses an optional NRK (DKI registration number): digits only, up to 32.
pub fn parse_nrk(raw: &str) -> Result<Option<String>, AppError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 32 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid(Code::InvalidNrk, "nrk"));
    }
    Ok(Some(s.to_owned()))
}

crate::vocab::str_enum!(
    /// Kinds of unit in a provincial government.
    UnitKind {
        /// Satuan kerja perangkat daerah (a dinas, badan or biro's parent).
        Skpd => "skpd",
        /// Unit kerja perangkat daerah.
        Ukpd => "ukpd",
        /// Biro of the regional secretariat.
        Biro => "biro",
        /// Bidang within an SKPD.
        Bidang => "bidang",
        /// Suku dinas (a dinas in one city).
        SukuDinas => "suku_dinas",
        /// Unit pelaksana teknis.
        Upt => "upt",
        /// Community health centre.
        Puskesmas => "puskesmas",
        /// Anything else.
        Other => "lainnya",
    }
);

crate::vocab::str_enum!(
    /// Kinds of position (jabatan): leadership, functional (expert and skilled) and pelaksana.
    PositionKind {
        /// JPT utama.
        JptUtama => "jpt_utama",
        /// JPT madya.
        JptMadya => "jpt_madya",
        /// JPT pratama.
        JptPratama => "jpt_pratama",
        /// Administrator.
        Administrator => "administrator",
        /// Pengawas.
        Pengawas => "pengawas",
        /// Functional, ahli utama.
        JfAhliUtama => "jf_ahli_utama",
        /// Functional, ahli madya.
        JfAhliMadya => "jf_ahli_madya",
        /// Functional, ahli muda.
        JfAhliMuda => "jf_ahli_muda",
        /// Functional, ahli pertama.
        JfAhliPertama => "jf_ahli_pertama",
        /// Functional, penyelia.
        JfPenyelia => "jf_penyelia",
        /// Functional, mahir.
        JfMahir => "jf_mahir",
        /// Functional, terampil.
        JfTerampil => "jf_terampil",
        /// Functional, pemula.
        JfPemula => "jf_pemula",
        /// Pelaksana.
        Pelaksana => "pelaksana",
    }
);

/// Parses a unit kind (any case).
pub fn parse_unit_kind(raw: &str) -> Result<UnitKind, AppError> {
    UnitKind::parse(&raw.trim().to_lowercase())
        .ok_or(AppError::invalid(Code::InvalidUnitKind, "kind"))
}

/// Parses a position kind (any case).
pub fn parse_position_kind(raw: &str) -> Result<PositionKind, AppError> {
    PositionKind::parse(&raw.trim().to_lowercase())
        .ok_or(AppError::invalid(Code::InvalidPositionKind, "kind"))
}

/// Parses a unit code: 1–32 of `A-Z 0-9 . _ -`, stored upper-case.
pub fn parse_unit_code(raw: &str) -> Result<String, AppError> {
    let s = raw.trim().to_uppercase();
    if (1..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        Ok(s)
    } else {
        Err(AppError::invalid(Code::InvalidUnitCode, "code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
    }

    #[test]
    fn valid_nips() {
        assert_eq!(
            Nip::parse("198609262015051001", today())
                .expect("valid")
                .as_str(),
            "198609262015051001"
        );
        assert!(Nip::parse("19860926 201505 1 001", today()).is_ok());
        assert!(
            Nip::parse("199002292016022001", today()).is_err(),
            "1990 is not a leap year"
        );
        assert!(
            Nip::parse("199202292016022001", today()).is_ok(),
            "1992 is a leap year"
        );
    }

    #[test]
    fn invalid_nips() {
        for bad in [
            "",
            "12345",
            "19860926201505100",   // 17 digits
            "1986092620150510011", // 19 digits
            "19860926201505100a",
            "198613262015051001", // month 13
            "198609322015051001", // day 32
            "198609262015131001", // start month 13
            "198609262015053001", // gender 3
            "198609262015051000", // serial 000
            "198609261995051001", // started at 8
            "198609262099051001", // starts in the future
        ] {
            assert!(Nip::parse(bad, today()).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn kinds_and_codes() {
        assert_eq!(parse_unit_kind("SKPD").expect("ok"), UnitKind::Skpd);
        assert!(parse_unit_kind("kingdom").is_err());
        assert!(parse_position_kind("pelaksana").is_ok());
        assert!(parse_position_kind("raja").is_err());
        assert_eq!(
            parse_unit_code(" diskominfotik ").expect("ok"),
            "DISKOMINFOTIK"
        );
        assert!(parse_unit_code("a b").is_err());
        assert_eq!(parse_nrk("").expect("ok"), None);
        assert!(parse_nrk("12a").is_err());
    }
}
