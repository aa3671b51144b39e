//! The one verdict an attempt shows beside its score, wherever it is listed: waiting for
//! the instructor, passed, not passed, or none (a pre-test, or a score the review hides).

/// What an attempt's badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An essay waits for its instructor: neither right nor wrong yet.
    Waiting,
    /// At or above the pass mark.
    Passed,
    /// Below the pass mark.
    Failed,
    /// No verdict to show.
    Unjudged,
}

impl Outcome {
    /// The badge of an attempt that `needs_grading`, with `passed` as the learner or
    /// instructor may see it (already none for a pre-test or a hidden score).
    pub fn of(needs_grading: bool, passed: Option<bool>) -> Outcome {
        match (needs_grading, passed) {
            (true, _) => Outcome::Waiting,
            (false, Some(true)) => Outcome::Passed,
            (false, Some(false)) => Outcome::Failed,
            (false, None) => Outcome::Unjudged,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_wins_over_any_pass() {
        assert_eq!(Outcome::of(true, Some(false)), Outcome::Waiting);
        assert_eq!(Outcome::of(true, None), Outcome::Waiting);
        assert_eq!(Outcome::of(false, Some(true)), Outcome::Passed);
        assert_eq!(Outcome::of(false, Some(false)), Outcome::Failed);
        assert_eq!(Outcome::of(false, None), Outcome::Unjudged);
    }
}
