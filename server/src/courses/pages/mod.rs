//! The learner's pages: the catalogue, a course, the lesson player with progress, material
//! downloads, and the assignment form of admins and unit admins.

mod assign;
mod browse;
mod course;
mod lesson;

pub use assign::*;
pub use browse::*;
pub use course::*;
pub use lesson::*;
