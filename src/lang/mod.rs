//! Knowledge of Chinese text shared by the reader and the normaliser:
//! character classes, personal names, dates.

pub mod chars;
pub mod dates;
pub mod names;
