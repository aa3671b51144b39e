//! The quiz API, one file per feature: question banks (`bank`), quizzes (`quiz`),
//! attempts (`attempts`), hand grading (`grading`) and results (`results`). The handlers
//! (and the OpenAPI paths `utoipa` generates beside them) are re-exported for the router.

mod attempts;
mod bank;
mod grading;
mod quiz;
mod results;

pub use attempts::*;
pub use bank::*;
pub use grading::*;
pub use quiz::*;
pub use results::*;
