# SPDX-License-Identifier: GPL-2.0
# make install [DESTDIR=] [PREFIX=]: also the module's man page, cowtrace(4)
# (docs/cowtrace.4; the reader's, cowtrace(1), is installed by user/Makefile).
# The Debian packages install it through packaging/debian/cowtrace-dkms.manpages.

MAN4_PREFIX := $(if $(PREFIX),$(PREFIX),/usr/local)
MAN4_DIR := $(if $(MANDIR),$(MANDIR),$(MAN4_PREFIX)/share/man)

.PHONY: install-man4

install: install-man4

install-man4:
	install -D -m 0644 docs/cowtrace.4 $(DESTDIR)$(MAN4_DIR)/man4/cowtrace.4
