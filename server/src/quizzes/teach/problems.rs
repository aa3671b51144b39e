//! Why a question file or a correction is refused, worded in the reader's language from
//! the parser's error code and arguments (the API gives the parser's English text).

use super::super::bank::{self, Format};
use crate::web::i18n::{Lang, Tr};

/// Why [`bank::parse`] refuses `text`, in `lang` (`baris L: …`); none when it does not.
pub fn file_problem(lang: Lang, format: Format, text: &str) -> Option<String> {
    let e = bank::read(format, text).err()?;
    let t = Tr { lang };
    let key = format!("gift.{}", e.code);
    let mut reason = if lang.catalog().has(&key) {
        t.get(&key).to_owned()
    } else {
        e.message.clone()
    };
    for (name, value) in &e.args {
        reason = reason.replace(&format!("{{{name}}}"), value);
    }
    Some(
        t.get("gift.line")
            .replace("{line}", &e.line.to_string())
            .replace("{reason}", &reason),
    )
}

/// Why a correction (exactly one question) is refused, in `lang`; none when it is not.
pub fn correction_problem(lang: Lang, format: Format, text: &str) -> Option<String> {
    if let Some(problem) = file_problem(lang, format, text) {
        return Some(problem);
    }
    let found = bank::read(format, text).map_or(0, |q| q.len());
    (found != 1).then(|| Tr { lang }.fmt("gift.one_question", "found", found))
}
