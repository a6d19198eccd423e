# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest.
cd /tmp
echo CT-DEMO-BEGIN
echo "\$ uname -r"
uname -r
echo "\$ insmod cowtrace.ko filter=cow"
insmod /bin/cowtrace.ko filter=cow || exit 1
if [ -x /bin/cowtrace ]; then
	echo "\$ cowtrace -s -t 10 &      # the reader follows /proc/cowtrace"
	echo "\$ ./cow -R    # 100 pages at 0x100000000000, fork; the child writes (copies),"
	echo "              # exits, then the parent writes the same pages (reuses)"
	cowtrace -s -t 10 >reader.out 2>&1 &
	r=$!
	sleep 1
	cow -R >cow.out
	wait $r
	cat reader.out
else
	echo "\$ ./cow -R    # 100 pages at 0x100000000000, fork; the child writes (copies),"
	echo "              # exits, then the parent writes the same pages (reuses)"
	cow -R >cow.out
	echo "\$ cat /proc/cowtrace"
	cat /proc/cowtrace
fi
cat cow.out
echo CT-DEMO-END
