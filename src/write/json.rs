//! JSON writer: the model as pretty-printed JSON (a stable interface).

use crate::model::Compilation;

use super::{Format, WriteError};

pub fn write(compilation: &Compilation) -> Result<Vec<u8>, WriteError> {
    let mut bytes = serde_json::to_vec_pretty(compilation).map_err(|e| WriteError::new(Format::Json, e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}
