/* SPDX-License-Identifier: GPL-2.0 */
/* The one place cowtrace's version is set: MODULE_VERSION, dkms.conf, reader. */
#ifndef COWTRACE_VERSION_H
#define COWTRACE_VERSION_H

#define COWTRACE_VERSION "0.3.0"

#endif /* COWTRACE_VERSION_H */
