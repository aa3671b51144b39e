//! GIFT source turned into characters that remember their line and whether they were
//! escaped, so the parser can never mistake `\{` for an answer block or trim a `\n`.

/// The characters a backslash may escape (besides `n`, which means a newline).
pub(super) const ESCAPABLE: [char; 7] = ['\\', '~', '=', '#', '{', '}', ':'];

/// One character of a question's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sym {
    pub ch: char,
    /// Written with a backslash: never a control character, never trimmed.
    pub escaped: bool,
    /// The 1-based line it is on.
    pub line: usize,
}

impl Sym {
    /// Whether this is `ch` written without a backslash, i.e. with its GIFT meaning.
    pub fn is(&self, ch: char) -> bool {
        !self.escaped && self.ch == ch
    }

    /// Whitespace the parser may trim (an escaped `\n` is text, not layout).
    pub fn is_space(&self) -> bool {
        !self.escaped && self.ch.is_whitespace()
    }
}

/// The lines of one question, joined by newlines, with escapes resolved.
pub(super) fn lex(lines: &[(usize, &str)]) -> Vec<Sym> {
    let mut syms = Vec::new();
    for (index, &(line, text)) in lines.iter().enumerate() {
        if index > 0 {
            syms.push(Sym {
                ch: '\n',
                escaped: false,
                line: lines[index - 1].0,
            });
        }
        let mut chars = text.chars();
        while let Some(ch) = chars.next() {
            let (ch, escaped) = if ch == '\\' {
                match chars.clone().next() {
                    Some('n') => {
                        chars.next();
                        ('\n', true)
                    }
                    Some(next) if ESCAPABLE.contains(&next) => {
                        chars.next();
                        (next, true)
                    }
                    // Any other backslash is text, as Moodle reads it: TeX such as
                    // `\frac` or `\(x\)`, a path such as `C:\Users`.
                    _ => ('\\', true),
                }
            } else {
                (ch, false)
            };
            syms.push(Sym { ch, escaped, line });
        }
    }
    syms
}

/// `syms` without unescaped whitespace at either end.
pub(super) fn trim(syms: &[Sym]) -> &[Sym] {
    let start = syms
        .iter()
        .position(|s| !s.is_space())
        .unwrap_or(syms.len());
    let end = syms
        .iter()
        .rposition(|s| !s.is_space())
        .map_or(start, |i| i + 1);
    &syms[start..end]
}

/// The characters as a string.
pub(super) fn text(syms: &[Sym]) -> String {
    syms.iter().map(|s| s.ch).collect()
}

/// Whether `syms` starts with `pattern` written without backslashes.
pub(super) fn starts_with(syms: &[Sym], pattern: &str) -> bool {
    let mut syms = syms.iter();
    pattern
        .chars()
        .all(|ch| syms.next().is_some_and(|s| s.is(ch)))
}

/// Where `pattern`, written without backslashes, first occurs.
pub(super) fn find(syms: &[Sym], pattern: &str) -> Option<usize> {
    (0..syms.len()).find(|&i| starts_with(&syms[i..], pattern))
}

/// Where the first unescaped `ch` is.
pub(super) fn position(syms: &[Sym], ch: char) -> Option<usize> {
    syms.iter().position(|s| s.is(ch))
}
