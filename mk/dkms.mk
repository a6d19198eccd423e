# SPDX-License-Identifier: GPL-2.0
# sudo make dkms-install [KVER=<release>]: register, build and install the
# module with DKMS (for the running kernel unless KVER is given).
# sudo make dkms-uninstall: remove every version and kernel, and the source.
# make install [DESTDIR=] [PREFIX=]: the reader and its man page.

DKMS_SRC := /usr/src/cowtrace-$(VERSION)
DKMS_K := $(if $(KVER),-k $(KVER),)

.PHONY: dkms-install dkms-uninstall dkms-check-version

dkms-check-version:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf); \
	[ "$$v" = "$(VERSION)" ] || \
		{ echo "dkms.conf PACKAGE_VERSION $$v != COWTRACE_VERSION $(VERSION)"; exit 1; }

dkms-install: dkms-check-version
	@command -v dkms >/dev/null || { echo "dkms is not installed: sudo apt-get install dkms"; exit 1; }
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/module
	cp Kbuild Makefile dkms.conf $(DKMS_SRC)/
	cp module/*.c module/*.h module/Kbuild $(DKMS_SRC)/module/
	rm -f $(DKMS_SRC)/module/*.mod.c
	dkms add -m cowtrace -v $(VERSION)
	dkms build -m cowtrace -v $(VERSION) $(DKMS_K)
	dkms install -m cowtrace -v $(VERSION) $(DKMS_K)

dkms-uninstall:
	-dkms remove -m cowtrace -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

install:
	$(MAKE) -C user install
