# Värn's front door.  The real build is meson + ninja in build/.
#   make run    install what is missing, build, create the demo, serve it
#   make test   install what is missing, build, run every test
BUILD ?= build
DEMO_DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps deps-test build run test test-fast bench clean distclean asan fuzz

all: build

deps:
	@scripts/install-deps.sh

deps-test:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

run: build
	@mkdir -p var
	@test -f $(DEMO_DB) || $(BUILD)/varn init --db sqlite:$(DEMO_DB) --demo
	$(BUILD)/varn serve --db sqlite:$(DEMO_DB) --listen $(LISTEN)

test: deps-test build
	@tests/run

# Only the C unit and HTTP tests on SQLite: the quick loop while coding.
test-fast: build
	@tests/run --fast

bench: build
	@bench/run

clean:
	rm -rf $(BUILD) build-asan build-fuzz

distclean: clean
	rm -rf var node_modules
