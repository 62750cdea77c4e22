//! The EPUB's ZIP container (OCF): entries packed wherever they are made
//! (articles are compressed as soon as they are rendered, on the thread that
//! rendered them), then written as one archive, with what epub-builder
//! packed ([`finish`]: its archive read back with the `zip` crate; the
//! entries it stores, which is all of them with folio's patch, are deflated
//! here).
//!
//! Why not write it with the `zip` crate (which epub-builder's `ZipLibrary`
//! uses): it compresses one entry after another, builds a new deflate state
//! for each (allocating and zeroing ~300 KB every time), and cannot take data
//! compressed elsewhere. `rawzip` takes compressed data but always writes
//! data descriptors, which OCF readers do not expect on the `mimetype` entry.
//! What OCF needs of ZIP is small (APPNOTE 6.3: local headers with sizes and
//! CRC, the central directory and its end record; no ZIP64, encryption or
//! extra fields), so it is written here, and the tests read it back with the
//! `zip` crate and epubcheck.
//!
//! Every entry has the same fixed timestamp (1980-01-01 00:00, the earliest
//! DOS time), so the archive depends on its content only.

use std::borrow::Cow;

use super::EpubError;
use crate::write::deflate::{self, Wrap};

/// Below this many bytes an entry is stored: compression would save nothing.
const STORE_BELOW: usize = 64;
/// DOS date of 1980-01-01 (time 00:00 is 0).
const DOS_DATE: u16 = (1 << 5) | 1;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// ZIP 2.0: deflate.
const VERSION: u16 = 20;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

/// One entry of the archive, packed: compressed or stored.
pub(crate) struct Entry<'a> {
    pub name: Cow<'a, str>,
    method: u16,
    crc: u32,
    /// Uncompressed size.
    size: usize,
    data: Cow<'a, [u8]>,
}

impl<'a> Entry<'a> {
    /// `bytes` deflated now, or stored when deflate would save nothing.
    pub(crate) fn deflated(name: impl Into<Cow<'a, str>>, bytes: &[u8]) -> Entry<'a> {
        let crc = crc32fast::hash(bytes);
        if bytes.len() >= STORE_BELOW {
            let packed = deflate::compress(bytes, Wrap::Raw);
            if packed.len() < bytes.len() {
                return Entry { name: name.into(), method: DEFLATED, crc, size: bytes.len(), data: packed.into() };
            }
        }
        Entry { name: name.into(), method: STORED, crc, size: bytes.len(), data: bytes.to_vec().into() }
    }

    /// An entry another ZIP writer packed: its method (stored or deflated),
    /// CRC-32, uncompressed size and packed data, taken over as they are.
    pub(crate) fn packed(
        name: impl Into<Cow<'a, str>>,
        deflated: bool,
        crc: u32,
        size: usize,
        data: &'a [u8],
    ) -> Entry<'a> {
        let method = if deflated { DEFLATED } else { STORED };
        Entry { name: name.into(), method, crc, size, data: data.into() }
    }
}

/// Finishes epub-builder's archive `epub`: its entries in its order, with
/// those it was given empty replaced by the entry of the same name in
/// `filled`, and the package and navigation documents patched by
/// [`super::accessibility`] (epub-builder writes both from fixed templates). What
/// epub-builder packed is taken over as it is.
pub(crate) fn finish(epub: &[u8], filled: Vec<Entry<'static>>) -> Result<Vec<u8>, EpubError> {
    use std::io::{Cursor, Read};
    const NAV: &str = "OEBPS/nav.xhtml";
    const PACKAGE: &str = "OEBPS/content.opf";
    // By name: looked up once per entry of the archive (a scan of the list
    // for each made the book quadratic in its documents).
    let mut filled: std::collections::HashMap<String, Entry<'static>> =
        filled.into_iter().map(|e| (e.name.to_string(), e)).collect();
    let mut archive = zip::ZipArchive::new(Cursor::new(epub))?;
    let mut entries = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        let name = file.name().to_string();
        if let Some(entry) = filled.remove(&name) {
            entries.push(entry);
        } else if name == NAV || name == PACKAGE {
            drop(file);
            let mut text = String::new();
            archive.by_index(i)?.read_to_string(&mut text)?;
            let text = if name == NAV {
                super::accessibility::navigation(&text)?
            } else {
                super::accessibility::package(&text)?
            };
            entries.push(Entry::deflated(name, text.as_bytes()));
        } else {
            if i == 0 && (name != "mimetype" || file.compression() != zip::CompressionMethod::Stored) {
                return Err(EpubError::Container(format!("the first entry is {name}, not mimetype stored")));
            }
            let deflated = match file.compression() {
                zip::CompressionMethod::Stored => false,
                zip::CompressionMethod::Deflated => true,
                other => return Err(EpubError::Container(format!("unexpected compression {other:?} of {name}"))),
            };
            let start = file.data_start() as usize;
            let data = &epub[start..start + file.compressed_size() as usize];
            if deflated || i == 0 {
                entries.push(Entry::packed(name, deflated, file.crc32(), file.size() as usize, data));
            } else {
                // Stored by epub-builder (vendor/epub-builder/FOLIO-PATCH.md): deflated here.
                entries.push(Entry::deflated(name, data));
            }
        }
    }
    if let Some(left) = filled.keys().min() {
        return Err(EpubError::Container(format!("{left} is not in the package")));
    }
    self::archive(&entries)
}

