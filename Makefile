# SPDX-License-Identifier: GPL-2.0
# cowtrace: top-level build and test entry points (see README.md).

KDIR ?= /lib/modules/$(shell uname -r)/build
VERSION := $(shell sed -n 's/^\#define COWTRACE_VERSION "\(.*\)"/\1/p' module/version.h)

.PHONY: all module reader clean clean-module demo check check-unit check-vm check-kunit \
	stress bench dkms-install dkms-uninstall install

all: module reader

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

reader:
	$(MAKE) -C user

clean: clean-module
	$(MAKE) -C user clean

clean-module:
	rm -rf module/*.o module/*.ko module/*.mod module/*.mod.c module/.*.cmd \
	       module/modules.order .*.cmd Module.symvers modules.order

# Tests: each suite prints "ok - ..." / "not ok - ..." lines; tests/check.sh
# adds them up. Each installs the Debian packages it needs.
check:
	@bash tests/check.sh

check-unit:
	@bash tests/check.sh unit

check-vm:
	@bash tests/check.sh vm

check-kunit:
	@bash tests/check.sh kunit

stress:
	@bash tests/check.sh stress

demo:
	@bash tests/demo.sh

bench:
	@bash tests/bench/run.sh

# Packaging and other targets, one fragment each.
-include mk/*.mk

lint:
	@bash tests/check.sh lint
