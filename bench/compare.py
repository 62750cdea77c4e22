#!/usr/bin/env python3
"""End-to-end speed of the release binary against pandoc and typst, on the same content.

    python3 bench/compare.py            # builds folio --release, installs pandoc/typst if missing
    python3 bench/compare.py --quick    # fewer repetitions, batch of 20 instead of 100
    python3 bench/compare.py --baseline OLD_FOLIO   # also time another folio binary, alternating runs with this one

Inputs: tests/data/bench13 (13 pages, 121K characters) for folio; bench/bench13.md and bench/bench13.typ (the same
content, already segmented) for pandoc and typst. The batch is N copies of bench13 under different titles; pandoc and
typst run once per copy, two at a time (this machine has 2 cores), against one folio run over all copies.
Every figure is measured in this run; ratios are what to compare, since the machine is shared and noisy.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLIO = ROOT / "target" / "release" / "folio"


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def timed(cmd, repeat=3, **kw):
    """Median wall time of `cmd` over `repeat` runs, and the peak RSS (MB) seen.

    Dirty file data is flushed (untimed) before each run: folio fsyncs its outputs, and on ext4 an fsync also
    writes back whatever else is dirty, such as the batch this script has just written or another tool's output.
    """
    times, peak = [], 0.0
    for _ in range(repeat):
        os.sync()
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
        times.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
        peak = max(peak, int(p.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(times), peak


def timed_alternating(cmd_a, cmd_b, repeat=3, **kw):
    """Median wall times of two commands run alternately (a, b, a, b, ...), so both see the same machine."""
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(cmd_a, 1, **kw)[0])
        b.append(timed(cmd_b, 1, **kw)[0])
    return statistics.median(a), statistics.median(b)


def pair_time(cmds, repeat=1):
    """Wall time of running every command, two at a time."""
    best = []
    for _ in range(repeat):
        os.sync()
        t = time.perf_counter()
        procs = []
        for cmd in cmds:
            while len([p for p in procs if p.poll() is None]) >= 2:
                time.sleep(0.005)
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for p in procs:
            if p.wait() != 0:
                sys.exit(f"failed: {' '.join(map(str, p.args))}")
        best.append(time.perf_counter() - t)
    return statistics.median(best)


def find_pandoc():
    for cand in [shutil.which("pandoc")]:
        if cand and subprocess.run([cand, "--version"], capture_output=True, text=True).stdout.startswith("pandoc 3"):
            return cand
    try:
        import pypandoc  # noqa: F401
    except ImportError:
        run([sys.executable, "-m", "pip", "install", "-q", "pypandoc-binary"])
    import importlib
    pypandoc = importlib.import_module("pypandoc")
    return str(Path(pypandoc.__file__).parent / "files" / "pandoc")


def find_typst():
    for cand in [shutil.which("typst"), str(Path.home() / ".cargo/bin/typst")]:
        if cand and Path(cand).exists():
            return cand
    print("installing typst-cli with cargo (about 15 minutes on 2 cores)...", flush=True)
    run(["cargo", "install", "typst-cli", "--locked"])
    return str(Path.home() / ".cargo/bin/typst")


def make_batch(work: Path, n: int):
    pages = sorted((ROOT / "tests/data/bench13").glob("page-*.txt"))
    md = (ROOT / "bench/bench13.md").read_text()
    typ = (ROOT / "bench/bench13.typ").read_text()
    for i in range(n):
        d = work / "batch" / f"c{i:03}"
        d.mkdir(parents=True)
        for p in pages:
            text = p.read_text().replace("2022年前线文稿汇编-30篇(第", f"汇编副本{i:03}(第")
            (d / p.name).write_text(text)
        (work / "md").mkdir(exist_ok=True)
        (work / "typ").mkdir(exist_ok=True)
        (work / "md" / f"c{i:03}.md").write_text(md)
        (work / "typ" / f"c{i:03}.typ").write_text(typ)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--baseline", metavar="FOLIO", help="another folio binary (say, a build of main) timed alternately with this one")
    args = ap.parse_args()
    n = 20 if args.quick else args.batch
    rep = 2 if args.quick else 9
    if not args.no_build:
        run(["cargo", "build", "--release"], cwd=ROOT)
    pandoc, typst = find_pandoc(), find_typst()
    fonts = str(ROOT / "fonts")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    results = []

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_batch(work, n)
        bench13 = str(ROOT / "tests/data/bench13")
        out = str(work / "out")

        def folio(fmt, inputs, jobs=None, binary=FOLIO, out=out):
            cmd = [str(binary), "build", *inputs, "-o", out, "-f", fmt, "-q"]
            if jobs:
                cmd += ["-j", str(jobs)]
            return cmd

        # Against the baseline binary first, alternating runs (its own output folder).
        baseline = []
        if args.baseline:
            base_out = str(work / "base-out")
            for fmt in ["epub", "pdf"]:
                f, b = timed_alternating(folio(fmt, [bench13]), folio(fmt, [bench13], binary=args.baseline, out=base_out), rep, env=env)
                baseline.append((f"bench13 {fmt.upper()}", f, b))
            batch = sorted(str(p) for p in (work / "batch").iterdir())
            f, b = timed_alternating(folio("pdf", batch), folio("pdf", batch, binary=args.baseline, out=base_out), 3, env=env)
            baseline.append((f"batch x{n} PDF", f, b))

        # bench13, one compilation.
        f_epub, _ = timed(folio("epub", [bench13]), rep, env=env)
        p_epub, _ = timed([pandoc, str(ROOT / "bench/bench13.md"), "-o", str(work / "p.epub")], rep)
        f_pdf, _ = timed(folio("pdf", [bench13]), rep, env=env)
        t_pdf, t_rss = timed([typst, "compile", "--font-path", fonts, str(ROOT / "bench/bench13.typ"), str(work / "t.pdf")], rep)
        f_all, f_rss1 = timed(folio("md,json,epub,pdf", [bench13]), rep, env=env)
        results += [
            ("bench13 EPUB: folio / pandoc md->epub", f_epub, p_epub),
            ("bench13 PDF: folio / typst compile", f_pdf, t_pdf),
        ]

        # The batch.
        batch = sorted(str(p) for p in (work / "batch").iterdir())
        fb_epub, _ = timed(folio("epub", batch), 1, env=env)
        pb_epub = pair_time([[pandoc, str(p), "-o", str(p.with_suffix(".epub"))] for p in sorted((work / "md").iterdir())])
        fb_pdf, _ = timed(folio("pdf", batch), 1, env=env)
        tb_pdf = pair_time([[typst, "compile", "--font-path", fonts, str(p)] for p in sorted((work / "typ").iterdir())])
        fb_all1, _ = timed(folio("md,json,epub,pdf", batch, jobs=1), 1, env=env)
        fb_all2, fb_rss = timed(folio("md,json,epub,pdf", batch, jobs=2), 1, env=env)
        tenth = batch[: max(1, n // 10)]
        fb_small, _ = timed(folio("md,json,epub,pdf", tenth, jobs=2), 1, env=env)
        results += [
            (f"batch x{n} EPUB: folio / pandoc (2 at a time)", fb_epub, pb_epub),
            (f"batch x{n} PDF: folio / typst (2 at a time)", fb_pdf, tb_pdf),
        ]

    print(f"\nfolio {FOLIO}; pandoc {pandoc}; typst {typst}; batch of {n}\n")
    print(f"{'measure':48} {'folio s':>9} {'other s':>9} {'speed-up':>9}")
    for name, f, o in results:
        print(f"{name:48} {f:9.3f} {o:9.3f} {o / f:8.1f}x")
    print(f"\nbench13, all four formats (md, json, epub, pdf): {f_all:.3f} s wall, peak RSS {f_rss1:.0f} MB")
    print(f"typst compile bench13 peak RSS: {t_rss:.0f} MB")
    print(f"batch x{n}, all formats: -j1 {fb_all1:.2f} s, -j2 {fb_all2:.2f} s -> 2 threads {fb_all1 / fb_all2:.2f}x faster; peak RSS {fb_rss:.0f} MB")
    print(f"linearity: x{len(tenth)} took {fb_small:.2f} s, x{n} took {fb_all2:.2f} s -> ratio {fb_all2 / fb_small:.1f} for {n / len(tenth):.0f}x the input")
    if baseline:
        print(f"\nagainst the baseline {args.baseline} (alternating runs, medians):")
        print(f"{'measure':48} {'folio s':>9} {'base s':>9} {'folio/base':>10}")
        for name, f, b in baseline:
            print(f"{name:48} {f:9.3f} {b:9.3f} {f / b:9.2f}x")
        pdf = dict((name, (f, b)) for name, f, b in baseline)["bench13 PDF"]
        print(f"bench13 PDF speed-up over typst: folio {t_pdf / pdf[0]:.1f}x, baseline {t_pdf / pdf[1]:.1f}x (typst timed once, above)")


if __name__ == "__main__":
    main()
