//! Deflate for the writers (EPUB entries, PDF streams), with libdeflate and
//! one compressor per thread.
//!
//! libdeflate compresses whole buffers, which is all the writers have, and
//! is the fastest Deflate at a given ratio: on bench13's 61 XHTML documents
//! (424 KB), zlib-rs at level 6 took 7.0 ms for 213 KB, libdeflate at level
//! 1 took 3.1 ms for 218 KB (level 3: 4.5 ms, 208 KB). The compressor's
//! tables are allocated once per thread and reused.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

/// The wrapping of the compressed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Raw deflate, as ZIP entries hold it.
    Raw,
    /// A zlib stream, as PDF's FlateDecode expects.
    Zlib,
}

/// libdeflate's fastest level: its ratio on text is zlib's level 6.
const LEVEL: i32 = 1;

thread_local! {
    static COMPRESSOR: RefCell<Compressor> =
        RefCell::new(Compressor::new(CompressionLvl::new(LEVEL).expect("libdeflate level 1 exists")));
}

/// `data` compressed.
pub fn compress(data: &[u8], wrap: Wrap) -> Vec<u8> {
    COMPRESSOR.with(|cell| {
        let mut compressor = cell.borrow_mut();
        let bound = match wrap {
            Wrap::Raw => compressor.deflate_compress_bound(data.len()),
            Wrap::Zlib => compressor.zlib_compress_bound(data.len()),
        };
        let mut out = vec![0; bound];
        let written = match wrap {
            Wrap::Raw => compressor.deflate_compress(data, &mut out),
            Wrap::Zlib => compressor.zlib_compress(data, &mut out),
        }
        .expect("the output has libdeflate's bound");
        out.truncate(written);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8], wrap: Wrap) -> Vec<u8> {
        let mut out = Vec::new();
        match wrap {
            Wrap::Raw => flate2::read::DeflateDecoder::new(data).read_to_end(&mut out),
            Wrap::Zlib => flate2::read::ZlibDecoder::new(data).read_to_end(&mut out),
        }
        .unwrap();
        out
    }

    #[test]
    fn round_trips_through_another_inflater() {
        let text = "机器人流程自动化（RPA）与人工智能。".repeat(500);
        let noise: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let inputs: [&[u8]; 5] = [text.as_bytes(), b"", b"a", &text.as_bytes()[..1000], &noise];
        for wrap in [Wrap::Raw, Wrap::Zlib] {
            for data in inputs {
                let packed = compress(data, wrap);
                assert_eq!(inflate(&packed, wrap), data, "{wrap:?}, {} bytes", data.len());
            }
        }
    }

    #[test]
    fn reuse_gives_the_same_bytes_as_a_fresh_compressor() {
        let a = "第一篇文章".repeat(300);
        let b = "另一篇不同的文章内容".repeat(200);
        let first = compress(b.as_bytes(), Wrap::Raw);
        compress(a.as_bytes(), Wrap::Raw);
        assert_eq!(compress(b.as_bytes(), Wrap::Raw), first);
        let fresh = std::thread::spawn(move || compress(b.as_bytes(), Wrap::Raw)).join().unwrap();
        assert_eq!(fresh, first);
    }
}
