//! sea-orm entities in the form `sea-orm-cli generate entity` writes them; behaviour lives
//! in the domain folders, not here.

pub mod api_tokens;
pub mod assignments;
pub mod attempt_answers;
pub mod attempts;
pub mod competencies;
pub mod competency_assessments;
pub mod competency_levels;
pub mod completion_evidence;
pub mod completion_records;
pub mod course_competencies;
pub mod course_instructors;
pub mod course_prerequisites;
pub mod courses;
pub mod employees;
pub mod enrolments;
pub mod external_training_decisions;
pub mod external_trainings;
pub mod grades;
pub mod lesson_progress;
pub mod lessons;
pub mod login_attempts;
pub mod materials;
pub mod modules;
pub mod position_requirements;
pub mod positions;
pub mod question_competencies;
pub mod question_tags;
pub mod questions;
pub mod quiz_questions;
pub mod quizzes;
pub mod sessions;
pub mod units;
pub mod unlock_links;
pub mod user_roles;
pub mod users;
