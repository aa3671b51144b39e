//! Passwords: the policy a new password must meet and argon2id hashing.

use std::sync::LazyLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::error::Code;

/// Shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longest password accepted; long passphrases are welcome, megabytes are not.
pub const MAX_LEN: usize = 1024;

/// Why a new password was refused; each maps to a catalog message `error.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_LEN`] characters.
    TooShort,
    /// More than [`MAX_LEN`] characters.
    TooLong,
    /// On the list of passwords attackers try first.
    TooCommon,
}

impl PasswordProblem {
    /// The error code clients see.
    pub fn code(self) -> Code {
        match self {
            Self::TooShort => Code::PasswordTooShort,
            Self::TooLong => Code::PasswordTooLong,
            Self::TooCommon => Code::PasswordTooCommon,
        }
    }
}

/// Passwords and patterns that breach corpora show first, Indonesian favourites included.
/// Compared after lower-casing and stripping trailing digits and punctuation.
const COMMON_STEMS: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssword",
    "qwerty",
    "qwertyuiop",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "iloveyou",
    "monkey",
    "dragon",
    "football",
    "sunshine",
    "princess",
    "abc",
    "abcdef",
    "abcdefg",
    "abcd",
    "changeme",
    "secret",
    "master",
    "login",
    "user",
    "default",
    "test",
    "guest",
    "root",
    "katasandi",
    "rahasia",
    "sayang",
    "bismillah",
    "indonesia",
    "jakarta",
    "merdeka",
    "garuda",
    "pancasila",
    "cintaku",
    "sandi",
    "masuk",
    "selamat",
    "alhamdulillah",
    "pegawai",
    "asn",
    "pns",
    "dki",
    "mahir",
    "",
];

/// Checks a new password against the policy.
pub fn check_policy(password: &str) -> Result<(), PasswordProblem> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if len > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    let one_char = lower.chars().all(|c| lower.starts_with(c));
    let sequence = "01234567890123456789".contains(lower.as_str())
        || "abcdefghijklmnopqrstuvwxyz".contains(lower.as_str());
    if COMMON_STEMS.contains(&stem) || one_char || sequence {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    // argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommendation.
    Argon2::default()
}

/// Hashes a password as an argon2id PHC string.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// A hash no password matches: for accounts that have no password yet.
pub const UNUSABLE: &str = "!";

/// A real hash of a random password, verified against when the account does not exist,
/// so an unknown user takes as long to refuse as a wrong password.
static DUMMY: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(b"not a password anyone has", &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Whether `password` matches `stored`; `None` for `stored` still spends the same time.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let (phc, real) = match stored {
        Some(s) if s != UNUSABLE => (s, true),
        _ => (DUMMY.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let ok = hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(check_policy("short"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_policy("Password123!"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(
            check_policy("bismillah2024"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(check_policy("1234567890"), Err(PasswordProblem::TooCommon));
        assert_eq!(
            check_policy("aaaaaaaaaaaa"),
            Err(PasswordProblem::TooCommon)
        );
        assert!(check_policy("kopi tubruk di monas").is_ok());
        let long: String = "x7-".repeat(40);
        assert!(check_policy(&long).is_ok());
        assert_eq!(
            check_policy(&"ab9".repeat(400)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("kopi tubruk di monas").expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("kopi tubruk di monas", Some(&h)));
        assert!(!verify("kopi tubruk di monas!", Some(&h)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some(UNUSABLE)));
    }

    #[test]
    fn a_long_password_counts_whole() {
        let long = "k".repeat(70) + "z";
        let h = hash(&long).expect("hash");
        assert!(verify(&long, Some(&h)));
        assert!(!verify(&"k".repeat(70), Some(&h)));
    }
}
