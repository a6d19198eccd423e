# SPDX-License-Identifier: GPL-2.0
# The KCSAN run's positive control, inside the KCSAN kernel: a module with a
# deliberate data race runs for a while. The host checks that the kernel
# log has a KCSAN report and that ct_judge fails this run.
. /lib.sh
plan 1
check "insmod racy.ko" insmod /bin/racy.ko
# Handshake: wait for the report rather than a fixed time (at most 60 s).
await 60 sh -c 'dmesg | grep -q "BUG: KCSAN: data-race"'
rmmod racy
