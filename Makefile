# crm_cn_lifecycle: the two commands a newcomer needs.
#   make run    serve Odoo 11 with the addon on a demo database
#   make test   run the whole test suite on throwaway databases
#   make lint   OCA's linter (pylint-odoo) on the addon; make test runs it first
DB ?= cncl_demo
PORT ?= 8069
MODE ?=

.PHONY: run test lint bootstrap screenshots update clean-db help prod-check upgrade-test odoo-tests

help:
	@echo "make run [DB=name] [PORT=8069]  serve Odoo with crm_cn_lifecycle and demo data"
	@echo "make run MODE=prod              the same in Odoo's multi-process mode (deploy/odoo.conf.example)"
	@echo "make test                       lint, then install the addon on throwaway databases, run all tests"
	@echo "                                (CN_SKIP_LINT=1 make test skips the lint step: for local runs only)"
	@echo "make lint                       OCA's pylint-odoo checks (.pylintrc); fails on any finding"
	@echo "make prod-check [DB=name]       serve a demo database in multi-process mode and check it (port 8070)"
	@echo "make upgrade-test               install the previous release (scripts/upgrade_from), upgrade it with -u, check"
	@echo "make screenshots                save README screenshots (needs make run's database)"
	@echo "make odoo-tests                 Odoo's own tests of crm, sale, sale_stock, portal ... with and without the addon"
	@echo "                                (ports 8090 and 8092); fails on a failure only the addon's database has"

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	@scripts/run.sh "$(DB)" "$(PORT)" "$(MODE)"

test:
	@scripts/bootstrap.sh --test
	@scripts/test.sh $(TESTS)

lint:
	@scripts/lint.sh

screenshots:
	@scripts/bootstrap.sh --test
	@scripts/screenshots.sh "$(DB)"

clean-db:
	@scripts/dropdb.sh "$(DB)"

prod-check: bootstrap
	@scripts/prod_check.sh "$(DB)"

upgrade-test: bootstrap
	@scripts/upgrade_test.sh

odoo-tests: bootstrap
	@scripts/odoo_tests.sh
