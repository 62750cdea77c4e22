//! Typesetting: model → pages of positioned text runs, rules and link areas,
//! using font metrics only (no PDF types here). To be built: issue 4.
