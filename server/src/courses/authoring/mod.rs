//! Authoring: creating and editing courses, their instructors and prerequisites, ordered
//! modules and lessons, publishing and archiving. Callers check [`super::access`] first;
//! the service functions that do (one per action) are in [`super::editing`].

mod course;
mod lessons;
mod outline;
mod people;

pub use course::*;
pub use lessons::*;
pub use outline::*;
pub use people::*;
