# crm_cn_lifecycle: the two commands a newcomer needs.
#   make run    serve Odoo 11 with the addon on a demo database
#   make test   run the whole test suite on throwaway databases
DB ?= cncl_demo
PORT ?= 8069

.PHONY: run test bootstrap screenshots update clean-db help

help:
	@echo "make run [DB=name] [PORT=8069]  serve Odoo with crm_cn_lifecycle and demo data"
	@echo "make test                       install the addon on throwaway databases, run all tests"
	@echo "make screenshots                save README screenshots (needs make run's database)"

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	@scripts/run.sh "$(DB)" "$(PORT)"

test:
	@scripts/bootstrap.sh --test
	@scripts/test.sh $(TESTS)

screenshots:
	@scripts/bootstrap.sh --test
	@scripts/screenshots.sh "$(DB)"

clean-db:
	@scripts/dropdb.sh "$(DB)"
