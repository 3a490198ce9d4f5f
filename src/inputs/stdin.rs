//! Standard input as a source (`leakscan scan -`): a stream, read once.

use std::io;

use super::{Input, OpenOptions, Source};
use crate::outcome::Outcome;

/// Standard input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stdin;

impl Input for io::StdinLock<'static> {}

impl Source for Stdin {
    fn open(&self, _opts: &OpenOptions) -> Result<Box<dyn Input>, Outcome> {
        Ok(Box::new(io::stdin().lock()))
    }
}
