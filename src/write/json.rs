//! JSON writer: the model as pretty-printed JSON (a stable interface).

use crate::model::Compilation;

use super::WriteError;

pub fn write(compilation: &Compilation) -> Result<Vec<u8>, WriteError> {
    let mut bytes = serde_json::to_vec_pretty(compilation)?;
    bytes.push(b'\n');
    Ok(bytes)
}
