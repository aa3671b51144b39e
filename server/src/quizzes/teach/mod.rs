//! The instructor's quiz pages, one file per feature: a course's question bank and the
//! shared one (`bank`), the question editor (`draft` for its form, `editor` for its pages),
//! a question's page (`question`), the quiz form (`quiz_form`), a quiz's results
//! (`results`) and the essay grading queue (`grading`).

mod bank;
mod draft;
mod editor;
mod grading;
mod problems;
mod question;
mod quiz_form;
mod results;

pub use bank::{
    BankParams, export, export_shared, import, import_shared, questions, shared_questions,
};
pub use editor::{NewParams, create, create_shared, new_question, new_shared, update};
pub use grading::{GradingParams, grade, grading};
pub use question::{CorrectForm, correct, question};
pub use quiz_form::{create_quiz, edit_quiz, new_quiz, update_quiz};
pub use results::{SavedParams, quiz_page, results_csv};

use crate::{auth::context::Ctx, error::AppError, web::errors::form_error};

/// An error's message for a page, in the viewer's language.
fn error_text(ctx: &Ctx, e: &AppError) -> String {
    form_error(ctx, e).0
}
