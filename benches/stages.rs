//! Stage benchmarks on bench13 (13 pages, 121K characters): read (decode,
//! chrome, segmentation), normalise, and each writer. `cargo bench`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use folio::read::profile::Profile;
use folio::write::{Format, WriteOptions};

fn pages() -> Vec<(String, Vec<u8>)> {
    (1..=13)
        .map(|p| {
            let name = format!("page-{p:02}.txt");
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bench13").join(&name);
            (name, std::fs::read(path).unwrap())
        })
        .collect()
}

fn read(pages: &[(String, Vec<u8>)], profile: &Profile) -> folio::model::Compilation {
    folio::read::compile(pages.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())), profile).unwrap()
}

fn stages(c: &mut Criterion) {
    let pages = pages();
    let profile = Profile::builtin();
    c.bench_function("read bench13", |b| b.iter(|| read(&pages, &profile)));
    let raw = read(&pages, &profile);
    c.bench_function("normalize bench13", |b| b.iter(|| folio::normalize::normalize(raw.clone())));
    let model = folio::normalize::normalize(raw);
    let options = WriteOptions::default();
    let mut group = c.benchmark_group("write bench13");
    group.sample_size(10);
    for format in Format::ALL {
        if folio::write::write(format, &model, &options).is_ok() {
            group.bench_function(format.name(), |b| b.iter(|| folio::write::write(format, &model, &options).unwrap()));
        }
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
