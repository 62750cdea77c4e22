//! Where a glyph's ink lies across its advance: the `xMin`/`xMax` of its
//! `glyf` record, read for one glyph at a time.
//!
//! Punctuation adjustment (see [`crate::layout::fonts::Blank`]) needs to know
//! which half of the em a full-width mark leaves blank. That is a property of
//! the font (GB-style fonts put `：；？！` in the left half, Taiwanese ones
//! centre them), so it is read from the glyph rather than from a table. Only
//! the 10-byte glyph header is read; the `glyf` table of a CJK font is
//! megabytes and is never copied. CFF-flavoured fonts have no `glyf`: their
//! marks report no bounds and are set at full width.

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::tables::loca::LocaTable;
use allsorts::tables::{FontTableProvider, HeadTable, MaxpTable};
use allsorts::tag;

/// The horizontal extent of glyph `gid`'s ink, in font units, or `None` when
/// the font has no `glyf` table or the glyph no outline.
pub(super) fn x_extent(program: &[u8], index: usize, gid: u16) -> Option<(i16, i16)> {
    let file = ReadScope::new(program).read::<FontData<'_>>().ok()?;
    let provider = file.table_provider(index).ok()?;
    if !provider.has_table(tag::GLYF) {
        return None;
    }
    let head = provider.read_table_data(tag::HEAD).ok()?;
    let head = ReadScope::new(&head).read::<HeadTable>().ok()?;
    let maxp = provider.read_table_data(tag::MAXP).ok()?;
    let maxp = ReadScope::new(&maxp).read::<MaxpTable>().ok()?;
    let loca = provider.read_table_data(tag::LOCA).ok()?;
    let loca = ReadScope::new(&loca).read_dep::<LocaTable<'_>>((maxp.num_glyphs, head.index_to_loc_format)).ok()?;
    let (start, end) = (loca.offsets.get(usize::from(gid))?, loca.offsets.get(usize::from(gid) + 1)?);
    if end < start + 10 {
        return None; // no outline (a space)
    }
    let glyf = provider.read_table_data(tag::GLYF).ok()?;
    let header = glyf.get(start as usize..start as usize + 10)?;
    let at = |i: usize| i16::from_be_bytes([header[i], header[i + 1]]);
    // numberOfContours, xMin, yMin, xMax, yMax.
    Some((at(2), at(6)))
}
