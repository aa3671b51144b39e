//! The vocabulary of courses as parsed values: categories, delivery forms, statuses,
//! enrolment modes, lesson kinds and completion rules, and the checked course input.

use crate::{
    error::{AppError, AppResult, Code, Problems},
    vocab::str_enum,
};

str_enum!(
    /// The kind of training, as BPSDM groups it.
    Category {
        /// Leadership (kepemimpinan).
        Leadership => "kepemimpinan",
        /// Functional (fungsional).
        Functional => "fungsional",
        /// Technical (teknis).
        Technical => "teknis",
        /// Anything else.
        Other => "lainnya",
    }
);

str_enum!(
    /// How a course is delivered.
    Delivery {
        /// Fully online.
        Elearning => "e_learning",
        /// In a classroom.
        Classical => "classical",
        /// Both.
        Blended => "blended",
    }
);

str_enum!(
    /// A course's life cycle.
    Status {
        /// Being written; only its editors see it.
        Draft => "draft",
        /// In the catalogue; learners take it.
        Published => "published",
        /// Closed to new learners; enrolled learners keep their records.
        Archived => "archived",
    }
);

str_enum!(
    /// Who may join a course.
    EnrolmentMode {
        /// Anyone may enrol from the catalogue.
        SelfEnrol => "self",
        /// Only people it is assigned to.
        AssignedOnly => "assigned",
    }
);

str_enum!(
    /// What a lesson holds.
    LessonKind {
        /// Markdown text with images from the course's materials.
        Text => "text",
        /// An uploaded video, optionally with WebVTT captions.
        Video => "video",
        /// An uploaded document (PDF shown in the page).
        Document => "document",
        /// A link to an external page.
        Link => "link",
        /// A quiz (created with its settings through the quiz API).
        Quiz => "quiz",
    }
);

str_enum!(
    /// When a lesson counts as done.
    Completion {
        /// When the learner opens it.
        Opened => "opened",
        /// When the learner has watched a share of the video.
        Watched => "watched",
        /// When the learner marks it done.
        Marked => "marked",
        /// When the learner passes the lesson's quiz.
        Passed => "passed",
    }
);

/// A course's editable fields as a form or JSON body gives them.
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    /// Short unique code.
    pub code: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary.
    pub summary: String,
    /// Description in Markdown.
    pub description_md: String,
    /// Category name.
    pub category: String,
    /// Learning hours.
    pub jp: String,
    /// Delivery form name.
    pub delivery: String,
    /// Enrolment mode name.
    pub enrolment: String,
    /// A classical or blended course's first session: RFC 3339, or `YYYY-MM-DDTHH:MM` in
    /// Jakarta time (what a `datetime-local` field sends); empty for none.
    pub starts_at: String,
    /// Its last session's end, the same way.
    pub ends_at: String,
    /// Where it meets.
    pub venue: String,
}

/// A course input that passed every check.
#[derive(Debug, Clone)]
pub struct CheckedCourse {
    /// Upper-case code.
    pub code: String,
    /// Trimmed title.
    pub title: String,
    /// Trimmed summary.
    pub summary: String,
    /// Description in Markdown.
    pub description_md: String,
    /// Category.
    pub category: Category,
    /// Learning hours (1–500).
    pub jp: i32,
    /// Delivery form.
    pub delivery: Delivery,
    /// Enrolment mode.
    pub enrolment: EnrolmentMode,
    /// First session (none for e-learning).
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last session's end (none for e-learning).
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Venue, at most 200 characters (empty for e-learning).
    pub venue: String,
}

/// Longest venue accepted.
const MAX_VENUE: usize = 200;

/// A moment as a form or the API gives it: RFC 3339, or a Jakarta wall-clock time
/// `YYYY-MM-DDTHH:MM` (also with a space, or seconds); empty is none.
pub fn parse_moment(
    raw: &str,
    field: &'static str,
) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let refuse = || AppError::invalid(Code::InvalidDateTime, field);
    let at = match chrono::DateTime::parse_from_rfc3339(raw) {
        Ok(at) => at.with_timezone(&chrono::Utc),
        Err(_) => {
            let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(raw, f).ok())
                .ok_or_else(refuse)?;
            local
                .and_local_timezone(crate::time::wib())
                .single()
                .ok_or_else(refuse)?
                .with_timezone(&chrono::Utc)
        }
    };
    crate::time::check_instant(at, field).map_err(|_| refuse())?;
    Ok(Some(at))
}

/// Longest Markdown body accepted for a description or a lesson: 64 KiB, which renders in
/// well under 100 ms however it is written (see docs/BENCHMARKS.md).
pub const MAX_MARKDOWN: usize = 64 * 1024;

/// Parses a course code: 2–32 of `A-Z 0-9 . _ -`, upper-cased.
pub fn parse_code(raw: &str) -> AppResult<String> {
    let code = raw.trim().to_uppercase();
    let ok = (2..=32).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(code)
    } else {
        Err(AppError::invalid(Code::InvalidCourseCode, "code"))
    }
}

