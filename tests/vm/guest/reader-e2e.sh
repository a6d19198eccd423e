# SPDX-License-Identifier: GPL-2.0
# The reader (user/cowtrace) against the live module; sourced by e2e.sh.

# -n: follows, ends after exactly five records
reload filter=cow
timeout 30 cowtrace -n 5 >n5.txt 2>n5.err &
r=$!
usleep 500000
cow >/dev/null
wait $r
rc=$?
check "reader -n 5 follows live records and ends after exactly five" \
	test "$rc" = 0 -a "$(grep -cv '^#' n5.txt)" = 5
grep -v '^#' n5.txt | head -1 | sed 's/^/# /'

# JSON and CSV of a live buffer parse back with the records intact
cow >/dev/null
cat /proc/cowtrace >live.txt
cowtrace --no-follow -o json >live.json 2>live.err
check "reader -o json --no-follow exits 0" test $? = 0
cowtrace --no-follow -o csv >live.csv 2>>live.err
check "reader -o csv --no-follow exits 0" test $? = 0
grep -v '^#' live.txt | awk '{ print $1, $2, $3, $4, $5, $6, $7, $8 }' >want.txt
sed 's/.*"ts": *"\{0,1\}\([0-9.]*\)"\{0,1\}, *"cpu": *\([0-9]*\), *"pid": *\([0-9]*\), *"tgid": *\([0-9]*\), *"addr": *"\(0x[0-9a-f]*\)", *"kind": *"\([a-z]*\)", *"map": *"\([a-z]*\)", *"comm": *"\(.*\)"}$/\1 \2 \3 \4 \5 \6 \7 \8/' live.json >got-json.txt
check "JSON: one object per record, every field intact" cmp -s want.txt got-json.txt
[ -s want.txt ] || fail "JSON/CSV comparison had records to compare"
tail -n +2 live.csv | tr -d '\r' | awk -F, '{ print $1, $2, $3, $4, $5, $6, $7, $8 }' >got-csv.txt
check "CSV: a header row, then one row per record, every field intact" cmp -s want.txt got-csv.txt
check "CSV header row names the fields" sh -c 'head -1 live.csv | tr -d "\r" | grep -q "^ts,cpu,pid,tgid,addr,kind,map,comm$"'

# -p and -c filters
spid=$(grep -v '^#' live.txt | awk '$5 == "0x100000000000" { print $4; exit }')
cowtrace --no-follow -p "$spid" >p.txt
check "reader -p TGID shows only that process" \
	sh -c "test -s p.txt && ! grep -v '^#' p.txt | awk '\$4 != $spid' | grep -q ."
cowtrace --no-follow -c nosuchcomm >c.txt
check "reader -c COMM filters on the comm" test "$(grep -cv '^#' c.txt)" = 0

# the module goes away while following: status 2 and a message
cowtrace >/dev/null 2>gone.err &
r=$!
usleep 500000
rmmod cowtrace
wait $r
rc=$?
check "reader exits 2 when the module goes away while following" test "$rc" = 2
check "and says the module went away" grep -qi 'unload\|went away\|gone\|removed' gone.err
cowtrace --no-follow >/dev/null 2>nomod.err
rc=$?
check "reader without the module: status 1" test "$rc" = 1
check "reader without the module says to load it" grep -qi 'insmod\|modprobe\|load' nomod.err
load filter=cow
runas 65534 65534 cowtrace --no-follow >/dev/null 2>perm.err
rc=$?
check "reader as non-root: status 1, says to run as root" \
	sh -c "test $rc = 1 && grep -qi root perm.err"
unload
