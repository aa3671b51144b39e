//! The form section that edits a list of competencies with a level: what a course
//! develops (on the course form) and what a position requires (on its page). Slots of a
//! competency and a level, blank ones left out when saved.

use std::collections::HashMap;

use super::dictionary::CodeLevel;
use crate::error::AppResult;

/// The section's slots, the dictionary to choose from and how the last save went.
pub struct LevelSlots {
    /// The prefix of the field names: `{prefix}_code_N`, `{prefix}_level_N`.
    pub prefix: &'static str,
    /// (code, level) per slot, blank slots included.
    pub slots: Vec<(String, String)>,
    /// The level a blank slot offers first.
    pub default_level: i16,
    /// The catalog key of the level's label.
    pub level_label: &'static str,
    /// Competencies in use: (code, name).
    pub dictionary: Vec<(String, String)>,
    /// The refusal of the last save.
    pub error: Option<String>,
    /// Saved just now.
    pub saved: bool,
}

/// Blank slots offered after the filled ones (at least this many slots in all).
pub const MIN_SLOTS: usize = 5;

/// Most slots a form may send.
const MAX_SLOTS: usize = 200;

impl LevelSlots {
    /// The section with these slots filled, padded with blank ones.
    pub async fn load(
        db: &impl sea_orm::ConnectionTrait,
        prefix: &'static str,
        (default_level, level_label): (i16, &'static str),
        mut slots: Vec<(String, String)>,
    ) -> AppResult<LevelSlots> {
        let filled = slots.iter().filter(|(c, _)| !c.is_empty()).count();
        slots.retain(|(c, _)| !c.is_empty());
        slots.resize(MIN_SLOTS.max(filled + 2), (String::new(), String::new()));
        let dictionary = super::dictionary::list(db, false)
            .await?
            .into_iter()
            .map(|c| (c.row.code, c.row.name))
            .collect();
        Ok(LevelSlots {
            prefix,
            slots,
            default_level,
            level_label,
            dictionary,
            error: None,
            saved: false,
        })
    }

    /// The slots of `list`, as the form shows them.
    pub fn of(list: &[super::requirements::Leveled]) -> Vec<(String, String)> {
        list.iter()
            .map(|(c, level)| (c.code.clone(), level.to_string()))
            .collect()
    }

    /// The slots as sent (blank codes kept, so a refused form shows them as typed) and
    /// the pairs to save (blank codes left out).
    pub fn from_fields(
        prefix: &str,
        fields: &HashMap<String, String>,
    ) -> (Vec<(String, String)>, Vec<CodeLevel>) {
        let mut slots = Vec::new();
        for n in 0..MAX_SLOTS {
            let Some(code) = fields.get(&format!("{prefix}_code_{n}")) else {
                continue;
            };
            let level = fields
                .get(&format!("{prefix}_level_{n}"))
                .map(|l| l.trim().to_owned())
                .unwrap_or_default();
            slots.push((code.trim().to_owned(), level));
        }
        let pairs = slots
            .iter()
            .filter(|(c, _)| !c.is_empty())
            .map(|(code, level)| CodeLevel {
                code: code.clone(),
                level: level.parse().unwrap_or(0),
            })
            .collect();
        (slots, pairs)
    }
}
