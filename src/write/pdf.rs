//! PDF writer (to be built: issue 4).

use crate::model::Compilation;

use super::{Format, Output, WriteError, WriteOptions};

pub fn write(_compilation: &Compilation, _options: &WriteOptions) -> Result<Output, WriteError> {
    Err(WriteError::new(Format::Pdf, "not implemented yet"))
}
