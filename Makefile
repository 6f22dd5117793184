# Madoguchi — the two commands a newcomer needs are `make demo` and `make test`.
.PHONY: all build demo test bench fuzz install uninstall services-up services-down clean

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

# Release programs, the unit, sysusers, tmpfiles, udev rules, forms, devices and a starting
# configuration (docs/install.md). DESTDIR=… lays the tree in a folder; BINARIES=… skips the build.
install:
	DESTDIR="$(DESTDIR)" PREFIX="$(or $(PREFIX),/usr)" SYSCONFDIR="$(or $(SYSCONFDIR),/etc)" BINARIES="$(BINARIES)" scripts/install

uninstall:
	DESTDIR="$(DESTDIR)" PREFIX="$(or $(PREFIX),/usr)" SYSCONFDIR="$(or $(SYSCONFDIR),/etc)" scripts/install --uninstall

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
