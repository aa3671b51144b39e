//! sea-orm entities in the form `sea-orm-cli generate entity` writes them; behaviour lives
//! in the domain folders, not here.

pub mod api_tokens;
pub mod employees;
pub mod grades;
pub mod login_attempts;
pub mod positions;
pub mod sessions;
pub mod units;
pub mod user_roles;
pub mod users;
