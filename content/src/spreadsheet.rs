//! Cells written to CSV/spreadsheet exports: a value a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.

use std::borrow::Cow;

/// The value as it is safe to put in an exported cell.
pub fn neutralise_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise_cell;

    #[test]
    fn formulas_are_defused_and_text_is_kept() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise_cell(bad).starts_with('\''), "{bad:?}");
        }
        for good in ["Budi Santoso", "198609262015051001", "", "a=b"] {
            assert_eq!(neutralise_cell(good), good);
        }
    }
}
