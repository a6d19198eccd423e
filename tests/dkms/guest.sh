# SPDX-License-Identifier: GPL-2.0
# The DKMS-built module, in the kernel it was built for: the original experiment.
. /lib.sh
cd /tmp
plan 4
check "modinfo: the DKMS-built module's version" \
	sh -c "strings $KO | grep -qx version=$(cat /bin/want-version)"
check "insmod the DKMS-built cowtrace.ko filter=cow" load filter=cow
cow >cow.out
pid=$(writer_pid cow.out)
cat /proc/cowtrace >orig.txt
check "DKMS-built module: the original experiment's 100 records" \
	range_check orig.txt "$pid" "$pid" cow write anon
check "rmmod" rmmod cowtrace