/// Parses a title: 1–200 characters after trimming, no control or hidden characters.
pub fn parse_title(raw: &str, field: &'static str) -> AppResult<String> {
    crate::text::single_line(raw, 200, Code::InvalidTitle, field)
}

/// Parses Markdown text: at most [`MAX_MARKDOWN`] bytes.
pub fn parse_markdown(raw: &str, field: &'static str) -> AppResult<String> {
    if raw.len() > MAX_MARKDOWN {
        Err(AppError::invalid(Code::TextTooLong, field))
    } else {
        Ok(raw.replace("\r\n", "\n"))
    }
}

fn parse_enum<T>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    code: crate::error::Code,
    field: &'static str,
) -> AppResult<T> {
    parse(raw.trim()).ok_or(AppError::invalid(code, field))
}

impl CourseInput {
    /// Checks every field; every bad one is refused at once, in the form's order.
    pub fn check(&self) -> AppResult<CheckedCourse> {
        let mut p = Problems::default();
        let title = p.take(parse_title(&self.title, "title"));
        let code = p.take(parse_code(&self.code));
        let summary = p.take(parse_summary(&self.summary));
        let description_md = p.take(parse_markdown(&self.description_md, "description"));
        let category = p.take(parse_enum(
            &self.category,
            Category::parse,
            Code::InvalidCategory,
            "category",
        ));
        let jp = p.take(parse_jp(&self.jp));
        let delivery = p.take(parse_enum(
            &self.delivery,
            Delivery::parse,
            Code::InvalidDelivery,
            "delivery",
        ));
        let enrolment = p.take(parse_enum(
            &self.enrolment,
            EnrolmentMode::parse,
            Code::InvalidEnrolmentMode,
            "enrolment",
        ));
        let starts_at = p.take(parse_moment(&self.starts_at, "starts_at"));
        let ends_at = p.take(parse_moment(&self.ends_at, "ends_at"));
        if let (Some(Some(s)), Some(Some(e))) = (starts_at, ends_at)
            && e < s
        {
            p.take::<()>(Err(AppError::invalid(Code::ScheduleOrder, "ends_at")));
        }
        let venue = self.venue.trim().to_owned();
        if venue.chars().count() > MAX_VENUE {
            p.take::<()>(Err(AppError::invalid(Code::VenueTooLong, "venue")));
        }
        p.take(crate::text::refuse_nul(&venue, "venue"));
        p.check()?;
        // An e-learning course meets nowhere.
        let meets = delivery.is_some_and(|d| d != Delivery::Elearning);
        let (starts_at, ends_at, venue) = if meets {
            (starts_at.flatten(), ends_at.flatten(), venue)
        } else {
            (None, None, String::new())
        };
        match (
            title,
            code,
            summary,
            description_md,
            category,
            jp,
            delivery,
            enrolment,
        ) {
            (
                Some(title),
                Some(code),
                Some(summary),
                Some(description_md),
                Some(category),
                Some(jp),
                Some(delivery),
                Some(enrolment),
            ) => Ok(CheckedCourse {
                code,
                title,
                summary,
                description_md,
                category,
                jp,
                delivery,
                enrolment,
                starts_at,
                ends_at,
                venue,
            }),
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "a course field passed its check without a value"
            ))),
        }
    }
}

/// A course summary: at most 500 characters after trimming.
fn parse_summary(raw: &str) -> AppResult<String> {
    let summary = raw.trim();
    if summary.chars().count() > 500 {
        Err(AppError::invalid(Code::SummaryTooLong, "summary"))
    } else {
        Ok(summary.to_owned())
    }
}

/// Learning hours of a course: a whole number from 1 to 500.
fn parse_jp(raw: &str) -> AppResult<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|j| (1..=500).contains(j))
        .ok_or(AppError::invalid(Code::InvalidJp, "jp"))
}

/// A lesson's editable fields as a form or JSON body gives them.
#[derive(Debug, Clone, Default)]
pub struct LessonInput {
    /// Title.
    pub title: String,
    /// Kind name.
    pub kind: String,
    /// Markdown body (text lessons; an introduction for the others).
    pub body_md: String,
    /// Link target (link lessons).
    pub url: String,
    /// Completion rule name; empty picks the kind's default.
    pub completion: String,
    /// For "watched": the share of the video, in percent.
    pub watch_percent: Option<i32>,
    /// Whether the lesson counts towards course progress.
    pub required: bool,
}

/// A lesson input that passed every check.
#[derive(Debug, Clone)]
pub struct CheckedLesson {
    /// Trimmed title.
    pub title: String,
    /// Kind.
    pub kind: LessonKind,
    /// Markdown body.
    pub body_md: String,
    /// Link target.
    pub url: Option<String>,
    /// Completion rule.
    pub completion: Completion,
    /// Share of the video to watch (1–100).
    pub watch_percent: i32,
    /// Counts towards progress.
    pub required: bool,
}

