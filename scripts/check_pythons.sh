#!/usr/bin/env bash
# Prove the course on every supported Python found on this machine.
#
# For each of Python 3.11, 3.12 and 3.13 found on PATH (python3.X), under pyenv
# ($PYENV_ROOT/versions/3.X.*) or in a python.org framework install, this builds a fresh virtual
# environment, installs requirements.txt and course_utils into it exactly as `make` does, runs the unit
# tests (as `make unit`) and lesson 01 under nbval (as `make notebooks`), and prints a table
# version -> result -> time. Versions run one after another.
#
# Usage:  bash scripts/check_pythons.sh [3.11 3.12 ...]     (`make check-pythons` runs all three)
#   CHECK_DIR=/some/folder  where the environments and logs go (default: a new temporary folder)
#   KEEP_VENVS=1            keep each environment instead of deleting it once its version is done
#   LESSON=notebooks/01_rnn_basics.ipynb   the lessons run under nbval (several, space-separated, or
#                                          LESSON="notebooks/*.ipynb" for all: then run in two workers, as make test)
set -u
cd "$(dirname "$0")/.."
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV

[ $# -gt 0 ] || set -- 3.11 3.12 3.13
LESSON=${LESSON:-notebooks/01_rnn_basics.ipynb}
CHECK_DIR=${CHECK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/check-pythons.XXXXXX")}
mkdir -p "$CHECK_DIR"

# The first interpreter for version $1 that runs and reports that version.
find_python() {
    local version=$1 candidate
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    for candidate in "$(command -v "python$version" 2>/dev/null)" \
        $(ls -d "$pyenv_root"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V -r) \
        "/Library/Frameworks/Python.framework/Versions/$version/bin/python$version"; do
        [ -n "$candidate" ] || continue
        if [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# The last line of pytest's output that counts results ("219 passed in 41.2s").
summary() { grep -E '^[0-9]+ (passed|failed|error)|^=+ .*(passed|failed|error)' "$1" | tail -n 1 | sed 's/=//g; s/^ *//; s/ *$//'; }

rows=()
failed=0
for version in "$@"; do
    log="$CHECK_DIR/python$version.log"
    python=$(find_python "$version") || { rows+=("| $version | not found on this machine | | | | | |"); continue; }
    full=$("$python" -c 'import platform; print(platform.python_version())')
    venv="$CHECK_DIR/venv-$version"
    echo "== Python $full ($python): log in $log"
    start=$SECONDS
    install="ok"; unit_rc=1; lesson_rc=1
    {
        "$python" -m venv "$venv" &&
            "$venv/bin/python" -m pip install --upgrade pip &&
            "$venv/bin/python" -m pip install -r requirements.txt &&
            "$venv/bin/python" -m pip install --no-deps -e .
    } >"$log" 2>&1 || install="FAILED"
    install_s=$((SECONDS - start))
    unit="not run"; lesson="not run"; unit_s=0; lesson_s=0
    if [ "$install" = ok ]; then
        t=$SECONDS
        "$venv/bin/python" -m pytest tests --doctest-modules course_utils -q -p no:cacheprovider >"$log.unit" 2>&1
        unit_rc=$?
        unit_s=$((SECONDS - t))
        unit="$(summary "$log.unit")"
        [ $unit_rc -eq 0 ] || unit="FAILED: ${unit:-see $log.unit}"
        t=$SECONDS
        # shellcheck disable=SC2086  # LESSON may name several notebooks, or a glob
        TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 "$venv/bin/python" -m pytest -n 2 --dist loadscope \
            --nbval-lax --nbval-current-env --nbval-cell-timeout=900 $LESSON -q \
            -p no:cacheprovider >"$log.nbval" 2>&1
        lesson_rc=$?
        lesson_s=$((SECONDS - t))
        lesson="$(summary "$log.nbval")"
        [ $lesson_rc -eq 0 ] || lesson="FAILED: ${lesson:-see $log.nbval}"
    fi
    if [ "$install" = ok ] && [ "$unit_rc" -eq 0 ] && [ "$lesson_rc" -eq 0 ]; then
        result="pass"
    else
        result="FAIL"; failed=1
    fi
    versions=$("$venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("tensorflow", "keras", "numpy")))' 2>/dev/null)
    rows+=("| $full | $result | install ${install_s} s ($install) | $unit (${unit_s} s) | $lesson (${lesson_s} s) | $((SECONDS - start)) s | $versions |")
    echo "${rows[${#rows[@]}-1]}"
    [ "${KEEP_VENVS:-0}" = 1 ] || rm -rf "$venv"
done

echo
echo "| Python | result | set-up | unit tests | $LESSON under nbval | total | installed |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Logs: $CHECK_DIR"
exit $failed
