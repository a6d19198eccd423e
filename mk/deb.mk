# SPDX-License-Identifier: GPL-2.0
# make deb: cowtrace-dkms_VERSION_all.deb (module source for DKMS) and
# cowtrace_VERSION_ARCH.deb (reader, man page, metrics unit) from one source
# package, built in build/deb/ from a copy of the tree plus packaging/debian/.
# cowtrace-dkms also holds the module's man page, cowtrace(4) (docs/cowtrace.4).
# Installs debhelper, dh-dkms and dpkg-dev when missing (needs root then).

DEB_DIR := $(CURDIR)/build/deb
DEB_SRC := $(DEB_DIR)/cowtrace-$(VERSION)
DEB_PKGS := debhelper dh-dkms dpkg-dev gcc make libc6-dev libdw-dev libiberty-dev pkgconf
# The changelog date: the last commit's, so that rebuilds are reproducible.
DEB_DATE = $(shell git -C $(CURDIR) log -1 --format=%cD 2>/dev/null || date -R)

.PHONY: deb deb-deps

deb-deps:
	@missing=; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || \
			missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] || { echo "installing$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y \
			--no-install-recommends $$missing || \
		{ apt-get -o DPkg::Lock::Timeout=900 update && \
		  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y \
			--no-install-recommends $$missing; }; }

deb: dkms-check-version deb-deps
	@[ -n "$(VERSION)" ] || { echo "no COWTRACE_VERSION in module/version.h"; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	cp -R Kbuild Makefile dkms.conf README.md docs module user packaging $(DEB_SRC)/
	mv $(DEB_SRC)/packaging/debian $(DEB_SRC)/debian
	# Sources only: no module or reader build left in the checkout.
	find $(DEB_SRC)/module $(DEB_SRC)/user \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.order' -o -name 'Module.symvers' \
		-o -name '*.a' -o -name '.*.d' \) -delete
	printf '%s (%s) unstable; urgency=medium\n\n  * cowtrace %s: see README.md.\n\n -- %s  %s\n' \
		cowtrace $(VERSION) $(VERSION) \
		"$$(sed -n 's/^Maintainer: //p' $(DEB_SRC)/debian/control)" "$(DEB_DATE)" \
		>$(DEB_SRC)/debian/changelog
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b >$(DEB_DIR)/build.log 2>&1 || \
		{ tail -30 $(DEB_DIR)/build.log; exit 1; }
	@ls $(DEB_DIR)/cowtrace-dkms_$(VERSION)_all.deb $(DEB_DIR)/cowtrace_$(VERSION)_*.deb \
		$(DEB_DIR)/cowtrace_$(VERSION)_*.changes
