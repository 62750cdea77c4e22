//! EPUB 3 writer (to be built: issue 3).

use crate::model::Compilation;

use super::{Format, Output, WriteError, WriteOptions};

pub fn write(_compilation: &Compilation, _options: &WriteOptions) -> Result<Output, WriteError> {
    Err(WriteError::new(Format::Epub, "not implemented yet"))
}
