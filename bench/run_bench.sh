#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compares halfscope-cli with a plain Python evaluation loop on the same
# model, images and thread count, and HalfScope's model-only median with
# torch.utils.benchmark's. Prints a summary; docs/benchmarks.md records runs.
#
# The Python loop runs twice: as most loops are written (contiguous NCHW
# batches) and with channels-last batches, the layout halfscope-cli uses by
# default, so the gain from the layout and the gain from the pipeline can
# be separated. The model-only timings alternate between halfscope-cli
# bench and torch.utils.benchmark for ROUNDS rounds, both channels-last, so
# that drift in the machine's speed affects both, and the median of the
# per-round ratios is printed. halfscope-cli bench times each model in one
# block of ITERATIONS calls (BLOCK), because torch.utils.benchmark runs one
# model back to back and so finds its weights in the caches; alternating
# every call with the emulated half-precision model evicts them.
#
# Usage: bench/run_bench.sh [BUILD_DIR]
# Environment: IMAGES (default 200), THREADS (2), BATCH (8), DTYPE (fp16 or
# bf16), MODELS ("demo resnet18"), ITERATIONS (20, model-only timing),
# ROUNDS (5), BLOCK (ITERATIONS), PARTS ("end-to-end model-only"),
# PYTHON (.venv/bin/python).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cli=$build/bin/halfscope-cli
python=${PYTHON:-$root/.venv/bin/python}
images=${IMAGES:-200}
threads=${THREADS:-2}
batch=${BATCH:-8}
dtype=${DTYPE:-fp16}
iterations=${ITERATIONS:-20}
models=${MODELS:-demo resnet18}
rounds=${ROUNDS:-5}
block=${BLOCK:-$iterations}
parts=${PARTS:-end-to-end model-only}

[[ -x $cli ]] || { echo "run_bench.sh: $cli not found; build HalfScope first." >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "torch $("$python" -c 'import torch; print(torch.__version__)'), $threads threads, batch $batch, $dtype, $images images, hflip TTA"
"$python" "$root/bench/make_images.py" "$work/images" "$images"
"$python" "$root/bench/resnet18.py" "$work/resnet18.pt"

json_field() { "$python" -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, {'d': d}))" "$@"; }

for name in $models; do
    case $name in
        demo) model=$root/resources/demo/tinydarknet.pt ;;
        resnet18) model=$work/resnet18.pt ;;
        *) echo "run_bench.sh: unknown model $name" >&2; exit 2 ;;
    esac
    echo
    echo "== $name =="
    if [[ " $parts " == *" end-to-end "* ]]; then
        "$python" "$root/bench/reference_eval.py" "$model" "$work/images" --batch "$batch" --threads "$threads" \
            --dtype "$dtype" > "$work/python.json"
        "$python" "$root/bench/reference_eval.py" "$model" "$work/images" --batch "$batch" --threads "$threads" \
            --dtype "$dtype" --channels-last > "$work/python-nhwc.json"
        "$cli" compare "$model" "$work/images" --tta hflip --batch "$batch" --threads "$threads" --dtype "$dtype" \
            --repeat 0 --device cpu --memory-format channels_last --report "$work/report-$name" > /dev/null 2>&1
        report=$work/report-$name/report.json
        halfscope_s=$(json_field "$report" "round(d['timing']['pipeline']['wall_ms'] / 1000, 2)")
        echo "end to end (fp32 and $dtype per image), load $(cut -d' ' -f1 /proc/loadavg):"
        for variant in python python-nhwc; do
            python_s=$(json_field "$work/$variant.json" "round(d['wall_seconds'], 2)")
            label="Python loop, contiguous batches"
            [[ $variant == python-nhwc ]] && label="Python loop, channels-last batches"
            echo "  $label: ${python_s} s; halfscope-cli ${halfscope_s} s; ratio" \
                 "$(json_field "$report" "round($python_s / (d['timing']['pipeline']['wall_ms'] / 1000), 2)")x"
        done
        echo "pipeline efficiency (end-to-end images/s / model-only images/s): HalfScope" \
             "$(json_field "$report" "round(d['timing']['pipeline']['pipeline_efficiency'], 3)"), Python contiguous" \
             "$(json_field "$work/python.json" "round(d['forward_seconds'] / d['wall_seconds'], 3)"), Python channels-last" \
             "$(json_field "$work/python-nhwc.json" "round(d['forward_seconds'] / d['wall_seconds'], 3)")"
    fi

    if [[ " $parts " == *" model-only "* ]]; then
        echo "model-only float32 median, batch $batch, channels-last, blocks of $block calls, $rounds rounds:"
        ratios=()
        for round in $(seq "$rounds"); do
            "$cli" bench "$model" --dtype bf16 --batch "$batch" --threads "$threads" --iterations "$iterations" \
                --block "$block" --warmup 5 --device cpu --memory-format channels_last --json > "$work/bench.json"
            "$python" "$root/bench/torch_benchmark.py" "$model" --batch "$batch" --threads "$threads" \
                --channels-last > "$work/torch.json"
            halfscope_ms=$(json_field "$work/bench.json" "round(d['reference']['median_ms'], 2)")
            torch_ms=$(json_field "$work/torch.json" "round(d['median_ms'], 2)")
            echo "  round $round: halfscope-cli bench ${halfscope_ms} ms" \
                 "(p10 $(json_field "$work/bench.json" "round(d['reference']['p10_ms'], 1)")," \
                 "p90 $(json_field "$work/bench.json" "round(d['reference']['p90_ms'], 1)")), torch.utils.benchmark ${torch_ms} ms," \
                 "ratio $(json_field "$work/torch.json" "round($halfscope_ms / d['median_ms'], 3)")"
            ratios+=("$(json_field "$work/torch.json" "$halfscope_ms / d['median_ms']")")
        done
        echo "  median of the $rounds ratios: $("$python" -c 'import statistics, sys; print(round(statistics.median(map(float, sys.argv[1:])), 3))' "${ratios[@]}")"
    fi
done
