# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest.
cd /tmp
echo CT-DEMO-BEGIN
echo "\$ uname -r"
uname -r
echo "\$ insmod cowtrace.ko filter=cow"
insmod /bin/cowtrace.ko filter=cow || exit 1
if [ -x /bin/cowtrace ]; then
	echo "\$ cowtrace -a -s -t 10 &   # the reader follows /proc/cowtrace; -a: where from"
	echo "\$ ./cow -R    # 100 pages at 0x100000000000, fork; the child writes (copies),"
	echo "              # exits, then the parent writes the same pages (reuses)"
	cowtrace -a -s -t 10 >reader.out 2>&1 &
	r=$!
	sleep 1
	cow -R >cow.out
	wait $r
	cat reader.out
	cat cow.out
	echo
	echo "\$ cowtrace --forks --svg /tmp/cow.svg --by function,region -- ./cow -R"
	echo "              # runs cow, follows it and its child; what each fork cost,"
	echo "              # which functions wrote to which regions"
	cowtrace --forks --svg /tmp/cow.svg --by function,region -- cow -R >tables.out 2>&1
	echo "(cowtrace exited with cow's status: $?)"
	grep -v '^parent \|^child ' tables.out
else
	echo "\$ ./cow -R    # 100 pages at 0x100000000000, fork; the child writes (copies),"
	echo "              # exits, then the parent writes the same pages (reuses)"
	cow -R >cow.out
	echo "\$ cat /proc/cowtrace"
	cat /proc/cowtrace
	cat cow.out
fi
echo CT-DEMO-END
if [ -s /tmp/cow.svg ]; then
	echo CT-SVG-BEGIN
	cat /tmp/cow.svg
	echo CT-SVG-END
fi
