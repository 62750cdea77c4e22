//! The PDF's identifiers, derived from its content so that the same book
//! gives the same bytes: the font ids (which are also the subset tags) and
//! the trailer /ID.

use std::collections::BTreeSet;

use lopdf::{Object, StringFormat};
use printpdf::FontId;
use sha2::{Digest, Sha256};

use super::PdfError;
use crate::layout::Face;
use crate::write::stamp;

/// Our font id for `face`: six capitals from a hash of the face and the
/// characters set in it. It names the resource and becomes the subset tag,
/// so it must be deterministic (printpdf's own ids come from a global counter).
pub(super) fn font_id(face: Face, chars: &BTreeSet<char>) -> FontId {
    let mut h = Sha256::new();
    h.update(face.name().as_bytes());
    for c in chars {
        h.update(c.to_string().as_bytes());
    }
    let d = h.finalize();
    FontId(d.iter().take(6).map(|b| (b'A' + b % 26) as char).collect())
}

/// Saves the document with its trailer /ID: the hash of the file as
/// written with a placeholder /ID, patched in place (same length, so no
/// offset moves).
pub(super) fn save_with_id(lo: &mut lopdf::Document) -> Result<Vec<u8>, PdfError> {
    const PLACEHOLDER: [u8; 16] = *b"folio-id-pending";
    let placeholder = Object::String(PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(PdfError::Save)?;
    let digest = Sha256::digest(&out);
    let hex = |b: &[u8]| stamp::hex(b).to_ascii_uppercase();
    let (from, to) = (format!("<{}>", hex(&PLACEHOLDER)), format!("<{}>", hex(&digest[..16])));
    let trailer_at = out.len().saturating_sub(4096);
    let found: Vec<usize> = (trailer_at..out.len().saturating_sub(from.len() - 1))
        .filter(|&i| out[i..].starts_with(from.as_bytes()))
        .collect();
    if found.len() != 2 {
        return Err(PdfError::NoIdPlaceholder);
    }
    for at in found {
        out[at..at + to.len()].copy_from_slice(to.as_bytes());
    }
    Ok(out)
}
