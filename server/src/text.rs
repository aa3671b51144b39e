//! Rules for the text people send, in one place: no NUL anywhere (PostgreSQL's text columns
//! cannot hold it, so both databases refuse it alike), and no hidden direction or
//! zero-width characters in the one-line names and titles others read.

use crate::error::{AppError, AppResult, Code};

/// 422 `invalid_text` when `s` holds a NUL character.
pub fn refuse_nul(s: &str, field: &'static str) -> AppResult<()> {
    if s.contains('\0') {
        Err(AppError::invalid(Code::InvalidText, field))
    } else {
        Ok(())
    }
}

/// Whether a JSON document holds a NUL character: JSON can only write one as the escape
/// `\u0000` (a raw NUL byte is not JSON at all), so the escapes are read, nothing else.
pub fn json_has_nul(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            0 => return true,
            b'\\' => {
                if json.get(i + 1) == Some(&b'u') && json.get(i + 2..i + 6) == Some(b"0000") {
                    return true;
                }
                // Skip the escaped character (a `\\` must not start another escape).
                i += 2;
            }
            _ => i += 1,
        }
    }
    false
}

/// Whether URL-encoded text (a query string or a form body) holds a NUL character:
/// written `%00` (a raw NUL byte counts too).
pub fn urlencoded_has_nul(raw: &[u8]) -> bool {
    raw.contains(&0) || raw.windows(3).any(|w| w == b"%00")
}

/// Characters that change how the text around them is shown without being seen
/// themselves: bidirectional overrides, embeddings and isolates, direction marks, and
/// zero-width characters. In a name they disguise it (`Budi\u{202e}Santoso`).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{061C}'              // Arabic letter mark
        | '\u{180E}'            // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space, (non-)joiner, LRM, RLM
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // isolates
        | '\u{FEFF}'            // zero-width no-break space
    )
}

/// A one-line name or title: trimmed, 1–`max` characters, no control and no hidden
/// characters; otherwise 422 with `code` on `field`.
pub fn single_line(
    raw: &str,
    max: usize,
    code: crate::error::Code,
    field: &'static str,
) -> AppResult<String> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > max || s.chars().any(|c| c.is_control() || is_hidden(c))
    {
        return Err(AppError::invalid(code, field));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_in_json_is_only_the_escape() {
        assert!(json_has_nul(br#"{"a":"x\u0000y"}"#));
        assert!(json_has_nul(b"{\"a\":\"x\0\"}"));
        assert!(
            !json_has_nul(br#"{"a":"x\\u0000y"}"#),
            "an escaped backslash"
        );
        assert!(json_has_nul(br#"{"a":"x\\\u0000y"}"#));
        assert!(json_has_nul(br#"{"a":"\u00001"}"#));
        assert!(!json_has_nul(br#"{"a":"\u0001 \u1000"}"#));
        assert!(!json_has_nul(br#"{"a":"\"}"#));
    }

    #[test]
    fn nul_in_forms_and_queries() {
        assert!(urlencoded_has_nul(b"q=a%00b"));
        assert!(!urlencoded_has_nul(b"q=a%25%30%30b&x=100"));
        assert!(!urlencoded_has_nul(b"q=%2500"));
    }

    #[test]
    fn names_refuse_hidden_characters() {
        assert_eq!(
            single_line("  Budi Santoso ", 200, Code::InvalidName, "name").expect("ok"),
            "Budi Santoso"
        );
        for bad in [
            "Budi\u{202e}Santoso",
            "Budi\u{200b}",
            "\u{2066}Budi",
            "",
            "a\nb",
        ] {
            assert!(
                single_line(bad, 200, Code::InvalidName, "name").is_err(),
                "{bad:?}"
            );
        }
        assert!(single_line(&"x".repeat(201), 200, Code::InvalidName, "name").is_err());
        assert!(single_line("Dinas Komunikasi — Jakarta", 200, Code::InvalidName, "f").is_ok());
    }
}
