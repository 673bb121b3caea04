#!/usr/bin/env bash
# OCA's linter (pylint-odoo, Odoo 11.0 checks, configured in .pylintrc) over
# the addon: prints every finding and exits non-zero when there is one.
# pylint-odoo lives in its own virtualenv, .venv-lint, built from the pinned
# requirements-lint.txt when missing or when those pins change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
LINT_VENV="$REPO/.venv-lint"

REQ_HASH="$(sha1sum "$REPO/requirements-lint.txt" | cut -c1-12)"
if [ ! -f "$LINT_VENV/.installed-$REQ_HASH" ]; then
    PY37="$(find_python37)" || { echo "Python 3.7 (>= 3.7.2) not found (pyenv install 3.7.16)" >&2; exit 1; }
    say "creating $LINT_VENV with $PY37 and the pinned pylint-odoo"
    rm -rf "$LINT_VENV"
    "$PY37" -m venv "$LINT_VENV"
    "$LINT_VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO/requirements-lint.txt" 2>&1 \
        | grep -v "^WARNING: Location" || true
    "$LINT_VENV/bin/pylint" --version >/dev/null || { echo "pip install of requirements-lint.txt failed" >&2; exit 1; }
    touch "$LINT_VENV/.installed-$REQ_HASH"
fi

say "lint: pylint-odoo (.pylintrc) on crm_cn_lifecycle"
cd "$REPO"
if "$LINT_VENV/bin/pylint" --rcfile="$REPO/.pylintrc" crm_cn_lifecycle; then
    echo "lint: no findings"
else
    echo "lint: the findings above must be fixed (or the check disabled in .pylintrc with its reason)" >&2
    exit 1
fi
