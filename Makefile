# Madoguchi — the two commands a newcomer needs are `make demo` and `make test`.
.PHONY: all build demo test bench fuzz services-up services-down clean

all: build

build:
	scripts/bootstrap
	scripts/build

demo:
	scripts/demo

test:
	scripts/test

bench:
	scripts/bench

fuzz:
	scripts/bootstrap
	scripts/fuzz

services-up:
	scripts/services up

services-down:
	scripts/services down

clean:
	scripts/services down
	rm -rf .build
