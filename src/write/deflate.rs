//! Deflate for the writers, with one compressor per thread that is reset
//! between buffers instead of built anew.
//!
//! Building a zlib-rs compressor allocates and zeroes about 300 KB of
//! tables; a book has dozens of EPUB entries and hundreds of PDF streams,
//! most of a few kilobytes, so building one per buffer cost more than the
//! compression itself (a sixth of an EPUB's instructions). A reset clears
//! only the hash heads.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// The wrapping of the compressed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Raw deflate, as ZIP entries hold it.
    Raw,
    /// A zlib stream, as PDF's FlateDecode expects.
    Zlib,
}

thread_local! {
    /// This thread's compressors, by wrapping and level (a run uses two).
    static COMPRESSORS: RefCell<Vec<(Wrap, u32, Compress)>> = const { RefCell::new(Vec::new()) };
}

/// `data` compressed at `level` (0–9).
pub fn compress(data: &[u8], wrap: Wrap, level: u32) -> Vec<u8> {
    COMPRESSORS.with(|cell| {
        let mut compressors = cell.borrow_mut();
        let index = match compressors.iter().position(|(w, l, _)| *w == wrap && *l == level) {
            Some(i) => i,
            None => {
                compressors.push((wrap, level, Compress::new(Compression::new(level), wrap == Wrap::Zlib)));
                compressors.len() - 1
            }
        };
        let compressor = &mut compressors[index].2;
        compressor.reset();
        run(compressor, data)
    })
}

fn run(compressor: &mut Compress, data: &[u8]) -> Vec<u8> {
    // Text shrinks to a half or a third; start there and grow if need be.
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let consumed = compressor.total_in() as usize;
        let status = compressor
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
            .expect("deflate cannot fail on a well-formed stream with output space");
        match status {
            Status::StreamEnd => return out,
            Status::Ok | Status::BufError => out.reserve(out.capacity().max(64)),
        }
    }
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
    fn round_trips_through_a_reused_compressor() {
        let text = "机器人流程自动化（RPA）与人工智能。".repeat(500);
        let inputs: [&[u8]; 4] = [text.as_bytes(), b"", b"a", &text.as_bytes()[..1000]];
        for wrap in [Wrap::Raw, Wrap::Zlib] {
            for level in [2, 6] {
                for data in inputs {
                    let packed = compress(data, wrap, level);
                    assert_eq!(inflate(&packed, wrap), data, "{wrap:?} level {level}, {} bytes", data.len());
                }
            }
        }
    }

    #[test]
    fn reuse_gives_the_same_bytes_as_a_fresh_compressor() {
        let a = "第一篇文章".repeat(300);
        let b = "另一篇不同的文章内容".repeat(200);
        let first = compress(b.as_bytes(), Wrap::Raw, 6);
        compress(a.as_bytes(), Wrap::Raw, 6);
        assert_eq!(compress(b.as_bytes(), Wrap::Raw, 6), first);
        let fresh = std::thread::spawn(move || compress(b.as_bytes(), Wrap::Raw, 6)).join().unwrap();
        assert_eq!(fresh, first);
    }
}