/// Parses an external link: an absolute `http` or `https` URL.
pub fn parse_url(raw: &str) -> AppResult<String> {
    let u = raw.trim();
    let lower = u.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && u.len() <= 2000
        && u.len() > "https://".len()
        && !u.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(u.to_owned())
    } else {
        Err(AppError::invalid(Code::InvalidUrl, "url"))
    }
}

impl LessonInput {
    /// Checks every field; the first bad one is the error.
    pub fn check(&self) -> AppResult<CheckedLesson> {
        let kind = parse_enum(
            &self.kind,
            LessonKind::parse,
            Code::InvalidLessonKind,
            "kind",
        )?;
        let completion = match self.completion.trim() {
            "" => match kind {
                LessonKind::Video => Completion::Watched,
                LessonKind::Text | LessonKind::Document => Completion::Marked,
                LessonKind::Link => Completion::Opened,
                LessonKind::Quiz => Completion::Passed,
            },
            raw => parse_enum(
                raw,
                Completion::parse,
                Code::InvalidCompletion,
                "completion",
            )?,
        };
        let fits = match completion {
            Completion::Watched => kind == LessonKind::Video,
            Completion::Passed => kind == LessonKind::Quiz,
            Completion::Opened | Completion::Marked => kind != LessonKind::Quiz,
        };
        if !fits {
            return Err(AppError::invalid(Code::InvalidCompletion, "completion"));
        }
        let watch_percent = self.watch_percent.unwrap_or(90);
        if !(1..=100).contains(&watch_percent) {
            return Err(AppError::invalid(
                Code::InvalidWatchPercent,
                "watch_percent",
            ));
        }
        let url = match kind {
            LessonKind::Link => Some(parse_url(&self.url)?),
            _ => None,
        };
        Ok(CheckedLesson {
            title: parse_title(&self.title, "title")?,
            kind,
            body_md: parse_markdown(&self.body_md, "body_markdown")?,
            url,
            completion,
            watch_percent,
            required: self.required,
        })
    }
}

/// Lesson kinds an author picks in the outline editor (quizzes come with their settings).
pub const FORM_KINDS: &[&str] = &["text", "video", "document", "link"];

/// Completion rules an author picks in the lesson editor.
pub const FORM_COMPLETIONS: &[&str] = &["opened", "watched", "marked"];

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> CourseInput {
        CourseInput {
            code: " ki-01 ".into(),
            title: "Keamanan Informasi".into(),
            summary: "Ringkas".into(),
            description_md: "# Hai".into(),
            category: "teknis".into(),
            jp: "10".into(),
            delivery: "e_learning".into(),
            starts_at: String::new(),
            ends_at: String::new(),
            venue: String::new(),
            enrolment: "self".into(),
        }
    }

    #[test]
    fn course_input_parses_and_rejects() {
        let ok = course().check().map(|c| (c.code, c.jp, c.category));
        assert_eq!(ok.ok(), Some(("KI-01".to_owned(), 10, Category::Technical)));
        for (mutate, code) in [
            (
                Box::new(|c: &mut CourseInput| c.code = "k i".into())
                    as Box<dyn Fn(&mut CourseInput)>,
                Code::InvalidCourseCode,
            ),
            (
                Box::new(|c: &mut CourseInput| c.jp = "0".into()),
                Code::InvalidJp,
            ),
            (
                Box::new(|c: &mut CourseInput| c.jp = "x".into()),
                Code::InvalidJp,
            ),
            (
                Box::new(|c: &mut CourseInput| c.title = "  ".into()),
                Code::InvalidTitle,
            ),
            (
                Box::new(|c: &mut CourseInput| c.category = "sihir".into()),
                Code::InvalidCategory,
            ),
            (
                Box::new(|c: &mut CourseInput| c.delivery = "pos".into()),
                Code::InvalidDelivery,
            ),
            (
                Box::new(|c: &mut CourseInput| c.enrolment = "".into()),
                Code::InvalidEnrolmentMode,
            ),
        ] {
            let mut c = course();
            mutate(&mut c);
            assert_eq!(c.check().err().map(|e| e.code()), Some(code));
        }
    }

    #[test]
    fn lesson_rules() {
        let mut l = LessonInput {
            title: "Video".into(),
            kind: "video".into(),
            ..Default::default()
        };
        assert_eq!(
            l.check().ok().map(|c| c.completion),
            Some(Completion::Watched)
        );
        l.kind = "text".into();
        l.completion = "watched".into();
        assert_eq!(
            l.check().err().map(|e| e.code()),
            Some(Code::InvalidCompletion)
        );
        l.kind = "link".into();
        l.completion = String::new();
        l.url = "javascript:alert(1)".into();
        assert_eq!(l.check().err().map(|e| e.code()), Some(Code::InvalidUrl));
        l.url = "https://jdih.jakarta.go.id/".into();
        assert!(l.check().is_ok());
    }
}
