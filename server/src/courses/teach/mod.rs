//! The author's pages: courses I teach and the course form, the outline editor (modules and
//! lessons: add, rename, reorder, delete; cover, instructors, prerequisites; publishing),
//! and the lesson editor with its uploads.

mod course_form;
mod lesson;
mod outline;

pub use course_form::*;
pub use lesson::*;
pub use outline::*;
