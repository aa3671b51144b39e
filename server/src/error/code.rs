//! Every error code a client can see in `error.code`, as one enum: the code is the
//! variant's snake_case name, and each has a message under `error.<code>` in both catalogs
//! (`assets/i18n/`). Status and wording are mapped at the edge (`web::errors`).

/// A stable, machine-readable error code. The doc line is the English message.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum Code {
    /// The request could not be read.
    BadRequest,
    /// This method is not allowed here.
    MethodNotAllowed,
    /// The request is too large.
    PayloadTooLarge,
    /// The request has the wrong content type.
    UnsupportedMediaType,
    /// Please log in first.
    Unauthenticated,
    /// Wrong username or password.
    InvalidCredentials,
    /// You do not have access to this page.
    Forbidden,
    /// The form has expired or did not come from this site. Reload the page and try again.
    CsrfFailed,
    /// What you are looking for does not exist.
    NotFound,
    /// That already exists.
    Duplicate,
    /// Too many failed login attempts. Wait a few minutes and try again.
    TooManyRequests,
    /// Something went wrong on our side. Our team can trace it with the request id below.
    Internal,
    /// The request body does not have the expected shape.
    InvalidBody,
    /// A username is 3–64 characters: lower-case letters, digits, dot, underscore or hyphen.
    InvalidUsername,
    /// The e-mail address is not valid.
    InvalidEmail,
    /// A name is required: at most 200 characters, with no control or hidden characters.
    InvalidName,
    /// A password needs at least 10 characters.
    PasswordTooShort,
    /// A password can have at most 1024 characters.
    PasswordTooLong,
    /// That password is too common and easy to guess. Choose another.
    PasswordTooCommon,
    /// That username is taken.
    UsernameTaken,
    /// The current password is wrong.
    WrongCurrentPassword,
    /// The two new passwords differ.
    PasswordMismatch,
    /// Unknown language.
    InvalidLanguage,
    /// Invalid NIP: it must be 18 digits with a real birth date, CPNS start and gender code (1 or 2).
    InvalidNip,
    /// An NRK has digits only (at most 32).
    InvalidNrk,
    /// Unknown unit type.
    InvalidUnitKind,
    /// Unknown position type.
    InvalidPositionKind,
    /// A unit code is 1–32 characters: letters, digits, dot, underscore or hyphen.
    InvalidUnitCode,
    /// The parent unit is invalid or outside your scope.
    InvalidParent,
    /// A unit cannot move below itself.
    UnitCycle,
    /// That unit code is taken.
    UnitCodeTaken,
    /// This unit already has a position with that name.
    PositionTaken,
    /// The unit is invalid or outside your scope.
    InvalidUnit,
    /// The position is not in the chosen unit.
    InvalidPosition,
    /// Unknown grade.
    InvalidGrade,
    /// The supervisor was not found.
    InvalidSupervisor,
    /// That NIP is already registered.
    NipTaken,
    /// That NRK is already registered.
    NrkTaken,
    /// The CSV file cannot be read.
    CsvUnreadable,
    /// Required columns are missing from the header row.
    CsvMissingColumns,
    /// Too many rows in one file.
    CsvTooManyRows,
    /// Unknown unit code, or outside your scope.
    CsvUnknownUnit,
    /// That unit has no such position.
    CsvUnknownPosition,
    /// The file has no data rows.
    CsvEmpty,
    /// Duplicate inside the file (also on line).
    CsvDuplicateInFile,
    /// The supervisor's NIP was not found.
    CsvUnknownSupervisor,
    /// A row could not be saved.
    CsvRowFailed,
    /// The file must be UTF-8 text.
    CsvNotUtf8,
    /// The file is too large.
    FileTooLarge,
    /// You cannot disable your own account.
    CannotDisableSelf,
    /// A course code is 2–32 characters: letters, digits, dot, underscore or hyphen.
    InvalidCourseCode,
    /// A title is required: at most 200 characters, with no control or hidden characters.
    InvalidTitle,
    /// The text is too long.
    TextTooLong,
    /// The summary is at most 500 characters.
    SummaryTooLong,
    /// JP must be a whole number from 1 to 500.
    InvalidJp,
    /// Unknown category.
    InvalidCategory,
    /// Unknown delivery form.
    InvalidDelivery,
    /// Unknown enrolment mode.
    InvalidEnrolmentMode,
    /// Unknown lesson kind.
    InvalidLessonKind,
    /// That completion rule does not fit the lesson kind.
    InvalidCompletion,
    /// The share to watch must be 1–100.
    InvalidWatchPercent,
    /// A link must be a complete http:// or https:// address.
    InvalidUrl,
    /// That course code is taken.
    CourseCodeTaken,
    /// The course has no lessons yet, so it cannot be published.
    CourseHasNoLessons,
    /// The module still has lessons. Delete them first.
    ModuleNotEmpty,
    /// That user does not have the instructor role.
    NotAnInstructor,
    /// No such active user.
    UnknownUser,
    /// Invalid prerequisite.
    InvalidPrerequisite,
    /// Complete the prerequisite course first:
    PrerequisiteMissing,
    /// This course is not open.
    CourseNotOpen,
    /// This course is only for employees it is assigned to.
    CourseAssignedOnly,
    /// The course is not published yet.
    CourseNotPublished,
    /// The due date cannot be before today.
    DueDatePast,
    /// Invalid date.
    InvalidDate,
    /// Enter a date and time, e.g. 2026-12-10 09.00.
    InvalidDateTime,
    /// The schedule cannot end before it starts.
    ScheduleOrder,
    /// The venue is at most 200 characters.
    VenueTooLong,
    /// Some recipients are unknown or outside your scope:
    InvalidAssignees,
    /// Choose exactly one target: employees, a unit or a position.
    InvalidAssignmentTarget,
    /// Invalid progress report.
    InvalidProgress,
    /// An instructor's preview is not recorded as progress.
    PreviewNotRecorded,
    /// The file is empty.
    FileEmpty,
    /// Choose a file to upload.
    FileMissing,
    /// The file's contents do not match the type its name says.
    FileTypeMismatch,
    /// Your upload quota does not allow this file. Ask an admin.
    UploadQuotaExceeded,
    /// {detail} — no question was imported.
    InvalidQuestionFile,
    /// A correction cannot change the question's type ({detail}); make a new question instead.
    QuestionKindChanged,
    /// Choose a question file or paste its contents.
    QuestionFileEmpty,
    /// {detail} — the question was not changed.
    InvalidCorrection,
    /// Invalid quiz settings.
    InvalidQuiz,
    /// The quiz is not open yet.
    QuizNotOpen,
    /// The quiz is closed.
    QuizClosed,
    /// No attempts are left for this quiz.
    AttemptsExhausted,
    /// This quiz has no questions yet.
    QuizHasNoQuestions,
    /// This attempt is finished; its answers cannot change.
    AttemptFinished,
    /// Time is up; this answer was not saved. The attempt is closed and graded with the answers saved before.
    AttemptDeadlinePassed,
    /// The response does not fit the question's type.
    InvalidResponse,
    /// Learners have attempted this quiz, so its lesson cannot be deleted.
    QuizHasAttempts,
    /// Enter the marks as a number from 0 to {detail}.
    InvalidHandGrade,
    /// This attempt is not finished yet.
    AttemptInProgress,
    /// The cover must be an image among this course's files.
    InvalidCover,
    /// Invalid page number: pages 1–100000, at most 200 rows per page.
    InvalidPage,
    /// The text contains a NUL character, which is not allowed.
    InvalidText,
    /// The server's storage is full. Nothing was changed; try again later or contact an admin.
    StorageFull,
    /// File storage cannot be reached right now. Nothing was changed; try again later.
    StorageUnavailable,
    /// The database is busy or cannot be reached. Nothing was changed; try again in a moment.
    DatabaseUnavailable,
    /// The request took too long and was stopped. Try again.
    RequestTimeout,
    /// A prerequisite of this course is not published yet. Publish it first:
    PrerequisiteNotPublished,
    /// Too many questions in one file (at most {detail}). Split the file into parts.
    TooManyQuestions,
    /// Too many failed logins for this account from elsewhere. From this device you can ask for a one-time login link by e-mail.
    AccountLocked,
    /// A level is a whole number from 1 to 5.
    InvalidLevel,
    /// A competency code is 1–32 characters: letters, digits, dot, hyphen or underscore, starting with a letter (e.g. M.01, T.KI).
    InvalidCompetencyCode,
    /// Choose a kind: manajerial, sosial kultural or teknis.
    InvalidCompetencyKind,
    /// That competency code is already in the dictionary.
    CompetencyCodeTaken,
    /// A competency's code cannot be changed: question tags and files name it. Add a new competency and retire this one instead.
    CompetencyCodeFixed,
    /// This competency is not in the dictionary (or is retired): {detail}.
    UnknownCompetency,
    /// A competency appears twice in the list: {detail}.
    DuplicateCompetency,
    /// Give a reason: one line of at most 500 characters.
    InvalidReason,
    /// This record has already been reversed (or is itself a reversal).
    AlreadyReversed,
    /// A certificate number is one line of at most 100 characters.
    InvalidCertificateNumber,
    /// This training has already been verified or rejected.
    ExternalNotPending,
    /// Evidence is a PDF, JPEG or PNG file.
    InvalidEvidenceType,
    /// Only a failed or cancelled job can be run again.
    JobNotRetryable,
    /// This job has already finished.
    JobFinished,
    /// Unknown job status.
    InvalidJobStatus,
    /// The year must be between 2000 and 2100.
    InvalidYear,
    /// Unknown sort order.
    InvalidSort,
    /// Unknown filter.
    InvalidFilter,
    /// Unknown export: employees, jp_compliance, completions, gaps or overdue.
    InvalidExportKind,
    /// The format must be csv or xlsx.
    InvalidExportFormat,
}

impl Code {
    /// The code as clients see it, e.g. `invalid_nip`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse()
            .map_err(|_| serde::de::Error::custom(format!("unknown error code {s:?}")))
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::Code;

    #[test]
    fn codes_are_snake_case() {
        assert_eq!(Code::InvalidNip.as_str(), "invalid_nip");
        assert_eq!(Code::CsvNotUtf8.as_str(), "csv_not_utf8");
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for lang in [crate::web::i18n::Lang::Id, crate::web::i18n::Lang::En] {
            let missing: Vec<_> = Code::VARIANTS
                .iter()
                .filter(|c| !lang.catalog().has(&format!("error.{c}")))
                .collect();
            assert!(
                missing.is_empty(),
                "{lang:?} has no message for {missing:?}"
            );
        }
    }
}