/// The archive of `entries`, in order (the first must be `mimetype`, stored).
pub(crate) fn archive(entries: &[Entry<'_>]) -> Result<Vec<u8>, EpubError> {
    let too_large = EpubError::TooLarge;
    if entries.len() > usize::from(u16::MAX) {
        return Err(too_large("number of entries"));
    }
    let size: usize = entries.iter().map(|p| 30 + 46 + 2 * p.name.len() + p.data.len()).sum::<usize>() + 22;
    if size > u32::MAX as usize || entries.iter().any(|p| p.size > u32::MAX as usize) {
        return Err(too_large("size"));
    }
    let mut out = Vec::with_capacity(size);
    let mut offsets = Vec::with_capacity(entries.len());
    for p in entries {
        offsets.push(out.len() as u32);
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&VERSION.to_le_bytes());
        common_fields(&mut out, p);
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        out.extend_from_slice(p.name.as_bytes());
        out.extend_from_slice(&p.data);
    }
    let directory = out.len() as u32;
    for (p, offset) in entries.iter().zip(offsets) {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&VERSION.to_le_bytes()); // made by: MS-DOS, ZIP 2.0
        out.extend_from_slice(&VERSION.to_le_bytes()); // needed to extract
        common_fields(&mut out, p);
        out.extend_from_slice(&[0; 12]); // extra, comment, disk, internal and external attributes
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(p.name.as_bytes());
    }
    let directory_size = out.len() as u32 - directory;
    let count = entries.len() as u16;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // no comment
    Ok(out)
}

/// The fields local and central headers share, from the flags to the name length.
fn common_fields(out: &mut Vec<u8>, p: &Entry<'_>) {
    let flags = if p.name.is_ascii() { 0 } else { UTF8_NAME };
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&p.method.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
    out.extend_from_slice(&DOS_DATE.to_le_bytes());
    out.extend_from_slice(&p.crc.to_le_bytes());
    out.extend_from_slice(&(p.data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(p.size as u32).to_le_bytes());
    out.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn the_zip_crate_reads_back_every_entry() {
        let long = "第一章 机器人流程自动化".repeat(400);
        let opf = b"<package/><package/><package/>";
        let packed = deflate::compress(opf, Wrap::Raw);
        let entries = vec![
            Entry::packed("mimetype", false, crc32fast::hash(b"application/epub+zip"), 20, b"application/epub+zip"),
            Entry::deflated("META-INF/container.xml", b"<container/>"),
            Entry::deflated("OEBPS/a001.xhtml", long.as_bytes()),
            Entry::deflated("OEBPS/empty.css", b""),
            Entry::deflated("OEBPS/图.svg", b"<svg/>"),
            Entry::packed("OEBPS/content.opf", true, crc32fast::hash(opf), opf.len(), &packed),
        ];
        let bytes = archive(&entries).unwrap();
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), entries.len());
        let expected: [&[u8]; 6] = [b"application/epub+zip", b"<container/>", long.as_bytes(), b"", b"<svg/>", opf];
        for (i, (entry, data)) in entries.iter().zip(expected).enumerate() {
            let mut file = zip.by_index(i).unwrap();
            assert_eq!(file.name(), entry.name);
            let mut back = Vec::new();
            file.read_to_end(&mut back).unwrap(); // checks the CRC too
            assert_eq!(back, data, "{}", entry.name);
        }
        assert_eq!(zip.by_index(0).unwrap().compression(), zip::CompressionMethod::Stored);
        let article = zip.by_name("OEBPS/a001.xhtml").unwrap();
        assert_eq!(article.compression(), zip::CompressionMethod::Deflated);
        assert!(article.compressed_size() < article.size() / 2);
    }
}
